#include "delivery/HttpTransport.h"

#include "common/Clock.h"
#include "common/Logging.h"
#include "delivery/Redaction.h"
#include "delivery/ReplyMonitor.h"
#include "delivery/ResponseClassifier.h"
#include "delivery/TokenClient.h"
#include "integrations/Integration.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPointer>

namespace {

QString headerText(const QList<QNetworkReply::RawHeaderPair>& headers)
{
    QStringList lines;
    for (const auto& [name, value] : headers)
        lines << QString::fromLatin1(name) + QStringLiteral(": ") + QString::fromLatin1(value);
    return lines.join(QLatin1Char('\n'));
}

} // namespace

HttpTransport::HttpTransport(QNetworkAccessManager& network, TokenClient& tokens, Clock& clock, QObject* parent)
    : QObject(parent)
    , m_network(network)
    , m_tokens(tokens)
    , m_clock(clock)
{}

QString HttpTransport::redactedHeaders(const QNetworkRequest& request)
{
    return Redaction::headers(request);
}

QNetworkRequest HttpTransport::buildRequest(const Integration& integration, const QString& statementId,
                                            const QByteArray& authorization) const
{
    QNetworkRequest request(statementRequestUrl(integration, statementId));
    for (const auto& [name, value] : statementRequestHeaders(authorization, integration.effectiveXapiVersion()))
        request.setRawHeader(name, value);
    request.setTransferTimeout(m_timeoutMs);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    return request;
}

void HttpTransport::deliver(const Integration& integration, const QByteArray& body, QObject* context,
                            TransportCallback done)
{
    authorizeAndSend(integration, body, false, context, std::move(done));
}

void HttpTransport::authorizeAndSend(const Integration& integration, const QByteArray& body, bool afterRefresh,
                                     QObject* context, TransportCallback done)
{
    m_tokens.authorizeRequest(
        integration, afterRefresh, this, context,
        [this, integration, body, afterRefresh, context, done](const QByteArray& authorization) {
            send(integration, body, authorization, afterRefresh, context, done);
        },
        done);
}

void HttpTransport::send(const Integration& integration, const QByteArray& body, const QByteArray& authorization,
                         bool afterRefresh, QObject* context, TransportCallback done)
{
    const QString statementId = m_usePut ? statementIdForPut(body) : QString();
    const QNetworkRequest request = buildRequest(integration, statementId, authorization);
    const QString method = statementId.isEmpty() ? QStringLiteral("POST") : QStringLiteral("PUT");
    QNetworkReply* reply = statementId.isEmpty() ? m_network.post(request, body) : m_network.put(request, body);
    ReplyMonitor* monitor = ReplyMonitor::watch(reply, m_connectTimeoutMs, m_timeoutMs);
    const QDateTime startedAt = m_clock.now();
    QPointer<QObject> guard(context);
    connect(reply, &QNetworkReply::finished, this,
            [this, reply, monitor, integration, body, afterRefresh, request, method, startedAt, guard, done] {
                reply->deleteLater();
                if (!guard)
                    return;
                const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                if (status == 401 && integration.auth == Integration::Auth::OAuth2 && !afterRefresh) {
                    // The token may have been revoked: fetch a new one once and try once more.
                    qCInfo(lcDelivery) << integration.name << "answered 401; fetching a new token";
                    m_tokens.invalidate(integration.id);
                    return authorizeAndSend(integration, body, true, guard, done);
                }
                TransportResult result;
                result.verdict = ResponseClassifier::verdict(status);
                result.tokenRefreshed = afterRefresh;
                result.requestBody = body;
                result.firstByteMs = int(monitor->firstByteMs());
                QByteArray responseBody;
                if (status > 0) {
                    result.status = status;
                    result.reason = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toByteArray();
                    if (reply->isOpen()) {
                        result.responseSize = reply->bytesAvailable();
                        responseBody = reply->read(m_responseBodyCap);
                    }
                    result.retryAfterSeconds =
                        ResponseClassifier::retryAfterSeconds(reply->rawHeader("Retry-After"), m_clock.now());
                    if (!result.delivered()) {
                        result.errorKind = TransportResult::ErrorKind::Http;
                        result.error = ResponseClassifier::describe(status, result.reason, responseBody);
                    }
                } else {
                    result.errorKind = monitor->failureKind();
                    result.error = monitor->failureText();
                    result.nothingSent = !monitor->requestWentOut();
                }
                AttemptRecord& attempt = result.attempt;
                attempt.startedAt = startedAt;
                attempt.durationMs = int(monitor->elapsedMs());
                attempt.requestLine = method + QLatin1Char(' ') + request.url().toString();
                attempt.requestHeaders = Redaction::headers(request);
                attempt.requestBodySize = int(body.size());
                attempt.status = result.status;
                attempt.responseHeaders = headerText(reply->rawHeaderPairs());
                attempt.responseBody = QString::fromUtf8(responseBody);
                attempt.error = result.error;
                done(result);
            });
}
