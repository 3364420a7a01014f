#pragma once

#include "metrics/DeliveryChartSeries.h"

#include <QChart>

class QAreaSeries;
class QDateTimeAxis;
class QLineSeries;
class QValueAxis;

// The delivery chart itself: statements per point stacked by outcome (as steps, one per point), the p50 and p95
// response times as lines on a second axis in milliseconds, and the periods held (red) or retrying (amber) shaded
// behind them. The series are made once; setData() replaces their points, so a refresh does not flicker.
class DeliveryChart final : public QChart
{
    Q_OBJECT

public:
    explicit DeliveryChart(QGraphicsItem* parent = nullptr);

    void setData(const DeliveryChartSeries::Data& data);
    // Follows the widget's palette (light or dark).
    void applyPalette(const QPalette& palette);

    // For tests: the top of the stack of one outcome, and the p95 line.
    QLineSeries* outcomeTop(DeliveryAggregates::Outcome outcome) const;
    QLineSeries* p95Line() const { return m_p95.first(); }
    QValueAxis* countAxis() const { return m_counts; }

private:
    // A line is drawn only between neighbouring points with data: one series per run of them, the first one named
    // in the legend; series are kept for the next refresh.
    void setRuns(QList<QLineSeries*>& lines, const QList<QList<QPointF>>& runs);
    void styleLines();

    QList<QAreaSeries*> m_outcomes; // by DeliveryAggregates::Outcome
    QAreaSeries* m_held = nullptr;
    QAreaSeries* m_retrying = nullptr;
    QList<QLineSeries*> m_p50;
    QList<QLineSeries*> m_p95;
    bool m_dark = false;
    QDateTimeAxis* m_time = nullptr;
    QValueAxis* m_counts = nullptr;
    QValueAxis* m_millis = nullptr;
};
