#pragma once

#include "delivery/DeliveryTransport.h"
#include "integrations/Integration.h"

#include <QHash>
#include <QObject>
#include <QPointer>

#include <utility>

class Clock;
class QNetworkAccessManager;
class SecretStore;

// The Authorization header for an integration: an OAuth 2.0 client-credentials token (RFC 6749 §4.4) fetched from
// the Authentication URL and cached until shortly before expires_in, an HTTP Basic header, or none.
struct AuthorizationResult
{
    bool ok = false;
    QByteArray header; // "Bearer …", "Basic …", or empty for none
    // When !ok: what the error policy makes of it, and whether the token endpoint (Token) or the keychain
    // (Credentials) failed.
    TransportResult::Verdict verdict = TransportResult::Verdict::Rejected;
    TransportResult::ErrorKind errorKind = TransportResult::ErrorKind::Token;
    std::optional<int> status; // the token endpoint's, when it answered
    QString error;             // for people; never the secret or the token
    // The token request as sent (credentials masked) and what the endpoint answered, when one was made.
    QString requestLine;
    QString requestHeaders;
    QString requestBody;
    QString responseHeaders;
    QString responseBody; // capped; left out when it carried a token
    int durationMs = 0;

    // When !ok: the statement was not sent; the attempt is the token request, when one was made.
    TransportResult failure(const Integration& integration, const QDateTime& now, bool afterRefresh) const;
};

class TokenClient final : public QObject
{
    Q_OBJECT

public:
    static constexpr int ExpiryMarginSeconds = 30;      // a token is renewed this long before it expires…
    static constexpr int DefaultLifetimeSeconds = 3600; // …when the token endpoint gives no expires_in
    static constexpr int BasicLifetimeSeconds = 600;    // a Basic header is read from the keychain again after this
    static constexpr int DefaultTimeoutMs = 15000;
    static constexpr int DefaultConnectTimeoutMs = 10000;
    static constexpr int ResponseBodyCap = 16 * 1024;

    // "Invalid Credentials (Client Id, Client Secret or Authentication URL may be incorrect)": the first line of
    // every token failure, with what the endpoint answered (or why it could not be reached) beneath.
    static QString invalidCredentials();
    // application/x-www-form-urlencoded, as RFC 6749 Appendix B has it (space as '+').
    static QByteArray formEncode(const QString& value);

    TokenClient(QNetworkAccessManager& network, SecretStore& secrets, Clock& clock, QObject* parent = nullptr);

    // done is called once, while context lives: at once for no authentication or a cached token, else after the
    // keychain (and the token endpoint) answered. Concurrent requests for one integration share one token fetch.
    void authorization(const Integration& integration, QObject* context,
                       std::function<void(const AuthorizationResult&)> done);
    // What a transport does before each request: `send` gets the Authorization header (empty for none) while both
    // `requester` and `context` live; a token failure is answered through `done` as the statement's result (it was
    // not sent).
    void authorizeRequest(const Integration& integration, bool afterRefresh, QObject* requester, QObject* context,
                          std::function<void(const QByteArray& authorization)> send, TransportCallback done);
    // After a 401: the next authorization() fetches a new token.
    void invalidate(qint64 integrationId);
    // "Test connection": fetches a fresh token (OAuth 2.0) and says what happened, in a sentence.
    void testConnection(const Integration& integration, QObject* context,
                        std::function<void(bool ok, const QString& message)> done);

    void setTimeout(int milliseconds) { m_timeoutMs = milliseconds; }
    void setConnectTimeout(int milliseconds) { m_connectTimeoutMs = milliseconds; }
    int fetchCount() const { return m_fetches; }

private:
    using Callback = std::function<void(const AuthorizationResult&)>;
    struct Waiter
    {
        QPointer<QObject> context;
        Callback done;
    };
    struct CachedToken
    {
        QByteArray header;
        QDateTime validUntil;
        int lifetimeSeconds = 0;
        int revision = 0;
    };
    using FetchKey = std::pair<qint64, int>; // integration id, revision

    void fetch(const Integration& integration, const QString& secret);
    void finish(const FetchKey& key, const AuthorizationResult& result);

    QNetworkAccessManager& m_network;
    SecretStore& m_secrets;
    Clock& m_clock;
    QHash<qint64, CachedToken> m_tokens;
    QHash<FetchKey, QList<Waiter>> m_waiting;
    int m_timeoutMs = DefaultTimeoutMs;
    int m_connectTimeoutMs = DefaultConnectTimeoutMs;
    int m_fetches = 0;
};
