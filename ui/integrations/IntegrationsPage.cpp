#include "integrations/IntegrationsPage.h"

#include "common/Clock.h"
#include "common/Icons.h"
#include "common/MessageBox.h"
#include "delivery/DeliveryQueue.h"
#include "delivery/LaneLeases.h"
#include "delivery/TokenClient.h"
#include "integrations/IntegrationDialog.h"
#include "integrations/IntegrationService.h"
#include "integrations/IntegrationTableModel.h"
#include "integrations/XapiDetection.h"
#include "receiver/ReceiverCheckDialog.h"
#include "sandbox/SandboxController.h"

#include <QAction>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QTextBrowser>
#include <QToolBar>
#include <QVBoxLayout>

namespace {
QString row(const QString& label, const QString& value)
{
    return QStringLiteral("<tr><td style=\"padding-right:12px; color:palette(mid)\">%1</td><td>%2</td></tr>")
        .arg(label.toHtmlEscaped(), value);
}
} // namespace

IntegrationsPage::IntegrationsPage(Store& store, IntegrationService& service, QWidget* parent)
    : QWidget(parent)
    , m_store(store)
    , m_service(service)
{
    m_add =
        new QAction(Icons::themed(QStringLiteral("list-add"), QStringLiteral("add")), tr("&Add Integration…"), this);
    m_add->setShortcut(QKeySequence::New);
    m_edit = new QAction(Icons::themed(QStringLiteral("document-edit"), QStringLiteral("edit")), tr("&Edit…"), this);
    m_edit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E)); // Return: on the table only (activated), not the filter
    m_toggle = new QAction(Icons::themed(QStringLiteral("system-run"), QStringLiteral("toggle")), tr("&Disable"), this);
    m_toggle->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    m_delete =
        new QAction(Icons::themed(QStringLiteral("edit-delete"), QStringLiteral("delete")), tr("De&lete…"), this);
    m_delete->setShortcut(QKeySequence::Delete);
    m_refresh =
        new QAction(Icons::themed(QStringLiteral("view-refresh"), QStringLiteral("refresh")), tr("&Refresh"), this);
    m_refresh->setShortcut(QKeySequence::Refresh);
    m_test = new QAction(Icons::themed(QStringLiteral("network-connect"), QStringLiteral("connect")),
                         tr("&Test Connection"), this);
    m_test->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    m_test->setToolTip(tr("Fetch a token from the Authentication URL and say what happened"));
    m_test->setEnabled(false);
    m_check = new QAction(Icons::themed(QStringLiteral("emblem-default"), QStringLiteral("connect")),
                          tr("Check &Receiver…"), this);
    m_check->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    m_check->setToolTip(tr("Send a few test statements and see how the receiver treats resends, conflicts and bad "
                           "requests (voided afterwards)"));
    m_check->setEnabled(false);
    connect(m_check, &QAction::triggered, this, &IntegrationsPage::checkReceiver);
    for (QAction* action : {m_edit, m_toggle, m_delete, m_test, m_check})
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(m_test, &QAction::triggered, this, &IntegrationsPage::testConnection);
    connect(m_add, &QAction::triggered, this, &IntegrationsPage::addIntegration);
    connect(m_edit, &QAction::triggered, this, &IntegrationsPage::editSelected);
    connect(m_toggle, &QAction::triggered, this, &IntegrationsPage::toggleSelected);
    connect(m_delete, &QAction::triggered, this, &IntegrationsPage::deleteSelected);
    connect(m_refresh, &QAction::triggered, this, &IntegrationsPage::reload);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* toolbar = new QToolBar;
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->addActions({m_add, m_edit, m_toggle, m_delete, m_test, m_check});
    toolbar->addSeparator();
    toolbar->addAction(m_refresh);
    auto* spacer = new QWidget;
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    toolbar->addWidget(spacer);
    m_filter = new QLineEdit;
    m_filter->setPlaceholderText(tr("Filter by name, provider or URL"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setMaximumWidth(280);
    toolbar->addWidget(m_filter);
    layout->addWidget(toolbar);

    m_error = new QLabel;
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("QLabel { background: #fdecea; color: #8a1c1c; padding: 6px; }"));
    m_error->hide();
    layout->addWidget(m_error);
    m_notice = new QLabel;
    m_notice->setWordWrap(true);
    m_notice->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_notice->hide();
    layout->addWidget(m_notice);

    m_stack = new QStackedWidget;
    auto* empty = new QWidget;
    auto* emptyLayout = new QVBoxLayout(empty);
    emptyLayout->addStretch();
    auto* emptyTitle = new QLabel(tr("<h2>No integrations yet</h2>"));
    emptyTitle->setAlignment(Qt::AlignCenter);
    auto* emptyText = new QLabel(tr("An integration says where statements go, how to authenticate and who is told "
                                    "when deliveries fail."));
    emptyText->setAlignment(Qt::AlignCenter);
    emptyText->setWordWrap(true);
    auto* emptyButton = new QPushButton(m_add->icon(), tr("Add integration"));
    emptyButton->setDefault(true);
    connect(emptyButton, &QPushButton::clicked, this, &IntegrationsPage::addIntegration);
    emptyLayout->addWidget(emptyTitle);
    emptyLayout->addWidget(emptyText);
    emptyLayout->addWidget(emptyButton, 0, Qt::AlignHCenter);
    m_trySandbox = new QPushButton(tr("Try with the built-in sandbox"));
    m_trySandbox->setObjectName(QStringLiteral("trySandbox"));
    m_trySandbox->setToolTip(tr("Start a local LRS on this machine and add an integration that points at it"));
    m_trySandbox->hide();
    connect(m_trySandbox, &QPushButton::clicked, this, &IntegrationsPage::tryWithSandbox);
    emptyLayout->addWidget(m_trySandbox, 0, Qt::AlignHCenter);
    emptyLayout->addStretch();
    m_stack->addWidget(empty);

    m_model = new IntegrationTableModel(this);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(IntegrationTableModel::SortRole);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);

    auto* splitter = new QSplitter;
    m_table = new QTableView;
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(int(IntegrationTableModel::Column::Name), Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideRight); // a URL keeps its scheme, host and port
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(int(IntegrationTableModel::Column::StatementUrl),
                                                      QHeaderView::Stretch);
    m_table->setAlternatingRowColors(true);
    m_table->addActions({m_edit, m_toggle, m_delete, m_test, m_check});
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);
    connect(m_table, &QTableView::activated, this, &IntegrationsPage::editSelected); // double click, Return
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        // A connection test's result is about the integration it tested: it goes when another is selected.
        const auto current = selected();
        if (m_notice->isVisible() && (!current || current->id != m_noticeFor))
            m_notice->hide();
        showDetails();
        updateActions();
    });
    splitter->addWidget(m_table);
    m_details = new QTextBrowser;
    m_details->setOpenLinks(false);
    m_details->setMinimumWidth(280);
    splitter->addWidget(m_details);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    m_stack->addWidget(splitter);
    layout->addWidget(m_stack, 1);

    // Changes made elsewhere (the CLI, a worker, the engine recording health) come through MainWindow.
    connect(&m_service, &IntegrationService::integrationsChanged, this, &IntegrationsPage::reload);
    reload();
}

