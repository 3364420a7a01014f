#include "delivery/DeliveryService.h"

#include "alerts/Notifier.h"
#include "delivery/CurlTransport.h"
#include "delivery/DeliveryEngine.h"
#include "delivery/HttpTransport.h"
#include "delivery/TokenClient.h"

#include <QNetworkAccessManager>

DeliveryService::DeliveryService(Store& store, SecretStore& secrets, Clock& clock, const QString& owner,
                                 QObject* parent)
    : QObject(parent)
    , m_network(std::make_unique<QNetworkAccessManager>())
    , m_tokens(std::make_unique<TokenClient>(*m_network, secrets, clock))
    , m_transport(std::make_unique<HttpTransport>(*m_network, *m_tokens, clock))
    , m_queueTransport(std::make_unique<CurlTransport>(*m_tokens, clock))
    , m_engine(std::make_unique<DeliveryEngine>(store, *m_queueTransport, clock, owner))
    , m_notifier(std::make_unique<Notifier>(store, secrets, clock))
{
    connect(m_engine.get(), &DeliveryEngine::healthChanged, m_notifier.get(), &Notifier::healthChanged);
}

DeliveryService::~DeliveryService()
{
    // The engine first: it may still record outcomes through the transport's callbacks.
    m_engine.reset();
}

void DeliveryService::start()
{
    m_engine->start();
    m_notifier->start();
}
