#include "alerts/NotificationsPage.h"

#include "alerts/AlertTableModel.h"
#include "alerts/Notifier.h"
#include "alerts/SmtpSettings.h"
#include "alerts/SmtpSettingsDialog.h"
#include "integrations/IntegrationService.h"

#include <QComboBox>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QTextBrowser>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

NotificationsPage::NotificationsPage(Store& store, SecretStore& secrets, IntegrationService& integrations,
                                     Notifier& notifier, QWidget* parent)
    : QWidget(parent)
    , m_store(store)
    , m_secrets(secrets)
    , m_integrations(integrations)
    , m_notifier(notifier)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* toolbar = new QToolBar;
    toolbar->addWidget(new QLabel(tr("Integration: ")));
    m_filter = new QComboBox;
    m_filter->setMinimumContentsLength(20);
    toolbar->addWidget(m_filter);
    auto* spacer = new QWidget;
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    toolbar->addWidget(spacer);
    QAction* smtp = toolbar->addAction(tr("SMTP Settings…"), this, &NotificationsPage::openSmtpSettings);
    smtp->setToolTip(tr("The server alerts are sent through, and a test e-mail"));
    layout->addWidget(toolbar);

    m_stack = new QStackedWidget;
    auto* empty = new QWidget;
    auto* emptyLayout = new QVBoxLayout(empty);
    emptyLayout->addStretch();
    auto* emptyText = new QLabel(tr("<h3>No alerts yet</h3><p>When an integration is held or starts retrying, its "
                                    "technical e-mails are told — at most once a day — and every alert is listed "
                                    "here.</p>"));
    emptyText->setAlignment(Qt::AlignCenter);
    emptyText->setWordWrap(true);
    emptyLayout->addWidget(emptyText);
    auto* setup = new QPushButton(tr("Set up the SMTP server"));
    connect(setup, &QPushButton::clicked, this, &NotificationsPage::openSmtpSettings);
    emptyLayout->addWidget(setup, 0, Qt::AlignHCenter);
    emptyLayout->addStretch();
    m_stack->addWidget(empty);

    m_model = new AlertTableModel(this);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(AlertTableModel::SortRole);
    auto* splitter = new QSplitter(Qt::Vertical);
    m_table = new QTableView;
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(int(AlertTableModel::Column::Time), Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    // The subject and the state (a failure carries the SMTP error) share what is left; the error is elided here
    // and whole in the tooltip and below.
    m_table->horizontalHeader()->setSectionResizeMode(int(AlertTableModel::Column::Subject), QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(int(AlertTableModel::Column::State), QHeaderView::Stretch);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &NotificationsPage::showSelected);
    m_message = new QTextBrowser;
    splitter->addWidget(m_table);
    splitter->addWidget(m_message);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 1);
    m_stack->addWidget(splitter);
    layout->addWidget(m_stack, 1);

    connect(m_filter, &QComboBox::currentIndexChanged, this, &NotificationsPage::reload);
    connect(&m_notifier, &Notifier::alertChanged, this, &NotificationsPage::reload);
    connect(&m_integrations, &IntegrationService::integrationsChanged, this, &NotificationsPage::reloadIntegrations);
    auto* poll = new QTimer(this);
    poll->setInterval(3000);
    connect(poll, &QTimer::timeout, this, &NotificationsPage::reload);
    poll->start();
    reloadIntegrations();
}

void NotificationsPage::reloadIntegrations()
{
    const qint64 current = m_filter->currentData().toLongLong();
    QSignalBlocker blocker(m_filter);
    m_filter->clear();
    m_filter->addItem(tr("All integrations"), qint64(0));
    QString error;
    for (const Integration& integration : m_integrations.list(&error))
        m_filter->addItem(integration.name, integration.id);
    m_filter->setCurrentIndex(std::max(0, m_filter->findData(current)));
    reload();
}

void NotificationsPage::reload()
{
    QString error;
    const QList<AlertRecord> alerts = AlertLog(m_store).list(m_filter->currentData().toLongLong(), 1000, &error);
    m_model->setAlerts(alerts);
    m_stack->setCurrentIndex(alerts.isEmpty() && m_filter->currentIndex() <= 0 ? 0 : 1);
    if (!alerts.isEmpty() && !m_table->selectionModel()->hasSelection())
        m_table->selectRow(0);
}

void NotificationsPage::showSelected()
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    const auto alert = rows.isEmpty() ? std::nullopt : m_model->alertAt(m_proxy->mapToSource(rows.first()).row());
    if (!alert) {
        m_message->setHtml(tr("<p style=\"color:gray\">Select an alert to read the message that was sent.</p>"));
        return;
    }
    QString header =
        tr("<p><b>To:</b> %1<br><b>Subject:</b> %2</p>")
            .arg(alert->recipients.join(QStringLiteral(", ")).toHtmlEscaped(), alert->subject.toHtmlEscaped());
    if (!alert->error.isEmpty())
        header += QStringLiteral("<p style=\"color:#c62828\">%1</p>").arg(alert->error.toHtmlEscaped());
    m_message->setHtml(
        header + QStringLiteral("<pre style=\"white-space: pre-wrap\">%1</pre>").arg(alert->text.toHtmlEscaped()));
}

void NotificationsPage::openSmtpSettings()
{
    auto* dialog = new SmtpSettingsDialog(m_store, m_secrets, m_notifier, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}
