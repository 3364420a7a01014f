#include "delivery/CurlTransport.h"

#include "common/Clock.h"
#include "common/Logging.h"
#include "delivery/Redaction.h"
#include "delivery/ResponseClassifier.h"
#include "delivery/TokenClient.h"
#include "integrations/Integration.h"

#include <QPointer>

struct CurlRequestHeaders
{
    QByteArray authorization;
    XapiVersion version = XapiVersion::V1_0_3;
    curl_slist* list = nullptr;
    QString shown; // "Name: value" lines, Authorization redacted

    ~CurlRequestHeaders() { curl_slist_free_all(list); }
};

// One request in flight: what curl reads from and writes into while it runs.
struct CurlTransfer
{
    Integration integration;
    QByteArray body;
    QByteArray authorization;
    bool afterRefresh = false;
    QPointer<QObject> context;
    TransportCallback done;
    QString method;
    QString url;
    QDateTime startedAt;
    std::shared_ptr<const CurlRequestHeaders> headers;
    QByteArray statusLine;
    QByteArray responseHeaders;
    QByteArray responseBody;
    qint64 responseSize = 0;
    int bodyCap = 0;
    bool largeUpload = false; // sent through a handle with CurlTransport::LargeUploadBuffer
    char errorText[CURL_ERROR_SIZE] = {};
};

namespace {

size_t collectBody(char* data, size_t size, size_t count, void* transfer)
{
    auto* t = static_cast<CurlTransfer*>(transfer);
    const size_t bytes = size * count;
    t->responseSize += qint64(bytes);
    const qsizetype room = t->bodyCap - t->responseBody.size();
    if (room > 0)
        t->responseBody.append(data, std::min<qsizetype>(room, qsizetype(bytes)));
    return bytes;
}

size_t collectHeader(char* data, size_t size, size_t count, void* transfer)
{
    auto* t = static_cast<CurlTransfer*>(transfer);
    const size_t bytes = size * count;
    const QByteArray line = QByteArray(data, qsizetype(bytes)).trimmed();
    if (line.startsWith("HTTP/")) {
        // A new response (after a 100 Continue, say): only the last one counts.
        t->statusLine = line;
        t->responseHeaders.clear();
    } else if (!line.isEmpty()) {
        if (!t->responseHeaders.isEmpty())
            t->responseHeaders += '\n';
        t->responseHeaders += line;
    }
    return bytes;
}

QByteArray headerValue(const QByteArray& headers, const QByteArray& name)
{
    for (const QByteArray& line : headers.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
            return line.mid(colon + 1).trimmed();
    }
    return {};
}

bool isTlsError(CURLcode code)
{
    switch (code) {
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
        return true;
    default:
        return false;
    }
}

} // namespace

CurlTransport::CurlTransport(TokenClient& tokens, Clock& clock, QObject* parent)
    : QObject(parent)
    , m_tokens(tokens)
    , m_clock(clock)
{}

CurlTransport::~CurlTransport()
{
    for (CURL* easy : m_idle)
        curl_easy_cleanup(easy);
    for (CURL* easy : m_idleLarge)
        curl_easy_cleanup(easy);
}

void CurlTransport::deliver(const Integration& integration, const QByteArray& body, QObject* context,
                            TransportCallback done)
{
    if (integration.auth == Integration::Auth::None) // nothing to ask the token client for
        return send(integration, body, {}, false, context, std::move(done));
    authorizeAndSend(integration, body, false, context, std::move(done));
}

void CurlTransport::authorizeAndSend(const Integration& integration, const QByteArray& body, bool afterRefresh,
                                     QObject* context, TransportCallback done)
{
    m_tokens.authorizeRequest(
        integration, afterRefresh, this, context,
        [this, integration, body, afterRefresh, context, done](const QByteArray& authorization) {
            send(integration, body, authorization, afterRefresh, context, done);
        },
        done);
}

std::shared_ptr<const CurlRequestHeaders> CurlTransport::headersFor(const QByteArray& authorization,
                                                                    XapiVersion version)
{
    if (m_headers && m_headers->authorization == authorization && m_headers->version == version)
        return m_headers;
    auto headers = std::make_shared<CurlRequestHeaders>();
    headers->authorization = authorization;
    headers->version = version;
    headers->list = curl_slist_append(nullptr, "Expect:"); // no 100-continue round trip for large batches
    QStringList shown;
    for (const auto& [name, value] : statementRequestHeaders(authorization, version)) {
        headers->list = curl_slist_append(headers->list, QByteArray(name + ": " + value).constData());
        shown << QString::fromLatin1(name) + QStringLiteral(": ") +
                     (name == "Authorization" ? Redaction::authorization(value) : QString::fromLatin1(value));
    }
    headers->shown = shown.join(QLatin1Char('\n'));
    m_headers = headers;
    return m_headers;
}

// A handle used before keeps its options: send() sets every option it uses on every request, except the upload
// buffer, which curl frees on every setopt: set once, when the handle is made, and kept apart in m_idleLarge.
CURL* CurlTransport::takeHandle(bool largeUpload)
{
    std::vector<CURL*>& idle = largeUpload ? m_idleLarge : m_idle;
    if (!idle.empty()) {
        CURL* easy = idle.back();
        idle.pop_back();
        return easy;
    }
    CURL* easy = curl_easy_init();
    if (largeUpload)
        curl_easy_setopt(easy, CURLOPT_UPLOAD_BUFFERSIZE, LargeUploadBuffer);
    return easy;
}

