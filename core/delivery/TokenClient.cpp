#include "delivery/TokenClient.h"

#include "common/Clock.h"
#include "common/Logging.h"
#include "delivery/Redaction.h"
#include "delivery/ReplyMonitor.h"
#include "delivery/ResponseClassifier.h"
#include "secrets/SecretStore.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>

namespace {

QByteArray basicHeader(const QByteArray& user, const QByteArray& password)
{
    return "Basic " + QByteArray(user + ':' + password).toBase64();
}

QString headerText(const QList<QNetworkReply::RawHeaderPair>& headers)
{
    QStringList lines;
    for (const auto& [name, value] : headers)
        lines << QString::fromLatin1(name) + QStringLiteral(": ") + QString::fromLatin1(value);
    return lines.join(QLatin1Char('\n'));
}

// expires_in is a number of seconds; a few servers send it as a string.
int lifetimeOf(const QJsonValue& value)
{
    bool ok = false;
    const int seconds = value.isString() ? value.toString().toInt(&ok) : value.toInt(-1);
    if (value.isString() && !ok)
        return TokenClient::DefaultLifetimeSeconds;
    return seconds < 0 ? TokenClient::DefaultLifetimeSeconds : seconds;
}

} // namespace

TransportResult AuthorizationResult::failure(const Integration& integration, const QDateTime& now,
                                             bool afterRefresh) const
{
    TransportResult result;
    result.verdict = verdict;
    result.errorKind = errorKind;
    result.status = status;
    result.error = error;
    result.tokenRefreshed = afterRefresh;
    AttemptRecord& attempt = result.attempt;
    attempt.startedAt = now;
    attempt.status = status;
    attempt.error = error;
    if (requestLine.isEmpty()) {
        attempt.requestLine = QStringLiteral("POST %1").arg(integration.statementUrl.toString());
        attempt.requestHeaders = QStringLiteral("(not sent)");
        return result;
    }
    result.requestBody = requestBody.toUtf8();
    attempt.durationMs = durationMs;
    attempt.requestLine = requestLine;
    attempt.requestHeaders = requestHeaders;
    attempt.requestBodySize = int(result.requestBody.size());
    attempt.responseHeaders = responseHeaders;
    attempt.responseBody = responseBody;
    result.responseSize = responseBody.toUtf8().size();
    return result;
}

QString TokenClient::invalidCredentials()
{
    return QStringLiteral("Invalid Credentials (Client Id, Client Secret or Authentication URL may be incorrect)");
}

QByteArray TokenClient::formEncode(const QString& value)
{
    return QUrl::toPercentEncoding(value).replace("%20", "+");
}

TokenClient::TokenClient(QNetworkAccessManager& network, SecretStore& secrets, Clock& clock, QObject* parent)
    : QObject(parent)
    , m_network(network)
    , m_secrets(secrets)
    , m_clock(clock)
{}

void TokenClient::authorizeRequest(const Integration& integration, bool afterRefresh, QObject* requester,
                                   QObject* context, std::function<void(const QByteArray&)> send,
                                   TransportCallback done)
{
    QPointer<QObject> guard(context);
    authorization(integration, requester,
                  [this, integration, afterRefresh, guard, send = std::move(send),
                   done = std::move(done)](const AuthorizationResult& auth) {
                      if (!guard)
                          return;
                      if (auth.ok)
                          return send(auth.header);
                      done(auth.failure(integration, m_clock.now(), afterRefresh));
                  });
}

void TokenClient::invalidate(qint64 integrationId)
{
    m_tokens.remove(integrationId);
}

