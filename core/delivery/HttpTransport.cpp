#include "delivery/HttpTransport.h"

#include "common/Clock.h"
#include "delivery/ResponseClassifier.h"
#include "delivery/TokenClient.h"
#include "integrations/Integration.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPointer>
#include <QSslError>
#include <QUrlQuery>

#include <memory>

namespace {

bool usesPut(bool configured, const QByteArray& body)
{
    return configured && body.startsWith('{');
}

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
    QStringList lines;
    for (const QByteArray& name : request.rawHeaderList()) {
        const QByteArray value = request.rawHeader(name);
        if (name.compare("Authorization", Qt::CaseInsensitive) == 0)
            lines << QStringLiteral("Authorization: %1 •••").arg(QString::fromLatin1(value.split(' ').value(0)));
        else
            lines << QString::fromLatin1(name) + QStringLiteral(": ") + QString::fromLatin1(value);
    }
    return lines.join(QLatin1Char('\n'));
}

QNetworkRequest HttpTransport::buildRequest(const Integration& integration, const QByteArray& body,
                                            const QByteArray& authorization) const
{
    QUrl url = integration.statementUrl;
    if (usesPut(m_usePut, body)) {
        QUrlQuery query(url);
        query.addQueryItem(QStringLiteral("statementId"),
                           QJsonDocument::fromJson(body).object().value(QStringLiteral("id")).toString());
        url.setQuery(query);
    }
    QNetworkRequest request(url);
    request.setRawHeader("Content-Type", "application/json");
    request.setRawHeader("X-Experience-API-Version", "1.0.3");
    request.setRawHeader("User-Agent", "xAPI-Courier/" COURIER_VERSION);
    if (!authorization.isEmpty())
        request.setRawHeader("Authorization", authorization);
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
    QPointer<QObject> guard(context);
    m_tokens.authorization(
        integration, this, [this, integration, body, afterRefresh, guard, done](const AuthorizationResult& auth) {
            if (!guard)
                return;
            if (auth.ok)
                return send(integration, body, auth.header, afterRefresh, guard, done);
            // No token: the attempt is the token request, and its answer is the error.
            TransportResult result;
            result.verdict = auth.verdict;
            result.status = auth.status;
            result.error = auth.error;
            result.attempt.startedAt = m_clock.now();
            result.attempt.requestLine = QStringLiteral("POST %1").arg(integration.authUrl.toString());
            result.attempt.requestHeaders = QStringLiteral("(token request)");
            result.attempt.status = auth.status;
            result.attempt.error = auth.error;
            done(result);
        });
}

void HttpTransport::send(const Integration& integration, const QByteArray& body, const QByteArray& authorization,
                         bool afterRefresh, QObject* context, TransportCallback done)
{
    const QNetworkRequest request = buildRequest(integration, body, authorization);
    const bool put = usesPut(m_usePut, body);
    QNetworkReply* reply = put ? m_network.put(request, body) : m_network.post(request, body);
    auto timer = std::make_shared<QElapsedTimer>();
    timer->start();
    const QDateTime startedAt = m_clock.now();
    // TLS problems are reported through the reply's error, never ignored.
    connect(reply, &QNetworkReply::sslErrors, reply, [reply](const QList<QSslError>& errors) {
        QStringList texts;
        for (const QSslError& error : errors)
            texts << error.errorString();
        reply->setProperty("tlsErrors", texts.join(QStringLiteral("; ")));
    });
    auto firstByte = std::make_shared<qint64>(0);
    connect(reply, &QNetworkReply::metaDataChanged, reply, [timer, firstByte] {
        if (*firstByte == 0)
            *firstByte = timer->elapsed();
    });
    QPointer<QObject> guard(context);
    connect(
        reply, &QNetworkReply::finished, this,
        [this, reply, integration, body, afterRefresh, request, put, timer, firstByte, startedAt, guard, done] {
            reply->deleteLater();
            if (!guard)
                return;
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            if (status == 401 && integration.auth == Integration::Auth::OAuth2 && !afterRefresh) {
                // The token may have been revoked: fetch a new one once and try once more.
                m_tokens.invalidate(integration.id);
                return authorizeAndSend(integration, body, true, guard, done);
            }
            const QByteArray responseBody = reply->isOpen() ? reply->readAll() : QByteArray();
            TransportResult result;
            result.verdict = ResponseClassifier::verdict(status);
            if (status > 0)
                result.status = status;
            result.retryAfterSeconds =
                ResponseClassifier::retryAfterSeconds(reply->rawHeader("Retry-After"), m_clock.now());
            if (status == 0) {
                const QString tls = reply->property("tlsErrors").toString();
                result.error = reply->error() == QNetworkReply::OperationCanceledError
                                   ? QStringLiteral("No answer within %1 s (timeout)").arg(m_timeoutMs / 1000.0)
                                   : (tls.isEmpty() ? reply->errorString() : QStringLiteral("TLS error: %1").arg(tls));
            } else if (result.verdict != TransportResult::Verdict::Accepted &&
                       result.verdict != TransportResult::Verdict::Duplicate) {
                result.error = ResponseClassifier::describe(
                    status, reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toByteArray(), responseBody);
            }
            result.firstByteMs = int(*firstByte);
            AttemptRecord& attempt = result.attempt;
            attempt.startedAt = startedAt;
            attempt.durationMs = int(timer->elapsed());
            attempt.requestLine = QStringLiteral("%1 %2").arg(put ? QStringLiteral("PUT") : QStringLiteral("POST"),
                                                              request.url().toString());
            attempt.requestHeaders = redactedHeaders(request);
            attempt.requestBodySize = int(body.size());
            attempt.status = result.status;
            attempt.responseHeaders = headerText(reply->rawHeaderPairs());
            attempt.responseBody = QString::fromUtf8(responseBody.left(AttemptLog::ResponseBodyCap));
            attempt.error = result.error;
            done(result);
        });
}
