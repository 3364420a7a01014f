#pragma once

#include "delivery/DeliveryQueue.h"

class IntegrationRepository;
class QIODevice;
class Store;

// What support and operators do to the queue, the same from the GUI and the CLI. Every action returns how many
// deliveries it touched, or -1 with error set.
class DeliveryActions final
{
public:
    explicit DeliveryActions(Store& store);

    DeliveryQueue& queue() { return m_queue; }

    // Skip the wait: a retrying integration probes at once, queued deliveries are due now.
    int retryNow(qint64 integrationId, QString* error);
    int discard(const QList<qint64>& deliveryIds, QString* error);
    int resend(const QList<qint64>& deliveryIds, QString* error);
    int replay(qint64 integrationId, const QDateTime& from, const QDateTime& to, QString* error);
    // The same in two steps, for a window that replays in chunks (BulkAction): what the range holds, then a chunk.
    // sourceIntegrationId: only statements queued to that integration (0: to any).
    QList<qint64> replaySources(const QDateTime& from, const QDateTime& to, QString* error,
                                qint64 sourceIntegrationId = 0);
    int replay(qint64 integrationId, const QList<qint64>& sourceIds, QString* error);
    // Failed deliveries (held, discarded, or waiting after an error) as JSON lines, with their attempts.
    int exportFailed(const DeliveryFilter& filter, QIODevice* output, QString* error);

private:
    Store& m_store;
    DeliveryQueue m_queue;
};
