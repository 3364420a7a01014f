#include "delivery/DeliveryQueue.h"

#include "common/Logging.h"
#include "integrations/Integration.h"
#include "metrics/DeliveryAggregates.h"
#include "statements/StatementConversion.h"
#include "store/PreparedSql.h"
#include "store/SqlValues.h"
#include "store/Store.h"
#include "store/Transaction.h"

#include <QJsonDocument>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

namespace {

const QString selectColumns = QStringLiteral(
    "SELECT id, integration_id, statement_id, %BODY_BYTES%, state, attempts, next_attempt_at, last_status, "
    "last_error, created_at, updated_at, delivered_at, duplicate_kind, duplicate_detail, conversion FROM deliveries "
    "JOIN delivery_bodies ON delivery_id = id");

Delivery fromRecord(const QSqlQuery& query)
{
    Delivery delivery;
    delivery.id = query.value(0).toLongLong();
    delivery.integrationId = query.value(1).toLongLong();
    delivery.statementId = query.value(2).toString();
    delivery.body = query.value(3).toByteArray();
    delivery.state = Delivery::stateFromName(query.value(4).toString()).value_or(Delivery::State::Queued);
    delivery.attempts = query.value(5).toInt();
    delivery.nextAttemptAt = SqlValues::toTime(query.value(6));
    if (!query.value(7).isNull())
        delivery.lastStatus = query.value(7).toInt();
    delivery.lastError = query.value(8).toString();
    delivery.createdAt = SqlValues::toTime(query.value(9));
    delivery.updatedAt = SqlValues::toTime(query.value(10));
    delivery.deliveredAt = SqlValues::toTime(query.value(11));
    delivery.duplicateKind = query.value(12).toString();
    delivery.duplicateDetail = query.value(13).toByteArray();
    delivery.conversion = query.value(14).toString();
    return delivery;
}

QString idList(const QList<qint64>& ids)
{
    QStringList parts;
    parts.reserve(ids.size());
    for (qint64 id : ids)
        parts << QString::number(id);
    return parts.join(QLatin1Char(','));
}

// WHERE clause and bound values for a filter.
QString whereClause(const DeliveryFilter& filter, QVariantList* values)
{
    QStringList conditions;
    if (filter.integrationId > 0) {
        conditions << QStringLiteral("integration_id = ?");
        *values << filter.integrationId;
    }
    if (!filter.states.isEmpty()) {
        QStringList names;
        for (Delivery::State state : filter.states) {
            names << QStringLiteral("?");
            *values << Delivery::stateName(state);
        }
        conditions << QStringLiteral("state IN (%1)").arg(names.join(QLatin1Char(',')));
    }
    if (!filter.search.trimmed().isEmpty()) {
        conditions << QStringLiteral("(statement_id %ILIKE% ? OR last_error %ILIKE% ?)");
        const QString pattern = QLatin1Char('%') + filter.search.trimmed() + QLatin1Char('%');
        *values << pattern << pattern;
    }
    if (!filter.duplicateKind.isEmpty()) {
        conditions << QStringLiteral("state = 'duplicate' AND duplicate_kind = ?");
        *values << filter.duplicateKind;
    }
    if (!filter.statementId.isEmpty()) {
        conditions << QStringLiteral("statement_id = ?");
        *values << filter.statementId;
    }
    if (filter.createdFrom.isValid()) {
        conditions << QStringLiteral("created_at >= ?");
        *values << filter.createdFrom.toMSecsSinceEpoch();
    }
    if (filter.createdTo.isValid()) {
        conditions << QStringLiteral("created_at <= ?");
        *values << filter.createdTo.toMSecsSinceEpoch();
    }
    return conditions.isEmpty() ? QString() : QStringLiteral(" WHERE ") + conditions.join(QStringLiteral(" AND "));
}

// Prepares `select` restricted to what the filter matches, then `tail`, with the filter's values bound (the
// caller binds the tail's).
void prepareFiltered(const Store& store, QSqlQuery& query, const QString& select, const DeliveryFilter& filter,
                     const QString& tail = QString())
{
    QVariantList values;
    const QString where = whereClause(filter, &values);
    query.prepare(store.sql(select + where + tail));
    for (const QVariant& value : values)
        query.addBindValue(value);
}

bool failed(const QSqlQuery& query, QString* error)
{
    *error = Store::describe(query.lastError());
    qCWarning(lcDelivery) << "Query failed:" << query.lastError().text();
    return false;
}

bool exec(QSqlQuery& query, QString* error)
{
    return query.exec() || failed(query, error);
}

// Delivered or a duplicate: nothing more is sent.
bool isFinished(Delivery::State state)
{
    return state == Delivery::State::Delivered || state == Delivery::State::Duplicate;
}

void addAttemptId(PreparedSql& query, qint64 attemptId)
{
    attemptId > 0 ? query.add(attemptId) : query.addNull();
}

} // namespace

