#pragma once

#include "delivery/DeliveryTransport.h"

#include <QObject>

class Clock;
class QNetworkAccessManager;
class QNetworkReply;
class QNetworkRequest;
class TokenClient;

// Delivers over HTTP with Qt Network: POST of a statement or an array to the Statement URL (or PUT with
// ?statementId= for a single statement), `X-Experience-API-Version: 1.0.3`, the Authorization added in one place,
// a fresh token and one retry after a 401, a total timeout on every request, TLS errors reported and never
// ignored. Keeps the request as sent (Authorization redacted) and the response for the attempt log.
class HttpTransport final : public QObject, public DeliveryTransport
{
    Q_OBJECT

public:
    static constexpr int DefaultTimeoutMs = 30000;

    HttpTransport(QNetworkAccessManager& network, TokenClient& tokens, Clock& clock, QObject* parent = nullptr);

    void deliver(const Integration& integration, const QByteArray& body, QObject* context,
                 TransportCallback done) override;
    void setTimeout(int milliseconds) { m_timeoutMs = milliseconds; }
    void setUsePut(bool put) { m_usePut = put; }

    static QString redactedHeaders(const QNetworkRequest& request);

private:
    void authorizeAndSend(const Integration& integration, const QByteArray& body, bool afterRefresh, QObject* context,
                          TransportCallback done);
    void send(const Integration& integration, const QByteArray& body, const QByteArray& authorization,
              bool afterRefresh, QObject* context, TransportCallback done);
    QNetworkRequest buildRequest(const Integration& integration, const QByteArray& body,
                                 const QByteArray& authorization) const;

    QNetworkAccessManager& m_network;
    TokenClient& m_tokens;
    Clock& m_clock;
    int m_timeoutMs = DefaultTimeoutMs;
    bool m_usePut = false;
};
