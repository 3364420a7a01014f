#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QListWidget;
class QPushButton;
class QTimer;
class SandboxController;

// The sandbox toggle of the Test Console: start/stop, the fault presets, and what it received (statements, newest
// first, and the answer to each request).
class SandboxPanel final : public QWidget
{
    Q_OBJECT

public:
    explicit SandboxPanel(SandboxController& controller, QWidget* parent = nullptr);

    QPushButton* toggleButton() const { return m_toggle; }
    QComboBox* presets() const { return m_presets; }
    QListWidget* received() const { return m_received; }
    QListWidget* requests() const { return m_requests; }
    void refresh();

Q_SIGNALS:
    // Started (with its integration's id) or stopped (0): the console selects it.
    void integrationReady(qint64 integrationId);

private:
    void toggle();

    SandboxController& m_controller;
    QPushButton* m_toggle = nullptr;
    QLabel* m_state = nullptr;
    QComboBox* m_presets = nullptr;
    QListWidget* m_received = nullptr;
    QListWidget* m_requests = nullptr;
    QTimer* m_countdown = nullptr;
};
