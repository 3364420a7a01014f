#pragma once

#include "integrations/Integration.h"
#include "metrics/DeliveryAggregates.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <array>
#include <optional>

class Store;

// What a delivery chart shows, read from DeliveryAggregates' minutes and the health changes: for the last hour, day
// or week, of one integration or of all, the statements by outcome and the p50/p95 response time per point, and the
// periods the integration (any of them, for all) was held or retrying. A point is one minute for the hour, ten
// minutes for the day and one hour for the week (at most 168 points), its start aligned to its length in UTC.
class DeliveryChartSeries final
{
public:
    enum class Range { Hour, Day, Week };

    using Histogram = std::array<qint64, DeliveryAggregates::BucketCount>;

    struct Point
    {
        QDateTime start;
        std::array<qint64, DeliveryAggregates::OutcomeCount> outcomes{}; // by DeliveryAggregates::Outcome
        qint64 requests = 0;                                             // timed requests
        std::optional<double> p50Ms;                                     // none without a timed request
        std::optional<double> p95Ms;

        qint64 statements() const;
        qint64 count(DeliveryAggregates::Outcome outcome) const { return outcomes[size_t(outcome)]; }
    };

    struct Period
    {
        qint64 integrationId = 0;
        Integration::Health health = Integration::Health::Held; // Held or Retrying
        QDateTime from;
        QDateTime to; // the end of the range (now) while it lasts
    };

    struct Data
    {
        Range range = Range::Hour;
        qint64 integrationId = 0; // 0: all integrations
        QDateTime from;           // the first point's start
        QDateTime to;             // the end of the last point
        QDateTime now;
        int stepMinutes = 1;
        QList<Point> points; // every step of the range, empty ones included
        QList<Period> periods;
        Histogram histogram{}; // of the whole range
        std::array<qint64, DeliveryAggregates::OutcomeCount> totals{};
        std::optional<double> p50Ms; // of the whole range
        std::optional<double> p95Ms;

        qint64 statements() const;
        bool isEmpty() const { return statements() == 0 && periods.isEmpty(); }
    };

    static int stepMinutes(Range range);
    static int rangeMinutes(Range range);
    // "last hour", "last day", "last week"
    static QString rangeText(Range range);
    // "per minute", "per 10 minutes", "per hour"
    static QString stepText(Range range);

    // The response time below which the fraction q (0..1) of the requests of a histogram fall: the bucket the q-th
    // request falls in, interpolated linearly between its bounds (Prometheus' histogram_quantile); beyond the last
    // bound, that bound. None for an empty histogram.
    static std::optional<double> quantileMs(const Histogram& histogram, double q);

    explicit DeliveryChartSeries(Store& store);

    // One indexed range read (grouped by point in SQL) of delivery_minutes for the hour, of the 10-minute or hourly
    // rollups for the day or week (at most 168 rows per integration), and one of health_changes.
    Data load(Range range, qint64 integrationId, const QDateTime& now, QString* error) const;

private:
    bool loadPeriods(Data& data, QString* error) const;

    Store& m_store;
};