DeliveryQueue::DeliveryQueue(Store& store)
    : m_store(store)
{}

bool DeliveryQueue::enqueue(QList<QJsonObject>& statements, const QList<qint64>& integrationIds, const QDateTime& now,
                            QString* error)
{
    for (QJsonObject& statement : statements) {
        if (statement.value(QStringLiteral("id")).toString().isEmpty())
            statement.insert(QStringLiteral("id"), QUuid::createUuid().toString(QUuid::WithoutBraces));
    }
    Transaction transaction(m_store);
    if (!transaction.isActive()) {
        *error = transaction.error();
        return false;
    }
    if (!enqueueInTransaction(statements, integrationIds, now, error))
        return false;
    if (!transaction.commit()) {
        *error = transaction.error();
        return false;
    }
    return true;
}

bool DeliveryQueue::enqueueInTransaction(const QList<QJsonObject>& statements, const QList<qint64>& integrationIds,
                                         const QDateTime& now, QString* error)
{
    const QString insertSql = QStringLiteral("INSERT%OR_FAIL% INTO deliveries (integration_id, statement_id, state, "
                                             "created_at, updated_at, conversion) VALUES (?, ?, 'queued', ?, ?, ?) "
                                             "RETURNING id");
    const QString insertBodySql =
        QStringLiteral("INSERT%OR_FAIL% INTO delivery_bodies (delivery_id, body) VALUES (?, ?)");
    const qint64 stamp = now.toMSecsSinceEpoch();
    // The integrations that speak 1.0.3 get a 2.0.0 statement converted (and the conversion recorded on the
    // delivery); those that speak 2.0.0 get it as it is.
    QSet<qint64> speakV103;
    if (!integrationVersions(integrationIds, &speakV103, error))
        return false;
    for (const QJsonObject& statement : statements) {
        const QByteArray body = QJsonDocument(statement).toJson(QJsonDocument::Compact);
        const QString statementId = statement.value(QStringLiteral("id")).toString();
        std::optional<StatementConversion::Result> conversion;
        for (qint64 integrationId : integrationIds) {
            const bool convert = speakV103.contains(integrationId) && StatementConversion::mayBeV200(body);
            if (convert && !conversion)
                conversion = StatementConversion::toV103(statement);
            const bool converted = convert && conversion->converted();
            qint64 deliveryId = 0;
            {
                PreparedSql insert(m_store, insertSql);
                insert.add(integrationId);
                insert.add(statementId);
                insert.add(stamp);
                insert.add(stamp);
                insert.add(converted ? conversion->summary() : QString());
                if (!insert.exec(error))
                    return false;
                if (!insert.next()) {
                    *error = QStringLiteral("The store did not return the new delivery's id.");
                    return false;
                }
                deliveryId = insert.integer(0);
            }
            PreparedSql insertBody(m_store, insertBodySql);
            insertBody.add(deliveryId);
            insertBody.addUtf8(converted ? QJsonDocument(conversion->statement).toJson(QJsonDocument::Compact) : body);
            if (!insertBody.exec(error))
                return false;
        }
    }
    return true;
}

bool DeliveryQueue::integrationVersions(const QList<qint64>& integrationIds, QSet<qint64>* speakV103, QString* error)
{
    if (integrationIds.isEmpty())
        return true;
    QSqlQuery query(m_store.database());
    query.prepare(QStringLiteral("SELECT id, xapi_version, xapi_detected FROM integrations WHERE id IN (%1)")
                      .arg(idList(integrationIds)));
    if (!exec(query, error))
        return false;
    while (query.next()) {
        Integration integration;
        integration.xapiVersion = query.value(1).toString();
        integration.xapiDetected = query.value(2).toString();
        if (integration.effectiveXapiVersion() == XapiVersion::V1_0_3)
            *speakV103 << query.value(0).toLongLong();
    }
    return true;
}

