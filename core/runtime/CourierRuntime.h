#pragma once

#include <QHostAddress>
#include <QObject>

#include <memory>

class Clock;
class CompletionReceiver;
class CurlTransport;
class DeliveryEngine;
class DuplicateTriage;
class DeliveryMetrics;
class HttpTransport;
class MetricsServer;
class Notifier;
class QNetworkAccessManager;
class RetentionScheduler;
class SecretStore;
class Store;
class TokenClient;

// What a process that works a store runs, wired in this one place for the desktop app and the worker alike: the
// delivery engine (with its network, tokens and transports), the notifier that hears of its health changes, and,
// when switched on, the H5P completion receiver whose records wake the engine. Delivery and alerts know nothing of
// each other; this object connects them.
class CourierRuntime final : public QObject
{
    Q_OBJECT

public:
    // owner names this process in lane leases and alert claims (LaneLeases::describeThisProcess).
    CourierRuntime(Store& store, SecretStore& secrets, Clock& clock, const QString& owner, QObject* parent = nullptr);
    ~CourierRuntime() override;

    DeliveryEngine& engine() { return *m_engine; }
    Notifier& notifier() { return *m_notifier; }
    // For one request now (send, the Test Console): Qt Network, with every detail of the exchange.
    HttpTransport& transport() { return *m_transport; }
    TokenClient& tokens() { return *m_tokens; }
    // 409 triage of the duplicates of the lanes this process's engine works.
    DuplicateTriage& triage() { return *m_triage; }
    // Prunes by each integration's retention policy, hourly while started.
    RetentionScheduler& retention() { return *m_retention; }

    // Delivery and alerts.
    void start();
    // No new requests, alerts or completions; stopped() once what is in flight was answered and recorded and every
    // alert this process claimed was sent (or handed back). With untilIdle, first the alerts that are due are sent.
    void stop(bool untilIdle = false);
    bool hasStopped() const { return m_stoppedEmitted; }

    // The completion receiver: listening on address:port (0: a free one), or off.
    bool startReceiver(const QHostAddress& address, quint16 port, const QByteArray& trustedUserHeader, QString* error);
    void stopReceiver();
    // nullptr while the receiver is off.
    CompletionReceiver* receiver() const { return m_receiver.get(); }

    // GET /metrics for Prometheus on address:port (0: a free one); what this process delivered is counted from its
    // start whether served or not.
    // While served already, the new server replaces the old once bound; when it cannot be bound, the old one goes on
    // (to move to another address on the same port, stopMetrics() first).
    bool startMetrics(const QHostAddress& address, quint16 port, QString* error);
    // No longer served (the counting goes on).
    void stopMetrics();
    // nullptr while not served.
    MetricsServer* metricsServer() const { return m_metricsServer.get(); }
    DeliveryMetrics& metrics() { return *m_metrics; }

Q_SIGNALS:
    // A completion record was stored by the receiver (its statements are queued).
    void completionStored();
    void stopped();

private:
    void finishStopIfDone();

    Store& m_store;
    SecretStore& m_secrets;
    Clock& m_clock;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<TokenClient> m_tokens;
    std::unique_ptr<HttpTransport> m_transport;
    std::unique_ptr<CurlTransport> m_queueTransport;
    std::unique_ptr<DeliveryEngine> m_engine;
    std::unique_ptr<Notifier> m_notifier;
    std::unique_ptr<CompletionReceiver> m_receiver;
    std::unique_ptr<DuplicateTriage> m_triage;
    std::unique_ptr<RetentionScheduler> m_retention;
    std::unique_ptr<DeliveryMetrics> m_metrics;
    std::unique_ptr<MetricsServer> m_metricsServer;
    bool m_stopping = false;
    bool m_engineStopped = false;
    bool m_alertsFinished = false;
    bool m_stoppedEmitted = false;
};
