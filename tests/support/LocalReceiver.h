#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QHttpServer>
#include <QList>
#include <QObject>
#include <QStringList>
#include <QUrl>

#include <functional>
#include <optional>

// A real xAPI receiver on 127.0.0.1 (Qt HttpServer) that answers from a script and remembers every request:
// /xapi/statements (and /xapi/about) for statements, /token for the OAuth 2.0 token endpoint. For an LRS that behaves
// (or fails on a script of its own), use the sandbox (core/sandbox/Sandbox) instead. setAboutVersions gives /xapi/about
// an answer of its own.
class LocalReceiver final : public QObject
{
    Q_OBJECT

public:
    struct Reply
    {
        int status = 200;
        QByteArray body;
        QList<std::pair<QByteArray, QByteArray>> headers;
        int delayMs = 0;
    };
    struct Request
    {
        QByteArray method;
        QString path;
        QString query; // e.g. statementId=… for a PUT
        QList<std::pair<QByteArray, QByteArray>> headers;
        QByteArray body;
        QDateTime at;
        QByteArray header(const QByteArray& name) const;
        QStringList statementIds() const; // from a statement or an array
    };

    explicit LocalReceiver(QObject* parent = nullptr);
    bool start();
    // Serves https with the self-signed test-only certificate in tests/data/tls (CN=localhost): a client that checks
    // certificates, as Courier does, must refuse it.
    bool startTls();

    QUrl statementsUrl() const;
    QUrl tokenUrl() const;
    // Answers in order; the last one repeats. Empty: 200 with the ids.
    void setStatementReplies(QList<Reply> replies) { m_statementReplies = std::move(replies); }
    void setTokenReplies(QList<Reply> replies) { m_tokenReplies = std::move(replies); }
    // The versions GET /xapi/about lists ({"version": [...]}); empty: it answers 404.
    void setAboutVersions(QStringList versions) { m_aboutVersions = std::move(versions); }
    // Decides every statement request's answer instead of the script (a test that plays an outage on one path).
    void setStatementReplier(std::function<Reply(const Request&)> replier) { m_replier = std::move(replier); }
    static Reply token(const QByteArray& accessToken, int expiresIn = 3600);

    QList<Request> statementRequests;
    QList<Request> tokenRequests;
    QList<Request> aboutRequests;
    QStringList receivedIds() const;

private:
    void answer(const QHttpServerRequest& request, QHttpServerResponder&& responder, QList<Reply>& script,
                QList<Request>& log);

    std::function<Reply(const Request&)> m_replier;
    QHttpServer m_server;
    quint16 m_port = 0;
    bool m_tls = false;
    QList<Reply> m_statementReplies;
    QList<Reply> m_tokenReplies;
    std::optional<QStringList> m_aboutVersions; // unset: /xapi/about goes by the statements' script
};