int DeliveryQueue::requeueInFlight(qint64 integrationId, QString* error)
{
    Transaction transaction(m_store);
    if (!transaction.isActive()) {
        *error = transaction.error();
        return -1;
    }
    QSqlQuery query(m_store.database());
    query.prepare(
        QStringLiteral("UPDATE deliveries SET state = 'queued' WHERE integration_id = ? AND state = 'sending'"));
    query.addBindValue(integrationId);
    if (!exec(query, error))
        return -1;
    const int count = query.numRowsAffected();
    if (!transaction.commit()) {
        *error = transaction.error();
        return -1;
    }
    if (count > 0)
        qCInfo(lcDelivery) << "Queued again" << count << "deliveries of integration" << integrationId
                           << "left in flight by an engine that is gone";
    return count;
}

QList<Delivery> DeliveryQueue::claim(qint64 integrationId, int limit, const QDateTime& now, QString* error)
{
    QList<Delivery> claimed;
    Transaction transaction(m_store);
    if (!transaction.isActive()) {
        *error = transaction.error();
        return claimed;
    }
    QSqlQuery select(m_store.database());
    select.prepare(m_store.sql(selectColumns +
                               QStringLiteral(" WHERE integration_id = ? AND state = 'queued' AND "
                                              "(next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY id LIMIT ?"
                                              "%SKIP_LOCKED%")));
    select.addBindValue(integrationId);
    select.addBindValue(now.toMSecsSinceEpoch());
    select.addBindValue(limit);
    if (!exec(select, error))
        return claimed;
    QList<qint64> ids;
    while (select.next()) {
        claimed << fromRecord(select);
        claimed.last().state = Delivery::State::Sending;
        ids << claimed.last().id;
    }
    select.finish();
    if (ids.isEmpty())
        return claimed;
    QSqlQuery update(m_store.database());
    update.prepare(
        QStringLiteral("UPDATE deliveries SET state = 'sending', updated_at = ? WHERE id IN (%1)").arg(idList(ids)));
    update.addBindValue(now.toMSecsSinceEpoch());
    if (!exec(update, error) || !transaction.commit()) {
        if (error->isEmpty())
            *error = transaction.error();
        return {};
    }
    return claimed;
}

QList<Delivery> DeliveryQueue::pending(qint64 integrationId, qint64 afterId, int limit, const QDateTime& now,
                                       QString* error) const
{
    QList<Delivery> found;
    PreparedSql select(
        m_store, QStringLiteral("SELECT id, statement_id, body FROM deliveries JOIN delivery_bodies ON delivery_id "
                                "= id WHERE integration_id = ? AND state = 'queued' AND id > ? AND "
                                "(next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY id LIMIT ?"));
    select.add(integrationId);
    select.add(afterId);
    select.add(now.toMSecsSinceEpoch());
    select.add(limit);
    if (!select.exec(error))
        return found;
    found.reserve(limit);
    while (select.next()) {
        Delivery& delivery = found.emplace_back();
        delivery.id = select.integer(0);
        delivery.integrationId = integrationId;
        delivery.statementId = select.text(1);
        delivery.body = select.utf8(2);
    }
    return found;
}

bool DeliveryQueue::hasDue(const QList<qint64>& integrationIds, const QDateTime& now, QString* error) const
{
    if (integrationIds.isEmpty())
        return false;
    QSqlQuery select(m_store.database());
    select.prepare(QStringLiteral("SELECT 1 FROM deliveries WHERE integration_id IN (%1) AND (state = 'sending' OR "
                                  "(state = 'queued' AND (next_attempt_at IS NULL OR next_attempt_at <= ?))) LIMIT 1")
                       .arg(QStringList(integrationIds.size(), QStringLiteral("?")).join(QLatin1Char(','))));
    for (qint64 id : integrationIds)
        select.addBindValue(id);
    select.addBindValue(now.toMSecsSinceEpoch());
    return exec(select, error) && select.next();
}

bool DeliveryQueue::record(const QList<Outcome>& outcomes, const QDateTime& now, QString* error)
{
    return record(outcomes, {}, now, error);
}

