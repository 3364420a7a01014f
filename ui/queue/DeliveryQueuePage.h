#pragma once

#include "delivery/BulkAction.h"

#include <QPointer>
#include <QWidget>

#include <functional>

class DeliveryActions;
class DeliveryChartsPanel;
class DeliveryTableModel;
class HealthCard;
class IntegrationService;
class QComboBox;
class QHBoxLayout;
class FlowLayout;
class QLabel;
class QScrollArea;
class QTabWidget;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTableView;
class QTextBrowser;
class QToolBar;
class Store;

// Support's view of the queue: a health card per integration, then two tabs: the deliveries with filters and search,
// and every attempt of the selected delivery, with retry, resend, discard, replay and export; and the delivery charts.
class DeliveryQueuePage final : public QWidget
{
    Q_OBJECT

public:
    static constexpr int ShownAttempts = 20;               // in the detail pane, newest first
    static constexpr int EmptyTextRole = Qt::UserRole + 1; // of the state filter's items

    DeliveryQueuePage(Store& store, IntegrationService& integrations, QWidget* parent = nullptr);
    ~DeliveryQueuePage() override;

    DeliveryTableModel* model() const { return m_model; }
    DeliveryChartsPanel* charts() const { return m_charts; }
    // Shows the Deliveries tab (0) or the Charts tab (1).
    void showTab(int index);
    void reload();
    void resendSelected();
    void discardSelected();
    void replay();
    void exportFailed();
    // The store changed (this window's engine, another desktop, a worker): cards and table follow.
    void refreshLive();
    // The bulk action running now (resend, discard, replay of many), if any.
    BulkAction* bulkAction() const { return m_bulk; }

Q_SIGNALS:
    void editIntegrationRequested(qint64 integrationId);
    void queuedChanged(int queued);

protected:
    void showEvent(QShowEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void reloadCards();
    void fitCards();
    void applyFilter();
    void showAttempts();
    QList<qint64> selectedIds() const;
    void report(const QString& text, bool error = false);
    // Runs step over ids a chunk at a time with a progress bar and Cancel; summary says what was done.
    void runBulk(const QList<qint64>& ids, BulkAction::Step step,
                 std::function<QString(int changed, bool cancelled)> summary);

    Store& m_store;
    IntegrationService& m_integrations;
    std::unique_ptr<DeliveryActions> m_actions;
    FlowLayout* m_cards = nullptr;
    QScrollArea* m_cardsArea = nullptr;
    QList<HealthCard*> m_cardWidgets;
    QLabel* m_noIntegrations = nullptr;
    QComboBox* m_integrationFilter = nullptr;
    QComboBox* m_stateFilter = nullptr;
    QLineEdit* m_search = nullptr;
    QLabel* m_count = nullptr;
    QLabel* m_message = nullptr;
    qint64 m_messageAbout = 0; // the integration a "probing now" message is about, until the probe is answered
    QToolBar* m_toolbar = nullptr;
    QWidget* m_progressRow = nullptr;
    QProgressBar* m_progress = nullptr;
    QPointer<BulkAction> m_bulk;
    DeliveryTableModel* m_model = nullptr;
    QTableView* m_table = nullptr;
    QTextBrowser* m_attempts = nullptr;
    QTabWidget* m_tabs = nullptr;
    DeliveryChartsPanel* m_charts = nullptr;
    bool m_tableStale = false; // the store changed while the page was hidden: the table reloads when it shows
};
