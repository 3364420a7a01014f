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

// The upsert that adds one row's counts to what other processes (or earlier commits) stored for the same minute.
QString upsertSql()
{
    QStringList columns = {QStringLiteral("delivered"), QStringLiteral("duplicate"), QStringLiteral("held"),
                           QStringLiteral("retried"), QStringLiteral("discarded")};
    for (int i = 0; i < DeliveryAggregates::BucketCount; ++i)
        columns << QStringLiteral("d%1").arg(i, 2, 10, QLatin1Char('0'));
    QStringList sums;
    for (const QString& column : std::as_const(columns))
        sums << QStringLiteral("%1 = delivery_minutes.%1 + excluded.%1").arg(column);
    return QStringLiteral("INSERT INTO delivery_minutes (integration_id, at_minute, %1) VALUES (?, ?%2) "
                          "ON CONFLICT (integration_id, at_minute) DO UPDATE SET %3")
        .arg(columns.join(QStringLiteral(", ")), QStringLiteral(", ?").repeated(columns.size()),
             sums.join(QStringLiteral(", ")));
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
        if (!outcome.attempt.startedAt.isValid())
            continue;
        if (outcome.request != 0) {
            if (requests.contains(outcome.request))
                continue;
            requests.insert(outcome.request);
        }
        ++row.buckets[size_t(bucketOf(outcome.attempt.durationMs))];
    }
    static const QString sql = upsertSql();
    const qint64 minute = minuteOf(now);
    for (auto it = rows.cbegin(); it != rows.cend(); ++it) {
        if (it.key() == 0)
            continue; // no integration named (never from the engine)
        PreparedSql upsert(m_store, sql);
        upsert.add(it.key());
        upsert.add(minute);
        for (qint64 count : it->outcomes)
            upsert.add(count);
        for (qint64 count : it->buckets)
            upsert.add(count);
        if (!upsert.exec(error))
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
    upsert.add(minuteOf(now));
    upsert.addIds(deliveryIds);
    return upsert.exec(error);
}

int DeliveryAggregates::pruneChunk(const QDateTime& before, int limit, QString* error)
{
    Transaction transaction(m_store);
    if (!transaction.isActive()) {
        *error = transaction.error();
        return -1;
    }
    const qint64 minute = minuteOf(before);
    QSqlQuery minutes(m_store.database());
    minutes.prepare(QStringLiteral("DELETE FROM delivery_minutes WHERE (integration_id, at_minute) IN (SELECT "
                                   "integration_id, at_minute FROM delivery_minutes WHERE at_minute < ? ORDER BY "
                                   "at_minute LIMIT ?)"));
    minutes.addBindValue(minute);
    minutes.addBindValue(limit);
    if (!minutes.exec()) {
        *error = Store::describe(minutes.lastError());
        return -1;
    }
    int removed = minutes.numRowsAffected();
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
