#include "queue/DeliveryChartsPanel.h"

#include "integrations/IntegrationService.h"
#include "queue/DeliveryChart.h"

#include <QChartView>
#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace {

using Range = DeliveryChartSeries::Range;
using Outcome = DeliveryAggregates::Outcome;

QString rangeLabel(Range range)
{
    switch (range) {
    case Range::Hour:
        return DeliveryChartsPanel::tr("Last hour");
    case Range::Day:
        return DeliveryChartsPanel::tr("Last day");
    case Range::Week:
        return DeliveryChartsPanel::tr("Last week");
    }
    return {};
}

QString millis(double ms)
{
    return ms < 10 ? QLocale().toString(ms, 'f', 1) + QStringLiteral(" ms")
                   : QLocale().toString(qRound64(ms)) + QStringLiteral(" ms");
}

} // namespace

DeliveryChartsPanel::DeliveryChartsPanel(Store& store, IntegrationService& integrations, QWidget* parent)
    : QWidget(parent)
    , m_store(store)
    , m_integrations(integrations)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 0);
    auto* pickers = new QHBoxLayout;
    m_integrationPicker = new QComboBox;
    m_integrationPicker->setObjectName(QStringLiteral("chartIntegration"));
    m_integrationPicker->setMinimumContentsLength(16);
    m_rangePicker = new QComboBox;
    m_rangePicker->setObjectName(QStringLiteral("chartRange"));
    for (Range range : {Range::Hour, Range::Day, Range::Week})
        m_rangePicker->addItem(rangeLabel(range), int(range));
    auto* integrationLabel = new QLabel(tr("In&tegration"));
    integrationLabel->setBuddy(m_integrationPicker);
    auto* rangeLabelWidget = new QLabel(tr("&Range"));
    rangeLabelWidget->setBuddy(m_rangePicker);
    pickers->addWidget(integrationLabel);
    pickers->addWidget(m_integrationPicker);
    pickers->addSpacing(12);
    pickers->addWidget(rangeLabelWidget);
    pickers->addWidget(m_rangePicker);
    pickers->addSpacing(12);
    m_summary = new QLabel;
    m_summary->setObjectName(QStringLiteral("chartSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    pickers->addWidget(m_summary, 1);
    layout->addLayout(pickers);

    m_stack = new QStackedWidget;
    m_empty = new QLabel;
    m_empty->setObjectName(QStringLiteral("chartEmpty"));
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setMargin(24);
    m_chart = new DeliveryChart;
    m_view = new QChartView(m_chart); // takes the chart
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setMinimumHeight(180);
    m_stack->addWidget(m_empty);
    m_stack->addWidget(m_view);
    layout->addWidget(m_stack, 1);

    m_pending.setSingleShot(true);
    connect(&m_pending, &QTimer::timeout, this, &DeliveryChartsPanel::reload);
    connect(&m_slide, &QTimer::timeout, this, [this] {
        if (isVisible())
            reload();
    });
    connect(m_integrationPicker, &QComboBox::currentIndexChanged, this, &DeliveryChartsPanel::reload);
    connect(m_rangePicker, &QComboBox::currentIndexChanged, this, &DeliveryChartsPanel::reload);
    connect(&m_integrations, &IntegrationService::integrationsChanged, this, &DeliveryChartsPanel::reloadIntegrations);
    reloadIntegrations();
}

void DeliveryChartsPanel::reloadIntegrations()
{
    const qint64 current = m_integrationPicker->currentData().toLongLong();
    {
        QSignalBlocker blocker(m_integrationPicker);
        m_integrationPicker->clear();
        m_integrationPicker->addItem(tr("All integrations"), qint64(0));
        QString error;
        for (const Integration& integration : m_integrations.list(&error))
            m_integrationPicker->addItem(integration.name, integration.id);
        m_integrationPicker->setCurrentIndex(std::max(0, m_integrationPicker->findData(current)));
    }
    if (isVisible())
        reload();
    else
        m_stale = true;
}

void DeliveryChartsPanel::select(qint64 integrationId, DeliveryChartSeries::Range range)
{
    QSignalBlocker blocker(m_integrationPicker);
    QSignalBlocker rangeBlocker(m_rangePicker);
    m_integrationPicker->setCurrentIndex(std::max(0, m_integrationPicker->findData(integrationId)));
    m_rangePicker->setCurrentIndex(std::max(0, m_rangePicker->findData(int(range))));
    reload();
}

DeliveryChartSeries::Range DeliveryChartsPanel::range() const
{
    return Range(m_rangePicker->currentData().toInt());
}

int DeliveryChartsPanel::minimumIntervalMs() const
{
    // A point of a week is an hour: it changes less often than the last hour's minutes.
    switch (range()) {
    case Range::Hour:
        return 2000;
    case Range::Day:
        return 5000;
    case Range::Week:
        return 15000;
    }
    return 2000;
}

void DeliveryChartsPanel::refreshLive()
{
    if (!isVisible()) {
        m_stale = true;
        return;
    }
    const qint64 since = m_lastLoad.isValid() ? m_lastLoad.elapsed() : minimumIntervalMs();
    if (since >= minimumIntervalMs())
        reload();
    else if (!m_pending.isActive())
        m_pending.start(int(minimumIntervalMs() - since));
}

void DeliveryChartsPanel::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (std::exchange(m_stale, false))
        reload();
}

