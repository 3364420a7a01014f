#pragma once

#include "alerts/AlertLog.h"
#include "alerts/SmtpClient.h"
#include "integrations/Integration.h"

#include <QObject>
#include <QSet>
#include <QTimer>

class Clock;
class SecretStore;
class Store;

// Tells an integration's technical contacts when its deliveries fail: on entering held or retrying, again while it
// stays unhealthy, and once when it works again after a failure alert went out — at most one failure e-mail per
// integration per 24 hours, however many processes (desktop apps, workers) share the store. Each alert is a row that
// one process claims (AlertLog::claim), sends off the event loop and records; one whose cause is gone before it could
// go out is superseded, not sent. A failed or slow SMTP server is recorded and retried with backoff; the delivery
// engine never waits for it.
class Notifier final : public QObject
{
    Q_OBJECT

public:
    static constexpr int RetryMinutes = 5;
    // How long a claim holds: longer than the SMTP client may take, so nobody else sends a claimed alert meanwhile.
    static constexpr int LeaseSeconds = 300;
    // How long finish() waits for an SMTP answer before it hands the alerts back.
    static constexpr int FinishWaitSeconds = SmtpClient::TimeoutSeconds + 15;

    // owner names this process in the claims (LaneLeases::describeThisProcess).
    Notifier(Store& store, SecretStore& secrets, Clock& clock, const QString& owner, QObject* parent = nullptr);

    // Reminders, retries and claim rounds every minute.
    void start();
    void healthChanged(qint64 integrationId, Integration::Health health, const QString& reason);
    // Raises the reminders and "works again" notes that are owed, then claims and sends what is due.
    void check();
    // No more claims (after one last round when lastRound); finished() once every alert this process claimed has its
    // SMTP answer recorded, or was handed back after FinishWaitSeconds.
    void finish(bool lastRound);
    bool isSending() const { return !m_sending.isEmpty(); }
    void sendTest(const QString& to, QObject* context, std::function<void(const SmtpResult&)> done);

Q_SIGNALS:
    void alertChanged(qint64 alertId);
    void finished();

private:
    void raise(const Integration& integration, const QString& kind, const QString& reason);
    QString staleCause(const AlertRecord& alert) const;
    void claimAndSend();
    void send(const AlertRecord& alert);
    void sent(const AlertRecord& alert, const QString& failure);
    void finishIfDone();
    void withSmtp(QObject* context,
                  std::function<void(const SmtpSettings&, const QString& password, const QString& error)> then);

    Store& m_store;
    SecretStore& m_secrets;
    Clock& m_clock;
    QString m_owner;
    AlertLog m_log;
    QTimer m_timer;
    QTimer m_finishGuard;
    QSet<qint64> m_sending; // claimed by this process, SMTP answer not recorded yet
    bool m_finishing = false;
};