bool DeliveryQueue::record(const QList<Outcome>& outcomes, const QList<qint64>& sending, const QDateTime& now,
                           QString* error)
{
    if (outcomes.isEmpty() && sending.isEmpty())
        return true;
    Transaction transaction(m_store);
    if (!transaction.isActive()) {
        *error = transaction.error();
        return false;
    }
    const qint64 stamp = now.toMSecsSinceEpoch();
    if (!sending.isEmpty()) {
        PreparedSql mark(m_store, QStringLiteral("UPDATE%OR_FAIL% deliveries SET state = 'sending', updated_at = ? "
                                                 "WHERE state = 'queued' AND id %IN_IDS%"));
        mark.add(stamp);
        mark.addIds(sending);
        if (!mark.exec(error))
            return false;
    }
    // The attempts first: a request that finished several deliveries is linked to them by their outcome's update.
    QList<AttemptRecord> attempts;
    attempts.reserve(outcomes.size());
    QHash<qint64, qsizetype> requests; // request -> its attempt in `attempts`
    for (const Outcome& outcome : outcomes) {
        if (!outcome.attempt.startedAt.isValid())
            continue;
        if (outcome.request != 0) {
            if (const auto it = requests.constFind(outcome.request); it != requests.constEnd()) {
                AttemptRecord& shared = attempts[*it];
                if (shared.batch.isEmpty())
                    shared.batch << shared.deliveryId;
                shared.batch << outcome.deliveryId;
                shared.finishedBatch = isFinished(outcome.state);
                continue;
            }
            requests.insert(outcome.request, attempts.size());
        }
        attempts << outcome.attempt;
        attempts.last().deliveryId = outcome.deliveryId;
    }
    if (!AttemptLog::insert(m_store, attempts, error))
        return false;
    // The batch attempt a finished delivery points at (0: none, it was alone in its request or not finished).
    const auto batchAttempt = [&](const Outcome& outcome) -> qint64 {
        const auto it = requests.constFind(outcome.request);
        if (outcome.request == 0 || it == requests.constEnd())
            return 0;
        const AttemptRecord& attempt = attempts[*it];
        return attempt.finishedBatch ? attempt.id : 0;
    };
    // The common case, finished without an error text, in one statement per status and request; the others one by
    // one.
    QHash<std::pair<std::pair<int, int>, qint64>, QList<qint64>> finished; // ((state, status), batch attempt) -> ids
    for (const Outcome& outcome : outcomes) {
        const bool done = isFinished(outcome.state);
        if (done && outcome.status && outcome.error.isEmpty()) {
            finished[{{int(outcome.state), *outcome.status}, batchAttempt(outcome)}] << outcome.deliveryId;
            continue;
        }
        PreparedSql update(m_store, QStringLiteral("UPDATE deliveries SET state = ?, attempts = attempts + 1, "
                                                   "last_status = ?, last_error = ?, next_attempt_at = ?, "
                                                   "duplicate_kind = NULL, duplicate_detail = NULL, "
                                                   "updated_at = ?, delivered_at = CASE WHEN ? = 1 THEN ? ELSE "
                                                   "delivered_at END, batch_attempt_id = CASE WHEN ? = 1 THEN ? "
                                                   "ELSE batch_attempt_id END WHERE id = ?"));
        update.add(Delivery::stateName(outcome.state));
        update.addOptional(outcome.status);
        update.add(SqlValues::text(outcome.error));
        update.addTime(outcome.nextAttemptAt);
        update.add(stamp);
        update.add(done ? 1 : 0);
        update.add(stamp);
        update.add(done ? 1 : 0);
        addAttemptId(update, batchAttempt(outcome));
        update.add(outcome.deliveryId);
        if (!update.exec(error))
            return false;
    }
    for (auto it = finished.cbegin(); it != finished.cend(); ++it) {
        const auto [stateAndStatus, attemptId] = it.key();
        const auto [state, status] = stateAndStatus;
        PreparedSql done(m_store, QStringLiteral("UPDATE%OR_FAIL% deliveries SET state = ?, attempts = attempts + 1, "
                                                 "last_status = ?, last_error = '', next_attempt_at = NULL, "
                                                 "duplicate_kind = NULL, duplicate_detail = NULL, "
                                                 "updated_at = ?, delivered_at = ?, batch_attempt_id = ? "
                                                 "WHERE id %IN_IDS%"));
        done.add(Delivery::stateName(Delivery::State(state)));
        done.add(status);
        done.add(stamp);
        done.add(stamp);
        addAttemptId(done, attemptId);
        done.addIds(it.value());
        if (!done.exec(error))
            return false;
    }
    if (!DeliveryAggregates(m_store).add(outcomes, now, error)) // the delivery charts, once per group
        return false;
    if (!transaction.commit()) {
        *error = transaction.error();
        return false;
    }
    return true;
}

