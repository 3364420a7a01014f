#include "delivery/DeliveryActions.h"

#include "integrations/IntegrationRepository.h"
#include "store/Store.h"

#include <QIODevice>
#include <QJsonArray>
#include <QJsonDocument>

DeliveryActions::DeliveryActions(Store& store)
    : m_store(store)
    , m_queue(store)
{}

int DeliveryActions::retryNow(qint64 integrationId, QString* error)
{
    IntegrationRepository integrations(m_store);
    const auto integration = integrations.byId(integrationId, error);
    if (!integration) {
        if (error->isEmpty())
            *error = QStringLiteral("The integration no longer exists (deleted meanwhile?).");
        return -1;
    }
    if (integration->storedHealth == Integration::Health::Retrying) {
        IntegrationRepository::HealthChange change{Integration::Health::Retrying, integration->holdReason,
                                                   QDateTime::currentDateTimeUtc(), integration->heldRevision};
        if (!integrations.setHealth(integrationId, change, error))
            return -1;
    }
    return m_queue.retryNow(integrationId, error);
}

int DeliveryActions::discard(const QList<qint64>& deliveryIds, QString* error)
{
    return m_queue.discard(deliveryIds, error);
}

int DeliveryActions::resend(const QList<qint64>& deliveryIds, QString* error)
{
    return m_queue.resend(deliveryIds, error);
}

QList<qint64> DeliveryActions::replaySources(const QDateTime& from, const QDateTime& to, QString* error,
                                             qint64 sourceIntegrationId)
{
    if (!from.isValid() || !to.isValid() || to < from) {
        *error = QStringLiteral("The time range is empty or reversed: give --from before --to, e.g. "
                                "--from 2026-11-01T00:00:00Z --to 2026-11-02T00:00:00Z.");
        return {};
    }
    return m_queue.replaySources(from, to, error, sourceIntegrationId);
}

int DeliveryActions::replay(qint64 integrationId, const QList<qint64>& sourceIds, QString* error)
{
    return m_queue.replay(integrationId, sourceIds, QDateTime::currentDateTimeUtc(), error);
}

int DeliveryActions::replay(qint64 integrationId, const QDateTime& from, const QDateTime& to, QString* error)
{
    const QList<qint64> sources = replaySources(from, to, error);
    return error->isEmpty() ? replay(integrationId, sources, error) : -1;
}

int DeliveryActions::exportFailed(const DeliveryFilter& filter, QIODevice* output, QString* error)
{
    DeliveryFilter failed = filter;
    if (failed.states.isEmpty())
        failed.states = {Delivery::State::Held, Delivery::State::Discarded, Delivery::State::Queued};
    AttemptLog log(m_store);
    int written = 0;
    constexpr int page = 500;
    for (int offset = 0;; offset += page) {
        const QList<Delivery> deliveries = m_queue.list(failed, page, offset, error);
        if (!error->isEmpty())
            return -1;
        for (const Delivery& delivery : deliveries) {
            if (delivery.state == Delivery::State::Queued && delivery.attempts == 0)
                continue; // waiting, never failed
            QJsonObject line = delivery.toJson(true);
            QJsonArray attempts;
            for (const AttemptRecord& attempt : log.forDelivery(delivery.id, error))
                attempts << attempt.toJson();
            line.insert(QStringLiteral("attempts"), attempts);
            output->write(QJsonDocument(line).toJson(QJsonDocument::Compact) + '\n');
            ++written;
        }
        if (deliveries.size() < page)
            break;
    }
    return written;
}
