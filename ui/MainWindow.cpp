#include "MainWindow.h"

#include "alerts/NotificationsPage.h"
#include "completions/CompletionsPage.h"
#include "console/TestConsolePage.h"
#include "delivery/DeliveryEngine.h"
#include "delivery/HttpTransport.h"
#include "delivery/TokenClient.h"
#include "erasure/EraseLearnerDialog.h"
#include "queue/DeliveryQueuePage.h"
#include "runtime/CourierRuntime.h"
#include "sandbox/SandboxController.h"
#include "settings/MetricsEndpoint.h"
#include "settings/PreferencesDialog.h"

#include "common/Clock.h"
#include "common/Icons.h"
#include "common/Logging.h"
#include "delivery/DeliveryQueue.h"
#include "delivery/LaneLeases.h"
#include "integrations/IntegrationService.h"
#include "integrations/IntegrationsPage.h"
#include "store/Store.h"
#include "store/StoreNotifier.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTimer>

MainWindow::MainWindow(Store& store, SecretStore& secrets, QWidget* parent)
    : QMainWindow(parent)
    , m_store(store)
{
    setWindowTitle(tr("xAPI Courier"));
    setWindowIcon(Icons::application());
    m_integrations = new IntegrationService(store, secrets, this);

    m_sidebar = new QListWidget;
    m_sidebar->setIconSize(QSize(20, 20));
    m_sidebar->setSpacing(2);
    m_sidebar->setFrameShape(QFrame::NoFrame);
    m_sidebar->setMinimumWidth(170);
    m_sidebar->setMaximumWidth(240);
    m_sidebar->setBackgroundRole(QPalette::AlternateBase);
    m_sidebar->setAutoFillBackground(true);
    m_pages = new QStackedWidget;
    auto* splitter = new QSplitter;
    splitter->addWidget(m_sidebar);
    splitter->addWidget(m_pages);
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);
    setCentralWidget(splitter);
    connect(m_sidebar, &QListWidget::currentRowChanged, m_pages, &QStackedWidget::setCurrentIndex);

    m_integrationsPage = new IntegrationsPage(store, *m_integrations);
    addPage(m_integrationsPage, Icons::themed(QStringLiteral("network-server"), QStringLiteral("integrations")),
            tr("Integrations"));
    connect(m_integrationsPage, &IntegrationsPage::summaryChanged, this, &MainWindow::updateSummary);
    // This window delivers too: it shares the integrations' lanes with the workers and windows on the same store.
    m_runtime = new CourierRuntime(store, secrets, Clock::system(),
                                   LaneLeases::describeThisProcess(QStringLiteral("desktop app")), this);
    auto* console = new TestConsolePage(store, *m_integrations, m_runtime->transport());
    addPage(console, Icons::themed(QStringLiteral("utilities-terminal"), QStringLiteral("console")), tr("Test Console"));
    // The built-in sandbox LRS, shared by the Test Console's toggle and the Integrations page's empty state.
    auto* sandbox = new SandboxController(*m_integrations, this);
    console->setReceiverTools(sandbox, &m_runtime->tokens());
    m_integrationsPage->setSandbox(sandbox);
    auto* queuePage = new DeliveryQueuePage(store, *m_integrations);
    m_queuePage = queuePage;
    addPage(queuePage, Icons::themed(QStringLiteral("mail-send-receive"), QStringLiteral("queue")),
            tr("Delivery Queue"));
    connect(queuePage, &DeliveryQueuePage::editIntegrationRequested, this, [this](qint64 id) {
        m_sidebar->setCurrentRow(0);
        m_integrationsPage->selectIntegration(id);
        m_integrationsPage->editSelected();
    });
    m_completionsPage = new CompletionsPage(store, *m_integrations, *m_runtime);
    auto* completionsPage = m_completionsPage;
    addPage(completionsPage, Icons::themed(QStringLiteral("emblem-ok"), QStringLiteral("completions")),
            tr("Completions"));
    m_integrationsPage->setTokenClient(&m_runtime->tokens());
    m_notificationsPage = new NotificationsPage(store, secrets, *m_integrations, m_runtime->notifier());
    addPage(m_notificationsPage, Icons::themed(QStringLiteral("mail-message"), QStringLiteral("notifications")),
            tr("Notifications"));

    auto* fileMenu = menuBar()->addMenu(tr("&File"));
    QAction* eraseLearner = fileMenu->addAction(tr("&Erase Learner…"), this, [this] {
        auto* dialog = new EraseLearnerDialog(m_store, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->open();
    });
    eraseLearner->setObjectName(QStringLiteral("eraseLearner"));
    eraseLearner->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Delete));
    fileMenu->addSeparator();
    QAction* quit = fileMenu->addAction(tr("&Quit"), qApp, &QApplication::closeAllWindows);
    quit->setShortcut(QKeySequence::Quit);
    auto* integrationsMenu = menuBar()->addMenu(tr("&Integrations"));
    integrationsMenu->addActions(m_integrationsPage->pageActions());
    auto* viewMenu = menuBar()->addMenu(tr("&View"));
    for (int page = 0; page < m_sidebar->count(); ++page) {
        QAction* go = viewMenu->addAction(m_sidebar->item(page)->icon(), m_sidebar->item(page)->text(), this,
                                          [this, page] { m_sidebar->setCurrentRow(page); });
        go->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + page)));
    }
    auto* settingsMenu = menuBar()->addMenu(tr("&Settings"));
    QAction* preferences = settingsMenu->addAction(QIcon::fromTheme(QStringLiteral("preferences-system")),
                                                   tr("&Preferences…"), this, &MainWindow::openPreferences);
    preferences->setObjectName(QStringLiteral("preferences"));
    preferences->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    preferences->setMenuRole(QAction::PreferencesRole);
    auto* helpMenu = menuBar()->addMenu(tr("&Help"));
    helpMenu->addAction(tr("&About xAPI Courier"), this, [this] {
        QMessageBox::about(
            this, tr("About xAPI Courier"),
            tr("<h3>xAPI Courier %1</h3><p>Delivers xAPI statements to your integrations, by the "
               "portal's error policy, with secrets kept in the OS keychain.</p><p>Store: %2</p>")
                .arg(QApplication::applicationVersion(), m_store.location().displayName().toHtmlEscaped()));
    });

    m_integrationsLabel = new QLabel;
    m_unhealthyLabel = new QLabel;
    m_queuedLabel = new QLabel;
    m_workerLabel = new QLabel;
    m_workerLabel->setObjectName(QStringLiteral("deliveringLabel"));
    m_storeLabel = new QLabel(m_store.location().displayName());
    m_storeLabel->setForegroundRole(QPalette::PlaceholderText);
    m_metricsLabel = new QLabel;
    m_metricsLabel->setObjectName(QStringLiteral("metricsLabel"));
    m_metricsLabel->hide();
    for (QLabel* label : {m_integrationsLabel, m_unhealthyLabel, m_queuedLabel, m_workerLabel, m_metricsLabel})
        statusBar()->addWidget(label);
    statusBar()->addPermanentWidget(m_storeLabel);
    auto* poll = new QTimer(this);
    poll->setInterval(2000);
    connect(poll, &QTimer::timeout, this, &MainWindow::updateStatusBar);
    poll->start();

    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1200, 760);
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    splitter->restoreState(settings.value(QStringLiteral("window/splitter")).toByteArray());
    m_sidebar->setCurrentRow(
        std::clamp(settings.value(QStringLiteral("window/page")).toInt(), 0, m_sidebar->count() - 1));
    m_integrationsPage->reload();
    updateStatusBar();
    m_runtime->start();
    // GET /metrics, when Settings › Preferences… turned it on on this machine.
    m_metrics = new MetricsEndpoint(*m_runtime, this);
    connect(m_metrics, &MetricsEndpoint::changed, this, &MainWindow::updateMetricsLabel);
    m_metrics->applySaved();
    followOtherProcesses();
}

