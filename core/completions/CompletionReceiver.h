#pragma once

#include "completions/BoundedHttpServer.h"
#include "completions/CompletionRecord.h"
#include "completions/SessionTokens.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QObject>

#include <optional>

class Clock;
class SecretStore;
class Store;

// The H5P completion endpoint (off until started; listens on 127.0.0.1 unless told otherwise):
//   GET    /session?user=U               a signed session (cookie courier_session) and the CSRF token bound to it
//   POST   /setFinished?_csrf=T          the H5P player's finished data (contentId, score, maxScore, opened, finished,
//                                        time; form-encoded or JSON) for the session's user; the CSRF token in the
//                                        query or in X-CSRF-Token; 403 without a valid one, nothing stored
//   POST   /completions                  the completion-webhook format (the seven record fields), bearer token kept
//                                        in the keychain under webhookTokenKey(); 401 without it
//   GET    /content/{id}/completions     records of a content (bearer; ?limit=&offset=, X-Total-Count)
//   GET    /users/{id}/completions       records of a user (the same)
//   DELETE /content/{id}/completions     delete them, as an H5P server does when content is deleted (bearer)
// Bad input gets 400 with {"success": false, "field": ..., "message": ...}; success is {"success": true}, as H5P's
// AjaxSuccessResponse. Every stored completion becomes a statement queued to every enabled integration.
// Credentials (session and CSRF, or the bearer token) and the body's size are checked from the headers, before a
// byte of the body is read: a body over MaxBodyBytes gets 413 unread (see BoundedHttpServer for the connection
// limits). Sessions are signed with a key kept in the store's settings, so they survive a restart and every receiver
// on the same store honours them.
class CompletionReceiver final : public QObject
{
    Q_OBJECT

public:
    static constexpr int MaxBodyBytes = 64 * 1024;
    static constexpr int DefaultSessionLifetime = 8 * 3600; // seconds
    static QString webhookTokenKey();                       // keychain key of the bearer token

    CompletionReceiver(Store& store, SecretStore& secrets, Clock& clock, QObject* parent = nullptr);
    ~CompletionReceiver() override;

    // Starts listening (port 0 picks a free one: see port()), reads the session key from the store (making one if it
    // has none) and the webhook token from the keychain.
    bool start(quint16 port, QString* error, const QHostAddress& address = QHostAddress(QHostAddress::LocalHost));
    bool listen(const QHostAddress& address, quint16 port, QString* error) { return start(port, error, address); }
    // Stops listening and drops open connections; start() may be called again.
    void stop();
    bool isListening() const;
    quint16 port() const { return m_port; }

    // Sessions (and their CSRF tokens) issued from now on expire after this many seconds.
    void setSessionLifetime(int seconds) { m_sessionLifetime = seconds; }
    // When set, GET /session takes the user from this header (set by a trusted proxy) instead of ?user=.
    void setTrustedUserHeader(const QByteArray& header) { m_trustedHeader = header; }
    // Read from the keychain by start(); settable for a receiver run without one.
    void setWebhookToken(const QString& token)
    {
        m_webhookToken = token;
        m_tokenState = token.isEmpty() ? TokenState::Missing : TokenState::Set;
    }
    // Timeouts and connection limits; the body limit stays MaxBodyBytes. Takes effect at the next start().
    void setConnectionLimits(const BoundedHttpServer::Limits& limits);
    const BoundedHttpServer::Limits& connectionLimits() const { return m_server.limits(); }
    int connectionCount() const { return m_server.connectionCount(); }

Q_SIGNALS:
    // A record was stored or replaced, or an older completion's statement queued (not for a repeated message).
    void stored(const CompletionRecord& record);

private:
    enum class TokenState { Pending, Set, Missing, Unreadable };

    std::optional<HttpResponse> screen(const HttpRequest& head);
    HttpResponse handle(const HttpRequest& request);
    HttpResponse session(const HttpRequest& request);
    HttpResponse setFinished(const HttpRequest& request);
    HttpResponse webhook(const HttpRequest& request);
    HttpResponse records(const HttpRequest& request, const QString& contentId, const QString& userId);
    HttpResponse removeContent(const QString& contentId);
    std::optional<HttpResponse> refuseSession(const HttpRequest& request, QString* user) const;
    std::optional<HttpResponse> refuseBearer(const HttpRequest& request);
    HttpResponse save(CompletionRecord record, bool playerAnswer);
    void readToken();

    Store& m_store;
    SecretStore& m_secrets;
    Clock& m_clock;
    BoundedHttpServer m_server;
    SessionTokens m_sessions;
    QString m_webhookToken;
    QString m_tokenProblem; // why the keychain could not be read
    QElapsedTimer m_tokenReadAt;
    QByteArray m_trustedHeader;
    int m_sessionLifetime = DefaultSessionLifetime;
    TokenState m_tokenState = TokenState::Missing;
    quint16 m_port = 0;
};
