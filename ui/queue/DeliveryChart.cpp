#include "queue/DeliveryChart.h"

#include <QAreaSeries>
#include <QDateTimeAxis>
#include <QGraphicsLayout>
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

// Round upper bounds for an axis from 0, as multiples of a power of ten, with the ticks that divide them evenly.
constexpr std::pair<double, int> niceTops[] = {{1, 6}, {1.5, 4}, {2, 5}, {3, 4}, {4, 5}, {5, 6}, {6, 4}, {8, 5}};

// The smallest round bound at least the value, and its tick count.
std::pair<double, int> niceAxis(double value)
{
    if (value <= 5)
        return {std::max(1.0, std::ceil(value)), int(std::max(1.0, std::ceil(value))) + 1};
    const double power = std::pow(10.0, std::floor(std::log10(value)));
    for (const auto& [lead, ticks] : niceTops) {
        if (lead * power >= value)
            return {lead * power, ticks};
    }
    return {10 * power, 6};
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
    // The unit on every label and no title: Qt Charts gives a right-hand axis the width of its labels but draws a
    // title over them (and cut them to "4…" in some layouts); the legend names the lines.
    m_millis->setLabelFormat(tr("%i ms"));
    m_millis->setGridLineVisible(false);
    m_millis->setTruncateLabels(false);
    m_counts->setTruncateLabels(false);
    auto* band = new QValueAxis(this); // the shading spans the plot's height, whatever the counts
    band->setRange(0, 1);
    band->setVisible(false);
    addAxis(m_time, Qt::AlignBottom);
    addAxis(m_counts, Qt::AlignLeft);
    addAxis(m_millis, Qt::AlignRight);
    addAxis(band, Qt::AlignLeft);

    m_held = makeArea(this, tr("Integration held"));
    m_retrying = makeArea(this, tr("Integration retrying"));
    for (QAreaSeries* shade : {m_retrying, m_held}) { // held, the graver, drawn over retrying
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
    m_p50 << new QLineSeries(this);
    m_p50.first()->setName(tr("p50 response time"));
    m_p95 << new QLineSeries(this);
    m_p95.first()->setName(tr("p95 response time"));
    for (QLineSeries* line : {m_p50.first(), m_p95.first()}) {
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
        area->setPen(Qt::NoPen); // a zero stack draws nothing, not a line along the axis
    }
    QColor held(0xe5, 0x39, 0x35, dark ? 70 : 45);
    QColor retrying(0xff, 0xb3, 0x00, dark ? 70 : 60);
    m_held->setBrush(held);
    m_held->setPen(Qt::NoPen);
    m_retrying->setBrush(retrying);
    m_retrying->setPen(Qt::NoPen);
    m_dark = dark;
    styleLines();
}

void DeliveryChart::styleLines()
{
    const QPen p50(m_dark ? QColor(0xb3, 0x9d, 0xdb) : QColor(0x4a, 0x14, 0x8c), 2);
    const QPen p95(m_dark ? QColor(0xf4, 0x8f, 0xb1) : QColor(0xad, 0x14, 0x57), 2, Qt::DashLine);
    for (const auto& [lines, pen] : {std::pair(&m_p50, p50), std::pair(&m_p95, p95)}) {
        for (QLineSeries* line : *lines) {
            line->setPen(pen);
            line->setColor(pen.color());
        }
    }
}

void DeliveryChart::setRuns(QList<QLineSeries*>& lines, const QList<QList<QPointF>>& runs)
{
    while (lines.size() < runs.size()) {
        auto* line = new QLineSeries(this);
        addSeries(line);
        line->attachAxis(m_time);
        line->attachAxis(m_millis);
        line->setPointsVisible(true);
        line->setMarkerSize(4);
        for (QLegendMarker* marker : legend()->markers(line))
            marker->setVisible(false);
        lines << line;
        styleLines();
    }
    for (qsizetype i = 0; i < lines.size(); ++i)
        lines.at(i)->replace(i < runs.size() ? runs.at(i) : QList<QPointF>());
}

void DeliveryChart::setData(const DeliveryChartSeries::Data& data)
{
    const qint64 stepMs = qint64(data.stepMinutes) * 60 * 1000;
    std::array<QList<QPointF>, OutcomeCount> tops;
    QList<QList<QPointF>> p50 = {{}};
    QList<QList<QPointF>> p95 = {{}};
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
            p50.last() << QPointF(middle, *point.p50Ms);
            p95.last() << QPointF(middle, *point.p95Ms);
            slowest = std::max(slowest, *point.p95Ms);
        } else if (!p50.last().isEmpty()) {
            p50 << QList<QPointF>(); // a point without requests ends the run
            p95 << QList<QPointF>();
        }
    }
    for (int i = 0; i < OutcomeCount; ++i)
        m_outcomes.at(i)->upperSeries()->replace(tops[size_t(i)]);
    if (p50.size() > 1 && p50.last().isEmpty()) {
        p50.removeLast();
        p95.removeLast();
    }
    setRuns(m_p50, p50);
    setRuns(m_p95, p95);

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
    legend()->layout()->invalidate(); // Qt Charts 6.4 lays a marker shown again out only when asked

    m_time->setRange(data.from.toLocalTime(), data.to.toLocalTime());
    m_time->setFormat(timeFormat(data.range));
    m_time->setTickCount(timeTicks(data.range));
    const auto [countTop, countTicks] = niceAxis(highest * 1.05);
    m_counts->setRange(0, countTop);
    m_counts->setTickCount(countTicks);
    m_counts->setTitleText(tr("Statements %1").arg(DeliveryChartSeries::stepText(data.range)));
    const auto [millisTop, millisTicks] = niceAxis(slowest * 1.05);
    m_millis->setRange(0, millisTop);
    m_millis->setTickCount(millisTicks);
}
