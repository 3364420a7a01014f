#pragma once

#include "sandbox/SandboxFaults.h"
#include "sandbox/SandboxStatements.h"

#include <QAbstractHttpServer>
#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QStringList>
#include <QUrl>


#include <QJsonArray>

// A local LRS for statements, on 127.0.0.1 only (Qt HttpServer): what QA rehearse the delivery policy against and a
// new user tries the product with, without an LRS of their own. It behaves as xAPI 1.0.3 asks of an LRS for the
// Statement Resource:
//   POST /xapi/statements          a statement or an array: 200 with the ids
//   PUT  /xapi/statements?statementId=ID                      204
//   GET  /xapi/statements?statementId=ID | voidedStatementId=ID | since, until, limit, ascending, more
//   GET  /xapi/about               the versions it speaks
// A resent identical statement (by the Statement Comparison Requirements) is answered as new (200/204) and changes
// nothing; an id reused for other content gets 409; an invalid statement, a batch with one id twice or a request
// without X-Experience-API-Version gets 400 with the validator's findings. No authentication unless Basic
// credentials are set. A fault script (SandboxFaults) makes it fail on purpose, request by request.
// GET /sandbox/received lists what it stored and every request it answered (never faulted).
class Sandbox final : public QAbstractHttpServer
{
    Q_OBJECT

public:
    // One request and what the sandbox did with it.
    struct Request
    {
        qint64 number = 0;
        QDateTime at;
        QByteArray method;
        QString target; // path and query
        QList<std::pair<QByteArray, QByteArray>> headers;
        QByteArray body;
        int status = 0;      // 0: dropped (no answer)
        QString fault;       // "503 (1 of 2)" when the script answered
        QString outcome;     // a sentence: "stored 2", "identical resend", "conflict with …"
        QStringList statementIds;

        QByteArray header(const QByteArray& name) const;
        QJsonObject toJson() const; // without the body and headers
    };
    static constexpr int RequestLogSize = 10000;

    explicit Sandbox(QObject* parent = nullptr);
    ~Sandbox() override;

    // Where it keeps statements: empty for memory (the default), else an SQLite file of its own.
    bool open(const QString& databasePath, QString* error);
    // 127.0.0.1 only; port 0 for any free one.
    bool listen(quint16 port, QString* error);
    quint16 port() const { return m_port; }
    QUrl statementsUrl() const;
    QUrl aboutUrl() const;

    // Replaces the script (see SandboxFaults); false with the reason when it does not parse.
    bool setFaults(const QString& spec, QString* error);
    const SandboxFaults& faults() const { return m_faults; }
    // Requires HTTP Basic with these credentials on the statements resource (empty user: none).
    void setBasicAuth(const QString& user, const QString& password);

    SandboxStatements& statements() { return m_statements; }
    const QList<Request>& requests() const { return m_requests; }
    // The statement ids of every POST or PUT that reached the statements resource, in order, as sent (resends,
    // faulted and refused requests included).
    QStringList receivedIds() const;
    void clearRequests() { m_requests.clear(); }

Q_SIGNALS:
    // A request was answered (or dropped); statementsChanged when it stored something.
    void requestLogged(const Sandbox::Request& request);
    void statementsChanged();

protected:
    bool handleRequest(const QHttpServerRequest& request, QTcpSocket* socket) override;
    void missingHandler(const QHttpServerRequest& request, QTcpSocket* socket) override;

private:
    struct Answer
    {
        int status = 200;
        QByteArray body;
        QList<std::pair<QByteArray, QByteArray>> headers;
        QString outcome;
        QStringList ids;
        bool changed = false;
    };

    Answer route(const QHttpServerRequest& request);
    Answer statementsResource(const QHttpServerRequest& request);
    Answer post(const QByteArray& body);
    Answer put(const QString& statementId, const QByteArray& body);
    Answer get(const QHttpServerRequest& request);
    Answer received() const;
    // Checks and completes statements before they are stored; fills a 400/409 answer and returns false otherwise.
    bool accept(QList<QJsonObject>& statements, const QStringList& prefixes, QList<QJsonObject>* fresh,
                Answer* refusal);
    QJsonObject authority() const;
    bool authorized(const QHttpServerRequest& request) const;
    void respond(const QHttpServerRequest& request, QTcpSocket* socket, const Answer& answer);
    void log(Request entry);

    static Answer error(int status, const QString& message, const QJsonArray& findings = {});

    SandboxStatements m_statements;
    SandboxFaults m_faults;
    QList<Request> m_requests;
    qint64 m_requestCount = 0;
    QString m_basicUser;
    QString m_basicPassword;
    quint16 m_port = 0;
};
