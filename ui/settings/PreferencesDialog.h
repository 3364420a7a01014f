#pragma once

#include <QDialog>

class MetricsEndpoint;
class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;

// Settings › Preferences…: what this desktop app does on this machine. Today: whether it serves GET /metrics for
// Prometheus, and where. Saving applies it to the running app; an address that cannot be bound is refused under the
// field and changes nothing.
class PreferencesDialog final : public QDialog
{
    Q_OBJECT

public:
    explicit PreferencesDialog(MetricsEndpoint& metrics, QWidget* parent = nullptr);

    void accept() override;

    // For tests and people using the keyboard.
    QCheckBox* serveMetrics() const { return m_serve; }
    QLineEdit* metricsAddress() const { return m_address; }
    QPushButton* okButton() const;
    // The sentence under the address: an error, or empty when there is none.
    QString addressError() const;
    // "Served at http://127.0.0.1:9464/metrics", "Not served", or why not.
    QString statusText() const;

private:
    void revalidate();
    void showAddressError(const QString& error);
    void updateStatus();

    MetricsEndpoint& m_metrics;
    QCheckBox* m_serve = nullptr;
    QLineEdit* m_address = nullptr;
    QLabel* m_addressMessage = nullptr;
    QLabel* m_status = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
    bool m_showsError = false;
};