void DeliveryChartsPanel::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        m_chart->applyPalette(palette());
}

void DeliveryChartsPanel::reload()
{
    m_pending.stop();
    m_stale = false;
    m_lastLoad.start();
    QString error;
    const DeliveryChartSeries::Data data = DeliveryChartSeries(m_store).load(
        range(), m_integrationPicker->currentData().toLongLong(), QDateTime::currentDateTimeUtc(), &error);
    m_slide.start(range() == Range::Hour ? 20 * 1000 : range() == Range::Day ? 60 * 1000 : 5 * 60 * 1000);
    if (!error.isEmpty()) {
        m_summary->clear();
        m_empty->setText(tr("The chart could not be read from the store: %1").arg(error.toHtmlEscaped()));
        m_stack->setCurrentWidget(m_empty);
        return;
    }
    showData(data);
}

void DeliveryChartsPanel::showData(const DeliveryChartSeries::Data& data)
{
    const QString rangeText = DeliveryChartSeries::rangeText(data.range);
    const QString who = data.integrationId == 0 ? tr("any integration") : m_integrationPicker->currentText();
    if (data.isEmpty()) {
        m_summary->clear();
        m_empty->setText(
            tr("<p><b>No deliveries in the %1 for %2.</b></p><p>Statements appear here by outcome as they are answered "
               "(by this window or by any worker on this store), with the response times and the periods an "
               "integration was held or retrying. Choose a longer range to look further back.</p>")
                .arg(rangeText, who.toHtmlEscaped()));
        m_stack->setCurrentWidget(m_empty);
        return;
    }
    const QLocale locale;
    QStringList parts;
    for (Outcome outcome :
         {Outcome::Delivered, Outcome::Duplicate, Outcome::Retried, Outcome::Held, Outcome::Discarded}) {
        if (const qint64 count = data.totals[size_t(outcome)]; count > 0)
            parts << tr("%1 %2").arg(locale.toString(count), DeliveryAggregates::outcomeName(outcome));
    }
    QString summary =
        data.statements() == 1 ? tr("1 statement") : tr("%1 statements").arg(locale.toString(data.statements()));
    if (!parts.isEmpty())
        summary += QStringLiteral(": ") + parts.join(QStringLiteral(", "));
    if (data.p50Ms && data.p95Ms)
        summary += tr(" · response p50 %1, p95 %2").arg(millis(*data.p50Ms), millis(*data.p95Ms));
    int held = 0;
    int retrying = 0;
    for (const DeliveryChartSeries::Period& period : data.periods)
        (period.health == Integration::Health::Held ? held : retrying) += 1;
    QStringList shaded;
    if (held > 0)
        shaded << tr("held %1×").arg(held);
    if (retrying > 0)
        shaded << tr("retrying %1×").arg(retrying);
    if (!shaded.isEmpty())
        summary += tr(" · shaded: %1").arg(shaded.join(QStringLiteral(", ")));
    m_summary->setText(summary);
    m_summary->setToolTip(
        tr("%1, %2, %3 (each point %4)")
            .arg(m_integrationPicker->currentText(), rangeText, summary, DeliveryChartSeries::stepText(data.range)));
    m_chart->setData(data);
    m_stack->setCurrentWidget(m_view);
}

bool DeliveryChartsPanel::showsChart() const
{
    return m_stack->currentWidget() == m_view;
}

QString DeliveryChartsPanel::emptyText() const
{
    return m_empty->text();
}

QString DeliveryChartsPanel::summaryText() const
{
    return m_summary->text();
}
