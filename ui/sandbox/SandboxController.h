#pragma once

#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>

class IntegrationService;
class Sandbox;

// The built-in sandbox LRS of the desktop app: started and stopped from the Test Console or the Integrations page's
// empty state, kept at one integration ("Built-in sandbox") that points at it, with the fault presets the Test
// Console offers. Statements are kept in memory, for as long as it runs.
class SandboxController final : public QObject
{
    Q_OBJECT

public:
    enum class Preset { Behaves, Outage, RejectsEverything, Slow };
    static constexpr quint16 PreferredPort = 8099;
    static constexpr int OutageSeconds = 120;

    explicit SandboxController(IntegrationService& integrations, QObject* parent = nullptr);
    ~SandboxController() override;

    static QString integrationName() { return QStringLiteral("Built-in sandbox"); }
    static QString presetLabel(Preset preset);

    bool isRunning() const { return m_sandbox != nullptr; }
    Sandbox* sandbox() const { return m_sandbox.get(); }
    Preset preset() const { return m_preset; }
    // Starts it (on the port its integration already points at, else 8099, else any free one) and adds or updates
    // the integration; done with that integration's id, or 0 and the reason.
    void start(std::function<void(qint64 integrationId, const QString& error)> done);
    void stop();
    // "outage for 2 minutes" (503 until two minutes have passed), "rejects everything" (400), "slow: 2 s".
    void setPreset(Preset preset);
    // Seconds left of the outage preset (0 when none).
    int outageSecondsLeft() const;

Q_SIGNALS:
    void runningChanged(bool running);
    void presetChanged(SandboxController::Preset preset);
    // Something arrived (a request answered, a statement stored).
    void activity();

private:
    IntegrationService& m_integrations;
    std::unique_ptr<Sandbox> m_sandbox;
    Preset m_preset = Preset::Behaves;
    QTimer m_outageEnd;
};