void MainWindow::openPreferences()
{
    auto* dialog = new PreferencesDialog(*m_metrics, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void MainWindow::updateMetricsLabel()
{
    const QUrl url = m_metrics->url();
    if (!url.isEmpty()) {
        m_metricsLabel->setText(tr("metrics: %1").arg(url.authority()));
        m_metricsLabel->setToolTip(tr("Prometheus can scrape %1 (Settings › Preferences…)").arg(url.toString()));
    } else {
        m_metricsLabel->setText(tr("<b style=\"color:#c62828\">metrics not served</b>"));
        m_metricsLabel->setToolTip(tr("%1\nChange the address in Settings › Preferences….").arg(m_metrics->error()));
    }
    m_metricsLabel->setVisible(!url.isEmpty() || !m_metrics->error().isEmpty());
}

MainWindow::~MainWindow() = default;

void MainWindow::followOtherProcesses()
{
    // What this window's engine records, and what another desktop or a worker commits, shows here within about a
    // second: changes are gathered for a moment, then the integrations (health included), the queue and the status
    // bar are read again.
    auto* settle = new QTimer(this);
    settle->setSingleShot(true);
    settle->setInterval(300);
    connect(settle, &QTimer::timeout, this, [this] {
        m_integrations->followStore();
        m_integrationsPage->reload();
        m_queuePage->refreshLive();
        m_completionsPage->refreshLive();
        updateStatusBar();
    });
    const auto changed = [settle] {
        if (!settle->isActive())
            settle->start();
    };
    connect(&m_runtime->engine(), &DeliveryEngine::recorded, settle, changed);
    connect(&m_runtime->engine(), &DeliveryEngine::healthChanged, settle, changed);
    connect(&m_runtime->engine(), &DeliveryEngine::activeChanged, settle, changed);
    m_notifier = new StoreNotifier(m_store, this);
    connect(m_notifier, &StoreNotifier::changed, settle, changed);
    QString error;
    if (!m_notifier->start(&error))
        qCWarning(lcStore) << "Changes made by other processes will show only after Refresh or a change made here:"
                           << error;
}

void MainWindow::addPage(QWidget* page, const QIcon& icon, const QString& title)
{
    auto* item = new QListWidgetItem(icon, title, m_sidebar);
    item->setData(Qt::UserRole, title);
    item->setSizeHint(QSize(0, 34));
    m_pages->addWidget(page);
}

void MainWindow::updateSummary(int total, int unhealthy)
{
    m_integrationsLabel->setText(total == 1 ? tr("1 integration") : tr("%1 integrations").arg(total));
    m_unhealthyLabel->setText(unhealthy > 0 ? tr("<b style=\"color:#c62828\">%1 not healthy</b>").arg(unhealthy)
                                            : (total > 0 ? tr("all healthy") : QString()));
    QListWidgetItem* item = m_sidebar->item(0);
    const QString title = item->data(Qt::UserRole).toString();
    item->setText(unhealthy > 0 ? QStringLiteral("%1  (%2)").arg(title).arg(unhealthy) : title);
    item->setToolTip(unhealthy > 0 ? tr("%1 not healthy").arg(unhealthy) : QString());
}

void MainWindow::updateStatusBar()
{
    QString error;
    int queued = 0;
    for (const LaneStats& lane : DeliveryQueue(m_store).stats(&error))
        queued += lane.queued;
    m_queuedLabel->setText(tr("%1 queued").arg(queued));
    const QStringList holders = LaneLeases::holders(m_store, Clock::system().now());
    if (holders.size() > 1)
        m_workerLabel->setText(tr("delivering: %1 processes").arg(holders.size()));
    else
        m_workerLabel->setText(holders.isEmpty() ? tr("no worker is delivering")
                                                 : tr("delivering: %1").arg(holders[0]));
    m_workerLabel->setToolTip(holders.join(QLatin1Char('\n')));
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    // Requests and alert e-mails in flight are answered and recorded first (an e-mail sent but not recorded would
    // be sent again by the next process).
    if (!m_runtime->hasStopped()) {
        event->ignore();
        statusBar()->showMessage(tr("Closing: waiting for the requests and alert e-mails in flight…"));
        // Queued: stopped() may come at once, from inside this event, where close() would be ignored.
        connect(m_runtime, &CourierRuntime::stopped, this, &QWidget::close,
                Qt::ConnectionType(Qt::QueuedConnection | Qt::UniqueConnection));
        m_runtime->stop();
        return;
    }
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    if (auto* splitter = qobject_cast<QSplitter*>(centralWidget()))
        settings.setValue(QStringLiteral("window/splitter"), splitter->saveState());
    settings.setValue(QStringLiteral("window/page"), m_sidebar->currentRow());
    event->accept();
}
