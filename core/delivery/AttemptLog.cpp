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
        {QStringLiteral("statements"), statements},
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
    const bool single = attempt.deliveryId > 0 && attempt.batch.size() <= 1; // a batch's deliveries are linked
    query.addBindValue(single ? QVariant(attempt.deliveryId) : QVariant(QMetaType(QMetaType::LongLong)));
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

const QString insertColumns =
    QStringLiteral("INSERT%OR_FAIL% INTO attempts (delivery_id, integration_id, started_at, duration_ms, request_line, "
                   "request_headers, request_body_size, status, response_headers, response_body, error");

QString insertSql(int rows)
{
    QStringList values(rows, QStringLiteral("(?,?,?,?,?,?,?,?,?,?,?)"));
    return insertColumns + QStringLiteral(") VALUES ") + values.join(QLatin1Char(','));
}

// A request that carried several statements: one row, its id returned, then one link per delivery that is still
// there (plain numbers, nothing to bind).
bool insertBatch(const Store& store, const AttemptRecord& attempt, QString* error)
{
    QSqlQuery insert(store.database());
    insert.prepare(
        store.sql(insertColumns + QStringLiteral(", statements) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id")));
    bind(insert, attempt);
    insert.addBindValue(int(attempt.batch.size()));
    if (!insert.exec() || !insert.next()) {
        *error = insert.lastError().isValid() ? Store::describe(insert.lastError())
                                              : QStringLiteral("The store did not return the new attempt's id.");
        return false;
    }
    const QString attemptId = insert.value(0).toString();
    insert.finish();
    // An IN list parses far faster than as many VALUES rows.
    QString ids;
    ids.reserve(attempt.batch.size() * 8);
    for (qint64 id : attempt.batch) {
        if (!ids.isEmpty())
            ids += QLatin1Char(',');
        ids += QString::number(id);
    }
    QSqlQuery links(store.database());
    if (!links.exec(store
                        .sql(QStringLiteral("INSERT%OR_FAIL% INTO attempt_deliveries (delivery_id, attempt_id) "
                                            "SELECT id, %1 FROM deliveries WHERE id IN (%2)"))
                        .arg(attemptId, ids))) {
        *error = Store::describe(links.lastError());
        return false;
    }
    return true;
}
} // namespace

bool AttemptLog::insert(const Store& store, const QList<AttemptRecord>& attempts, QString* error)
{
    if (attempts.isEmpty())
        return true;
    const QSet<qint64> existing = existingIntegrations(store.database(), attempts, error);
    if (!error->isEmpty())
        return false;
    QList<const AttemptRecord*> kept;
    for (const AttemptRecord& attempt : attempts) {
        if (!existing.contains(attempt.integrationId))
            continue;
        if (attempt.batch.size() <= 1)
            kept << &attempt;
        else if (!insertBatch(store, attempt, error))
            return false;
    }
    QSqlQuery full(store.database()); // prepared once, for every run of RowsPerInsert attempts
    QSqlQuery rest(store.database());
    for (qsizetype start = 0; start < kept.size(); start += RowsPerInsert) {
        const int rows = int(std::min<qsizetype>(RowsPerInsert, kept.size() - start));
        QSqlQuery& query = rows == RowsPerInsert ? full : rest;
        if (rows != RowsPerInsert || start == 0)
            query.prepare(store.sql(insertSql(rows)));
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
        "SELECT id, integration_id, started_at, duration_ms, request_line, request_headers, request_body_size, "
        "status, response_headers, response_body, error, statements FROM attempts WHERE delivery_id = ? UNION ALL "
        "SELECT a.id, a.integration_id, a.started_at, a.duration_ms, a.request_line, a.request_headers, "
        "a.request_body_size, a.status, a.response_headers, a.response_body, a.error, a.statements "
        "FROM attempt_deliveries l JOIN attempts a ON a.id = l.attempt_id WHERE l.delivery_id = ? ORDER BY 1"));
    query.addBindValue(deliveryId);
    query.addBindValue(deliveryId);
    if (!query.exec()) {
        *error = Store::describe(query.lastError());
        return attempts;
    }
    while (query.next()) {
        AttemptRecord attempt;
        attempt.id = query.value(0).toLongLong();
        attempt.deliveryId = deliveryId;
        attempt.integrationId = query.value(1).toLongLong();
        attempt.startedAt = SqlValues::toTime(query.value(2));
        attempt.durationMs = query.value(3).toInt();
        attempt.requestLine = query.value(4).toString();
        attempt.requestHeaders = query.value(5).toString();
        attempt.requestBodySize = query.value(6).toInt();
        if (!query.value(7).isNull())
            attempt.status = query.value(7).toInt();
        attempt.responseHeaders = query.value(8).toString();
        attempt.responseBody = query.value(9).toString();
        attempt.error = query.value(10).toString();
        attempt.statements = query.value(11).toInt();
        attempts << attempt;
    }
    return attempts;
}
