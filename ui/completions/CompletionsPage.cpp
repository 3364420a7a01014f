#include "completions/CompletionsPage.h"

#include "common/MessageBox.h"
#include "completions/CompletionCsv.h"
#include "completions/CompletionReceiver.h"
#include "completions/CompletionTableModel.h"
#include "delivery/DeliveryQueue.h"
#include "integrations/IntegrationService.h"
#include "runtime/CourierRuntime.h"
#include "statements/StatementValidator.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateEdit>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QSet>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QTextBrowser>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

CompletionsPage::CompletionsPage(Store& store, IntegrationService& integrations, CourierRuntime& runtime,
                                 QWidget* parent)
    : QWidget(parent)
    , m_store(store)
    , m_integrations(integrations)
    , m_runtime(runtime)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    auto* receiverBar = new QToolBar;
    m_receiving = new QCheckBox(tr("Receive H5P completions on port"));
    m_port = new QSpinBox;
    m_port->setRange(1, 65535);
    m_port->setValue(8089);
    m_receiverState = new QLabel(tr("The receiver is off."));
    m_receiverState->setTextInteractionFlags(Qt::TextSelectableByMouse);
    receiverBar->addWidget(m_receiving);
    receiverBar->addWidget(m_port);
    receiverBar->addWidget(new QLabel(QStringLiteral("  ")));
    receiverBar->addWidget(m_receiverState);
    connect(m_receiving, &QCheckBox::toggled, this, &CompletionsPage::setReceiverRunning);
    connect(&m_runtime, &CourierRuntime::completionStored, this, &CompletionsPage::applyFilter);
    layout->addWidget(receiverBar);
    // How to use the receiver, on a line of its own so the toolbar's actions stay in view.
    m_receiverHint = new QLabel;
    m_receiverHint->setWordWrap(true);
    m_receiverHint->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_receiverHint->setContentsMargins(8, 0, 8, 4);
    m_receiverHint->hide();
    layout->addWidget(m_receiverHint);

    auto* filters = new QToolBar;
    m_content = new QLineEdit;
    m_content->setObjectName(QStringLiteral("content"));
    m_content->setPlaceholderText(tr("content id"));
    m_content->setMaximumWidth(120);
    m_user = new QLineEdit;
    m_user->setPlaceholderText(tr("user id"));
    m_user->setMaximumWidth(160);
    m_useDates = new QCheckBox(tr("finished"));
    m_from = new QDateEdit(QDate::currentDate().addDays(-30));
    m_to = new QDateEdit(QDate::currentDate());
    for (QDateEdit* edit : {m_from, m_to}) {
        edit->setCalendarPopup(true);
        edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd"));
    }
    m_minScore = new QDoubleSpinBox;
    m_maxScore = new QDoubleSpinBox;
    for (QDoubleSpinBox* spin : {m_minScore, m_maxScore})
        spin->setRange(-1, 1e6);
    m_minScore->setSpecialValueText(tr("any"));
    m_maxScore->setSpecialValueText(tr("any"));
    m_minScore->setValue(-1);
    m_maxScore->setValue(-1);
    m_outcome = new QComboBox;
    m_outcome->addItems({tr("passed or failed"), tr("passed"), tr("failed")});
    m_threshold = new QDoubleSpinBox;
    m_threshold->setRange(0, 100);
    m_threshold->setSuffix(QStringLiteral(" %"));
    m_threshold->setValue(50);
    m_threshold->setToolTip(tr("Passed: score / max score at or above this"));
    filters->addWidget(m_content);
    filters->addWidget(m_user);
    filters->addWidget(m_useDates);
    filters->addWidget(m_from);
    filters->addWidget(new QLabel(QStringLiteral(" – ")));
    filters->addWidget(m_to);
    filters->addWidget(new QLabel(tr("  score ")));
    filters->addWidget(m_minScore);
    filters->addWidget(new QLabel(QStringLiteral(" – ")));
    filters->addWidget(m_maxScore);
    filters->addWidget(new QLabel(QStringLiteral("  ")));
    filters->addWidget(m_outcome);
    filters->addWidget(m_threshold);
    auto* spacer = new QWidget;
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    receiverBar->addWidget(spacer);
    receiverBar->addAction(tr("Delete Content…"), this, &CompletionsPage::deleteContent);
    receiverBar->addAction(tr("Export CSV…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export Completions"),
                                                          QStringLiteral("completions.csv"), tr("CSV (*.csv)"));
        QString error;
        if (!path.isEmpty() && !exportCsv(path, &error))
            m_count->setText(error);
    });
    layout->addWidget(filters);

    auto* delay = new QTimer(this);
    delay->setSingleShot(true);
    delay->setInterval(250);
    connect(delay, &QTimer::timeout, this, &CompletionsPage::applyFilter);
    for (QLineEdit* edit : {m_content, m_user})
        connect(edit, &QLineEdit::textChanged, delay, qOverload<>(&QTimer::start));
    for (QDoubleSpinBox* spin : {m_minScore, m_maxScore, m_threshold})
        connect(spin, &QDoubleSpinBox::valueChanged, delay, qOverload<>(&QTimer::start));
    for (QDateEdit* edit : {m_from, m_to})
        connect(edit, &QDateEdit::dateChanged, delay, qOverload<>(&QTimer::start));
    // Only filters that apply look active: the dates are greyed out until "finished" is ticked.
    for (QDateEdit* edit : {m_from, m_to}) {
        edit->setEnabled(false);
        connect(m_useDates, &QCheckBox::toggled, edit, &QWidget::setEnabled);
    }
    connect(m_useDates, &QCheckBox::toggled, this, &CompletionsPage::applyFilter);
    connect(m_outcome, &QComboBox::currentIndexChanged, this, &CompletionsPage::applyFilter);

    auto* splitter = new QSplitter;
    m_model = new CompletionTableModel(store, this);
    m_table = new QTableView;
    m_table->setModel(m_model);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(int(CompletionTableModel::Column::Finished), Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setStretchLastSection(true);
    const QFontMetrics metrics = m_table->fontMetrics();
    m_table->verticalHeader()->setDefaultSectionSize(metrics.height() + 8);
    // Every column in view beside the detail pane: each as wide as a typical value or its title (and the sort arrow).
    using Column = CompletionTableModel::Column;
    for (const auto& [column, typical] : {std::pair{Column::Finished, "2026-12-31 23:59:59"},
                                          {Column::Content, "12345678"},
                                          {Column::User, "user-12345"},
                                          {Column::Score, "100"},
                                          {Column::MaxScore, "100"},
                                          {Column::Time, "12345 s"}}) {
        const QString title = m_model->headerData(int(column), Qt::Horizontal, Qt::DisplayRole).toString();
        m_table->setColumnWidth(
            int(column),
            std::max(metrics.horizontalAdvance(QLatin1String(typical)), metrics.horizontalAdvance(title) + 12) + 10);
    }
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &CompletionsPage::showSelected);
    m_count = new QLabel;
    auto* tableBox = new QWidget;
    auto* tableLayout = new QVBoxLayout(tableBox);
    tableLayout->setContentsMargins(0, 0, 0, 0);
    tableLayout->addWidget(m_table);
    tableLayout->addWidget(m_count);
    m_detail = new QTextBrowser;
    splitter->addWidget(tableBox);
    splitter->addWidget(m_detail);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    layout->addWidget(splitter, 1);
    applyFilter();
}

