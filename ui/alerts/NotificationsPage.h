#pragma once

#include <QWidget>

class AlertTableModel;
class IntegrationService;
class Notifier;
class QComboBox;
class QSortFilterProxyModel;
class QStackedWidget;
class QTableView;
class QTextBrowser;
class SecretStore;
class Store;

// Every alert: when, to whom, about what, and whether it went out — with a filter by integration.
class NotificationsPage final : public QWidget
{
    Q_OBJECT

public:
    NotificationsPage(Store& store, SecretStore& secrets, IntegrationService& integrations, Notifier& notifier,
                      QWidget* parent = nullptr);

    AlertTableModel* model() const { return m_model; }
    void reload();
    void openSmtpSettings();

private:
    void reloadIntegrations();
    void showSelected();

    Store& m_store;
    SecretStore& m_secrets;
    IntegrationService& m_integrations;
    Notifier& m_notifier;
    QComboBox* m_filter = nullptr;
    AlertTableModel* m_model = nullptr;
    QSortFilterProxyModel* m_proxy = nullptr;
    QStackedWidget* m_stack = nullptr;
    QTableView* m_table = nullptr;
    QTextBrowser* m_message = nullptr;
};
