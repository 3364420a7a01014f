#include "delivery/TokenClient.h"

#include "common/Clock.h"
#include "common/Logging.h"
#include "delivery/ResponseClassifier.h"
#include "secrets/SecretStore.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPointer>
#include <QUrlQuery>

namespace {
QByteArray basicHeader(const QString& user, const QString& password)
{
    return "Basic " + QByteArray(user.toUtf8() + ':' + password.toUtf8()).toBase64();
}
} // namespace

QString TokenClient::invalidCredentials()
{
    return QStringLiteral("Invalid Credentials (Client Id, Client Secret or Authentication URL may be incorrect)");
}

TokenClient::TokenClient(QNetworkAccessManager& network, SecretStore& secrets, Clock& clock, QObject* parent)
    : QObject(parent)
    , m_network(network)
    , m_secrets(secrets)
    , m_clock(clock)
{}

void TokenClient::invalidate(qint64 integrationId)
{
    m_tokens.remove(integrationId);
}

void TokenClient::testConnection(const Integration& integration, QObject* context,
                                 std::function<void(bool ok, const QString& message)> done)
{
    if (integration.auth != Integration::Auth::OAuth2) {
        return done(
            true,
            integration.auth == Integration::Auth::Basic
                ? QStringLiteral("“%1” uses HTTP Basic: there is no token to fetch; the user name and "
                                 "password go with every statement.")
                      .arg(integration.name)
                : QStringLiteral("“%1” uses no authentication: there is no token to fetch.").arg(integration.name));
    }
    invalidate(integration.id);
    authorization(integration, context, [this, integration, done](const AuthorizationResult& result) {
        if (!result.ok)
            return done(false, result.error);
        const qint64 seconds = m_clock.now().secsTo(m_tokens.value(integration.id).validUntil) + ExpiryMarginSeconds;
        done(true, QStringLiteral("Connected: %1 issued an access token for client “%2” (valid for %3 s).")
                       .arg(integration.authUrl.toString(), integration.clientId)
                       .arg(seconds));
    });
}

void TokenClient::authorization(const Integration& integration, QObject* context,
                                std::function<void(const AuthorizationResult&)> done)
{
    if (integration.auth == Integration::Auth::None) {
        AuthorizationResult result;
        result.ok = true;
        return done(result);
    }
    if (integration.auth == Integration::Auth::OAuth2) {
        const auto cached = m_tokens.constFind(integration.id);
        if (cached != m_tokens.constEnd() && cached->revision == integration.revision &&
            m_clock.now() < cached->validUntil) {
            AuthorizationResult result;
            result.ok = true;
            result.header = cached->header;
            return done(result);
        }
    }
    QPointer<QObject> guard(context);
    m_secrets.read(SecretStore::integrationKey(integration.uid), this,
                   [this, integration, guard, done](const SecretResult& secret) {
                       if (!guard)
                           return;
                       if (!secret.ok()) {
                           AuthorizationResult result;
                           // A missing secret is fixed by an edit; an unreachable keychain by starting one.
                           result.verdict = secret.status == SecretResult::Status::NotFound
                                                ? TransportResult::Verdict::Rejected
                                                : TransportResult::Verdict::Retryable;
                           result.error = QStringLiteral("The credentials of “%1” could not be read: %2")
                                              .arg(integration.name, secret.message);
                           return done(result);
                       }
                       if (integration.auth == Integration::Auth::Basic) {
                           AuthorizationResult result;
                           result.ok = true;
                           result.header = basicHeader(integration.username, secret.value);
                           return done(result);
                       }
                       fetch(integration, secret.value, guard, done);
                   });
}

void TokenClient::fetch(const Integration& integration, const QString& secret, QObject* context,
                        std::function<void(const AuthorizationResult&)> done)
{
    ++m_fetches;
    QNetworkRequest request(integration.authUrl);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/x-www-form-urlencoded"));
    request.setRawHeader("Accept", "application/json");
    // RFC 6749 §2.3.1: client id and secret are form-encoded before they go into the Basic header.
    request.setRawHeader("Authorization",
                         basicHeader(QString::fromLatin1(QUrl::toPercentEncoding(integration.clientId)),
                                     QString::fromLatin1(QUrl::toPercentEncoding(secret))));
    request.setTransferTimeout(m_timeoutMs);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    QNetworkReply* reply = m_network.post(request, QByteArrayLiteral("grant_type=client_credentials"));
    const QDateTime asked = m_clock.now();
    connect(reply, &QNetworkReply::finished, context, [this, reply, integration, asked, done] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray body = reply->isOpen() ? reply->readAll() : QByteArray();
        AuthorizationResult result;
        if (status > 0)
            result.status = status;
        const QJsonObject json = QJsonDocument::fromJson(body).object();
        const QString token = json.value(QStringLiteral("access_token")).toString();
        if (status >= 200 && status < 300 && !token.isEmpty()) {
            const int lifetime = json.value(QStringLiteral("expires_in")).toInt(DefaultLifetimeSeconds);
            CachedToken cached{"Bearer " + token.toUtf8(), asked.addSecs(std::max(0, lifetime - ExpiryMarginSeconds)),
                               integration.revision};
            m_tokens.insert(integration.id, cached);
            result.ok = true;
            result.header = cached.header;
            return done(result);
        }
        const QString answer =
            status > 0 ? ResponseClassifier::describe(
                             status, reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toByteArray(), body)
                       : reply->errorString();
        if (status >= 400 && status < 500 && status != 408 && status != 429) {
            result.verdict = TransportResult::Verdict::Rejected;
            result.error =
                invalidCredentials() +
                QStringLiteral("\nThe token endpoint %1 answered %2").arg(integration.authUrl.toString(), answer);
        } else {
            result.verdict = status >= 200 && status < 300 ? TransportResult::Verdict::Rejected
                                                           : TransportResult::Verdict::Retryable;
            result.error =
                QStringLiteral("No access token from %1: %2")
                    .arg(integration.authUrl.toString(),
                         status >= 200 && status < 300 ? QStringLiteral("the answer has no access_token") : answer);
        }
        qCWarning(lcDelivery) << "Token request for" << integration.name << "failed:" << status;
        done(result);
    });
}
