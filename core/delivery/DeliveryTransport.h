#pragma once

#include "delivery/AttemptLog.h"

#include <QByteArray>
#include <QObject>

#include <functional>
#include <optional>

struct Integration;

// What one delivery request came to, in the terms of the error policy.
struct TransportResult
{
    enum class Verdict {
        Accepted,  // 2xx
        Duplicate, // 409: the receiver already has this statement id; counts as delivered
        Retryable, // 5xx, 408, 429, network failure, timeout, token endpoint unreachable or 5xx
        Rejected,  // other 4xx, 401 after a fresh token, token endpoint 4xx (invalid credentials)
    };

    Verdict verdict = Verdict::Retryable;
    std::optional<int> status;
    QString error;             // for people: what happened, with the receiver's own words where it gave any
    int retryAfterSeconds = 0; // from Retry-After, 0 when absent
    int firstByteMs = 0;       // until the response headers arrived
    AttemptRecord attempt;     // the request as sent (Authorization redacted) and the response
};

using TransportCallback = std::function<void(const TransportResult&)>;

// How the engine reaches a receiver: one HTTP request per call, carrying one statement or a JSON array of them.
class DeliveryTransport
{
public:
    virtual ~DeliveryTransport() = default;
    // done is called once, on context's thread, while context lives.
    virtual void deliver(const Integration& integration, const QByteArray& body, QObject* context,
                         TransportCallback done) = 0;
};