int DeliveryQueue::updateStates(const QString& sql, QString* error, const std::function<bool(QString*)>& first)
{
    Transaction transaction(m_store);
    if (!transaction.isActive()) {
        *error = transaction.error();
        return -1;
    }
    if (first && !first(error))
        return -1;
    QSqlQuery query(m_store.database());
    query.prepare(sql);
    query.addBindValue(QDateTime::currentMSecsSinceEpoch()); // updated_at
    if (!exec(query, error))
        return -1;
    const int count = query.numRowsAffected();
    if (!transaction.commit()) {
        *error = transaction.error();
        return -1;
    }
    return count;
}

int DeliveryQueue::releaseHeld(qint64 integrationId, QString* error)
{
    return updateStates(QStringLiteral("UPDATE deliveries SET state = 'queued', next_attempt_at = NULL, updated_at = ? "
                                       "WHERE state = 'held' AND integration_id = %1")
                            .arg(integrationId),
                        error);
}

int DeliveryQueue::retryNow(qint64 integrationId, QString* error)
{
    return updateStates(QStringLiteral("UPDATE deliveries SET next_attempt_at = NULL, updated_at = ? "
                                       "WHERE state = 'queued' AND integration_id = %1")
                            .arg(integrationId),
                        error);
}

int DeliveryQueue::discard(const QList<qint64>& ids, QString* error)
{
    if (ids.isEmpty())
        return 0;
    return updateStates(QStringLiteral("UPDATE deliveries SET state = 'discarded', updated_at = ? "
                                       "WHERE state IN ('queued', 'held') AND id IN (%1)")
                            .arg(idList(ids)),
                        error, [&](QString* failed) {
                            // the delivery charts count them first
                            return DeliveryAggregates(m_store).addDiscards(ids, QDateTime::currentDateTimeUtc(),
                                                                           failed);
                        });
}

int DeliveryQueue::resend(const QList<qint64>& ids, QString* error)
{
    if (ids.isEmpty())
        return 0;
    const QString which = QStringLiteral("state IN ('delivered', 'duplicate', 'discarded') AND id IN (%1) AND EXISTS "
                                         "(SELECT 1 FROM delivery_bodies b WHERE b.delivery_id = deliveries.id AND "
                                         "b.body <> '')")
                              .arg(idList(ids));
    return updateStates(QStringLiteral("UPDATE deliveries SET state = 'queued', next_attempt_at = NULL, "
                                       "batch_attempt_id = NULL, updated_at = ? WHERE ") +
                            which,
                        error, [&](QString* failed) {
                            // The batch that delivered one keeps its link when a later request delivers it again.
                            QSqlQuery keep(m_store.database());
                            keep.prepare(QStringLiteral("INSERT INTO attempt_deliveries (delivery_id, attempt_id) "
                                                        "SELECT id, batch_attempt_id FROM deliveries WHERE "
                                                        "batch_attempt_id IS NOT NULL AND ") +
                                         which);
                            return exec(keep, failed);
                        });
}

QList<qint64> DeliveryQueue::replaySources(const QDateTime& from, const QDateTime& to, QString* error,
                                           qint64 sourceIntegrationId) const
{
    // The first queued copy of every statement in the range, in its original order.
    QList<qint64> ids;
    QSqlQuery query(m_store.database());
    query.setForwardOnly(true);
    // Copies whose body retention erased cannot be sent again.
    query.prepare(QStringLiteral("SELECT MIN(id) FROM deliveries JOIN delivery_bodies b ON b.delivery_id = id "
                                 "WHERE created_at >= ? AND created_at <= ? AND b.body <> '' ") +
                  (sourceIntegrationId > 0 ? QStringLiteral("AND integration_id = ? ") : QString()) +
                  QStringLiteral("GROUP BY statement_id ORDER BY 1"));
    query.addBindValue(from.toMSecsSinceEpoch());
    query.addBindValue(to.toMSecsSinceEpoch());
    if (sourceIntegrationId > 0)
        query.addBindValue(sourceIntegrationId);
    if (!exec(query, error))
        return {};
    while (query.next())
        ids << query.value(0).toLongLong();
    return ids;
}

