#include "metrics/DeliveryChartSeries.h"

#include "store/Store.h"

#include <QHash>
#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>
#include <numeric>

namespace {

constexpr qint64 MinuteMs = 60 * 1000;

// The sums per point in [first, end) minutes, columns: point, 5 outcomes, the buckets. A point of one minute reads
// delivery_minutes, a longer one the rollups of its length (one row per integration and point).
QString pointsSql(int stepMinutes, bool oneIntegration)
{
    QStringList sums;
    for (const QString& column : DeliveryAggregates::countColumns())
        sums << QStringLiteral("SUM(%1)").arg(column);
    // The step is one of three constants, written into the text so both engines divide integers.
    const QString rows = stepMinutes == 1
                             ? QStringLiteral("delivery_minutes WHERE ")
                             : QStringLiteral("delivery_rollups WHERE step_minutes = %1 AND ").arg(stepMinutes);
    return QStringLiteral("SELECT at_minute / %1, %2 FROM %3%4at_minute >= ? AND at_minute < ? "
                          "GROUP BY at_minute / %1")
        .arg(stepMinutes)
        .arg(sums.join(QStringLiteral(", ")), rows,
             oneIntegration ? QStringLiteral("integration_id = ? AND ") : QString());
}

// Whole periods of one kind that overlap or touch are drawn as one (all integrations).
QList<DeliveryChartSeries::Period> merged(QList<DeliveryChartSeries::Period> periods)
{
    std::sort(periods.begin(), periods.end(), [](const auto& a, const auto& b) {
        return std::pair(int(a.health), a.from) < std::pair(int(b.health), b.from);
    });
    QList<DeliveryChartSeries::Period> result;
    for (const DeliveryChartSeries::Period& period : periods) {
        if (!result.isEmpty() && result.last().health == period.health && period.from <= result.last().to) {
            result.last().to = std::max(result.last().to, period.to);
            result.last().integrationId = 0;
            continue;
        }
        result << period;
    }
    return result;
}

} // namespace

qint64 DeliveryChartSeries::Point::statements() const
{
    return std::accumulate(outcomes.cbegin(), outcomes.cend(), qint64(0));
}

qint64 DeliveryChartSeries::Data::statements() const
{
    return std::accumulate(totals.cbegin(), totals.cend(), qint64(0));
}

int DeliveryChartSeries::stepMinutes(Range range)
{
    switch (range) {
    case Range::Hour:
        return 1;
    case Range::Day:
        return 10;
    case Range::Week:
        return 60;
    }
    return 1;
}

int DeliveryChartSeries::rangeMinutes(Range range)
{
    switch (range) {
    case Range::Hour:
        return 60;
    case Range::Day:
        return 24 * 60;
    case Range::Week:
        return 7 * 24 * 60;
    }
    return 60;
}

QString DeliveryChartSeries::rangeText(Range range)
{
    switch (range) {
    case Range::Hour:
        return QStringLiteral("last hour");
    case Range::Day:
        return QStringLiteral("last day");
    case Range::Week:
        return QStringLiteral("last week");
    }
    return {};
}

QString DeliveryChartSeries::stepText(Range range)
{
    switch (range) {
    case Range::Hour:
        return QStringLiteral("per minute");
    case Range::Day:
        return QStringLiteral("per 10 minutes");
    case Range::Week:
        return QStringLiteral("per hour");
    }
    return {};
}

std::optional<double> DeliveryChartSeries::quantileMs(const Histogram& histogram, double q)
{
    const qint64 total = std::accumulate(histogram.cbegin(), histogram.cend(), qint64(0));
    if (total == 0)
        return std::nullopt;
    const double rank = std::clamp(q, 0.0, 1.0) * double(total);
    qint64 below = 0;
    for (size_t i = 0; i < histogram.size(); ++i) {
        const qint64 inBucket = histogram[i];
        if (inBucket > 0 && double(below + inBucket) >= rank) {
            if (i == DeliveryAggregates::BucketBoundsMs.size())
                return double(DeliveryAggregates::BucketBoundsMs.back());
            const double lower = i == 0 ? 0.0 : double(DeliveryAggregates::BucketBoundsMs[i - 1]);
            const double upper = double(DeliveryAggregates::BucketBoundsMs[i]);
            return lower + (upper - lower) * (rank - double(below)) / double(inBucket);
        }
        below += inBucket;
    }
    return double(DeliveryAggregates::BucketBoundsMs.back());
}

DeliveryChartSeries::DeliveryChartSeries(Store& store)
    : m_store(store)
{}

