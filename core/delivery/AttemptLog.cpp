#include "delivery/AttemptLog.h"

#include "store/SqlValues.h"
#include "store/Store.h"

#include <QSqlError>
#include <QSqlQuery>

namespace {} // namespace

QJsonObject AttemptRecord::toJson() const
{
    return {
        {QStringLiteral("id"), id},
        {QStringLiteral("deliveryId"), deliveryId},
        {QStringLiteral("startedAt"), startedAt.toUTC().toString(Qt::ISODateWithMs)},
        {QStringLiteral("durationMs"), durationMs},
        {QStringLiteral("request"), requestLine},
        {QStringLiteral("requestHeaders"), requestHeaders},
        {QStringLiteral("requestBodySize"), requestBodySize},
        {QStringLiteral("status"), status ? QJsonValue(*status) : QJsonValue()},
        {QStringLiteral("responseHeaders"), responseHeaders},
        {QStringLiteral("responseBody"), responseBody},
        {QStringLiteral("error"), error},
    };
}

AttemptLog::AttemptLog(Store& store)
    : m_store(store)
{}

bool AttemptLog::insert(QSqlDatabase db, const AttemptRecord& attempt, QString* error)
{
    QSqlQuery query(db);
    query.prepare(QStringLiteral(
        "INSERT INTO attempts (delivery_id, integration_id, started_at, duration_ms, request_line, request_headers, "
        "request_body_size, status, response_headers, response_body, error) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? "
        "WHERE EXISTS (SELECT 1 FROM integrations WHERE id = ?)"));
    query.addBindValue(attempt.deliveryId > 0 ? QVariant(attempt.deliveryId)
                                              : QVariant(QMetaType(QMetaType::LongLong)));
    query.addBindValue(attempt.integrationId);
    query.addBindValue(SqlValues::time(attempt.startedAt));
    query.addBindValue(attempt.durationMs);
    query.addBindValue(SqlValues::text(attempt.requestLine));
    query.addBindValue(SqlValues::text(attempt.requestHeaders));
    query.addBindValue(attempt.requestBodySize);
    query.addBindValue(SqlValues::optionalInt(attempt.status));
    query.addBindValue(SqlValues::text(attempt.responseHeaders));
    query.addBindValue(SqlValues::text(attempt.responseBody.left(ResponseBodyCap)));
    query.addBindValue(SqlValues::text(attempt.error));
    query.addBindValue(attempt.integrationId); // an integration deleted meanwhile takes its log with it
    if (!query.exec()) {
        *error = Store::describe(query.lastError());
        return false;
    }
    return true;
}

QList<AttemptRecord> AttemptLog::forDelivery(qint64 deliveryId, QString* error) const
{
    QList<AttemptRecord> attempts;
    QSqlQuery query(m_store.database());
    query.prepare(QStringLiteral(
        "SELECT id, delivery_id, integration_id, started_at, duration_ms, request_line, request_headers, "
        "request_body_size, status, response_headers, response_body, error FROM attempts WHERE delivery_id = ? "
        "ORDER BY id"));
    query.addBindValue(deliveryId);
    if (!query.exec()) {
        *error = Store::describe(query.lastError());
        return attempts;
    }
    while (query.next()) {
        AttemptRecord attempt;
        attempt.id = query.value(0).toLongLong();
        attempt.deliveryId = query.value(1).toLongLong();
        attempt.integrationId = query.value(2).toLongLong();
        attempt.startedAt = SqlValues::toTime(query.value(3));
        attempt.durationMs = query.value(4).toInt();
        attempt.requestLine = query.value(5).toString();
        attempt.requestHeaders = query.value(6).toString();
        attempt.requestBodySize = query.value(7).toInt();
        if (!query.value(8).isNull())
            attempt.status = query.value(8).toInt();
        attempt.responseHeaders = query.value(9).toString();
        attempt.responseBody = query.value(10).toString();
        attempt.error = query.value(11).toString();
        attempts << attempt;
    }
    return attempts;
}
