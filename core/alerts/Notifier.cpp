#include "alerts/Notifier.h"

#include "alerts/AlertComposer.h"
#include "common/Clock.h"
#include "common/Logging.h"
#include "delivery/DeliveryQueue.h"
#include "integrations/IntegrationRepository.h"
#include "secrets/SecretStore.h"

Notifier::Notifier(Store& store, SecretStore& secrets, Clock& clock, QObject* parent)
    : QObject(parent)
    , m_store(store)
    , m_secrets(secrets)
    , m_clock(clock)
    , m_log(store)
{
    m_timer.setInterval(60 * 1000);
    connect(&m_timer, &QTimer::timeout, this, &Notifier::check);
}

void Notifier::start()
{
    m_timer.start();
    check();
}

void Notifier::healthChanged(qint64 integrationId, Integration::Health health, const QString& reason)
{
    QString error;
    const auto integration = IntegrationRepository(m_store).byId(integrationId, &error);
    if (!integration)
        return;
    switch (health) {
    case Integration::Health::Held:
        raise(*integration, QStringLiteral("held"), reason);
        break;
    case Integration::Health::Retrying:
        raise(*integration, QStringLiteral("retrying"), reason);
        break;
    case Integration::Health::Healthy:
        raise(*integration, QStringLiteral("recovered"), QString());
        break;
    case Integration::Health::Disabled:
        break;
    }
}

void Notifier::raise(const Integration& integration, const QString& kind, const QString& reason)
{
    if (!integration.alertsEnabled || integration.emails.isEmpty())
        return;
    const QDateTime now = m_clock.now();
    QString error;
    SmtpSettings settings = SmtpSettings::load(m_store, &error);
    AlertFacts facts{integration, kind, reason, DeliveryQueue(m_store).undelivered(integration.id, &error), now};
    const EmailMessage message = AlertComposer::compose(facts, settings.from);

    AlertRecord alert;
    alert.integrationId = integration.id;
    alert.integrationName = integration.name;
    alert.createdAt = now;
    alert.kind = kind;
    alert.recipients = message.to;
    alert.subject = message.subject;
    alert.text = message.text;
    alert.html = message.html;
    const bool windowUsed = m_log.countedSince(integration.id, now.addSecs(-WindowHours * 3600), &error);
    alert.state = windowUsed ? AlertRecord::State::Suppressed : AlertRecord::State::Pending;
    if (windowUsed)
        alert.error = QStringLiteral("Suppressed: an alert for this integration went out less than 24 hours ago.");
    else
        alert.nextAttemptAt = now;
    if (!m_log.insert(alert, &error)) {
        qCWarning(lcAlerts) << "Cannot record an alert for" << integration.name << ":" << error;
        return;
    }
    qCInfo(lcAlerts) << "Alert" << kind << "for" << integration.name << AlertRecord::stateName(alert.state);
    Q_EMIT alertChanged(alert.id);
    if (!windowUsed)
        deliver(alert);
}

void Notifier::check()
{
    const QDateTime now = m_clock.now();
    const QDateTime windowStart = now.addSecs(-WindowHours * 3600);
    QString error;
    // Still unhealthy and nothing told for a whole window: remind.
    for (const Integration& integration : IntegrationRepository(m_store).all(&error)) {
        const auto health = integration.health();
        if ((health == Integration::Health::Held || health == Integration::Health::Retrying) &&
            integration.alertsEnabled && !integration.emails.isEmpty() &&
            !m_log.countedSince(integration.id, windowStart, &error)) {
            raise(integration, QStringLiteral("unhealthy"), integration.holdReason);
        }
    }
    for (const AlertRecord& alert : m_log.due(now, windowStart, &error))
        deliver(alert);
}

void Notifier::withSmtp(QObject* context,
                        std::function<void(const SmtpSettings&, const QString& password, const QString& error)> then)
{
    QString error;
    const SmtpSettings settings = SmtpSettings::load(m_store, &error);
    if (!settings.isConfigured()) {
        then(settings, {},
             QStringLiteral("SMTP is not configured: set the server in Settings or with `xapi-courier settings smtp "
                            "--host H --port P --security starttls --from ADDRESS`."));
        return;
    }
    if (!settings.hasPassword) {
        then(settings, {}, {});
        return;
    }
    m_secrets.read(SmtpSettings::passwordKey(), context, [settings, then](const SecretResult& read) {
        if (!read.ok())
            then(settings, {}, QStringLiteral("The SMTP password could not be read: %1").arg(read.message));
        else
            then(settings, read.value, {});
    });
}

void Notifier::deliver(const AlertRecord& alert)
{
    if (m_sending.contains(alert.id))
        return;
    m_sending.insert(alert.id);
    withSmtp(this, [this, alert](const SmtpSettings& settings, const QString& password, const QString& problem) {
        auto failed = [this, alert](const QString& reason) {
            m_sending.remove(alert.id);
            const int waitMinutes = std::min(60, RetryMinutes * (alert.attempts + 1));
            QString error;
            m_log.markFailed(alert.id, reason, m_clock.now().addSecs(waitMinutes * 60), &error);
            qCWarning(lcAlerts) << "Alert" << alert.id << "not sent, retrying in" << waitMinutes << "min:" << reason;
            Q_EMIT alertChanged(alert.id);
        };
        if (!problem.isEmpty())
            return failed(problem);
        EmailMessage message;
        message.from = settings.from;
        message.to = alert.recipients;
        message.subject = alert.subject;
        message.text = alert.text;
        message.html = alert.html;
        SmtpClient::send(settings, password, message, this, [this, alert, failed](const SmtpResult& result) {
            if (!result.ok)
                return failed(result.error);
            m_sending.remove(alert.id);
            QString error;
            m_log.markSent(alert.id, m_clock.now(), &error);
            qCInfo(lcAlerts) << "Alert" << alert.id << "sent to" << alert.recipients.join(QStringLiteral(", "));
            Q_EMIT alertChanged(alert.id);
        });
    });
}

void Notifier::sendTest(const QString& to, QObject* context, std::function<void(const SmtpResult&)> done)
{
    withSmtp(context,
             [to, context, done](const SmtpSettings& settings, const QString& password, const QString& problem) {
                 if (!problem.isEmpty()) {
                     SmtpResult result;
                     result.error = problem;
                     return done(result);
                 }
                 SmtpClient::send(settings, password, AlertComposer::testMessage(settings.from, to), context, done);
             });
}
