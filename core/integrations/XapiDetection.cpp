#include "integrations/XapiDetection.h"

#include "delivery/XapiAbout.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace XapiDetection {

namespace {

QString listed(const QByteArray& body)
{
    QStringList versions;
    for (const QJsonValue& value : QJsonDocument::fromJson(body).object().value(QStringLiteral("version")).toArray())
        versions << value.toString();
    return versions.join(QStringLiteral(", "));
}

} // namespace

void detect(QNetworkAccessManager& network, Integration draft, QObject* context,
            std::function<void(const Outcome&)> done, int timeoutMs)
{
    Outcome outcome;
    if (draft.xapiVersion != QLatin1String("auto")) {
        draft.xapiDetected.clear();
        draft.xapiDetectedAt = QDateTime();
        outcome.integration = std::move(draft);
        return done(outcome);
    }
    const QUrl url = XapiAbout::aboutUrl(draft.statementUrl);
    QNetworkRequest request(url);
    request.setRawHeader("X-Experience-API-Version", "1.0.3");
    request.setTransferTimeout(timeoutMs);
    QNetworkReply* reply = network.get(request);
    QObject::connect(reply, &QNetworkReply::finished, context,
                     [reply, url, draft = std::move(draft), done = std::move(done)]() mutable {
                         reply->deleteLater();
                         Outcome outcome;
                         outcome.asked = true;
                         const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                         const QByteArray body = reply->readAll();
                         const auto version = status == 200 ? XapiAbout::pick(body) : std::nullopt;
                         if (status != 200) {
                             outcome.detail =
                                 status > 0
                                     ? QStringLiteral("GET %1 answered %2").arg(url.toString()).arg(status)
                                     : QStringLiteral("GET %1 failed: %2").arg(url.toString(), reply->errorString());
                         } else if (version) {
                             outcome.detail = QStringLiteral("GET %1 lists %2").arg(url.toString(), listed(body));
                         } else {
                             outcome.detail = QStringLiteral("GET %1 lists no version this program speaks (%2)")
                                                  .arg(url.toString(), listed(body));
                         }
                         outcome.answered = version.has_value();
                         draft.xapiDetected = version ? XapiVersions::name(*version) : QString();
                         draft.xapiDetectedAt = QDateTime::currentDateTimeUtc();
                         outcome.integration = std::move(draft);
                         done(outcome);
                     });
    // The reply goes with the network manager, or once answered; a context gone first leaves it to the manager.
}

QString describe(const Integration& integration)
{
    const QString when = integration.xapiDetectedAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"));
    if (!integration.xapiDetectedAt.isValid())
        return integration.xapiDetected.isEmpty()
                   ? QStringLiteral("not asked yet: sent as 1.0.3")
                   : QStringLiteral("%1 (the receiver's answer)").arg(integration.xapiDetected);
    if (integration.xapiDetected.isEmpty())
        return QStringLiteral("no answer from the receiver's /about (asked %1): sent as 1.0.3").arg(when);
    return QStringLiteral("%1 (the receiver's answer, asked %2)").arg(integration.xapiDetected, when);
}

} // namespace XapiDetection
