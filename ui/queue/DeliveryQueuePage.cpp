#include "queue/DeliveryQueuePage.h"

#include "common/FlowLayout.h"
#include "common/MessageBox.h"
#include "delivery/AttemptLog.h"
#include "delivery/DeliveryActions.h"
#include "integrations/IntegrationService.h"
#include "queue/DeliveryChartsPanel.h"
#include "queue/DeliveryTableModel.h"
#include "queue/DuplicateDetail.h"
#include "queue/HealthCard.h"
#include "queue/ReplayDialog.h"
#include "store/Store.h"

#include <QComboBox>
#include <QDateTimeEdit>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTextBrowser>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

DeliveryQueuePage::DeliveryQueuePage(Store& store, IntegrationService& integrations, QWidget* parent)
    : QWidget(parent)
    , m_store(store)
    , m_integrations(integrations)
    , m_actions(std::make_unique<DeliveryActions>(store))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    // The cards wrap into rows (no sideways scrolling, however many integrations); beyond two rows they scroll.
    auto* cardsArea = new QScrollArea;
    cardsArea->setWidgetResizable(true);
    cardsArea->setFrameShape(QFrame::NoFrame);
    cardsArea->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto* cardsHolder = new QWidget;
    m_cards = new FlowLayout(cardsHolder);
    m_noIntegrations = new QLabel(tr("No integrations yet: add one on the Integrations page, then queue statements "
                                     "with <tt>xapi-courier enqueue</tt>."));
    m_cards->addWidget(m_noIntegrations);
    cardsArea->setWidget(cardsHolder);
    m_cardsArea = cardsArea;
    layout->addWidget(cardsArea);

    // Under the cards, the deliveries themselves or the charts: one at a time, so the table keeps its height on a
    // laptop screen.
    m_tabs = new QTabWidget;
    m_tabs->setObjectName(QStringLiteral("queueTabs"));
    m_tabs->setDocumentMode(true);
    auto* deliveries = new QWidget;
    auto* deliveriesLayout = new QVBoxLayout(deliveries);
    deliveriesLayout->setContentsMargins(0, 0, 0, 0);
    m_charts = new DeliveryChartsPanel(store, integrations);
    m_tabs->addTab(deliveries, tr("&Deliveries"));
    m_tabs->addTab(m_charts, tr("&Charts"));
    m_tabs->setTabToolTip(1, tr("Statements per minute by outcome, response times, and when integrations were held "
                                "or retrying: last hour, day or week"));
    layout->addWidget(m_tabs, 1);

    auto* toolbar = new QToolBar;
    m_integrationFilter = new QComboBox;
    m_integrationFilter->setObjectName(QStringLiteral("integrationFilter"));
    m_integrationFilter->setMinimumContentsLength(16);
    m_stateFilter = new QComboBox;
    m_stateFilter->setObjectName(QStringLiteral("stateFilter"));
    // Each filter with the text shown when nothing matches it.
    const QList<std::tuple<QString, QString, QString>> states = {
        {tr("Failed and waiting"), QStringLiteral("held,queued,sending,discarded"),
         tr("Nothing is failing or waiting here: every statement of this selection was delivered, or none was "
            "queued.")},
        {tr("Held"), QStringLiteral("held"), tr("No statement is held here.")},
        {tr("Queued"), QStringLiteral("queued,sending"), tr("Nothing is queued here: there is nothing left to send.")},
        {tr("Delivered"), QStringLiteral("delivered,duplicate"), tr("No statement here has been delivered yet.")},
        {tr("Conflicting duplicates (409)"), QStringLiteral("duplicate=conflicting"),
         tr("No 409 here was for other content under a reused id (or triage has not read them back yet).")},
        {tr("Discarded"), QStringLiteral("discarded"), tr("No statement here was discarded.")},
        {tr("All"), QString(), tr("No statement was queued here yet: queue some with xapi-courier enqueue.")},
    };
    for (const auto& [label, names, empty] : states) {
        m_stateFilter->addItem(label, names);
        m_stateFilter->setItemData(m_stateFilter->count() - 1, empty, EmptyTextRole);
    }
    m_search = new QLineEdit;
    m_search->setPlaceholderText(tr("Search statement id or error"));
    m_search->setClearButtonEnabled(true);
    m_search->setMaximumWidth(260);
    toolbar->addWidget(new QLabel(tr("Integration ")));
    toolbar->addWidget(m_integrationFilter);
    toolbar->addWidget(new QLabel(tr("  Show ")));
    toolbar->addWidget(m_stateFilter);
    toolbar->addWidget(new QLabel(QStringLiteral("  ")));
    toolbar->addWidget(m_search);
    toolbar->addSeparator();
    QAction* resend = toolbar->addAction(tr("Resend"), this, &DeliveryQueuePage::resendSelected);
    resend->setToolTip(tr("Send the selected statements again, with the same ids"));
    QAction* discard = toolbar->addAction(tr("Discard…"), this, &DeliveryQueuePage::discardSelected);
    discard->setShortcut(QKeySequence::Delete);
    discard->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    toolbar->addAction(tr("Replay…"), this, &DeliveryQueuePage::replay);
    toolbar->addAction(tr("Export Failed…"), this, &DeliveryQueuePage::exportFailed);
    deliveriesLayout->addWidget(toolbar);
    m_toolbar = toolbar;

    m_message = new QLabel;
    m_message->setWordWrap(true);
    m_message->hide();
    deliveriesLayout->addWidget(m_message);
    m_progressRow = new QWidget;
    auto* progressLayout = new QHBoxLayout(m_progressRow);
    progressLayout->setContentsMargins(4, 0, 4, 0);
    m_progress = new QProgressBar;
    m_progress->setFormat(tr("%v of %m"));
    auto* cancel = new QPushButton(tr("Cancel"));
    cancel->setToolTip(tr("Stop after the statements in hand; what was done stays done"));
    connect(cancel, &QPushButton::clicked, this, [this] {
        if (m_bulk)
            m_bulk->cancel();
    });
    progressLayout->addWidget(m_progress, 1);
    progressLayout->addWidget(cancel);
    m_progressRow->hide();
    deliveriesLayout->addWidget(m_progressRow);

    auto* splitter = new QSplitter(Qt::Vertical);
    m_model = new DeliveryTableModel(store, this);
    m_table = new QTableView;
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setSectionResizeMode(int(DeliveryTableModel::Column::LastError), QHeaderView::Stretch);
    m_table->setColumnWidth(int(DeliveryTableModel::Column::Id), 60);
    m_table->setColumnWidth(int(DeliveryTableModel::Column::Statement), 290);
    m_table->setColumnWidth(int(DeliveryTableModel::Column::State), 80);
    m_table->setColumnWidth(int(DeliveryTableModel::Column::Attempts), 50);
    m_table->setColumnWidth(int(DeliveryTableModel::Column::LastStatus), 80);
    m_table->setColumnWidth(int(DeliveryTableModel::Column::Created), 150);
    m_table->addActions({resend, discard});
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &DeliveryQueuePage::showAttempts);
    m_count = new QLabel;
    auto* tableBox = new QWidget;
    auto* tableLayout = new QVBoxLayout(tableBox);
    tableLayout->setContentsMargins(0, 0, 0, 0);
    tableLayout->addWidget(m_table);
    tableLayout->addWidget(m_count);
    m_attempts = new QTextBrowser;
    splitter->addWidget(tableBox);
    splitter->addWidget(m_attempts);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    deliveriesLayout->addWidget(splitter, 1);

    connect(m_integrationFilter, &QComboBox::currentIndexChanged, this, &DeliveryQueuePage::applyFilter);
    connect(m_stateFilter, &QComboBox::currentIndexChanged, this, &DeliveryQueuePage::applyFilter);
    auto* searchDelay = new QTimer(this);
    searchDelay->setSingleShot(true);
    searchDelay->setInterval(250);
    connect(m_search, &QLineEdit::textChanged, searchDelay, qOverload<>(&QTimer::start));
    connect(searchDelay, &QTimer::timeout, this, &DeliveryQueuePage::applyFilter);
    connect(&m_integrations, &IntegrationService::integrationsChanged, this, &DeliveryQueuePage::reload);

    auto* countdown = new QTimer(this);
    countdown->setInterval(1000);
    connect(countdown, &QTimer::timeout, this, [this] {
        for (HealthCard* card : std::as_const(m_cardWidgets))
            card->tick();
    });
    countdown->start();
    reload();
}

