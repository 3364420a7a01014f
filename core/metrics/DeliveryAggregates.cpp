#include "metrics/DeliveryAggregates.h"

#include "store/PreparedSql.h"
#include "store/Store.h"
#include "store/Transaction.h"

#include <QHash>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>

namespace {

struct Row
{
    std::array<qint64, DeliveryAggregates::OutcomeCount> outcomes{};
    std::array<qint64, DeliveryAggregates::BucketCount> buckets{};
};

DeliveryAggregates::Outcome outcomeOf(Delivery::State state)
{
    switch (state) {
    case Delivery::State::Delivered:
        return DeliveryAggregates::Outcome::Delivered;
    case Delivery::State::Duplicate:
        return DeliveryAggregates::Outcome::Duplicate;
    case Delivery::State::Held:
        return DeliveryAggregates::Outcome::Held;
    case Delivery::State::Discarded:
        return DeliveryAggregates::Outcome::Discarded;
    default:
        return DeliveryAggregates::Outcome::Retried;
    }
}

// "c = table.c + excluded.c" for every count column: the upsert adds to what other processes (or earlier commits)
// stored for the same row.
QString sums(const QString& table)
{
    QStringList sums;
    for (const QString& column : DeliveryAggregates::countColumns())
        sums << QStringLiteral("%1 = %2.%1 + excluded.%1").arg(column, table);
    return sums.join(QStringLiteral(", "));
}

QString placeholders()
{
    return QStringLiteral(", ?").repeated(DeliveryAggregates::countColumns().size());
}

// One integration's minute.
QString minuteSql()
{
    return QStringLiteral("INSERT INTO delivery_minutes (integration_id, at_minute, %1) VALUES (?, ?%2) "
                          "ON CONFLICT (integration_id, at_minute) DO UPDATE SET %3")
        .arg(DeliveryAggregates::countColumns().join(QStringLiteral(", ")), placeholders(),
             sums(QStringLiteral("delivery_minutes")));
}

// The same counts added to the integration's row of every rollup step: one statement, a row per step.
QString rollupSql()
{
    QStringList rows;
    for (int step : DeliveryAggregates::RollupSteps)
        rows << QStringLiteral("(?, %1, ?%2)").arg(step).arg(placeholders());
    return QStringLiteral("INSERT INTO delivery_rollups (integration_id, step_minutes, at_minute, %1) VALUES %2 "
                          "ON CONFLICT (integration_id, step_minutes, at_minute) DO UPDATE SET %3")
        .arg(DeliveryAggregates::countColumns().join(QStringLiteral(", ")), rows.join(QStringLiteral(", ")),
             sums(QStringLiteral("delivery_rollups")));
}

void bindCounts(PreparedSql& sql, const Row& row)
{
    for (qint64 count : row.outcomes)
        sql.add(count);
    for (qint64 count : row.buckets)
        sql.add(count);
}

bool deleteChunk(Store& store, const QString& sql, qint64 beforeMinute, int limit, int* removed, QString* error)
{
    QSqlQuery query(store.database());
    query.prepare(sql);
    query.addBindValue(beforeMinute);
    query.addBindValue(limit);
    if (!query.exec()) {
        *error = Store::describe(query.lastError());
        return false;
    }
    *removed = query.numRowsAffected();
    return true;
}

} // namespace

QString DeliveryAggregates::outcomeName(Outcome outcome)
{
    switch (outcome) {
    case Outcome::Delivered:
        return QStringLiteral("delivered");
    case Outcome::Duplicate:
        return QStringLiteral("duplicate");
    case Outcome::Held:
        return QStringLiteral("held");
    case Outcome::Retried:
        return QStringLiteral("retried");
    case Outcome::Discarded:
        return QStringLiteral("discarded");
    }
    return {};
}

int DeliveryAggregates::bucketOf(qint64 ms)
{
    const auto bound = std::lower_bound(BucketBoundsMs.cbegin(), BucketBoundsMs.cend(), ms);
    return int(bound - BucketBoundsMs.cbegin());
}

const QStringList& DeliveryAggregates::countColumns()
{
    static const QStringList columns = [] {
        QStringList names;
        for (int i = 0; i < OutcomeCount; ++i)
            names << outcomeName(Outcome(i));
        for (int i = 0; i < BucketCount; ++i)
            names << QStringLiteral("d%1").arg(i, 2, 10, QLatin1Char('0'));
        return names;
    }();
    return columns;
}

qint64 DeliveryAggregates::stepStart(qint64 minute, int stepMinutes)
{
    const qint64 remainder = minute % stepMinutes;
    return minute - (remainder < 0 ? remainder + stepMinutes : remainder);
}

qint64 DeliveryAggregates::minuteOf(const QDateTime& time)
{
    const qint64 ms = time.toMSecsSinceEpoch();
    return ms >= 0 ? ms / 60000 : -((-ms + 59999) / 60000);
}

DeliveryAggregates::DeliveryAggregates(Store& store)
    : m_store(store)
{}

