#pragma once

#include <QMainWindow>

class IntegrationService;
class CompletionsPage;
class DeliveryQueuePage;
class CourierRuntime;
class NotificationsPage;
class IntegrationsPage;
class MetricsEndpoint;
class QLabel;
class QListWidget;
class QStackedWidget;
class SecretStore;
class StoreNotifier;
class Store;

// The console: a sidebar of pages, the page, and a status bar with what needs attention.
class MainWindow final : public QMainWindow
{
    Q_OBJECT

public:
    MainWindow(Store& store, SecretStore& secrets, QWidget* parent = nullptr);
    ~MainWindow() override;

    IntegrationsPage* integrationsPage() const { return m_integrationsPage; }
    // GET /metrics of this window, as Settings › Preferences… sets it.
    MetricsEndpoint* metrics() const { return m_metrics; }
    // Settings › Preferences…
    void openPreferences();

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void followOtherProcesses();
    void addPage(QWidget* page, const QIcon& icon, const QString& title);
    void updateSummary(int total, int unhealthy);
    void updateStatusBar();
    void updateMetricsLabel();

    Store& m_store;
    IntegrationService* m_integrations = nullptr; // child of this
    CourierRuntime* m_runtime = nullptr;          // child of this
    MetricsEndpoint* m_metrics = nullptr;         // child of this
    QListWidget* m_sidebar = nullptr;
    QStackedWidget* m_pages = nullptr;
    IntegrationsPage* m_integrationsPage = nullptr;
    NotificationsPage* m_notificationsPage = nullptr;
    DeliveryQueuePage* m_queuePage = nullptr;
    CompletionsPage* m_completionsPage = nullptr;
    StoreNotifier* m_notifier = nullptr; // other desktops' and workers' commits
    QLabel* m_integrationsLabel = nullptr;
    QLabel* m_unhealthyLabel = nullptr;
    QLabel* m_queuedLabel = nullptr;
    QLabel* m_workerLabel = nullptr;
    QLabel* m_metricsLabel = nullptr;
    QLabel* m_storeLabel = nullptr;
};
