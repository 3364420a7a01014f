#include "console/TestSendLog.h"

#include "delivery/DeliveryTransport.h"
#include "delivery/TokenClient.h"
#include "store/SqlValues.h"
#include "store/Store.h"
#include "store/Transaction.h"

#include <QSqlError>
#include <QSqlQuery>

bool TestSend::statementSent() const
{
    // TokenClient: every token failure begins with "Invalid Credentials…"; a secret the keychain could not give
    // leaves the statement request marked "(not sent)".
    return !error.startsWith(TokenClient::invalidCredentials()) && !request.endsWith(QLatin1String("\n(not sent)"));
}

TestSendLog::TestSendLog(Store& store)
    : m_store(store)
{}

TestSend TestSendLog::fromResult(qint64 integrationId, const QString& integrationName, const QString& statement,
                                 const TransportResult& result)
{
    TestSend send;
    send.integrationId = integrationId;
    send.integrationName = integrationName;
    send.sentAt = result.attempt.startedAt.isValid() ? result.attempt.startedAt : QDateTime::currentDateTimeUtc();
    send.statement = statement;
    send.status = result.status;
    send.durationMs = result.attempt.durationMs;
    send.request = result.attempt.requestLine + QLatin1Char('\n') + result.attempt.requestHeaders;
    const bool tokenFailed = result.errorKind == TransportResult::ErrorKind::Token ||
                             result.errorKind == TransportResult::ErrorKind::Credentials;
    if (tokenFailed && !result.requestBody.isEmpty())
        send.request += QStringLiteral("\n\n") + QString::fromUtf8(result.requestBody); // the secret is masked
    send.responseHeaders = result.attempt.responseHeaders;
    send.responseBody = result.attempt.responseBody;
    send.error = result.error;
    return send;
}

bool TestSendLog::record(TestSend& send, QString* error)
{
    Transaction transaction(m_store);
    if (!transaction.isActive()) {
        *error = transaction.error();
        return false;
    }
    QSqlQuery query(m_store.database());
    query.prepare(
        QStringLiteral("INSERT INTO test_sends (integration_id, integration_name, sent_at, statement, status, "
                       "duration_ms, request, response_headers, response_body, error) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    query.addBindValue(send.integrationId);
    query.addBindValue(SqlValues::text(send.integrationName));
    query.addBindValue(SqlValues::time(send.sentAt));
    query.addBindValue(SqlValues::text(send.statement));
    query.addBindValue(SqlValues::optionalInt(send.status));
    query.addBindValue(send.durationMs);
    query.addBindValue(SqlValues::text(send.request));
    query.addBindValue(SqlValues::text(send.responseHeaders));
    query.addBindValue(SqlValues::text(send.responseBody));
    query.addBindValue(SqlValues::text(send.error));
    if (!query.exec()) {
        *error = Store::describe(query.lastError());
        return false;
    }
    send.id = query.lastInsertId().toLongLong();
    if (!transaction.commit()) {
        *error = transaction.error();
        return false;
    }
    return true;
}

QList<TestSend> TestSendLog::recent(int limit, QString* error) const
{
    QList<TestSend> sends;
    QSqlQuery query(m_store.database());
    query.prepare(
        QStringLiteral("SELECT id, integration_id, integration_name, sent_at, statement, status, duration_ms, "
                       "request, response_headers, response_body, error FROM test_sends ORDER BY id DESC "
                       "LIMIT ?"));
    query.addBindValue(limit);
    if (!query.exec()) {
        *error = Store::describe(query.lastError());
        return sends;
    }
    while (query.next()) {
        TestSend send;
        send.id = query.value(0).toLongLong();
        send.integrationId = query.value(1).toLongLong();
        send.integrationName = query.value(2).toString();
        send.sentAt = SqlValues::toTime(query.value(3));
        send.statement = query.value(4).toString();
        if (!query.value(5).isNull())
            send.status = query.value(5).toInt();
        send.durationMs = query.value(6).toInt();
        send.request = query.value(7).toString();
        send.responseHeaders = query.value(8).toString();
        send.responseBody = query.value(9).toString();
        send.error = query.value(10).toString();
        sends << send;
    }
    return sends;
}