CompletionsPage::~CompletionsPage() = default;

void CompletionsPage::applyFilter()
{
    CompletionFilter filter;
    filter.contentId = m_content->text().trimmed();
    filter.userId = m_user->text().trimmed();
    if (m_useDates->isChecked()) {
        filter.finishedFrom = m_from->date().startOfDay();
        filter.finishedTo = m_to->date().endOfDay();
    }
    if (m_minScore->value() >= 0)
        filter.minScore = m_minScore->value();
    if (m_maxScore->value() >= 0)
        filter.maxScore = m_maxScore->value();
    if (m_outcome->currentIndex() > 0)
        filter.passed = m_outcome->currentIndex() == 1;
    filter.passThreshold = m_threshold->value() / 100.0;
    m_model->setFilter(filter);
    QString error;
    m_fingerprint = CompletionStore(m_store).fingerprint(&error);
    if (m_model->totalCount() > 0)
        m_count->setText(m_model->totalCount() == 1 ? tr("1 completion record")
                                                    : tr("%1 completion records").arg(m_model->totalCount()));
    else if (filter.isEmpty())
        m_count->setText(tr("No completion records here yet. Switch the receiver on, or import records with "
                            "xapi-courier completions import."));
    else
        m_count->setText(tr("No completion record matches these filters."));
    showSelected();
}

