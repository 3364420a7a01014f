#include "queue/DeliveryChart.h"

#include <QAreaSeries>
#include <QDateTimeAxis>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPalette>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace {

constexpr int OutcomeCount = DeliveryAggregates::OutcomeCount;

QColor outcomeColor(DeliveryAggregates::Outcome outcome)
{
    switch (outcome) {
    case DeliveryAggregates::Outcome::Delivered:
        return QColor(0x2e, 0x7d, 0x32);
    case DeliveryAggregates::Outcome::Duplicate:
        return QColor(0x02, 0x77, 0xbd);
    case DeliveryAggregates::Outcome::Retried:
        return QColor(0xef, 0x8f, 0x00);
    case DeliveryAggregates::Outcome::Held:
        return QColor(0xc6, 0x28, 0x28);
    case DeliveryAggregates::Outcome::Discarded:
        return QColor(0x75, 0x75, 0x75);
    }
    return Qt::gray;
}

QString outcomeLabel(DeliveryAggregates::Outcome outcome)
{
    switch (outcome) {
    case DeliveryAggregates::Outcome::Delivered:
        return DeliveryChart::tr("Delivered");
    case DeliveryAggregates::Outcome::Duplicate:
        return DeliveryChart::tr("Duplicate");
    case DeliveryAggregates::Outcome::Retried:
        return DeliveryChart::tr("Retried");
    case DeliveryAggregates::Outcome::Held:
        return DeliveryChart::tr("Held");
    case DeliveryAggregates::Outcome::Discarded:
        return DeliveryChart::tr("Discarded");
    }
    return {};
}

// Drawn bottom to top: what went well first, so the failures sit on top where the eye finds them.
const DeliveryAggregates::Outcome stackOrder[OutcomeCount] = {
    DeliveryAggregates::Outcome::Delivered, DeliveryAggregates::Outcome::Duplicate,
    DeliveryAggregates::Outcome::Retried, DeliveryAggregates::Outcome::Held, DeliveryAggregates::Outcome::Discarded};

// A round upper bound for an axis: 1, 2 or 5 times a power of ten, at least the value.
double niceCeiling(double value)
{
    if (value <= 1)
        return 1;
    const double power = std::pow(10.0, std::floor(std::log10(value)));
    for (double step : {1.0, 2.0, 5.0, 10.0}) {
        if (step * power >= value)
            return step * power;
    }
    return 10 * power;
}

// Ticks at round values for an axis from 0 to a niceCeiling().
int niceTicks(double top)
{
    if (top <= 5)
        return int(top) + 1;
    const double lead = top / std::pow(10.0, std::floor(std::log10(top)));
    return lead < 1.5 ? 6 : lead < 3 ? 5 : 6; // 0..10 by 2, 0..20 by 5, 0..50 by 10
}

QString timeFormat(DeliveryChartSeries::Range range)
{
    return range == DeliveryChartSeries::Range::Week ? QStringLiteral("ddd HH:mm") : QStringLiteral("HH:mm");
}

int timeTicks(DeliveryChartSeries::Range range)
{
    switch (range) {
    case DeliveryChartSeries::Range::Hour:
        return 7; // every 10 minutes
    case DeliveryChartSeries::Range::Day:
        return 9; // every 3 hours
    case DeliveryChartSeries::Range::Week:
        return 8; // every day
    }
    return 7;
}

QAreaSeries* makeArea(QChart* chart, const QString& name, QLineSeries* lower = nullptr)
{
    auto* area = new QAreaSeries(new QLineSeries(chart), lower);
    area->setName(name);
    return area;
}

} // namespace

DeliveryChart::DeliveryChart(QGraphicsItem* parent)
    : QChart(parent)
{
    setObjectName(QStringLiteral("deliveryChart"));
    setBackgroundRoundness(0);
    setMargins(QMargins(4, 4, 4, 4));
    legend()->setAlignment(Qt::AlignBottom);

    m_time = new QDateTimeAxis(this);
    m_counts = new QValueAxis(this);
    m_counts->setLabelFormat(QStringLiteral("%i"));
    m_counts->setMinorTickCount(0);
    m_millis = new QValueAxis(this);
    m_millis->setLabelFormat(QStringLiteral("%i"));
    m_millis->setTitleText(tr("Response time (ms)"));
    m_millis->setGridLineVisible(false);
    auto* band = new QValueAxis(this); // the shading spans the plot's height, whatever the counts
    band->setRange(0, 1);
    band->setVisible(false);
    addAxis(m_time, Qt::AlignBottom);
    addAxis(m_counts, Qt::AlignLeft);
    addAxis(m_millis, Qt::AlignRight);
    addAxis(band, Qt::AlignLeft);

    m_held = makeArea(this, tr("Held"));
    m_retrying = makeArea(this, tr("Retrying"));
    for (QAreaSeries* shade : {m_held, m_retrying}) {
        addSeries(shade);
        shade->attachAxis(m_time);
        shade->attachAxis(band);
    }
    m_outcomes.resize(OutcomeCount);
    QLineSeries* below = nullptr;
    for (DeliveryAggregates::Outcome outcome : stackOrder) {
        QAreaSeries* area = makeArea(this, outcomeLabel(outcome), below);
        addSeries(area);
        area->attachAxis(m_time);
        area->attachAxis(m_counts);
        m_outcomes[int(outcome)] = area;
        below = area->upperSeries();
    }
    m_p50 = new QLineSeries(this);
    m_p50->setName(tr("p50 response time"));
    m_p95 = new QLineSeries(this);
    m_p95->setName(tr("p95 response time"));
    for (QLineSeries* line : {m_p50, m_p95}) {
        addSeries(line);
        line->attachAxis(m_time);
        line->attachAxis(m_millis);
        line->setPointsVisible(true);
        line->setMarkerSize(4);
    }
    // The shading's legend entries only when something is shaded (setData).
    for (QAreaSeries* shade : {m_held, m_retrying}) {
        for (QLegendMarker* marker : legend()->markers(shade))
            marker->setVisible(false);
    }
    applyPalette(QPalette());
}