void DeliveryQueuePage::fitCards()
{
    // As tall as the rows of cards need, up to two fifths of the page; beyond that they scroll.
    const int needed = m_cards->heightForWidth(m_cardsArea->viewport()->width());
    m_cardsArea->setFixedHeight(std::max(40, std::min(needed, std::max(160, height() * 2 / 5))) + 2);
}

void DeliveryQueuePage::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    fitCards();
}

void DeliveryQueuePage::refreshLive()
{
    reloadCards();
    m_charts->refreshLive();
    m_tableStale = !isVisible();
    if (!m_tableStale)
        applyFilter(); // the engine or a worker moved things on; the selection is kept
}

void DeliveryQueuePage::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (std::exchange(m_tableStale, false))
        applyFilter();
}

DeliveryQueuePage::~DeliveryQueuePage() = default;

void DeliveryQueuePage::showTab(int index)
{
    m_tabs->setCurrentIndex(index);
}

void DeliveryQueuePage::reload()
{
    const qint64 current = m_integrationFilter->currentData().toLongLong();
    {
        QSignalBlocker blocker(m_integrationFilter);
        m_integrationFilter->clear();
        m_integrationFilter->addItem(tr("All"), qint64(0));
        QString error;
        QHash<qint64, QString> names;
        for (const Integration& integration : m_integrations.list(&error)) {
            m_integrationFilter->addItem(integration.name, integration.id);
            names.insert(integration.id, integration.name);
        }
        m_integrationFilter->setCurrentIndex(std::max(0, m_integrationFilter->findData(current)));
        m_model->setIntegrationNames(names);
    }
    reloadCards();
    applyFilter();
}

