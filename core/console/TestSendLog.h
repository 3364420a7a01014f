#pragma once

#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

class Store;
struct TransportResult;

// The Test Console's history: what QA sent, to whom, and what came back (Authorization already redacted).
struct TestSend
{
    qint64 id = 0;
    qint64 integrationId = 0;
    QString integrationName;
    QDateTime sentAt;
    QString statement;
    std::optional<int> status;
    int durationMs = 0;
    QString request; // request line and headers as sent; for a failed token request also its body (secret masked)
    QString responseHeaders;
    QString responseBody;
    QString error;

    // False when no access token (or no credentials from the keychain) came: the statement never left, and
    // request, status and response are the token request's. Read from the error and the request, so a history
    // entry says it as well as a fresh send.
    bool statementSent() const;
};

class TestSendLog final
{
public:
    explicit TestSendLog(Store& store);

    bool record(TestSend& send, QString* error);
    QList<TestSend> recent(int limit, QString* error) const;
    static TestSend fromResult(qint64 integrationId, const QString& integrationName, const QString& statement,
                               const TransportResult& result);

private:
    Store& m_store;
};
