#include "delivery/AttemptLog.h"

#include "store/PreparedSql.h"
#include "store/SqlValues.h"
#include "store/Store.h"

#include <QHash>
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

QString AttemptRecord::durationText(int milliseconds)
{
    return milliseconds > 0 ? QStringLiteral("%1 ms").arg(milliseconds) : QStringLiteral("<1 ms");
}

AttemptLog::AttemptLog(Store& store)
    : m_store(store)
{}

namespace {
// Many rows per statement: one step (on PostgreSQL one round trip) for up to 64 attempts. A group commit's rows go
// in statements of these sizes, largest first, so only three texts are ever prepared.
constexpr int RowsPerInsert[] = {64, 8, 1};

QSet<qint64> existingIntegrations(const Store& store, const QList<AttemptRecord>& attempts, QString* error)
{
    QSet<qint64> wanted;
    for (const AttemptRecord& attempt : attempts)
        wanted.insert(attempt.integrationId);
    QSet<qint64> existing;
    PreparedSql query(store, QStringLiteral("SELECT id FROM integrations WHERE id %IN_IDS%"));
    query.addIds(wanted.values());
    if (!query.exec(error))
        return existing;
    while (query.next())
        existing.insert(query.integer(0));
    return existing;
}

void bind(PreparedSql& query, const AttemptRecord& attempt)
{
    const bool single = attempt.deliveryId > 0 && attempt.batch.size() <= 1; // a batch's deliveries are linked
    single ? query.add(attempt.deliveryId) : query.addNull();
    query.add(attempt.integrationId);
    query.addTime(attempt.startedAt);
    query.add(attempt.durationMs);
    query.add(SqlValues::text(attempt.requestLine));
    query.add(SqlValues::text(attempt.requestHeaders));
    query.add(attempt.requestBodySize);
    query.addOptional(attempt.status);
    query.add(SqlValues::text(attempt.responseHeaders));
    query.add(SqlValues::text(attempt.responseBody.left(AttemptLog::ResponseBodyCap)));
    query.add(SqlValues::text(attempt.error));
}

const QString insertColumns =
    QStringLiteral("INSERT%OR_FAIL% INTO attempts (delivery_id, integration_id, started_at, duration_ms, request_line, "
                   "request_headers, request_body_size, status, response_headers, response_body, error");

// The INSERT of `rows` attempts at once, for each size in RowsPerInsert; built once.
const QString& insertSql(int rows)
{
    static const QHash<int, QString> texts = [] {
        QHash<int, QString> built;
        for (int size : RowsPerInsert)
            built.insert(size, insertColumns + QStringLiteral(") VALUES ") +
                                   QStringList(size, QStringLiteral("(?,?,?,?,?,?,?,?,?,?,?)")).join(u','));
        return built;
    }();
    return texts.find(rows).value();
}

// A request that carried several statements: one row, its id kept in the record, then, unless the deliveries link
// to it themselves (finishedBatch), one link per delivery that is still there.
bool insertBatch(const Store& store, AttemptRecord& attempt, QString* error)
{
    qint64& attemptId = attempt.id;
    {
        PreparedSql insert(store, insertColumns +
                                      QStringLiteral(", statements) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id"));
        bind(insert, attempt);
        insert.add(int(attempt.batch.size()));
        if (!insert.exec(error))
            return false;
        if (!insert.next()) {
            *error = QStringLiteral("The store did not return the new attempt's id.");
            return false;
        }
        attemptId = insert.integer(0);
    }
    if (attempt.finishedBatch)
        return true;
    PreparedSql links(store, QStringLiteral("INSERT%OR_FAIL% INTO attempt_deliveries (delivery_id, attempt_id) "
                                            "SELECT id, ? FROM deliveries WHERE id %IN_IDS%"));
    links.add(attemptId);
    links.addIds(attempt.batch);
    return links.exec(error);
}
} // namespace

bool AttemptLog::insert(const Store& store, QList<AttemptRecord>& attempts, QString* error)
{
    if (attempts.isEmpty())
        return true;
    const QSet<qint64> existing = existingIntegrations(store, attempts, error);
    if (!error->isEmpty())
        return false;
    QList<const AttemptRecord*> kept;
    for (AttemptRecord& attempt : attempts) {
        if (!existing.contains(attempt.integrationId))
            continue;
        if (attempt.batch.size() <= 1)
            kept << &attempt;
        else if (!insertBatch(store, attempt, error))
            return false;
    }
    qsizetype start = 0;
    for (int rows : RowsPerInsert) {
        for (; kept.size() - start >= rows; start += rows) {
            PreparedSql query(store, insertSql(rows));
            for (int i = 0; i < rows; ++i)
                bind(query, *kept[start + i]);
            if (!query.exec(error))
                return false;
        }
    }
    return true;
}

QList<AttemptRecord> AttemptLog::forDelivery(qint64 deliveryId, QString* error) const
{
    return read(deliveryId, std::nullopt, error);
}

QList<AttemptRecord> AttemptLog::newestForDelivery(qint64 deliveryId, int limit, int* total, QString* error) const
{
    QSqlQuery count(m_store.database());
    count.prepare(QStringLiteral("SELECT (SELECT COUNT(*) FROM attempts WHERE delivery_id = ?) + "
                                 "(SELECT COUNT(*) FROM attempt_links WHERE delivery_id = ?)"));
    count.addBindValue(deliveryId);
    count.addBindValue(deliveryId);
    if (!count.exec() || !count.next()) {
        *error = Store::describe(count.lastError());
        return {};
    }
    *total = count.value(0).toInt();
    return read(deliveryId, limit, error);
}

QList<AttemptRecord> AttemptLog::read(qint64 deliveryId, std::optional<int> newest, QString* error) const
{
    QList<AttemptRecord> attempts;
    QSqlQuery query(m_store.database());
    query.prepare(
        QStringLiteral(
            "SELECT id, integration_id, started_at, duration_ms, request_line, request_headers, request_body_size, "
            "status, response_headers, response_body, error, statements FROM attempts WHERE delivery_id = ? UNION ALL "
            "SELECT a.id, a.integration_id, a.started_at, a.duration_ms, a.request_line, a.request_headers, "
            "a.request_body_size, a.status, a.response_headers, a.response_body, a.error, a.statements "
            "FROM attempt_links l JOIN attempts a ON a.id = l.attempt_id WHERE l.delivery_id = ? ") +
        (newest ? QStringLiteral("ORDER BY 1 DESC LIMIT ?") : QStringLiteral("ORDER BY 1")));
    query.addBindValue(deliveryId);
    query.addBindValue(deliveryId);
    if (newest)
        query.addBindValue(*newest);
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
