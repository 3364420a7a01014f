#pragma once

#include "metrics/DeliveryChartSeries.h"

#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>

class DeliveryChart;
class IntegrationService;
class QChartView;
class QComboBox;
class QLabel;
class QStackedWidget;
class Store;

// The Delivery Queue's charts: an integration picker ("All integrations" and each), a range picker (last hour, day,
// week), a one-line summary and the chart, or a sentence saying there is nothing to draw. Follows the store: a
// refresh reads again at most every few seconds (the longer the range, the less often), and only while shown.
class DeliveryChartsPanel final : public QWidget
{
    Q_OBJECT

public:
    DeliveryChartsPanel(Store& store, IntegrationService& integrations, QWidget* parent = nullptr);

    // The integrations changed: the picker follows (the choice is kept while its integration exists).
    void reloadIntegrations();
    // The store changed: read again soon, or when next shown.
    void refreshLive();
    // Read again now.
    void reload();

    DeliveryChart* chart() const { return m_chart; }
    bool showsChart() const;
    QString emptyText() const;
    QString summaryText() const;
    void select(qint64 integrationId, DeliveryChartSeries::Range range);

protected:
    void showEvent(QShowEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    int minimumIntervalMs() const;
    DeliveryChartSeries::Range range() const;
    void showData(const DeliveryChartSeries::Data& data);

    Store& m_store;
    IntegrationService& m_integrations;
    QComboBox* m_integrationPicker = nullptr;
    QComboBox* m_rangePicker = nullptr;
    QLabel* m_summary = nullptr;
    QStackedWidget* m_stack = nullptr;
    QLabel* m_empty = nullptr;
    QChartView* m_view = nullptr;
    DeliveryChart* m_chart = nullptr;
    QTimer m_pending; // a refresh waiting for the minimum interval
    QTimer m_slide;   // moves the range on with the clock while shown
    QElapsedTimer m_lastLoad;
    bool m_stale = true; // changed while hidden
};
