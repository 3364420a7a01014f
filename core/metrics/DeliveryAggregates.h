#pragma once

#include "delivery/DeliveryQueue.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <array>

class Store;

// What the delivery charts are drawn from: per integration and minute, the statements by outcome and the requests by
// response time (counts in fixed buckets, so p50 and p95 of any range come from the sums of its minutes). Kept in
// delivery_minutes; every process that records outcomes adds to the same rows, so a row is the sum over processes.
// The same counts are rolled up, by the same write, per 10 minutes and per hour in delivery_rollups, so the last day
// reads 144 rows and the last week 168 rows per integration instead of 1,440 and 10,080 minutes.
// Holds no personal data. The writes run inside the caller's transaction.
class DeliveryAggregates final
{
public:
    // The outcomes counted, as DeliveryMetrics names them (delivered, duplicate, held, retried, discarded).
    enum class Outcome { Delivered, Duplicate, Held, Retried, Discarded };
    static constexpr int OutcomeCount = 5;
    static QString outcomeName(Outcome outcome);

    // Upper bounds of the response-time buckets, in milliseconds; one bucket more holds what took longer. Roughly
    // log-spaced (each bound at most 1.5 times the one before from 2 ms on), so a percentile read from them is off by
    // less than half a bucket.
    static constexpr std::array<int, 28> BucketBoundsMs = {
        1,   2,   3,   5,    7,    10,   15,   20,   30,   50,    70,    100,   150,   200,
        300, 500, 700, 1000, 1500, 2000, 3000, 5000, 7000, 10000, 15000, 20000, 30000, 60000};
    static constexpr int BucketCount = int(BucketBoundsMs.size()) + 1;
    // The bucket a response time falls in (its bound is the first >= ms).
    static int bucketOf(qint64 ms);

    // Kept this long, then pruned with the hourly retention.
    static constexpr int KeepDays = 35;

    // The steps kept in delivery_rollups, in minutes (delivery_minutes holds the minutes themselves).
    static constexpr std::array<int, 2> RollupSteps = {10, 60};
    // The columns of counts every row of delivery_minutes and delivery_rollups has, in order: the outcomes
    // (delivered … discarded), then the response-time buckets d00 … d28.
    static const QStringList& countColumns();

    explicit DeliveryAggregates(Store& store);

    // What one group commit recorded, added to the minute of now: one count per statement by outcome (Queued counts
    // as retried), one response time per request (a batch's statements share theirs). One upsert per integration
    // and minute of the group, inside the caller's transaction.
    bool add(const QList<DeliveryQueue::Outcome>& outcomes, const QDateTime& now, QString* error);
    // Before these deliveries are discarded (same transaction): the ones that will be, counted per integration.
    bool addDiscards(const QList<qint64>& deliveryIds, const QDateTime& now, QString* error);

    // Removes up to limit rows before the time (minutes, then rollups that start before it, then health changes
    // older than that which are not an integration's latest); the number removed, -1 on error. Its own small
    // transaction.
    int pruneChunk(const QDateTime& before, int limit, QString* error);

    // The minute a time falls in, as stored.
    static qint64 minuteOf(const QDateTime& time);
    // The first minute of the step (of stepMinutes) a minute falls in: a rollup's at_minute.
    static qint64 stepStart(qint64 minute, int stepMinutes);

private:
    Store& m_store;
};
