#pragma once

#include "delivery/AttemptLog.h"
#include "statements/XapiVersion.h"

#include <QByteArray>
#include <QObject>
#include <QUrl>

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

    // Why it was not delivered, in terms a person can act on.
    enum class ErrorKind {
        None,        // 2xx or 409
        Http,        // the receiver answered with another status
        Network,     // refused, dropped, host not found
        Timeout,     // no connection, or no complete answer, in time
        Tls,         // certificate or handshake refused (never ignored)
        Token,       // no access token from the Authentication URL
        Credentials, // the client secret or password could not be read from the keychain
    };

    Verdict verdict = Verdict::Retryable;
    ErrorKind errorKind = ErrorKind::None;
    std::optional<int> status;
    QByteArray reason;           // the HTTP reason phrase, when the receiver gave one
    QString error;               // for people: what happened, with the receiver's own words where it gave any
    int retryAfterSeconds = 0;   // from Retry-After of a retryable answer (the only kind it matters for), else 0
    int firstByteMs = 0;         // until the response headers arrived
    bool nothingSent = false;    // the connection failed (name lookup, connect, TLS) before the request went out
    bool tokenRefreshed = false; // a 401 with the cached token: a new token was fetched and the request sent again
    QByteArray requestBody;      // as sent (a statement holds no credentials; a token request's secret is masked)
    qint64 responseSize = 0;     // of the whole body; attempt.responseBody keeps at most the transport's cap
    AttemptRecord attempt;       // the request as sent (Authorization redacted) and the response

    bool delivered() const { return verdict == Verdict::Accepted || verdict == Verdict::Duplicate; }
    // "none", "http", "network", "timeout", "tls", "token", "credentials": for the CLI and exports.
    static QString errorKindName(ErrorKind kind);
};

inline QString TransportResult::errorKindName(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::None:
        return QStringLiteral("none");
    case ErrorKind::Http:
        return QStringLiteral("http");
    case ErrorKind::Network:
        return QStringLiteral("network");
    case ErrorKind::Timeout:
        return QStringLiteral("timeout");
    case ErrorKind::Tls:
        return QStringLiteral("tls");
    case ErrorKind::Token:
        return QStringLiteral("token");
    case ErrorKind::Credentials:
        return QStringLiteral("credentials");
    }
    return QString();
}

using TransportCallback = std::function<void(const TransportResult&)>;

// PUT needs the statement's id: the "id" of a single statement; empty for an array or a statement without one (those
// go by POST).
QString statementIdForPut(const QByteArray& body);

// What every statement request carries, whichever transport sends it: the Statement URL (with ?statementId= for a
// PUT) and the headers, Authorization last when there is one. X-Experience-API-Version is the integration's version:
// a 1.0.3 receiver must refuse 1.1.0 or higher, a 2.0.0 one expects 2.0.0.
QUrl statementRequestUrl(const Integration& integration, const QString& statementId);
QList<std::pair<QByteArray, QByteArray>> statementRequestHeaders(const QByteArray& authorization,
                                                                  XapiVersion version = XapiVersion::V1_0_3);

// The sentences for a request that timed out.
QString connectTimeoutError(int milliseconds);
QString totalTimeoutError(int milliseconds);

// How the engine reaches a receiver: one HTTP request per call, carrying one statement or a JSON array of them.
class DeliveryTransport
{
public:
    virtual ~DeliveryTransport() = default;
    // done is called once, on context's thread, while context lives.
    virtual void deliver(const Integration& integration, const QByteArray& body, QObject* context,
                         TransportCallback done) = 0;
};