void CurlTransport::send(const Integration& integration, const QByteArray& body, const QByteArray& authorization,
                         bool afterRefresh, QObject* context, TransportCallback done)
{
    auto* transfer = new CurlTransfer; // owned by the finish callback below
    transfer->integration = integration;
    transfer->body = body;
    transfer->authorization = authorization;
    transfer->afterRefresh = afterRefresh;
    transfer->context = context;
    transfer->done = std::move(done);
    transfer->bodyCap = m_responseBodyCap;
    transfer->startedAt = m_clock.now();
    transfer->largeUpload = body.size() > 64 * 1024; // curl's default upload buffer

    const QString statementId = m_usePut ? statementIdForPut(body) : QString();
    transfer->method = statementId.isEmpty() ? QStringLiteral("POST") : QStringLiteral("PUT");
    if (!statementId.isEmpty()) {
        transfer->url = statementRequestUrl(integration, statementId).toString(QUrl::FullyEncoded);
    } else {
        if (integration.statementUrl != m_statementUrl || m_statementUrlText.isEmpty()) {
            m_statementUrl = integration.statementUrl;
            m_statementUrlText = statementRequestUrl(integration, {}).toString(QUrl::FullyEncoded);
        }
        transfer->url = m_statementUrlText;
    }
    transfer->headers = headersFor(authorization, integration.effectiveXapiVersion());

    CURL* easy = takeHandle(transfer->largeUpload);
    curl_easy_setopt(easy, CURLOPT_URL, transfer->url.toUtf8().constData());
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, long(CURL_HTTP_VERSION_1_1));
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, transfer->headers->list);
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, transfer->body.constData());
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(transfer->body.size()));
    curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, transfer->method == QLatin1String("PUT") ? "PUT" : nullptr);
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, long(m_connectTimeoutMs));
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, long(m_timeoutMs));
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &collectBody);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, transfer);
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &collectHeader);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, transfer);
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, transfer->errorText);
    m_multi.add(easy, [this, transfer](CURL* finished, CURLcode code) { finish(transfer, finished, code); });
}

void CurlTransport::finish(CurlTransfer* transfer, CURL* easy, CURLcode code)
{
    std::unique_ptr<CurlTransfer> owned(transfer);
    long status = 0;
    curl_off_t firstByteUs = 0;
    curl_off_t totalUs = 0;
    curl_off_t connectUs = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(easy, CURLINFO_STARTTRANSFER_TIME_T, &firstByteUs);
    curl_easy_getinfo(easy, CURLINFO_TOTAL_TIME_T, &totalUs);
    curl_easy_getinfo(easy, CURLINFO_CONNECT_TIME_T, &connectUs);
    (transfer->largeUpload ? m_idleLarge : m_idle).push_back(easy);
    if (!transfer->context)
        return;
    const Integration& integration = transfer->integration;
    if (code == CURLE_OK && status == 401 && integration.auth == Integration::Auth::OAuth2 && !transfer->afterRefresh) {
        // The token may have been revoked: fetch a new one once and try once more.
        qCInfo(lcDelivery) << integration.name << "answered 401; fetching a new token";
        m_tokens.invalidate(integration.id);
        return authorizeAndSend(integration, transfer->body, true, transfer->context, std::move(transfer->done));
    }

    TransportResult result;
    result.tokenRefreshed = transfer->afterRefresh;
    result.requestBody = transfer->body;
    result.firstByteMs = firstByteUs > 0 ? std::max(1, int(firstByteUs / 1000)) : 0; // 0: no answer
    if (code == CURLE_OK && status > 0) {
        result.verdict = ResponseClassifier::verdict(int(status));
        result.status = int(status);
        const QList<QByteArray> statusParts = transfer->statusLine.split(' ');
        result.reason = statusParts.size() > 2 ? statusParts.mid(2).join(' ') : QByteArray();
        result.responseSize = transfer->responseSize;
        if (result.verdict == TransportResult::Verdict::Retryable) // the only answer it changes anything for
            result.retryAfterSeconds = ResponseClassifier::retryAfterSeconds(
                headerValue(transfer->responseHeaders, "Retry-After"), m_clock.now());
        if (!result.delivered()) {
            result.errorKind = TransportResult::ErrorKind::Http;
            result.error = ResponseClassifier::describe(int(status), result.reason, transfer->responseBody);
        }
    } else {
        result.verdict = ResponseClassifier::verdict(0);
        const QString detail =
            QString::fromUtf8(transfer->errorText[0] ? transfer->errorText : curl_easy_strerror(code));
        if (code == CURLE_OPERATION_TIMEDOUT) {
            result.errorKind = TransportResult::ErrorKind::Timeout;
            result.error = connectUs == 0 ? connectTimeoutError(m_connectTimeoutMs) : totalTimeoutError(m_timeoutMs);
        } else if (isTlsError(code)) {
            result.errorKind = TransportResult::ErrorKind::Tls;
            result.error = QStringLiteral("TLS error: %1.").arg(detail);
        } else {
            result.errorKind = TransportResult::ErrorKind::Network;
            result.error = detail + QLatin1Char('.');
        }
    }

    AttemptRecord& attempt = result.attempt;
    attempt.startedAt = transfer->startedAt;
    attempt.durationMs = int(totalUs / 1000);
    attempt.requestLine = transfer->method + QLatin1Char(' ') + transfer->url;
    attempt.requestHeaders = transfer->headers->shown;
    attempt.requestBodySize = int(transfer->body.size());
    attempt.status = result.status;
    attempt.responseHeaders = QString::fromLatin1(transfer->responseHeaders);
    attempt.responseBody = QString::fromUtf8(transfer->responseBody);
    attempt.error = result.error;
    transfer->done(result);
}
