#pragma once

#include "integrations/Integration.h"

#include <QWidget>

class IntegrationService;
class IntegrationTableModel;
class QAction;
class QLabel;
class QLineEdit;
class QPushButton;
class SandboxController;
class QSortFilterProxyModel;
class QStackedWidget;
class QTableView;
class QTextBrowser;
class Store;
class TokenClient;

// Integrations: the table, a details pane, and the actions an admin needs (add, edit, enable/disable, delete).
class IntegrationsPage final : public QWidget
{
    Q_OBJECT

public:
    IntegrationsPage(Store& store, IntegrationService& service, QWidget* parent = nullptr);

    QList<QAction*> pageActions() const;
    IntegrationTableModel* model() const { return m_model; }
    QTableView* table() const { return m_table; }
    // The dialog currently open, for tests.
    class IntegrationDialog* openDialog() const { return m_dialog; }
    QString notice() const;

    void reload();
    void addIntegration();
    void editSelected();
    void toggleSelected();
    void deleteSelected();
    void selectIntegration(qint64 id);
    void testConnection();
    // Enables "Test Connection" (fetching a token needs the network and the keychain).
    void setTokenClient(TokenClient* tokens);
    // Check Receiver…: the receiver check of the selected integration (ReceiverCheckDialog).
    void checkReceiver();
    QAction* checkReceiverAction() const { return m_check; }
    // Offers "Try with the built-in sandbox" in the empty state.
    void setSandbox(SandboxController* sandbox);
    void tryWithSandbox();

Q_SIGNALS:
    // count of integrations, count not healthy (held or retrying)
    void summaryChanged(int total, int unhealthy);

protected:
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;

private:
    std::optional<Integration> selected() const;
    void showDetails();
    void updateActions();
    void openEditor(std::optional<Integration> existing);

    Store& m_store;
    IntegrationService& m_service;
    IntegrationTableModel* m_model = nullptr;
    QSortFilterProxyModel* m_proxy = nullptr;
    QStackedWidget* m_stack = nullptr;
    QTableView* m_table = nullptr;
    QTextBrowser* m_details = nullptr;
    QLineEdit* m_filter = nullptr;
    QLabel* m_error = nullptr;
    QLabel* m_notice = nullptr; // the outcome of the last Test Connection
    qint64 m_noticeFor = 0;     // ... of this integration
    QAction* m_add = nullptr;
    QAction* m_edit = nullptr;
    QAction* m_toggle = nullptr;
    QAction* m_delete = nullptr;
    QAction* m_refresh = nullptr;
    QAction* m_test = nullptr;
    TokenClient* m_tokens = nullptr;
    QAction* m_check = nullptr;
    SandboxController* m_sandbox = nullptr;
    QPushButton* m_trySandbox = nullptr;
    class IntegrationDialog* m_dialog = nullptr;
};