bool DeliveryAggregates::add(const QList<DeliveryQueue::Outcome>& outcomes, const QDateTime& now, QString* error)
{
    if (outcomes.isEmpty())
        return true;
    QHash<qint64, Row> rows; // integration -> its counts of this group
    QSet<qint64> requests;   // a batch's request is timed once
    for (const DeliveryQueue::Outcome& outcome : outcomes) {
        Row& row = rows[outcome.attempt.integrationId];
        ++row.outcomes[size_t(outcomeOf(outcome.state))];
        if (outcome.timesRequest(requests))
            ++row.buckets[size_t(bucketOf(outcome.attempt.durationMs))];
    }
    static const QString minutes = minuteSql();
    static const QString rollups = rollupSql();
    const qint64 minute = minuteOf(now);
    for (auto it = rows.cbegin(); it != rows.cend(); ++it) {
        if (it.key() == 0)
            continue; // no integration named (never from the engine)
        PreparedSql upsert(m_store, minutes);
        upsert.add(it.key());
        upsert.add(minute);
        bindCounts(upsert, *it);
        if (!upsert.exec(error))
            return false;
        PreparedSql rollup(m_store, rollups);
        for (int step : RollupSteps) {
            rollup.add(it.key());
            rollup.add(stepStart(minute, step));
            bindCounts(rollup, *it);
        }
        if (!rollup.exec(error))
            return false;
    }
    return true;
}

bool DeliveryAggregates::addDiscards(const QList<qint64>& deliveryIds, const QDateTime& now, QString* error)
{
    if (deliveryIds.isEmpty())
        return true;
    // WHERE before GROUP BY keeps SQLite's parser from reading ON CONFLICT as a join's ON.
    PreparedSql upsert(m_store,
                       QStringLiteral("INSERT INTO delivery_minutes (integration_id, at_minute, discarded) "
                                      "SELECT integration_id, CAST(? AS BIGINT), COUNT(*) FROM deliveries "
                                      "WHERE state IN ('queued', 'held') AND id %IN_IDS% GROUP BY integration_id "
                                      "ON CONFLICT (integration_id, at_minute) DO UPDATE SET "
                                      "discarded = delivery_minutes.discarded + excluded.discarded"));
    const qint64 minute = minuteOf(now);
    upsert.add(minute);
    upsert.addIds(deliveryIds);
    if (!upsert.exec(error))
        return false;
    for (int step : RollupSteps) {
        PreparedSql rollup(m_store,
                           QStringLiteral("INSERT INTO delivery_rollups (integration_id, step_minutes, at_minute, "
                                          "discarded) SELECT integration_id, CAST(? AS INTEGER), CAST(? AS BIGINT), "
                                          "COUNT(*) FROM deliveries WHERE state IN ('queued', 'held') AND id %IN_IDS% "
                                          "GROUP BY integration_id ON CONFLICT (integration_id, step_minutes, "
                                          "at_minute) DO UPDATE SET discarded = delivery_rollups.discarded + "
                                          "excluded.discarded"));
        rollup.add(step);
        rollup.add(stepStart(minute, step));
        rollup.addIds(deliveryIds);
        if (!rollup.exec(error))
            return false;
    }
    return true;
}

int DeliveryAggregates::pruneChunk(const QDateTime& before, int limit, QString* error)
{
    Transaction transaction(m_store);
    if (!transaction.isActive()) {
        *error = transaction.error();
        return -1;
    }
    const qint64 minute = minuteOf(before);
    int removed = 0;
    if (!deleteChunk(m_store,
                     QStringLiteral("DELETE FROM delivery_minutes WHERE (integration_id, at_minute) IN (SELECT "
                                    "integration_id, at_minute FROM delivery_minutes WHERE at_minute < ? ORDER BY "
                                    "at_minute LIMIT ?)"),
                     minute, limit, &removed, error))
        return -1;
    if (removed < limit) {
        // A rollup goes with the minute it starts at (the index leads with the step).
        QStringList steps;
        for (int step : RollupSteps)
            steps << QString::number(step);
        int rollups = 0;
        if (!deleteChunk(m_store,
                         QStringLiteral("DELETE FROM delivery_rollups WHERE (integration_id, step_minutes, at_minute) "
                                        "IN (SELECT integration_id, step_minutes, at_minute FROM delivery_rollups "
                                        "WHERE step_minutes IN (%1) AND at_minute < ? LIMIT ?)")
                             .arg(steps.join(QStringLiteral(", "))),
                         minute, limit - removed, &rollups, error))
            return -1;
        removed += rollups;
    }
    if (removed < limit) {
        // An integration's latest change says how it is now, however old: it stays.
        QSqlQuery changes(m_store.database());
        changes.prepare(QStringLiteral("DELETE FROM health_changes WHERE id IN (SELECT id FROM health_changes c "
                                       "WHERE at < ? AND EXISTS (SELECT 1 FROM health_changes n WHERE "
                                       "n.integration_id = c.integration_id AND n.id > c.id) ORDER BY id LIMIT ?)"));
        changes.addBindValue(before.toMSecsSinceEpoch());
        changes.addBindValue(limit - removed);
        if (!changes.exec()) {
            *error = Store::describe(changes.lastError());
            return -1;
        }
        removed += changes.numRowsAffected();
    }
    if (!transaction.commit()) {
        *error = transaction.error();
        return -1;
    }
    return removed;
}
