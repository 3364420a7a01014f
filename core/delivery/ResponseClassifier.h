#pragma once

#include "delivery/DeliveryTransport.h"

#include <QByteArray>
#include <QDateTime>

// The portal's error policy, as one function of what came back.
namespace ResponseClassifier {

// status 0: no HTTP answer (network failure, timeout, TLS).
TransportResult::Verdict verdict(int status);
// Retry-After as seconds from now (delta-seconds or an HTTP-date); 0 when absent or unreadable.
int retryAfterSeconds(const QByteArray& header, const QDateTime& now);
// "HTTP 400 Bad Request: <the receiver's body, capped>" — what people read in the queue and in alerts.
QString describe(int status, const QByteArray& reason, const QByteArray& body);

} // namespace ResponseClassifier