void TokenClient::testConnection(const Integration& integration, QObject* context,
                                 std::function<void(bool ok, const QString& message)> done)
{
    if (integration.auth != Integration::Auth::OAuth2) {
        // No token to fetch: what can be tested is that the Statement URL answers at all (any HTTP status will do;
        // nothing is sent but a GET, no credentials).
        const QString auth = integration.auth == Integration::Auth::Basic
                                 ? QStringLiteral("it uses HTTP Basic, so there is no token to fetch")
                                 : QStringLiteral("it uses no authentication, so there is no token to fetch");
        QNetworkRequest request(integration.statementUrl);
        request.setRawHeader("X-Experience-API-Version", "1.0.3");
        request.setRawHeader("User-Agent", "xAPI-Courier/" COURIER_VERSION);
        request.setTransferTimeout(m_timeoutMs);
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
        QNetworkReply* reply = m_network.get(request);
        ReplyMonitor* monitor = ReplyMonitor::watch(reply, m_connectTimeoutMs, m_timeoutMs);
        connect(reply, &QNetworkReply::finished, context, [reply, monitor, integration, auth, done] {
            reply->deleteLater();
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            const QString url = integration.statementUrl.toString();
            if (status > 0)
                return done(
                    true,
                    QStringLiteral("Reachable: %1 answered HTTP %2 to a GET (%3).").arg(url).arg(status).arg(auth));
            done(false, QStringLiteral("Not reachable: %1 did not answer a GET: %2").arg(url, monitor->failureText()));
        });
        return;
    }
    invalidate(integration.id);
    authorization(integration, context, [this, integration, done](const AuthorizationResult& result) {
        if (!result.ok)
            return done(false, result.error);
        done(true, QStringLiteral("Connected: %1 issued an access token for client “%2” (valid for %3 s).")
                       .arg(integration.authUrl.toString(), integration.clientId)
                       .arg(m_tokens.value(integration.id).lifetimeSeconds));
    });
}

void TokenClient::authorization(const Integration& integration, QObject* context, Callback done)
{
    if (integration.auth == Integration::Auth::None) {
        AuthorizationResult result;
        result.ok = true;
        return done(result);
    }
    const FetchKey key{integration.id, integration.revision};
    // A token, or a Basic header, is used until it expires or the integration is edited (new credentials).
    const auto cached = m_tokens.constFind(integration.id);
    if (cached != m_tokens.constEnd() && cached->revision == integration.revision &&
        m_clock.now() < cached->validUntil) {
        AuthorizationResult result;
        result.ok = true;
        result.header = cached->header;
        return done(result);
    }
    if (integration.auth == Integration::Auth::OAuth2) {
        // One token request at a time per integration: the others wait for its answer.
        auto waiting = m_waiting.find(key);
        if (waiting != m_waiting.end()) {
            waiting->append({context, std::move(done)});
            return;
        }
        m_waiting.insert(key, {{context, std::move(done)}});
    }
    QPointer<QObject> guard(context);
    m_secrets.read(SecretStore::integrationKey(integration.uid), this,
                   [this, integration, key, guard, done](const SecretResult& secret) {
                       if (!secret.ok()) {
                           AuthorizationResult result;
                           result.errorKind = TransportResult::ErrorKind::Credentials;
                           // A missing secret is fixed by an edit; an unreachable keychain by starting one.
                           result.verdict = secret.status == SecretResult::Status::NotFound
                                                ? TransportResult::Verdict::Rejected
                                                : TransportResult::Verdict::Retryable;
                           result.error = QStringLiteral("The credentials of “%1” could not be read: %2")
                                              .arg(integration.name, secret.message);
                           if (integration.auth == Integration::Auth::OAuth2)
                               return finish(key, result);
                           if (guard)
                               done(result);
                           return;
                       }
                       if (integration.auth == Integration::Auth::OAuth2)
                           return fetch(integration, secret.value);
                       // HTTP Basic: the header is kept in memory like a token (never stored, never logged) and
                       // read from the keychain again every BasicLifetimeSeconds, so the queue does not ask the
                       // keychain once per statement.
                       AuthorizationResult result;
                       result.ok = true;
                       result.header = basicHeader(integration.username.toUtf8(), secret.value.toUtf8());
                       m_tokens.insert(integration.id, {result.header, m_clock.now().addSecs(BasicLifetimeSeconds),
                                                        BasicLifetimeSeconds, integration.revision});
                       if (guard)
                           done(result);
                   });
}

