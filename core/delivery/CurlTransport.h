#pragma once

#include "delivery/CurlMulti.h"
#include "delivery/DeliveryTransport.h"

#include <QObject>

#include <memory>
#include <vector>

class Clock;
struct CurlTransfer;
struct CurlRequestHeaders;
class TokenClient;

// The delivery engine's transport: libcurl's multi interface on the Qt event loop (CurlMulti), kept-alive
// connections, no thread per request. Same contract as HttpTransport: POST of a statement or an array (PUT with
// ?statementId= as an option), `X-Experience-API-Version` of the integration's version (1.0.3 or 2.0.0), Authorization
// from the TokenClient with one fresh token and one retry after a 401, a connect and a total timeout, TLS verified and
// its errors reported, the request as sent (Authorization redacted) and the response (body capped) kept for the attempt
// log.
class CurlTransport final : public QObject, public DeliveryTransport
{
    Q_OBJECT

public:
    static constexpr int DefaultTimeoutMs = 30000;
    static constexpr int DefaultConnectTimeoutMs = 10000;
    static constexpr int DefaultResponseBodyCap = 64 * 1024;
    // A body larger than curl's default upload buffer (64 KiB; a batch of 100 statements of 2 KB is 200 KiB) goes
    // through a handle whose buffer takes up to this much at once: one copy and one send() where the default takes
    // a round of the event loop per 64 KiB.
    static constexpr long LargeUploadBuffer = 1024 * 1024;

    CurlTransport(TokenClient& tokens, Clock& clock, QObject* parent = nullptr);
    ~CurlTransport() override;

    void deliver(const Integration& integration, const QByteArray& body, QObject* context,
                 TransportCallback done) override;

    void setTimeout(int milliseconds) { m_timeoutMs = milliseconds; }
    void setConnectTimeout(int milliseconds) { m_connectTimeoutMs = milliseconds; }
    void setResponseBodyCap(int bytes) { m_responseBodyCap = bytes; }
    void setUsePut(bool put) { m_usePut = put; }

private:
    void authorizeAndSend(const Integration& integration, const QByteArray& body, bool afterRefresh, QObject* context,
                          TransportCallback done);
    void send(const Integration& integration, const QByteArray& body, const QByteArray& authorization,
              bool afterRefresh, QObject* context, TransportCallback done);
    void finish(CurlTransfer* transfer, CURL* easy, CURLcode code);
    CURL* takeHandle(bool largeUpload);
    // The headers every request with this Authorization carries, as curl takes them and as the log shows them
    // (redacted); built once, not per request.
    std::shared_ptr<const CurlRequestHeaders> headersFor(const QByteArray& authorization, XapiVersion version);

    TokenClient& m_tokens;
    Clock& m_clock;
    CurlMulti m_multi;
    std::vector<CURL*> m_idle;      // reused, so each keeps its buffers
    std::vector<CURL*> m_idleLarge; // the same, with the LargeUploadBuffer: as many as large bodies were in flight
    std::shared_ptr<const CurlRequestHeaders> m_headers;
    QUrl m_statementUrl; // the last one POSTed to, and its text
    QString m_statementUrlText;
    int m_timeoutMs = DefaultTimeoutMs;
    int m_connectTimeoutMs = DefaultConnectTimeoutMs;
    int m_responseBodyCap = DefaultResponseBodyCap;
    bool m_usePut = false;
};