QList<QAction*> IntegrationsPage::pageActions() const
{
    return {m_add, m_edit, m_toggle, m_delete, m_test, m_check, m_refresh};
}

void IntegrationsPage::reload()
{
    const auto current = selected();
    QString error;
    const QList<Integration> integrations = m_service.list(&error);
    QHash<qint64, int> queued;
    for (auto [id, lane] : DeliveryQueue(m_store).stats(&error).asKeyValueRange())
        queued.insert(id, lane.queued);
    m_error->setText(error.isEmpty() ? QString() : tr("The integrations could not be read: %1").arg(error));
    m_error->setVisible(!error.isEmpty());
    m_model->setIntegrations(integrations, queued); // resets only when something changed
    m_stack->setCurrentIndex(integrations.isEmpty() ? 0 : 1);
    if (current)
        selectIntegration(current->id);
    else if (!integrations.isEmpty() && !m_table->selectionModel()->hasSelection())
        m_table->selectRow(0);
    int unhealthy = 0;
    for (const Integration& integration : integrations) {
        const auto health = integration.health();
        unhealthy += health == Integration::Health::Held || health == Integration::Health::Retrying;
    }
    Q_EMIT summaryChanged(int(integrations.size()), unhealthy);
    showDetails();
    updateActions();
}

void IntegrationsPage::selectIntegration(qint64 id)
{
    const int sourceRow = m_model->rowOf(id);
    if (sourceRow < 0)
        return;
    const QModelIndex index = m_proxy->mapFromSource(m_model->index(sourceRow, 0));
    if (index.isValid())
        m_table->selectRow(index.row());
}

