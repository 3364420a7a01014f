#include "alerts/Notifier.h"

#include "alerts/AlertComposer.h"
#include "common/Clock.h"
#include "common/Logging.h"
#include "delivery/DeliveryQueue.h"
#include "integrations/IntegrationRepository.h"
#include "secrets/SecretStore.h"

Notifier::Notifier(Store& store, SecretStore& secrets, Clock& clock, const QString& owner, QObject* parent)
    : QObject(parent)
    , m_store(store)
    , m_secrets(secrets)
    , m_clock(clock)
    , m_owner(owner)
    , m_log(store)
{
    m_timer.setInterval(60 * 1000);
    connect(&m_timer, &QTimer::timeout, this, &Notifier::check);
    m_finishGuard.setSingleShot(true);
    m_finishGuard.setInterval(FinishWaitSeconds * 1000);
    connect(&m_finishGuard, &QTimer::timeout, this, [this] {
        for (const qint64 id : std::as_const(m_sending)) {
            QString error;
            m_log.finishFailed(id, m_owner,
                               QStringLiteral("The process stopped before the SMTP server answered; it is tried "
                                              "again by the next process that runs."),
                               m_clock.now(), &error);
            Q_EMIT alertChanged(id);
        }
        qCWarning(lcAlerts) << "Handed back" << m_sending.size() << "alerts the SMTP server had not answered";
        m_sending.clear();
        finishIfDone();
    });
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
    claimAndSend();
}

void Notifier::raise(const Integration& integration, const QString& kind, const QString& reason)
{
    if (!integration.alertsEnabled || integration.emails.isEmpty())
        return;
    const QDateTime now = m_clock.now();
    QString error;
    const SmtpSettings settings = SmtpSettings::load(m_store, &error);
    const AlertFacts facts{integration, kind, reason, DeliveryQueue(m_store).undelivered(integration.id, &error), now};
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
    alert.integrationRevision = integration.revision;
    alert.failingSince = integration.failingSince;
    if (!m_log.raise(alert, now, &error)) {
        qCWarning(lcAlerts) << "Cannot record an alert for" << integration.name << ":" << error;
        return;
    }
    if (alert.id == 0)
        return; // nothing owed: another alert already tells, or nothing went out to take back
    qCInfo(lcAlerts) << "Alert" << alert.id << kind << "for" << integration.name << AlertRecord::stateName(alert.state);
    Q_EMIT alertChanged(alert.id);
}

QString Notifier::staleCause(const AlertRecord& alert) const
{
    QString error;
    const auto integration =
        alert.integrationId > 0 ? IntegrationRepository(m_store).byId(alert.integrationId, &error) : std::nullopt;
    if (!integration)
        return error.isEmpty() ? QStringLiteral("Not sent: the integration was deleted.") : QString();
    if (!integration->enabled)
        return QStringLiteral("Not sent: the integration was disabled.");
    if (!integration->alertsEnabled || integration->emails.isEmpty())
        return QStringLiteral("Not sent: alerts were turned off for the integration, or it has no technical e-mails.");
    const Integration::Health health = integration->health();
    if (!alert.isFailure()) {
        return health == Integration::Health::Healthy
                   ? QString()
                   : QStringLiteral("Not sent: the integration failed again before this note could go out.");
    }
    if (health == Integration::Health::Healthy)
        return QStringLiteral("Not sent: the integration recovered before this alert could go out.");
    if (alert.integrationRevision != integration->revision)
        return QStringLiteral("Not sent: the integration was edited after this alert was raised.");
    if (alert.kind == QLatin1String("held") && health != Integration::Health::Held)
        return QStringLiteral("Not sent: the integration is no longer held (it is retrying).");
    if (alert.kind == QLatin1String("retrying") && health != Integration::Health::Retrying)
        return QStringLiteral("Not sent: the integration is no longer retrying (it is held).");
    return {};
}

void Notifier::check()
{
    QString error;
    for (const Integration& integration : IntegrationRepository(m_store).all(&error)) {
        if (!integration.alertsEnabled || integration.emails.isEmpty())
            continue;
        const auto health = integration.health();
        if (health == Integration::Health::Held || health == Integration::Health::Retrying)
            raise(integration, QStringLiteral("unhealthy"), integration.holdReason);
        else if (health == Integration::Health::Healthy && m_log.lastSentWasFailure(integration.id, &error))
            raise(integration, QStringLiteral("recovered"), QString());
    }
    claimAndSend();
}

void Notifier::claimAndSend()
{
    if (m_finishing)
        return;
    const QDateTime now = m_clock.now();
    QString error;
    const AlertLog::ClaimRound round = m_log.claim(
        m_owner, now, now.addSecs(LeaseSeconds), [this](const AlertRecord& alert) { return staleCause(alert); },
        &error);
    if (!error.isEmpty())
        qCWarning(lcAlerts) << "Cannot claim the alerts that are due:" << error;
    for (const qint64 id : round.changed)
        Q_EMIT alertChanged(id);
    for (const AlertRecord& alert : round.claimed)
        send(alert);
}

void Notifier::finish(bool lastRound)
{
    m_timer.stop();
    if (lastRound)
        claimAndSend();
    m_finishing = true;
    if (!m_sending.isEmpty())
        m_finishGuard.start();
    finishIfDone();
}

void Notifier::finishIfDone()
{
    if (!m_finishing || !m_sending.isEmpty())
        return;
    m_finishGuard.stop();
    Q_EMIT finished();
}

void Notifier::withSmtp(QObject* context,
                        std::function<void(const SmtpSettings&, const QString& password, const QString& error)> then)
{
    QString error;
    const SmtpSettings settings = SmtpSettings::load(m_store, &error);
    if (!settings.isConfigured()) {
        then(settings, {},
             QStringLiteral("SMTP is not configured: set the server in Notifications › SMTP Settings or with "
                            "`xapi-courier settings smtp --host H --port P --security starttls --from ADDRESS`."));
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

void Notifier::send(const AlertRecord& alert)
{
    m_sending.insert(alert.id);
    withSmtp(this, [this, alert](const SmtpSettings& settings, const QString& password, const QString& problem) {
        if (!problem.isEmpty())
            return sent(alert, problem);
        EmailMessage message;
        message.from = settings.from;
        message.to = alert.recipients;
        message.subject = alert.subject;
        message.text = alert.text;
        message.html = alert.html;
        SmtpClient::send(settings, password, message, this, [this, alert](const SmtpResult& result) {
            sent(alert, result.ok ? QString() : result.error);
        });
    });
}

void Notifier::sent(const AlertRecord& alert, const QString& failure)
{
    if (!m_sending.remove(alert.id))
        return; // handed back meanwhile
    QString error;
    if (failure.isEmpty()) {
        if (m_log.finishSent(alert.id, m_owner, m_clock.now(), &error))
            qCInfo(lcAlerts) << "Alert" << alert.id << "sent to" << alert.recipients.join(QStringLiteral(", "));
        else
            qCWarning(lcAlerts) << "Cannot record that alert" << alert.id << "was sent:" << error;
    } else {
        const int waitMinutes = std::min(60, RetryMinutes * (alert.attempts + 1));
        if (!m_log.finishFailed(alert.id, m_owner, failure, m_clock.now().addSecs(waitMinutes * 60), &error))
            qCWarning(lcAlerts) << "Cannot record that alert" << alert.id << "failed:" << error;
        qCWarning(lcAlerts) << "Alert" << alert.id << "not sent, retrying in" << waitMinutes << "min:" << failure;
    }
    Q_EMIT alertChanged(alert.id);
    finishIfDone();
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