DeliveryChartSeries::Data DeliveryChartSeries::load(Range range, qint64 integrationId, const QDateTime& now,
                                                    QString* error) const
{
    Data data;
    data.range = range;
    data.integrationId = integrationId;
    data.now = now.toUTC();
    data.stepMinutes = stepMinutes(range);
    const qint64 step = data.stepMinutes;
    // The last point is the one now falls in; the range is the whole points before it.
    const qint64 endPoint = DeliveryAggregates::minuteOf(now) / step + 1;
    const qint64 points = rangeMinutes(range) / step;
    const qint64 firstPoint = endPoint - points;
    data.from = QDateTime::fromMSecsSinceEpoch(firstPoint * step * MinuteMs, Qt::UTC);
    data.to = QDateTime::fromMSecsSinceEpoch(endPoint * step * MinuteMs, Qt::UTC);
    data.points.resize(points);
    for (qint64 i = 0; i < points; ++i)
        data.points[i].start = data.from.addSecs(i * step * 60);

    QSqlQuery query(m_store.database());
    query.setForwardOnly(true);
    query.prepare(pointsSql(int(step), integrationId != 0));
    if (integrationId != 0)
        query.addBindValue(integrationId);
    query.addBindValue(firstPoint * step);
    query.addBindValue(endPoint * step);
    if (!query.exec()) {
        *error = Store::describe(query.lastError());
        return data;
    }
    QHash<qint64, Histogram> histograms;
    while (query.next()) {
        const qint64 index = query.value(0).toLongLong() - firstPoint;
        if (index < 0 || index >= points)
            continue;
        Point& point = data.points[index];
        for (int i = 0; i < DeliveryAggregates::OutcomeCount; ++i) {
            point.outcomes[size_t(i)] = query.value(1 + i).toLongLong();
            data.totals[size_t(i)] += point.outcomes[size_t(i)];
        }
        Histogram histogram{};
        for (int i = 0; i < DeliveryAggregates::BucketCount; ++i) {
            histogram[size_t(i)] = query.value(1 + DeliveryAggregates::OutcomeCount + i).toLongLong();
            data.histogram[size_t(i)] += histogram[size_t(i)];
        }
        point.requests = std::accumulate(histogram.cbegin(), histogram.cend(), qint64(0));
        point.p50Ms = quantileMs(histogram, 0.5);
        point.p95Ms = quantileMs(histogram, 0.95);
    }
    data.p50Ms = quantileMs(data.histogram, 0.5);
    data.p95Ms = quantileMs(data.histogram, 0.95);
    loadPeriods(data, error);
    return data;
}

bool DeliveryChartSeries::loadPeriods(Data& data, QString* error) const
{
    // Per integration, the change in force when the range starts and every change inside it, in order.
    const QString oneIntegration = data.integrationId != 0 ? QStringLiteral(" AND integration_id = ?") : QString();
    QSqlQuery query(m_store.database());
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT integration_id, at, health, id FROM health_changes WHERE at >= ? AND at < ?%1 "
                                 "UNION ALL SELECT integration_id, at, health, id FROM health_changes c WHERE at < ?%1 "
                                 "AND NOT EXISTS (SELECT 1 FROM health_changes n WHERE n.integration_id = "
                                 "c.integration_id AND n.at < ? AND (n.at > c.at OR (n.at = c.at AND n.id > c.id))) "
                                 "ORDER BY 1, 2, 4")
                      .arg(oneIntegration));
    const qint64 from = data.from.toMSecsSinceEpoch();
    const qint64 until = std::min(data.to, data.now).toMSecsSinceEpoch();
    query.addBindValue(from);
    query.addBindValue(until);
    if (data.integrationId != 0)
        query.addBindValue(data.integrationId);
    query.addBindValue(from);
    if (data.integrationId != 0)
        query.addBindValue(data.integrationId);
    query.addBindValue(from);
    if (!query.exec()) {
        *error = Store::describe(query.lastError());
        return false;
    }
    QList<Period> periods;
    std::optional<Period> open;
    qint64 openFor = 0;
    const QDateTime end = std::min(data.to, data.now);
    const auto close = [&](const QDateTime& at) {
        if (open && at > open->from)
            periods << Period{openFor, open->health, open->from, at};
        open.reset();
    };
    while (query.next()) {
        const qint64 integrationId = query.value(0).toLongLong();
        const QDateTime at = std::max(data.from, QDateTime::fromMSecsSinceEpoch(query.value(1).toLongLong(), Qt::UTC));
        const Integration::Health health = Integration::healthFromName(query.value(2).toString());
        if (open && openFor != integrationId)
            close(end);
        close(at); // a change ends what was open
        if (health == Integration::Health::Held || health == Integration::Health::Retrying) {
            open = Period{integrationId, health, at, {}};
            openFor = integrationId;
        }
    }
    close(end);
    data.periods = data.integrationId != 0 ? periods : merged(periods);
    return true;
}