std::optional<Integration> IntegrationsPage::selected() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return std::nullopt;
    return m_model->integrationAt(m_proxy->mapToSource(rows.first()).row());
}

void IntegrationsPage::updateActions()
{
    // The actions on the selected integration (also in the Integrations menu) act only while the page, and so its
    // selection, is in view.
    const auto integration = isVisible() ? selected() : std::nullopt;
    m_edit->setEnabled(integration.has_value());
    m_delete->setEnabled(integration.has_value());
    m_toggle->setEnabled(integration.has_value());
    m_toggle->setText(integration && !integration->enabled ? tr("E&nable") : tr("&Disable"));
    m_test->setEnabled(integration.has_value() && m_tokens);
    m_check->setEnabled(integration.has_value() && m_tokens);
}

void IntegrationsPage::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    updateActions();
    m_table->setFocus(); // Ctrl+E, Ctrl+Shift+E, Ctrl+T and Del work without a click
}

void IntegrationsPage::hideEvent(QHideEvent* event)
{
    QWidget::hideEvent(event);
    updateActions();
}

void IntegrationsPage::showDetails()
{
    const auto integration = selected();
    if (!integration) {
        m_details->setHtml(tr("<p style=\"color:gray\">Select an integration to see its details.</p>"));
        return;
    }
    const Integration& i = *integration;
    const QString color = Icons::healthColor(i.health()).name();
    QString html = QStringLiteral("<h3>%1</h3><p><span style=\"color:%2\">●</span> %3</p><table>")
                       .arg(i.name.toHtmlEscaped(), color, Integration::healthLabel(i.health()));
    if (!i.holdReason.isEmpty())
        html += row(i.health() == Integration::Health::Held ? tr("Held because") : tr("Last error"),
                    i.holdReason.toHtmlEscaped());
    if (i.health() == Integration::Health::Retrying && i.nextProbeAt.isValid())
        html += row(tr("Next try"), i.nextProbeAt.toLocalTime().toString(QStringLiteral("HH:mm:ss")));
    html += row(tr("Provider"), i.provider.toHtmlEscaped());
    html += row(tr("Technical Emails"), i.emails.isEmpty() ? tr("<i>none — nobody is alerted</i>")
                                                           : i.emails.join(QStringLiteral(", ")).toHtmlEscaped());
    html += row(tr("Statement URL"), i.statementUrl.toString().toHtmlEscaped());
    html += row(tr("xAPI version"), i.xapiVersion == QLatin1String("auto")
                                        ? tr("Auto: %1").arg(XapiDetection::describe(i).toHtmlEscaped())
                                        : i.xapiVersion.toHtmlEscaped());
    html += row(tr("Authentication"), Integration::authLabel(i.auth));
    if (i.auth == Integration::Auth::OAuth2) {
        html += row(tr("Authentication URL"), i.authUrl.toString().toHtmlEscaped());
        html += row(tr("Client ID"), i.clientId.toHtmlEscaped());
        html += row(tr("Credentials"),
                    i.clientCredentialsInBody ? tr("in the token request's form body") : tr("HTTP Basic header"));
        html += row(tr("Client Secret"), i.hasSecret ? tr("stored in the OS keychain") : tr("none"));
    } else if (i.auth == Integration::Auth::Basic) {
        html += row(tr("Username"), i.username.toHtmlEscaped());
        html += row(tr("Password"), i.hasSecret ? tr("stored in the OS keychain") : tr("none"));
    }
    html += row(tr("Status"), i.enabled ? tr("Enabled") : tr("Disabled — statements wait in the queue"));
    html += row(tr("Delivery"), tr("%1 in flight, %2 per request, retry every %3&nbsp;s")
                                    .arg(i.concurrency)
                                    .arg(i.batchSize)
                                    .arg(i.retryIntervalSeconds));
    if (i.enabled) {
        const QString holder = LaneLeases::holderOf(m_store, i.id, Clock::system().now());
        html += row(tr("Delivered by"), holder.isEmpty()
                                            ? tr("<i>nobody now — no worker or desktop app on this store holds it</i>")
                                            : holder.toHtmlEscaped());
    }
    html += row(tr("Alerts"), i.alertsEnabled ? tr("on") : tr("off"));
    QString error;
    const RetentionPolicy retention = m_service.retention(i.id, &error);
    if (!error.isEmpty()) {
        html += row(tr("Retention"), tr("<i>could not be read: %1</i>").arg(error.toHtmlEscaped()));
    } else {
        html += row(tr("Keeps delivered statements"),
                    retention.retentionDays
                        ? tr("%1, then prunes them").arg(RetentionPolicy::daysText(retention.retentionDays))
                        : tr("forever"));
        html += row(tr("Keeps their bodies"), retention.keepBodiesDays
                                                  ? tr("%1, then keeps only status, time and duration")
                                                        .arg(RetentionPolicy::daysText(retention.keepBodiesDays))
                                                  : tr("as long as the statements"));
    }
    html += row(tr("Updated"), i.updatedAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")));
    html += QStringLiteral("</table>");
    m_details->setHtml(html);
}

void IntegrationsPage::openEditor(std::optional<Integration> existing)
{
    QString notice;
    QString onlyRetention;
    if (existing && existing->health() == Integration::Health::Held) {
        // Why it is held, and what saving does about it.
        QString error;
        const LaneStats lane = DeliveryQueue(m_store).stats(&error).value(existing->id);
        const int waiting = lane.held + lane.queued;
        const QString released = waiting == 1 ? tr("1 waiting statement") : tr("%1 waiting statements").arg(waiting);
        const QString reason = existing->holdReason.simplified().left(400);
        notice = tr("Held because: %1\nSaving the integration releases %2: they are sent again.").arg(reason, released);
        onlyRetention = tr("Held because: %1\nOnly the retention changes: %2 stay held.").arg(reason, released);
    }
    auto* dialog = new IntegrationDialog(m_service, std::move(existing), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (!notice.isEmpty())
        dialog->setNotice(notice, onlyRetention);
    connect(dialog, &IntegrationDialog::saved, this, [this](const Integration& integration) {
        reload();
        selectIntegration(integration.id);
    });
    m_dialog = dialog;
    connect(dialog, &QObject::destroyed, this, [this, dialog] {
        if (m_dialog == dialog)
            m_dialog = nullptr;
    });
    connect(dialog, &QDialog::finished, m_table, qOverload<>(&QWidget::setFocus));
    dialog->open();
}

void IntegrationsPage::addIntegration()
{
    openEditor(std::nullopt);
}

void IntegrationsPage::editSelected()
{
    if (const auto integration = selected())
        openEditor(integration);
}

void IntegrationsPage::toggleSelected()
{
    const auto integration = selected();
    if (!integration)
        return;
    QString error;
    if (!m_service.setEnabled(integration->id, !integration->enabled, &error)) {
        m_error->setText(error);
        m_error->show();
    }
}

void IntegrationsPage::deleteSelected()
{
    const auto integration = selected();
    if (!integration)
        return;
    QString error;
    const int waiting = DeliveryQueue(m_store).undelivered(integration->id, &error);
    QStringList lost{tr("its settings")};
    if (integration->hasSecret)
        lost << (integration->auth == Integration::Auth::Basic ? tr("its password in the OS keychain")
                                                               : tr("its client secret in the OS keychain"));
    if (waiting > 0)
        lost << (waiting == 1 ? tr("1 undelivered statement, which will be discarded")
                              : tr("%1 undelivered statements, which will be discarded").arg(waiting));
    lost << tr("its delivery history");
    const QString informative = tr("This removes %1. It cannot be undone.").arg(QLocale().createSeparatedList(lost));
    if (!MessageBox::confirm(this, tr("Delete Integration"), tr("Delete integration “%1”?").arg(integration->name),
                             informative, tr("Delete")))
        return;
    m_delete->setEnabled(false);
    m_service.remove(integration->id, [this](const IntegrationOutcome& outcome) {
        m_error->setText(outcome.ok ? QString() : outcome.error);
        m_error->setVisible(!outcome.ok);
        reload();
    });
}

void IntegrationsPage::setTokenClient(TokenClient* tokens)
{
    m_tokens = tokens;
    updateActions();
}

void IntegrationsPage::testConnection()
{
    const auto integration = selected();
    if (!integration || !m_tokens)
        return;
    m_test->setEnabled(false);
    m_test->setText(tr("Testing…"));
    QPointer<IntegrationsPage> self(this);
    m_tokens->testConnection(
        *integration, this, [self, id = integration->id, name = integration->name](bool ok, const QString& message) {
            if (!self)
                return;
            self->m_noticeFor = id;
            self->m_test->setText(tr("&Test Connection"));
            self->updateActions();
            self->m_notice->setStyleSheet(
                ok ? QStringLiteral("QLabel { background: #e6f4ea; color: #1e6b34; padding: 6px; }")
                   : QStringLiteral("QLabel { background: #fdecea; color: #8a1c1c; padding: 6px; }"));
            // Named: the result belongs to the integration tested, not to whatever is selected later.
            self->m_notice->setText((ok ? QStringLiteral("✔ ") : QStringLiteral("✖ ")) + name + QStringLiteral(": ") +
                                    message);
            self->m_notice->show();
        });
}

QString IntegrationsPage::notice() const
{
    return m_notice->isVisible() ? m_notice->text() : QString();
}

void IntegrationsPage::checkReceiver()
{
    const auto integration = selected();
    if (!integration || !m_tokens)
        return;
    auto* dialog = new ReceiverCheckDialog(*integration, *m_tokens, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void IntegrationsPage::setSandbox(SandboxController* sandbox)
{
    m_sandbox = sandbox;
    m_trySandbox->setVisible(sandbox != nullptr);
}

void IntegrationsPage::tryWithSandbox()
{
    if (!m_sandbox)
        return;
    m_trySandbox->setEnabled(false);
    QPointer<IntegrationsPage> self(this);
    m_sandbox->start([self](qint64 integrationId, const QString& error) {
        if (!self)
            return;
        self->m_trySandbox->setEnabled(true);
        self->reload();
        if (integrationId == 0) {
            self->m_error->setText(tr("The built-in sandbox could not start: %1").arg(error));
            self->m_error->show();
            return;
        }
        self->selectIntegration(integrationId);
        self->m_notice->setStyleSheet(QStringLiteral("QLabel { background: #e6f4ea; color: #1e6b34; padding: 6px; }"));
        self->m_notice->setText(tr("✔ The built-in sandbox runs on this machine and “%1” points at it. Send a "
                                   "statement from the Test Console, check it with Check Receiver…, or make it fail "
                                   "on purpose with the Test Console's sandbox presets.")
                                    .arg(SandboxController::integrationName()));
        self->m_notice->show();
    });
}