void DeliveryQueuePage::reloadCards()
{
    QString error;
    const QList<Integration> integrations = m_integrations.list(&error);
    const QHash<qint64, LaneStats> stats = m_actions->queue().stats(&error);
    while (m_cardWidgets.size() > integrations.size())
        delete m_cardWidgets.takeLast();
    while (m_cardWidgets.size() < integrations.size()) {
        auto* card = new HealthCard;
        connect(card, &HealthCard::editRequested, this, &DeliveryQueuePage::editIntegrationRequested);
        connect(card, &HealthCard::retryNowRequested, this, [this](qint64 id) {
            QString failure;
            const int count = m_actions->retryNow(id, &failure);
            QString error;
            const auto integration = m_integrations.repository().byId(id, &error);
            const QString name = integration ? integration->name : QString::number(id);
            if (count < 0)
                return report(failure, true);
            // Names its integration, and goes once the probe has its answer (reloadCards).
            report(tr("%1: probing now with one statement; the other %2 follow once it is accepted.")
                       .arg(name)
                       .arg(std::max(0, count - 1)));
            m_messageAbout = id;
            reloadCards();
        });
        m_cards->addWidget(card);
        m_cardWidgets << card;
    }
    int queued = 0;
    for (qsizetype i = 0; i < integrations.size(); ++i) {
        const LaneStats lane = stats.value(integrations.at(i).id);
        m_cardWidgets.at(i)->show(integrations.at(i), lane);
        queued += lane.queued;
        // A "probing now" message goes once the probe was answered: the integration works again, or waits for
        // its next probe.
        const Integration& integration = integrations.at(i);
        if (m_messageAbout == integration.id &&
            (integration.health() != Integration::Health::Retrying ||
             (integration.nextProbeAt.isValid() && integration.nextProbeAt > QDateTime::currentDateTimeUtc()))) {
            m_messageAbout = 0;
            report({});
        }
    }
    m_noIntegrations->setVisible(integrations.isEmpty());
    fitCards();
    Q_EMIT queuedChanged(queued);
}

void DeliveryQueuePage::applyFilter()
{
    DeliveryFilter filter;
    filter.integrationId = m_integrationFilter->currentData().toLongLong();
    for (const QString& name : m_stateFilter->currentData().toString().split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        if (name.startsWith(QLatin1String("duplicate="))) { // duplicates of one kind (409 triage)
            filter.duplicateKind = name.section(QLatin1Char('='), 1);
            continue;
        }
        if (const auto state = Delivery::stateFromName(name))
            filter.states << *state;
    }
    filter.search = m_search->text();
    const QList<qint64> selected = selectedIds();
    m_model->setFilter(filter);
    for (int row = 0; row < m_model->rowCount(); ++row) {
        if (selected.contains(m_model->index(row, 0).data(DeliveryTableModel::IdRole).toLongLong()))
            m_table->selectionModel()->select(m_model->index(row, 0),
                                              QItemSelectionModel::Select | QItemSelectionModel::Rows);
    }
    if (m_model->totalCount() > 0)
        m_count->setText(m_model->totalCount() == 1 ? tr("1 delivery")
                                                    : tr("%1 deliveries").arg(m_model->totalCount()));
    else if (!filter.search.trimmed().isEmpty())
        m_count->setText(tr("No delivery here matches “%1”.").arg(filter.search.trimmed()));
    else
        m_count->setText(m_stateFilter->currentData(EmptyTextRole).toString());
    showAttempts();
}

