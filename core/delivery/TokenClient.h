#pragma once

#include "delivery/DeliveryTransport.h"
#include "integrations/Integration.h"

#include <QHash>
#include <QObject>

class Clock;
class QNetworkAccessManager;
class SecretStore;

// The Authorization header for an integration: an OAuth 2.0 client-credentials token (RFC 6749 §4.4) fetched from
// the Authentication URL and cached until shortly before expires_in, an HTTP Basic header, or none.
struct AuthorizationResult
{
    bool ok = false;
    QByteArray header; // "Bearer …", "Basic …", or empty for none
    TransportResult::Verdict verdict = TransportResult::Verdict::Rejected; // when !ok
    std::optional<int> status;                                             // the token endpoint's, when it answered
    QString error;                                                         // for people; never the secret or the token
};

class TokenClient final : public QObject
{
    Q_OBJECT

public:
    static constexpr int ExpiryMarginSeconds = 30;
    static constexpr int DefaultLifetimeSeconds = 3600; // when the token endpoint gives no expires_in
    static QString invalidCredentials();

    TokenClient(QNetworkAccessManager& network, SecretStore& secrets, Clock& clock, QObject* parent = nullptr);

    void authorization(const Integration& integration, QObject* context,
                       std::function<void(const AuthorizationResult&)> done);
    // After a 401: the next authorization() fetches a new token.
    void invalidate(qint64 integrationId);
    // "Test connection": fetches a fresh token (OAuth 2.0) and says what happened, in a sentence.
    void testConnection(const Integration& integration, QObject* context,
                        std::function<void(bool ok, const QString& message)> done);
    void setTimeout(int milliseconds) { m_timeoutMs = milliseconds; }
    int fetchCount() const { return m_fetches; }

private:
    struct CachedToken
    {
        QByteArray header;
        QDateTime validUntil;
        int revision = 0;
    };
    void fetch(const Integration& integration, const QString& secret, QObject* context,
               std::function<void(const AuthorizationResult&)> done);

    QNetworkAccessManager& m_network;
    SecretStore& m_secrets;
    Clock& m_clock;
    QHash<qint64, CachedToken> m_tokens;
    int m_timeoutMs = 15000;
    int m_fetches = 0;
};