int DeliveryQueue::replay(qint64 integrationId, const QList<qint64>& sourceIds, const QDateTime& now, QString* error)
{
    if (sourceIds.isEmpty())
        return 0;
    Transaction transaction(m_store);
    if (!transaction.isActive()) {
        *error = transaction.error();
        return -1;
    }
    QSqlQuery query(m_store.database());
    query.prepare(QStringLiteral("INSERT INTO deliveries (integration_id, statement_id, state, created_at, updated_at) "
                                 "SELECT ?, statement_id, 'queued', ?, ? FROM deliveries WHERE id IN (%1) ORDER BY id")
                      .arg(idList(sourceIds)));
    query.addBindValue(integrationId);
    query.addBindValue(now.toMSecsSinceEpoch());
    query.addBindValue(now.toMSecsSinceEpoch());
    if (!exec(query, error))
        return -1;
    const int count = query.numRowsAffected();
    // The new rows are the integration's only ones without a body yet: each gets its statement's first body.
    QSqlQuery bodies(m_store.database());
    bodies.prepare(QStringLiteral(
        "INSERT INTO delivery_bodies (delivery_id, body) SELECT n.id, (SELECT b.body FROM deliveries o JOIN "
        "delivery_bodies b ON b.delivery_id = o.id WHERE o.statement_id = n.statement_id AND b.body <> '' "
        "ORDER BY o.id LIMIT 1) "
        "FROM deliveries n WHERE n.integration_id = ? AND NOT EXISTS (SELECT 1 FROM delivery_bodies x WHERE "
        "x.delivery_id = n.id)"));
    bodies.addBindValue(integrationId);
    if (!exec(bodies, error))
        return -1;
    if (!transaction.commit()) {
        *error = transaction.error();
        return -1;
    }
    qCInfo(lcDelivery) << "Replaying" << count << "statements to integration" << integrationId;
    return count;
}

std::optional<Delivery> DeliveryQueue::byId(qint64 id, QString* error) const
{
    QSqlQuery query(m_store.database());
    query.prepare(m_store.sql(selectColumns + QStringLiteral(" WHERE id = ?")));
    query.addBindValue(id);
    if (!exec(query, error) || !query.next())
        return std::nullopt;
    return fromRecord(query);
}

QList<Delivery> DeliveryQueue::list(const DeliveryFilter& filter, int limit, int offset, QString* error) const
{
    QSqlQuery query(m_store.database());
    query.setForwardOnly(true);
    prepareFiltered(m_store, query, selectColumns, filter, QStringLiteral(" ORDER BY id LIMIT ? OFFSET ?"));
    query.addBindValue(limit);
    query.addBindValue(offset);
    QList<Delivery> deliveries;
    if (!exec(query, error))
        return deliveries;
    while (query.next())
        deliveries << fromRecord(query);
    return deliveries;
}

int DeliveryQueue::count(const DeliveryFilter& filter, QString* error) const
{
    QSqlQuery query(m_store.database());
    prepareFiltered(m_store, query, QStringLiteral("SELECT COUNT(*) FROM deliveries"), filter);
    if (!exec(query, error) || !query.next())
        return -1;
    return query.value(0).toInt();
}

QList<qint64> DeliveryQueue::ids(const DeliveryFilter& filter, QString* error) const
{
    QSqlQuery query(m_store.database());
    query.setForwardOnly(true);
    prepareFiltered(m_store, query, QStringLiteral("SELECT id FROM deliveries"), filter,
                    QStringLiteral(" ORDER BY id"));
    QList<qint64> found;
    if (!exec(query, error))
        return found;
    while (query.next())
        found << query.value(0).toLongLong();
    return found;
}

