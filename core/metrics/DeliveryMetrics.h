#pragma once

#include "delivery/DeliveryQueue.h"

#include <QHash>
#include <QList>
#include <QString>

#include <array>

class Store;

// The Prometheus exposition of one process that works a store (text format 0.0.4). Counters and the duration
// histogram count what this process's engine recorded since it started (Prometheus sums them over processes); the
// gauges and the alert counts are read from the store at each scrape, the same from every process.
class DeliveryMetrics final
{
public:
    // Upper bounds of the duration histogram's buckets, in seconds (then +Inf).
    static constexpr std::array<double, 11> Buckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    explicit DeliveryMetrics(Store& store);

    // What the engine recorded: one count per statement by outcome (delivered, duplicate, held, retried), one
    // duration per request (a batch's statements share theirs).
    void count(const QList<DeliveryQueue::Outcome>& outcomes);

    // The whole page for GET /metrics; on a failure to read the store, what is known plus xapi_courier_up 0.
    QByteArray exposition() const;

private:
    struct Histogram
    {
        std::array<quint64, Buckets.size()> buckets{}; // cumulative per bound at exposition, kept per bound here
        quint64 count = 0;
        double sum = 0;
    };

    Store& m_store;
    QHash<qint64, QHash<QString, quint64>> m_outcomes; // integration -> outcome -> statements
    QHash<qint64, Histogram> m_durations;              // integration -> request durations
};