void CompletionsPage::showSelected()
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    const auto record = rows.isEmpty() ? std::nullopt : m_model->rowAt(rows.first().row());
    if (!record) {
        m_detail->setHtml(tr("<p style=\"color:gray\">Select a record to see the statement made from it and whether "
                             "each integration has it.</p>"));
        return;
    }
    // JSON wraps at the pane's width instead of running off its edge.
    const auto json = [](const QByteArray& text) {
        return QStringLiteral("<pre style=\"white-space: pre-wrap\">%1</pre>")
            .arg(QString::fromUtf8(text).toHtmlEscaped());
    };
    QString html =
        tr("<h3>Content %1 · user %2</h3>").arg(record->contentId.toHtmlEscaped(), record->userId.toHtmlEscaped());
    html += json(QJsonDocument(record->toJson()).toJson(QJsonDocument::Indented));
    html += tr("<h4>Statement %1</h4>").arg(record->statementId);
    DeliveryFilter filter;
    filter.statementId = record->statementId;
    QString error;
    const QList<Integration> integrations = m_integrations.list(&error);
    const QList<Delivery> deliveries = DeliveryQueue(m_store).list(filter, 100, 0, &error);
    html += QStringLiteral("<table cellpadding=\"3\">");
    QSet<qint64> queued;
    for (const Delivery& delivery : deliveries) {
        queued.insert(delivery.integrationId);
        const auto integration = std::find_if(integrations.cbegin(), integrations.cend(),
                                              [&](const Integration& i) { return i.id == delivery.integrationId; });
        html += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td><td>%3</td></tr>")
                    .arg((integration != integrations.cend() ? integration->name : QString()).toHtmlEscaped(),
                         Delivery::stateName(delivery.state), delivery.lastError.left(120).toHtmlEscaped());
    }
    // The enabled integrations that do not have it, and why: its provider could not make a valid statement of this
    // record, or the integration was disabled or added after the record arrived.
    for (const Integration& integration : integrations) {
        if (queued.contains(integration.id) || !integration.enabled)
            continue;
        const QList<Finding> findings =
            StatementValidator::validate(CompletionStore::statementFor(*record, integration));
        const QString why =
            findings.isEmpty()
                ? tr("not queued: it was disabled or added after the record arrived")
                : tr("cannot take this record: %1 Check the integration's provider.").arg(findings.first().toText());
        html += QStringLiteral("<tr><td><b>%1</b></td><td colspan=\"2\" style=\"color:#c62828\">%2</td></tr>")
                    .arg(integration.name.toHtmlEscaped(), why.toHtmlEscaped());
    }
    html += QStringLiteral("</table>");
    if (integrations.isEmpty())
        html += tr("<p>Not queued: there is no integration yet.</p>");
    if (!deliveries.isEmpty())
        html += json(QJsonDocument::fromJson(deliveries.first().body).toJson(QJsonDocument::Indented));
    m_detail->setHtml(html);
}

void CompletionsPage::refreshLive()
{
    QString error;
    const QString fingerprint = CompletionStore(m_store).fingerprint(&error);
    if (fingerprint == m_fingerprint)
        return;
    m_stale = !isVisible();
    if (!m_stale)
        applyFilter();
}

void CompletionsPage::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (std::exchange(m_stale, false))
        applyFilter();
}

void CompletionsPage::deleteContent()
{
    const QString content = m_content->text().trimmed();
    if (content.isEmpty()) {
        m_count->setText(tr("Type the content id in the filter first: Delete Content removes all its records."));
        return;
    }
    CompletionFilter filter;
    filter.contentId = content;
    QString error;
    const int count = CompletionStore(m_store).count(filter, &error);
    if (!MessageBox::confirm(this, tr("Delete Content"),
                             tr("Delete the %1 completion records of content “%2”?").arg(count).arg(content),
                             tr("This is what an H5P server does when content is deleted. Statements already queued "
                                "or delivered are not affected."),
                             tr("Delete")))
        return;
    const int removed = CompletionStore(m_store).removeContent(content, &error);
    applyFilter();
    m_count->setText(removed < 0 ? error : tr("Deleted %1 records of content “%2”.").arg(removed).arg(content));
}

bool CompletionsPage::exportCsv(const QString& path, QString* error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = tr("%1 cannot be written: %2").arg(path, file.errorString());
        return false;
    }
    // What is shown, in the order shown.
    const int written =
        CompletionCsv::write(m_store, m_model->filter(), m_model->sortKey(), m_model->isDescending(), file, error);
    if (written < 0 || !file.commit()) {
        if (error->isEmpty())
            *error = tr("%1 cannot be written: %2").arg(path, file.errorString());
        return false;
    }
    m_count->setText(tr("Exported %n record(s) to %1.", nullptr, written).arg(path));
    return true;
}

void CompletionsPage::setReceiverRunning(bool running)
{
    m_receiverHint->hide();
    if (!running) {
        m_runtime.stopReceiver();
        m_receiverState->setText(tr("The receiver is off."));
        return;
    }
    QString error;
    if (!m_runtime.startReceiver(QHostAddress::LocalHost, quint16(m_port->value()), {}, &error)) {
        m_receiverState->setText(tr("Not receiving: see below."));
        m_receiverHint->setText(error);
        m_receiverHint->show();
        QSignalBlocker blocker(m_receiving);
        m_receiving->setChecked(false);
        return;
    }
    const QString base = QStringLiteral("http://127.0.0.1:%1").arg(m_runtime.receiver()->port());
    m_receiverState->setText(tr("Listening on %1").arg(base));
    m_receiverHint->setText(tr("The embedding page gets a session from %1/session?user=ID, and H5P posts to "
                               "%1/setFinished?_csrf=TOKEN.")
                                .arg(base));
    m_receiverHint->show();
}