QList<qint64> DeliveryQueuePage::selectedIds() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    // The table fetches rows as it scrolls, so Select All selects the ones fetched so far; with every one of them
    // selected, the user means every delivery the filter matches.
    if (!rows.isEmpty() && rows.size() == m_model->rowCount() && m_model->totalCount() > rows.size()) {
        QString error;
        const QList<qint64> all = DeliveryQueue(m_store).ids(m_model->filter(), &error);
        if (error.isEmpty())
            return all;
    }
    QList<qint64> ids;
    for (const QModelIndex& index : rows)
        ids << index.data(DeliveryTableModel::IdRole).toLongLong();
    return ids;
}

void DeliveryQueuePage::showAttempts()
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    const auto delivery = rows.isEmpty() ? std::nullopt : m_model->rowAt(rows.first().row());
    if (!delivery) {
        m_attempts->setHtml(
            tr("<p style=\"color:gray\">Select a delivery to see its attempts, newest first: the request as sent "
               "(Authorization hidden) and what the receiver answered.</p>"));
        return;
    }
    QString error;
    int total = 0;
    const QList<AttemptRecord> attempts =
        AttemptLog(m_store).newestForDelivery(delivery->id, ShownAttempts, &total, &error);
    QString html = tr("<h4>Statement %1 — %2, %3 attempt(s)</h4>")
                       .arg(delivery->statementId.toHtmlEscaped(), DuplicateDetail::stateText(*delivery))
                       .arg(delivery->attempts);
    if (!delivery->conversion.isEmpty()) // a 2.0.0 statement made into 1.0.3 for this receiver
        html += QStringLiteral("<p><b>%1</b> %2</p>").arg(tr("xAPI version:"), delivery->conversion.toHtmlEscaped());
    html += DuplicateDetail::html(*delivery);
    if (!error.isEmpty())
        html += QStringLiteral("<p style=\"color:#c62828\">%1</p>").arg(error.toHtmlEscaped());
    else if (attempts.isEmpty())
        html += tr("<p>Not tried yet.</p>");
    // Newest first: after a night of probes, what the receiver says now is what support needs.
    if (total > attempts.size())
        html += tr("<p>The newest %1 of %2 attempts; <code>xapi-courier queue attempts %3</code> lists them all.</p>")
                    .arg(attempts.size())
                    .arg(total)
                    .arg(delivery->id);
    for (const AttemptRecord& attempt : attempts) {
        const bool good = attempt.status && *attempt.status >= 200 && *attempt.status < 300;
        html += QStringLiteral("<p><b>%1</b> · <span style=\"color:%2\">%3</span> · %4</p>")
                    .arg(attempt.startedAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")),
                         good ? QStringLiteral("#2ea043") : QStringLiteral("#c62828"),
                         attempt.status ? QString::number(*attempt.status) : tr("no answer"),
                         AttemptRecord::durationText(attempt.durationMs).toHtmlEscaped());
        const QString size = attempt.statements > 1
                                 ? tr("(%1 bytes: one request carrying %2 statements, this one among them)")
                                       .arg(attempt.requestBodySize)
                                       .arg(attempt.statements)
                                 : tr("(%1 bytes)").arg(attempt.requestBodySize);
        html += QStringLiteral("<pre>%1\n%2\n%3</pre>")
                    .arg(attempt.requestLine.toHtmlEscaped(), attempt.requestHeaders.toHtmlEscaped(), size);
        if (!attempt.error.isEmpty())
            html += QStringLiteral("<p style=\"color:#c62828\">%1</p>").arg(attempt.error.toHtmlEscaped());
        if (!attempt.responseHeaders.isEmpty() || !attempt.responseBody.isEmpty())
            html += QStringLiteral("<pre>%1\n\n%2</pre>")
                        .arg(attempt.responseHeaders.toHtmlEscaped(), attempt.responseBody.toHtmlEscaped());
        html += QStringLiteral("<hr>");
    }
    m_attempts->setHtml(html);
}

void DeliveryQueuePage::report(const QString& text, bool error)
{
    m_messageAbout = 0;
    m_message->setText(text);
    m_message->setStyleSheet(error ? QStringLiteral("QLabel { color: #c62828; padding: 4px; }")
                                   : QStringLiteral("QLabel { padding: 4px; }"));
    m_message->setVisible(!text.isEmpty());
}