QHash<qint64, LaneStats> DeliveryQueue::stats(QString* error) const
{
    QHash<qint64, LaneStats> result;
    QSqlQuery query(m_store.database());
    query.prepare(QStringLiteral("SELECT integration_id, state, COUNT(*), MIN(created_at) FROM deliveries "
                                 "GROUP BY integration_id, state"));
    if (!exec(query, error))
        return result;
    while (query.next()) {
        LaneStats& lane = result[query.value(0).toLongLong()];
        const int count = query.value(2).toInt();
        switch (Delivery::stateFromName(query.value(1).toString()).value_or(Delivery::State::Queued)) {
        case Delivery::State::Sending:
            lane.sending += count;
            [[fallthrough]];
        case Delivery::State::Queued: {
            lane.queued += count;
            const QDateTime oldest = SqlValues::toTime(query.value(3));
            if (!lane.oldestQueuedAt.isValid() || oldest < lane.oldestQueuedAt)
                lane.oldestQueuedAt = oldest;
            break;
        }
        case Delivery::State::Delivered:
            lane.delivered += count;
            break;
        case Delivery::State::Duplicate:
            lane.duplicates += count;
            break;
        case Delivery::State::Held:
            lane.held += count;
            break;
        case Delivery::State::Discarded:
            lane.discarded += count;
            break;
        }
    }
    query.finish();
    QSqlQuery kinds(m_store.database());
    kinds.prepare(QStringLiteral("SELECT integration_id, duplicate_kind, COUNT(*) FROM deliveries "
                                 "WHERE state = 'duplicate' AND duplicate_kind IS NOT NULL "
                                 "GROUP BY integration_id, duplicate_kind"));
    if (!exec(kinds, error))
        return result;
    while (kinds.next()) {
        LaneStats& lane = result[kinds.value(0).toLongLong()];
        const QString kind = kinds.value(1).toString();
        const int count = kinds.value(2).toInt();
        if (kind == QLatin1String("identical"))
            lane.duplicatesIdentical += count;
        else if (kind == QLatin1String("conflicting"))
            lane.duplicatesConflicting += count;
        else
            lane.duplicatesUnverified += count;
    }
    kinds.finish();
    // What retention pruned still counts as delivered.
    QSqlQuery pruned(m_store.database());
    pruned.prepare(QStringLiteral("SELECT integration_id, delivered, duplicates FROM pruned_counts"));
    if (!exec(pruned, error))
        return result;
    while (pruned.next()) {
        LaneStats& lane = result[pruned.value(0).toLongLong()];
        lane.delivered += pruned.value(1).toInt();
        lane.duplicates += pruned.value(2).toInt();
        lane.pruned += pruned.value(1).toInt() + pruned.value(2).toInt();
    }
    pruned.finish();
    // The last answer per integration, for "what went wrong" at a glance.
    QSqlQuery last(m_store.database());
    last.prepare(QStringLiteral("SELECT a.integration_id, a.status, a.error FROM attempts a JOIN ("
                                " SELECT integration_id, MAX(id) AS id FROM attempts GROUP BY integration_id) m "
                                "ON a.id = m.id"));
    if (!exec(last, error))
        return result;
    while (last.next()) {
        LaneStats& lane = result[last.value(0).toLongLong()];
        if (!last.value(1).isNull())
            lane.lastStatus = last.value(1).toInt();
        lane.lastError = last.value(2).toString();
    }
    return result;
}

int DeliveryQueue::undelivered(qint64 integrationId, QString* error) const
{
    DeliveryFilter filter;
    filter.integrationId = integrationId;
    filter.states = {Delivery::State::Queued, Delivery::State::Sending, Delivery::State::Held};
    return count(filter, error);
}

QList<Delivery> DeliveryQueue::untriagedDuplicates(const QList<qint64>& integrationIds, int limit, QString* error) const
{
    QList<Delivery> found;
    if (integrationIds.isEmpty())
        return found;
    QSqlQuery query(m_store.database());
    query.prepare(m_store.sql(selectColumns + QStringLiteral(" WHERE state = 'duplicate' AND duplicate_kind IS NULL "
                                                             "AND integration_id IN (%1) ORDER BY id LIMIT %2")
                                                  .arg(idList(integrationIds))
                                                  .arg(limit)));
    if (!exec(query, error))
        return found;
    while (query.next())
        found << fromRecord(query);
    return found;
}

bool DeliveryQueue::setDuplicateKind(qint64 deliveryId, const QString& kind, const QByteArray& detail, QString* error)
{
    QSqlQuery query(m_store.database());
    query.prepare(QStringLiteral("UPDATE deliveries SET duplicate_kind = ?, duplicate_detail = ? "
                                 "WHERE id = ? AND state = 'duplicate' AND duplicate_kind IS NULL"));
    query.addBindValue(kind);
    query.addBindValue(QString::fromUtf8(detail));
    query.addBindValue(deliveryId);
    return exec(query, error);
}

QSet<qint64> DeliveryQueue::existing(const QList<qint64>& ids, QString* error) const
{
    QSet<qint64> found;
    if (ids.isEmpty())
        return found;
    PreparedSql select(m_store, QStringLiteral("SELECT id FROM deliveries WHERE id %IN_IDS%"));
    select.addIds(ids);
    if (!select.exec(error))
        return found;
    while (select.next())
        found.insert(select.integer(0));
    return found;
}
