#pragma once

#include <QObject>

#include <memory>

class Clock;
class CurlTransport;
class DeliveryEngine;
class DuplicateTriage;
class HttpTransport;
class Notifier;
class QNetworkAccessManager;
class SecretStore;
class Store;
class TokenClient;

// Everything that delivers for a store, wired once for the worker and the GUI alike: network, tokens, transport,
// the engine, and the notifier that hears about health changes.
class DeliveryService final : public QObject
{
    Q_OBJECT

public:
    DeliveryService(Store& store, SecretStore& secrets, Clock& clock, const QString& owner, QObject* parent = nullptr);
    ~DeliveryService() override;

    DeliveryEngine& engine() { return *m_engine; }
    Notifier& notifier() { return *m_notifier; }
    // For one request now (send, the Test Console): Qt Network, with every detail of the exchange.
    HttpTransport& transport() { return *m_transport; }
    // What the engine delivers the queue through: libcurl's multi interface on the event loop.
    CurlTransport& queueTransport() { return *m_queueTransport; }
    TokenClient& tokens() { return *m_tokens; }
    // 409 triage of the duplicates of the lanes the engine works.
    DuplicateTriage& triage() { return *m_triage; }
    void start();

private:
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<TokenClient> m_tokens;
    std::unique_ptr<HttpTransport> m_transport;
    std::unique_ptr<CurlTransport> m_queueTransport;
    std::unique_ptr<DeliveryEngine> m_engine;
    std::unique_ptr<Notifier> m_notifier;
    std::unique_ptr<DuplicateTriage> m_triage;
};
