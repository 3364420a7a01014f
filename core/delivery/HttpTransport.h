#pragma once

#include "delivery/DeliveryTransport.h"

#include <QObject>

class Clock;
class QNetworkAccessManager;
class QNetworkRequest;
class TokenClient;

// Delivers over HTTP with Qt Network: POST of a statement or an array to the Statement URL (or PUT with
// ?statementId= for a single statement that has an id), `X-Experience-API-Version` of the integration's version (1.0.3 or 2.0.0), the Authorization added
// in one place (buildRequest), a fresh token and one retry after a 401, a connect and a total timeout on every
// request, TLS errors reported and never ignored. Keeps the request as sent (Authorization redacted), the response
// (body capped) and the timings.
class HttpTransport final : public QObject, public DeliveryTransport
{
    Q_OBJECT

public:
    static constexpr int DefaultTimeoutMs = 30000;
    static constexpr int DefaultConnectTimeoutMs = 10000;
    static constexpr int DefaultResponseBodyCap = 64 * 1024;

    HttpTransport(QNetworkAccessManager& network, TokenClient& tokens, Clock& clock, QObject* parent = nullptr);

    void deliver(const Integration& integration, const QByteArray& body, QObject* context,
                 TransportCallback done) override;

    // The whole request, from the first byte sent to the last received.
    void setTimeout(int milliseconds) { m_timeoutMs = milliseconds; }
    int timeout() const { return m_timeoutMs; }
    // Until the request is written: connection, and TLS handshake for https.
    void setConnectTimeout(int milliseconds) { m_connectTimeoutMs = milliseconds; }
    int connectTimeout() const { return m_connectTimeoutMs; }
    // How much of a response body is kept in the result.
    void setResponseBodyCap(int bytes) { m_responseBodyCap = bytes; }
    void setUsePut(bool put) { m_usePut = put; }

    // "Name: value" lines of the request as sent, Authorization as "Bearer •••" / "Basic •••".
    static QString redactedHeaders(const QNetworkRequest& request);

private:
    void authorizeAndSend(const Integration& integration, const QByteArray& body, bool afterRefresh, QObject* context,
                          TransportCallback done);
    void send(const Integration& integration, const QByteArray& body, const QByteArray& authorization,
              bool afterRefresh, QObject* context, TransportCallback done);
    // The one place a statement request is made, Authorization included.
    QNetworkRequest buildRequest(const Integration& integration, const QString& statementId,
                                 const QByteArray& authorization) const;

    QNetworkAccessManager& m_network;
    TokenClient& m_tokens;
    Clock& m_clock;
    int m_timeoutMs = DefaultTimeoutMs;
    int m_connectTimeoutMs = DefaultConnectTimeoutMs;
    int m_responseBodyCap = DefaultResponseBodyCap;
    bool m_usePut = false;
};