void DeliveryQueuePage::resendSelected()
{
    const QList<qint64> ids = selectedIds();
    if (ids.isEmpty())
        return report(tr("Select the deliveries to send again."));
    if (ids.size() > 1 &&
        !MessageBox::confirm(this, tr("Resend Deliveries"), tr("Send %1 statements again?").arg(ids.size()),
                             tr("Delivered and discarded ones among them are queued again with their ids; the "
                                "receiver may answer 409 for those it already has."),
                             tr("Resend")))
        return;
    runBulk(
        ids, [this](const QList<qint64>& chunk, QString* error) { return m_actions->resend(chunk, error); },
        [this, total = ids.size()](int changed, bool cancelled) -> QString {
            return (cancelled ? tr("Cancelled. ") : QString()) +
                   tr("%1 of %2 selected statements queued again with their ids (only delivered or discarded ones "
                      "can be resent).")
                       .arg(changed)
                       .arg(total);
        });
}

void DeliveryQueuePage::discardSelected()
{
    const QList<qint64> ids = selectedIds();
    if (ids.isEmpty())
        return report(tr("Select the deliveries to discard."));
    if (!MessageBox::confirm(this, tr("Discard Deliveries"), tr("Discard %1 deliveries?").arg(ids.size()),
                             tr("Queued and held statements among them will not be sent. Their attempts stay in the "
                                "log, and they can be resent later."),
                             tr("Discard")))
        return;
    runBulk(
        ids, [this](const QList<qint64>& chunk, QString* error) { return m_actions->discard(chunk, error); },
        [this, total = ids.size()](int changed, bool cancelled) -> QString {
            return (cancelled ? tr("Cancelled. ") : QString()) +
                   tr("Discarded %1 of %2 (only queued or held ones can be).").arg(changed).arg(total);
        });
}

void DeliveryQueuePage::replay()
{
    QString error;
    ReplayDialog dialog(*m_actions, m_integrations.list(&error), this);
    if (dialog.exec() != QDialog::Accepted || dialog.sources().isEmpty())
        return;
    const qint64 integrationId = dialog.targetId();
    runBulk(
        dialog.sources(),
        [this, integrationId](const QList<qint64>& chunk, QString* chunkError) {
            return m_actions->replay(integrationId, chunk, chunkError);
        },
        [this, name = dialog.targetName()](int changed, bool cancelled) -> QString {
            return (cancelled ? tr("Cancelled. ") : QString()) +
                   tr("%1 statements queued again to %2.").arg(changed).arg(name);
        });
}

void DeliveryQueuePage::runBulk(const QList<qint64>& ids, BulkAction::Step step,
                                std::function<QString(int changed, bool cancelled)> summary)
{
    if (m_bulk)
        return report(tr("Wait until the running action has finished, or cancel it."));
    report({});
    m_bulk = new BulkAction(ids, std::move(step), this);
    m_progress->setRange(0, int(ids.size()));
    m_progress->setValue(0);
    // A few hundred take a blink; the bar is for the ones that take a while.
    m_progressRow->setVisible(ids.size() > BulkAction::ChunkSize);
    m_toolbar->setEnabled(false);
    connect(m_bulk, &BulkAction::progress, m_progress, &QProgressBar::setValue);
    connect(m_bulk, &BulkAction::finished, this,
            [this, summary = std::move(summary)](int changed, const QString& error, bool cancelled) {
                std::exchange(m_bulk, nullptr)->deleteLater(); // the page is free for the next action at once
                m_progressRow->hide();
                m_toolbar->setEnabled(true);
                report(error.isEmpty() ? summary(changed, cancelled)
                                       : tr("%1 (stopped after %2).").arg(error).arg(changed),
                       !error.isEmpty());
                reload();
            });
    m_bulk->start();
}

void DeliveryQueuePage::exportFailed()
{
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export Failed Deliveries"), QStringLiteral("failed-deliveries.jsonl"),
                                     tr("JSON lines (*.jsonl);;All files (*)"));
    if (path.isEmpty())
        return;
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        report(tr("%1 cannot be written: %2").arg(path, file.errorString()), true);
        return;
    }
    QString error;
    DeliveryFilter filter;
    filter.integrationId = m_integrationFilter->currentData().toLongLong();
    const int count = m_actions->exportFailed(filter, &file, &error);
    report(count < 0 ? error : tr("Exported %1 failed deliveries to %2.").arg(count).arg(path), count < 0);
}
