#include "delivery/DeliveryService.h"

#include "alerts/Notifier.h"
#include "delivery/CurlTransport.h"
#include "delivery/DeliveryEngine.h"
#include "delivery/DuplicateTriage.h"
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
    , m_triage(std::make_unique<DuplicateTriage>(store, *m_tokens, *m_network))
{
    connect(m_engine.get(), &DeliveryEngine::healthChanged, m_notifier.get(), &Notifier::healthChanged);
    m_triage->setLanes([this] {
        const QSet<qint64>& held = m_engine->heldLanes();
        return QList<qint64>(held.cbegin(), held.cend());
    });
    connect(m_engine.get(), &DeliveryEngine::recorded, m_triage.get(), [this](int outcomes) {
        if (outcomes > 0)
            m_triage->poke();
    });
}

DeliveryService::~DeliveryService()
{
    // Triage and the engine first: they may still be called back by the transports.
    m_triage.reset();
    m_engine.reset();
}

void DeliveryService::start()
{
    m_engine->start();
    m_notifier->start();
    m_triage->start();
}
