#pragma once

#include <QWidget>

class CourierRuntime;
class CompletionTableModel;
class IntegrationService;
class QCheckBox;
class QComboBox;
class QDateEdit;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTableView;
class QTextBrowser;
class SecretStore;
class Store;

// "Did my learners' completions reach the LRS?": the records with filters, each with the statement made from it and
// its delivery to every integration; delete by content, export CSV, and the receiver switched on or off.
class CompletionsPage final : public QWidget
{
    Q_OBJECT

public:
    // The receiver switch starts and stops the runtime's completion receiver.
    CompletionsPage(Store& store, IntegrationService& integrations, CourierRuntime& runtime, QWidget* parent = nullptr);
    ~CompletionsPage() override;

    CompletionTableModel* model() const { return m_model; }
    void applyFilter();
    void deleteContent();
    bool exportCsv(const QString& path, QString* error);
    void setReceiverRunning(bool running);
    // After a commit by any process: the records are read again when they changed (at once while shown, else
    // when shown next).
    void refreshLive();

protected:
    void showEvent(QShowEvent* event) override;

private:
    void showSelected();

    Store& m_store;
    IntegrationService& m_integrations;
    CourierRuntime& m_runtime;
    QLabel* m_receiverHint = nullptr;
    QString m_fingerprint; // of the records as last read
    bool m_stale = false;  // changed while hidden
    CompletionTableModel* m_model = nullptr;
    QLineEdit* m_content = nullptr;
    QLineEdit* m_user = nullptr;
    QCheckBox* m_useDates = nullptr;
    QDateEdit* m_from = nullptr;
    QDateEdit* m_to = nullptr;
    QComboBox* m_outcome = nullptr;
    QDoubleSpinBox* m_threshold = nullptr;
    QDoubleSpinBox* m_minScore = nullptr;
    QDoubleSpinBox* m_maxScore = nullptr;
    QCheckBox* m_receiving = nullptr;
    QSpinBox* m_port = nullptr;
    QLabel* m_receiverState = nullptr;
    QLabel* m_count = nullptr;
    QTableView* m_table = nullptr;
    QTextBrowser* m_detail = nullptr;
};
