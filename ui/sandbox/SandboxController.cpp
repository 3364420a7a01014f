#include "sandbox/SandboxController.h"

#include "integrations/IntegrationService.h"
#include "sandbox/Sandbox.h"

namespace {
const QString provider = QStringLiteral("xapi-courier-sandbox");
}

SandboxController::SandboxController(IntegrationService& integrations, QObject* parent)
    : QObject(parent)
    , m_integrations(integrations)
{
    m_outageEnd.setSingleShot(true);
    connect(&m_outageEnd, &QTimer::timeout, this, [this] { setPreset(Preset::Behaves); });
}

SandboxController::~SandboxController() = default;

QString SandboxController::presetLabel(Preset preset)
{
    switch (preset) {
    case Preset::Behaves:
        return tr("Behaves");
    case Preset::Outage:
        return tr("Outage for 2 minutes");
    case Preset::RejectsEverything:
        return tr("Rejects everything");
    case Preset::Slow:
        return tr("Slow: 2 s");
    }
    return QString();
}

void SandboxController::start(std::function<void(qint64, const QString&)> done)
{
    QString error;
    std::optional<Integration> existing = m_integrations.repository().find(integrationName(), &error);
    if (!m_sandbox) {
        auto sandbox = std::make_unique<Sandbox>();
        QList<quint16> ports;
        if (existing && existing->statementUrl.host() == QLatin1String("127.0.0.1") && existing->statementUrl.port() > 0)
            ports << quint16(existing->statementUrl.port());
        ports << PreferredPort << 0;
        bool listening = false;
        for (quint16 port : std::as_const(ports)) {
            if ((listening = sandbox->listen(port, &error)))
                break;
        }
        if (!listening)
            return done(0, error);
        m_sandbox = std::move(sandbox);
        connect(m_sandbox.get(), &Sandbox::requestLogged, this, &SandboxController::activity);
        setPreset(m_preset);
        Q_EMIT runningChanged(true);
    }
    Integration draft = existing.value_or(Integration());
    const QUrl url = m_sandbox->statementsUrl();
    if (existing && existing->statementUrl == url && existing->auth == Integration::Auth::None)
        return done(existing->id, QString());
    if (!existing) {
        draft.name = integrationName();
        draft.provider = provider;
    }
    draft.statementUrl = url;
    draft.auth = Integration::Auth::None;
    const auto saved = [done](const IntegrationOutcome& outcome) {
        if (outcome.ok)
            return done(outcome.integration.id, QString());
        QStringList problems;
        for (const FieldIssue& issue : outcome.issues)
            problems << issue.toText();
        done(0, outcome.error.isEmpty() ? problems.join(QStringLiteral("; ")) : outcome.error);
    };
    if (existing)
        m_integrations.update(draft, QString(), saved);
    else
        m_integrations.add(draft, QString(), saved);
}

void SandboxController::stop()
{
    if (!m_sandbox)
        return;
    m_outageEnd.stop();
    m_sandbox.reset();
    Q_EMIT runningChanged(false);
}

void SandboxController::setPreset(Preset preset)
{
    m_preset = preset;
    m_outageEnd.stop();
    if (m_sandbox) {
        QString error;
        switch (preset) {
        case Preset::Behaves:
            m_sandbox->setFaults(QString(), &error);
            break;
        case Preset::Outage:
            // Every request fails until the two minutes are up, however many the engine sends meanwhile.
            m_sandbox->setFaults(QStringLiteral("503*1000000"), &error);
            m_outageEnd.start(OutageSeconds * 1000);
            break;
        case Preset::RejectsEverything:
            m_sandbox->setFaults(QStringLiteral("400*1000000"), &error);
            break;
        case Preset::Slow:
            m_sandbox->setFaults(QStringLiteral("delay=2000"), &error);
            break;
        }
    }
    Q_EMIT presetChanged(preset);
}

int SandboxController::outageSecondsLeft() const
{
    return m_outageEnd.isActive() ? (m_outageEnd.remainingTime() + 999) / 1000 : 0;
}
