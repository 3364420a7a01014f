#pragma once

#include "completions/CompletionRecord.h"
#include "completions/SessionTokens.h"

#include <QHostAddress>
#include <QHttpServer>
#include <QObject>

class Clock;
class SecretStore;
class Store;

// The H5P completion endpoint (off by default; listens on 127.0.0.1 unless told otherwise):
//   GET    /session?user=U               a signed session (cookie courier_session) and its CSRF token
//   POST   /setFinished?_csrf=T          the H5P player's finished data (contentId, score, maxScore, opened, finished,
//                                        time; form-encoded or JSON) for the session's user; 403 without the CSRF token
//   POST   /completions                  the completion-webhook format (seven fields), bearer token from the keychain
//   GET    /content/{id}/completions     records of a content (bearer)
//   GET    /users/{id}/completions       records of a user (bearer)
//   DELETE /content/{id}/completions     delete them, as an H5P server does when content is deleted (bearer)
// Every stored completion becomes a statement queued to every enabled integration.
class CompletionReceiver final : public QObject
{
    Q_OBJECT

public:
    static constexpr int MaxBodyBytes = 64 * 1024;
    static QString webhookTokenKey(); // keychain key of the bearer token

    CompletionReceiver(Store& store, SecretStore& secrets, Clock& clock, QObject* parent = nullptr);

    // Listens (port 0 picks a free one) and reads the webhook token from the keychain.
    bool listen(const QHostAddress& address, quint16 port, QString* error);
    quint16 port() const { return m_port; }
    void setSessionLifetime(int seconds) { m_sessionLifetime = seconds; }
    // When set, GET /session takes the user from this header (set by a trusted proxy) instead of ?user=.
    void setTrustedUserHeader(const QByteArray& header) { m_trustedHeader = header; }
    // Loaded from the keychain by listen(); settable for a receiver run without one.
    void setWebhookToken(const QString& token) { m_webhookToken = token; }

Q_SIGNALS:
    void stored(const CompletionRecord& record);

private:
    QHttpServerResponse session(const QHttpServerRequest& request);
    QHttpServerResponse setFinished(const QHttpServerRequest& request);
    QHttpServerResponse webhook(const QHttpServerRequest& request);
    QHttpServerResponse records(const QHttpServerRequest& request, const QString& contentId, const QString& userId);
    QHttpServerResponse removeContent(const QHttpServerRequest& request, const QString& contentId);
    bool bearerOk(const QHttpServerRequest& request) const;
    QHttpServerResponse save(CompletionRecord record);

    Store& m_store;
    SecretStore& m_secrets;
    Clock& m_clock;
    QHttpServer m_server;
    SessionTokens m_sessions;
    QString m_webhookToken;
    QByteArray m_trustedHeader;
    int m_sessionLifetime = 8 * 3600;
    bool m_tokenPending = false;
    quint16 m_port = 0;
};
