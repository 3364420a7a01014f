#pragma once

#include "alerts/AlertLog.h"
#include "alerts/SmtpClient.h"
#include "integrations/Integration.h"

#include <QObject>
#include <QTimer>

class Clock;
class SecretStore;
class Store;

// Tells an integration's technical contacts when its deliveries fail: on entering held or retrying, again while it
// stays unhealthy, and once when it recovers — at most one e-mail per integration per 24 hours (the window lives in
// the store). Sending happens off the event loop; a failed or slow SMTP server is logged, the alert kept and retried,
// and the delivery engine never waits for it.
class Notifier final : public QObject
{
    Q_OBJECT

public:
    static constexpr int WindowHours = 24;
    static constexpr int RetryMinutes = 5;

    Notifier(Store& store, SecretStore& secrets, Clock& clock, QObject* parent = nullptr);

    // Reminders and retries every minute.
    void start();
    void healthChanged(qint64 integrationId, Integration::Health health, const QString& reason);
    // Sends reminders that are due and retries failed alerts.
    void check();
    void sendTest(const QString& to, QObject* context, std::function<void(const SmtpResult&)> done);

Q_SIGNALS:
    void alertChanged(qint64 alertId);

private:
    void raise(const Integration& integration, const QString& kind, const QString& reason);
    void deliver(const AlertRecord& alert);
    void withSmtp(QObject* context,
                  std::function<void(const SmtpSettings&, const QString& password, const QString& error)> then);

    Store& m_store;
    SecretStore& m_secrets;
    Clock& m_clock;
    AlertLog m_log;
    QTimer m_timer;
    QSet<qint64> m_sending;
};
