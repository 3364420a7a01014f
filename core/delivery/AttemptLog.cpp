#include "delivery/AttemptLog.h"

#include "store/SqlValues.h"
#include "store/Store.h"

#include <QSet>
#include <QSqlError>
#include <QSqlQuery>

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

namespace {
// Qt's SQLite driver looks each bound value's name up among all of a statement's: the cost grows with the square of
// the values in one statement, so a few rows per statement is fastest.
constexpr int RowsPerInsert = 8;

QSet<qint64> existingIntegrations(QSqlDatabase db, const QList<AttemptRecord>& attempts, QString* error)
{
    QSet<qint64> wanted;
    for (const AttemptRecord& attempt : attempts)
        wanted.insert(attempt.integrationId);
    QStringList ids;
    for (qint64 id : std::as_const(wanted))
        ids << QString::number(id);
    QSet<qint64> existing;
    QSqlQuery query(db);
    if (!query.exec(QStringLiteral("SELECT id FROM integrations WHERE id IN (%1)").arg(ids.join(QLatin1Char(','))))) {
        *error = Store::describe(query.lastError());
        return existing;
    }
    while (query.next())
        existing.insert(query.value(0).toLongLong());
    return existing;
}

void bind(QSqlQuery& query, const AttemptRecord& attempt)
{
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
    query.addBindValue(SqlValues::text(attempt.responseBody.left(AttemptLog::ResponseBodyCap)));
    query.addBindValue(SqlValues::text(attempt.error));
}

QString insertSql(int rows)
{
    QStringList values(rows, QStringLiteral("(?,?,?,?,?,?,?,?,?,?,?)"));
    return QStringLiteral(
               "INSERT INTO attempts (delivery_id, integration_id, started_at, duration_ms, request_line, "
               "request_headers, request_body_size, status, response_headers, response_body, error) VALUES ") +
           values.join(QLatin1Char(','));
}
} // namespace

bool AttemptLog::insert(QSqlDatabase db, const QList<AttemptRecord>& attempts, QString* error)
{
    if (attempts.isEmpty())
        return true;
    const QSet<qint64> existing = existingIntegrations(db, attempts, error);
    if (!error->isEmpty())
        return false;
    QList<const AttemptRecord*> kept;
    for (const AttemptRecord& attempt : attempts) {
        if (existing.contains(attempt.integrationId))
            kept << &attempt;
    }
    QSqlQuery full(db); // prepared once, for every run of RowsPerInsert attempts
    QSqlQuery rest(db);
    for (qsizetype start = 0; start < kept.size(); start += RowsPerInsert) {
        const int rows = int(std::min<qsizetype>(RowsPerInsert, kept.size() - start));
        QSqlQuery& query = rows == RowsPerInsert ? full : rest;
        if (rows != RowsPerInsert || start == 0)
            query.prepare(insertSql(rows));
        for (int i = 0; i < rows; ++i)
            bind(query, *kept[start + i]);
        if (!query.exec()) {
            *error = Store::describe(query.lastError());
            return false;
        }
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