QLineSeries* DeliveryChart::outcomeTop(DeliveryAggregates::Outcome outcome) const
{
    return m_outcomes.at(int(outcome))->upperSeries();
}

void DeliveryChart::applyPalette(const QPalette& palette)
{
    const bool dark = palette.color(QPalette::Window).lightness() < 128;
    const ChartTheme wanted = dark ? ChartThemeDark : ChartThemeLight;
    if (theme() != wanted)
        setTheme(wanted); // resets the series' colours: set again below
    setBackgroundBrush(palette.brush(QPalette::Base));
    setBackgroundPen(Qt::NoPen);
    setPlotAreaBackgroundVisible(false);
    const QColor text = palette.color(QPalette::Text);
    for (QAbstractAxis* axis : axes()) {
        axis->setLabelsColor(text);
        axis->setTitleBrush(text);
    }
    legend()->setLabelColor(text);
    for (DeliveryAggregates::Outcome outcome : stackOrder) {
        QAreaSeries* area = m_outcomes.at(int(outcome));
        QColor fill = outcomeColor(outcome);
        fill.setAlpha(dark ? 200 : 170);
        area->setBrush(fill);
        area->setPen(QPen(outcomeColor(outcome), 1));
    }
    QColor held(0xe5, 0x39, 0x35, dark ? 70 : 45);
    QColor retrying(0xff, 0xb3, 0x00, dark ? 70 : 60);
    m_held->setBrush(held);
    m_held->setPen(Qt::NoPen);
    m_retrying->setBrush(retrying);
    m_retrying->setPen(Qt::NoPen);
    m_p50->setPen(QPen(dark ? QColor(0xb3, 0x9d, 0xdb) : QColor(0x4a, 0x14, 0x8c), 2));
    m_p95->setPen(QPen(dark ? QColor(0xf4, 0x8f, 0xb1) : QColor(0xad, 0x14, 0x57), 2, Qt::DashLine));
    m_p50->setColor(m_p50->pen().color());
    m_p95->setColor(m_p95->pen().color());
}

void DeliveryChart::setData(const DeliveryChartSeries::Data& data)
{
    const qint64 stepMs = qint64(data.stepMinutes) * 60 * 1000;
    std::array<QList<QPointF>, OutcomeCount> tops;
    QList<QPointF> p50;
    QList<QPointF> p95;
    double highest = 0;
    double slowest = 0;
    for (const DeliveryChartSeries::Point& point : data.points) {
        const double start = double(point.start.toMSecsSinceEpoch());
        const double end = start + double(stepMs);
        double stacked = 0;
        for (DeliveryAggregates::Outcome outcome : stackOrder) {
            stacked += double(point.count(outcome));
            tops[size_t(outcome)] << QPointF(start, stacked) << QPointF(end, stacked);
        }
        highest = std::max(highest, stacked);
        if (point.p50Ms && point.p95Ms) {
            const double middle = start + double(stepMs) / 2;
            p50 << QPointF(middle, *point.p50Ms);
            p95 << QPointF(middle, *point.p95Ms);
            slowest = std::max(slowest, *point.p95Ms);
        }
    }
    for (int i = 0; i < OutcomeCount; ++i)
        m_outcomes.at(i)->upperSeries()->replace(tops[size_t(i)]);
    m_p50->replace(p50);
    m_p95->replace(p95);

    const auto shade = [&data](QAreaSeries* area, Integration::Health health) {
        QList<QPointF> pulses;
        for (const DeliveryChartSeries::Period& period : data.periods) {
            if (period.health != health)
                continue;
            const double from = double(period.from.toMSecsSinceEpoch());
            const double to = double(period.to.toMSecsSinceEpoch());
            pulses << QPointF(from, 0) << QPointF(from, 1) << QPointF(to, 1) << QPointF(to, 0);
        }
        area->upperSeries()->replace(pulses);
        for (QLegendMarker* marker : area->chart()->legend()->markers(area))
            marker->setVisible(!pulses.isEmpty());
    };
    shade(m_held, Integration::Health::Held);
    shade(m_retrying, Integration::Health::Retrying);

    m_time->setRange(data.from.toLocalTime(), data.to.toLocalTime());
    m_time->setFormat(timeFormat(data.range));
    m_time->setTickCount(timeTicks(data.range));
    const double countTop = niceCeiling(highest * 1.1);
    m_counts->setRange(0, countTop);
    m_counts->setTickCount(niceTicks(countTop));
    m_counts->setTitleText(tr("Statements %1").arg(DeliveryChartSeries::stepText(data.range)));
    const double millisTop = niceCeiling(slowest * 1.1);
    m_millis->setRange(0, millisTop);
    m_millis->setTickCount(niceTicks(millisTop));
}
