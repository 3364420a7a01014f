#include "runtime/CourierRuntime.h"

#include "alerts/Notifier.h"
#include "completions/CompletionReceiver.h"
#include "delivery/CurlTransport.h"
#include "delivery/DeliveryEngine.h"
#include "delivery/DuplicateTriage.h"
#include "delivery/HttpTransport.h"
#include "delivery/TokenClient.h"
#include "metrics/DeliveryMetrics.h"
#include "metrics/MetricsServer.h"
#include "retention/RetentionScheduler.h"

#include <QNetworkAccessManager>

CourierRuntime::CourierRuntime(Store& store, SecretStore& secrets, Clock& clock, const QString& owner, QObject* parent)
    : QObject(parent)
    , m_store(store)
    , m_secrets(secrets)
    , m_clock(clock)
    , m_network(std::make_unique<QNetworkAccessManager>())
    , m_tokens(std::make_unique<TokenClient>(*m_network, secrets, clock))
    , m_transport(std::make_unique<HttpTransport>(*m_network, *m_tokens, clock))
    , m_queueTransport(std::make_unique<CurlTransport>(*m_tokens, clock))
    , m_engine(std::make_unique<DeliveryEngine>(store, *m_queueTransport, clock, owner))
    , m_notifier(std::make_unique<Notifier>(store, secrets, clock, owner))
    , m_triage(std::make_unique<DuplicateTriage>(store, *m_tokens, *m_network))
    , m_retention(std::make_unique<RetentionScheduler>(store, clock))
    , m_metrics(std::make_unique<DeliveryMetrics>(store))
{
    // After outcomes were recorded, 409s of the lanes this engine holds are read back and compared.
    m_triage->setLanes([this] {
        const QSet<qint64>& held = m_engine->heldLanes();
        return QList<qint64>(held.cbegin(), held.cend());
    });
    connect(m_engine.get(), &DeliveryEngine::recorded, m_triage.get(), [this](int outcomes) {
        if (outcomes > 0)
            m_triage->poke();
    });
    connect(m_engine.get(), &DeliveryEngine::outcomesRecorded, this,
            [this](const QList<DeliveryQueue::Outcome>& outcomes) { m_metrics->count(outcomes); });
    connect(m_engine.get(), &DeliveryEngine::healthChanged, m_notifier.get(), &Notifier::healthChanged);
    connect(m_engine.get(), &DeliveryEngine::stopped, this, [this] {
        m_engineStopped = true;
        finishStopIfDone();
    });
    connect(m_notifier.get(), &Notifier::finished, this, [this] {
        m_alertsFinished = true;
        finishStopIfDone();
    });
}

CourierRuntime::~CourierRuntime()
{
    m_metricsServer.reset();
    // The receiver, triage and the engine first: they may still record through the transports' callbacks.
    m_receiver.reset();
    m_triage.reset();
    m_engine.reset();
}

void CourierRuntime::start()
{
    m_engine->start();
    m_notifier->start();
    m_triage->start();
    m_retention->start();
}

void CourierRuntime::stop(bool untilIdle)
{
    if (m_stopping)
        return;
    m_stopping = true;
    stopReceiver();
    m_triage->stop(); // what is left is triaged by the next process that works the lane
    m_retention->stop();
    m_engineStopped = !m_engine->isRunning();
    m_engine->stop();
    m_notifier->finish(untilIdle);
    finishStopIfDone();
}

void CourierRuntime::finishStopIfDone()
{
    if (m_stopping && m_engineStopped && m_alertsFinished && !m_stoppedEmitted) {
        m_stoppedEmitted = true;
        Q_EMIT stopped();
    }
}

bool CourierRuntime::startReceiver(const QHostAddress& address, quint16 port, const QByteArray& trustedUserHeader,
                                   QString* error)
{
    stopReceiver();
    auto receiver = std::make_unique<CompletionReceiver>(m_store, m_secrets, m_clock);
    receiver->setTrustedUserHeader(trustedUserHeader);
    if (!receiver->listen(address, port, error))
        return false;
    connect(receiver.get(), &CompletionReceiver::stored, m_engine.get(), &DeliveryEngine::poke);
    connect(receiver.get(), &CompletionReceiver::stored, this, &CourierRuntime::completionStored);
    m_receiver = std::move(receiver);
    return true;
}

bool CourierRuntime::startMetrics(const QHostAddress& address, quint16 port, QString* error)
{
    auto server = std::make_unique<MetricsServer>([this] { return m_metrics->exposition(); });
    if (!server->listen(address, port, error))
        return false;
    m_metricsServer = std::move(server);
    return true;
}

void CourierRuntime::stopMetrics()
{
    m_metricsServer.reset();
}

void CourierRuntime::stopReceiver()
{
    m_receiver.reset();
}
