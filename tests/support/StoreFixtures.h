#pragma once

#include "delivery/DeliveryQueue.h"
#include "integrations/IntegrationRepository.h"

// Small shortcuts the store-level tests share.
namespace StoreFixtures {

// An integration without authentication, written straight to the store (no keychain involved).
inline qint64 addOpenIntegration(Store& store, const QString& name, const QUrl& statementUrl = QUrl())
{
    Integration integration;
    integration.uid = name;
    integration.name = name;
    integration.provider = name;
    integration.statementUrl =
        statementUrl.isEmpty() ? QUrl(QStringLiteral("https://lrs.example.com/") + name) : statementUrl;
    integration.auth = Integration::Auth::None;
    FieldIssues issues;
    QString error;
    if (!IntegrationRepository(store).insert(integration, &issues, &error))
        qFatal("inserting integration %s failed: %s", qPrintable(name), qPrintable(error));
    return integration.id;
}

inline int countDeliveries(Store& store, Delivery::State state)
{
    DeliveryFilter filter;
    filter.states = {state};
    QString error;
    return DeliveryQueue(store).count(filter, &error);
}

// The outcome of a delivery its receiver accepted (200) at `at`, with the attempt that says so; callers add what
// their test reads (duration, request line, response body).
inline DeliveryQueue::Outcome acceptedOutcome(qint64 deliveryId, qint64 integrationId, const QDateTime& at)
{
    DeliveryQueue::Outcome outcome;
    outcome.deliveryId = deliveryId;
    outcome.state = Delivery::State::Delivered;
    outcome.status = 200;
    outcome.attempt.integrationId = integrationId;
    outcome.attempt.startedAt = at;
    outcome.attempt.status = 200;
    return outcome;
}

} // namespace StoreFixtures
