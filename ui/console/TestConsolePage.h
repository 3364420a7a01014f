#pragma once

#include "console/TestSendLog.h"
#include <QSet>
#include <QWidget>

class DeliveryTransport;
class IntegrationService;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTableWidget;
class QTabWidget;
class StatementForm;
class SandboxController;
class SandboxPanel;
class Store;
class TokenClient;
class QHBoxLayout;
class QVBoxLayout;

// Build a statement in a form or as JSON (kept in step), see the validator's findings as you type, fire it at an
// integration and read exactly what came back. Every send is kept in a history that can be reopened and re-sent.
class TestConsolePage final : public QWidget
{
    Q_OBJECT

public:
    TestConsolePage(Store& store, IntegrationService& integrations, DeliveryTransport& transport,
                    QWidget* parent = nullptr);

    void send();
    void sendSameIdAgain();
    void regenerateId();
    void reloadIntegrations();
    QString statementText() const;
    // The sandbox toggle with its presets and what it received (under the history), and Check Receiver… for the
    // integration chosen here.
    void setReceiverTools(SandboxController* sandbox, TokenClient* tokens);
    void checkReceiver();
    SandboxPanel* sandboxPanel() const { return m_sandboxPanel; }
    void setStatementText(const QString& json);

Q_SIGNALS:
    void sent(const TestSend& send);

private:
    QWidget* buildResponse();
    void jsonChanged();
    // The statement on screen, as typed; empty when it does not parse.
    QByteArray screenStatement() const;
    void goToFinding();
    void showSend(const TestSend& send);
    void reloadHistory();
    void openHistoryEntry(int row);
    void replaceStatement(const QString& text);
    void fire(const QByteArray& body);

    Store& m_store;
    IntegrationService& m_integrations;
    DeliveryTransport& m_transport;
    QSet<QString> m_sentIds; // the statement ids in the history: what "Send the Same Id Again" can send again
    bool m_sending = false;

    QComboBox* m_integration = nullptr;
    StatementForm* m_form = nullptr;
    QComboBox* m_xapiVersion = nullptr;
    QTabWidget* m_editorTabs = nullptr;
    QPlainTextEdit* m_json = nullptr;
    QListWidget* m_findings = nullptr;
    QPushButton* m_send = nullptr;
    QPushButton* m_again = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_status = nullptr;
    QLabel* m_timing = nullptr;
    QLabel* m_message = nullptr; // what went wrong, in words, and whether the statement was sent
    QPlainTextEdit* m_body = nullptr;
    QTableWidget* m_headers = nullptr;
    QPlainTextEdit* m_request = nullptr;
    QListWidget* m_history = nullptr;
    QList<TestSend> m_sends;
    QVBoxLayout* m_historyLayout = nullptr;
    QHBoxLayout* m_topLayout = nullptr;
    SandboxPanel* m_sandboxPanel = nullptr;
    TokenClient* m_tokens = nullptr;
};