void TokenClient::fetch(const Integration& integration, const QString& secret)
{
    ++m_fetches;
    QNetworkRequest request(integration.authUrl);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/x-www-form-urlencoded"));
    request.setRawHeader("Accept", "application/json");
    request.setRawHeader("User-Agent", "xAPI-Courier/" COURIER_VERSION);
    QByteArray body = "grant_type=client_credentials";
    if (!integration.clientCredentialsInBody) {
        // RFC 6749 §2.3.1: client id and secret are form-encoded before they go into the Basic header.
        request.setRawHeader("Authorization", basicHeader(formEncode(integration.clientId), formEncode(secret)));
    } else {
        body += "&client_id=" + formEncode(integration.clientId) + "&client_secret=" + formEncode(secret);
    }
    request.setTransferTimeout(m_timeoutMs);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    // A token endpoint that redirects is a wrong Authentication URL; credentials never follow a redirect.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);

    AuthorizationResult exchange;
    exchange.requestLine = QStringLiteral("POST %1").arg(integration.authUrl.toString());
    exchange.requestHeaders = Redaction::headers(request);
    exchange.requestBody = Redaction::formBody(body);

    QNetworkReply* reply = m_network.post(request, body);
    ReplyMonitor* monitor = ReplyMonitor::watch(reply, m_connectTimeoutMs, m_timeoutMs);
    const QDateTime asked = m_clock.now();
    const FetchKey key{integration.id, integration.revision};
    connect(reply, &QNetworkReply::finished, this, [this, reply, monitor, integration, asked, key, exchange] {
        reply->deleteLater();
        AuthorizationResult result = exchange;
        result.durationMs = int(monitor->elapsedMs());
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray reason = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toByteArray();
        const QByteArray body = reply->isOpen() ? reply->read(ResponseBodyCap) : QByteArray();
        if (status > 0) {
            result.status = status;
            result.responseHeaders = headerText(reply->rawHeaderPairs());
        }
        const QString endpoint = integration.authUrl.toString();
        const QJsonObject json = QJsonDocument::fromJson(body).object();
        const QString token = json.value(QStringLiteral("access_token")).toString();
        const QString type = json.value(QStringLiteral("token_type")).toString(QStringLiteral("Bearer"));
        QString detail;
        if (status >= 200 && status < 300 && !token.isEmpty()) {
            if (type.compare(QLatin1String("bearer"), Qt::CaseInsensitive) == 0) {
                const int lifetime = lifetimeOf(json.value(QStringLiteral("expires_in")));
                // Renewed shortly before it expires: 30 s early, or a tenth of a short lifetime.
                const int margin = std::min(ExpiryMarginSeconds, lifetime / 10);
                const CachedToken cached{"Bearer " + token.toUtf8(), asked.addSecs(lifetime - margin), lifetime,
                                         integration.revision};
                m_tokens.insert(integration.id, cached);
                result.ok = true;
                result.header = cached.header;
                result.responseBody = Redaction::mask(); // it holds the token
                qCInfo(lcDelivery) << "New access token for" << integration.name << "valid for" << lifetime << "s";
                return finish(key, result);
            }
            result.responseBody = Redaction::mask();
            detail = QStringLiteral("The token endpoint %1 issued a token of type “%2”; only Bearer tokens can be "
                                    "used (RFC 6750).")
                         .arg(endpoint, type);
        } else if (status > 0) {
            result.responseBody = QString::fromUtf8(body);
            detail = QStringLiteral("The token endpoint %1 answered %2")
                         .arg(endpoint, ResponseClassifier::describe(status, reason, body));
            if (status >= 200 && status < 300)
                detail += QStringLiteral(" (no access_token in the answer)");
            if (status >= 300 && status < 400 && reply->hasRawHeader("Location"))
                detail += QStringLiteral(" (redirects to %1)").arg(QString::fromLatin1(reply->rawHeader("Location")));
        } else {
            detail =
                QStringLiteral("The token endpoint %1 could not be reached: %2").arg(endpoint, monitor->failureText());
        }
        // 5xx, 408, 429 and no answer at all may pass; any other answer is fixed by editing the integration.
        result.verdict = status >= 200 && status < 500 && status != 408 && status != 429
                             ? TransportResult::Verdict::Rejected
                             : TransportResult::Verdict::Retryable;
        result.error = invalidCredentials() + QLatin1Char('\n') + detail;
        qCWarning(lcDelivery) << "Token request for" << integration.name
                              << "failed:" << (status > 0 ? QString::number(status) : monitor->failureText());
        finish(key, result);
    });
}

void TokenClient::finish(const FetchKey& key, const AuthorizationResult& result)
{
    const QList<Waiter> waiters = m_waiting.take(key);
    for (const Waiter& waiter : waiters) {
        if (waiter.context)
            waiter.done(result);
    }
}
