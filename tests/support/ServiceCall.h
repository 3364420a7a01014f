#pragma once

#include "integrations/IntegrationService.h"

#include <QSignalSpy>
#include <QTest>

#include <optional>

// Waits (in the event loop, as the GUI would) for one asynchronous IntegrationService call to finish.
class ServiceCall final : public QObject
{
    Q_OBJECT

public:
    IntegrationCallback callback()
    {
        return [this](const IntegrationOutcome& outcome) {
            m_outcome = outcome;
            Q_EMIT finished();
        };
    }
    // Call with the callback already handed out; waits up to timeoutMs.
    IntegrationOutcome wait(int timeoutMs = 20000)
    {
        if (!m_outcome) {
            QSignalSpy spy(this, &ServiceCall::finished);
            spy.wait(timeoutMs);
        }
        return m_outcome.value_or(IntegrationOutcome{false, {}, {}, QStringLiteral("timed out")});
    }

Q_SIGNALS:
    void finished();

private:
    std::optional<IntegrationOutcome> m_outcome;
};

inline IntegrationOutcome addAndWait(IntegrationService& service, const Integration& draft, const QString& secret)
{
    ServiceCall call;
    service.add(draft, secret, call.callback());
    return call.wait();
}

inline IntegrationOutcome updateAndWait(IntegrationService& service, const Integration& draft, const QString& secret)
{
    ServiceCall call;
    service.update(draft, secret, call.callback());
    return call.wait();
}

inline IntegrationOutcome removeAndWait(IntegrationService& service, qint64 id)
{
    ServiceCall call;
    service.remove(id, call.callback());
    return call.wait();
}

inline Integration sampleIntegration(const QString& name = QStringLiteral("Acme LRS"),
                                     const QString& provider = QStringLiteral("acme"))
{
    Integration integration;
    integration.name = name;
    integration.provider = provider;
    integration.emails = {QStringLiteral("ops@acme.example")};
    integration.statementUrl = QUrl(QStringLiteral("https://lrs.acme.example/xapi/statements"));
    integration.auth = Integration::Auth::OAuth2;
    integration.authUrl = QUrl(QStringLiteral("https://auth.acme.example/oauth/token"));
    integration.clientId = QStringLiteral("courier");
    return integration;
}
