#include "delivery/XapiAbout.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

QUrl XapiAbout::aboutUrl(const QUrl& statementUrl)
{
    QUrl url = statementUrl;
    url.setQuery(QString());
    url.setFragment(QString());
    QString path = url.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    if (path.endsWith(QLatin1String("/statements"), Qt::CaseInsensitive))
        path.chop(int(qstrlen("statements")));
    else
        path += QLatin1Char('/');
    url.setPath(path + QStringLiteral("about"));
    return url;
}

std::optional<XapiVersion> XapiAbout::pick(const QByteArray& aboutJson)
{
    const QJsonArray versions = QJsonDocument::fromJson(aboutJson).object().value(QStringLiteral("version")).toArray();
    bool one = false;
    for (const QJsonValue& value : versions) {
        const QString version = value.toString();
        if (version.startsWith(QLatin1String("2.0")))
            return XapiVersion::V2_0_0;
        one |= version.startsWith(QLatin1String("1.0"));
    }
    return one ? std::optional(XapiVersion::V1_0_3) : std::nullopt;
}

XapiAbout::Answer XapiAbout::ask(QNetworkAccessManager& network, const QUrl& statementUrl, int timeoutMs)
{
    const QUrl url = aboutUrl(statementUrl);
    QNetworkRequest request(url);
    request.setRawHeader("X-Experience-API-Version", "1.0.3");
    request.setTransferTimeout(timeoutMs);
    QNetworkReply* reply = network.get(request);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    reply->deleteLater();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply->readAll();
    Answer answer;
    if (status != 200) {
        answer.detail = status > 0 ? QStringLiteral("GET %1 answered %2").arg(url.toString()).arg(status)
                                   : QStringLiteral("GET %1 failed: %2").arg(url.toString(), reply->errorString());
        return answer;
    }
    answer.version = pick(body);
    const QJsonArray versions = QJsonDocument::fromJson(body).object().value(QStringLiteral("version")).toArray();
    QStringList listed;
    for (const QJsonValue& value : versions)
        listed << value.toString();
    answer.detail = answer.version
                        ? QStringLiteral("GET %1 lists %2").arg(url.toString(), listed.join(QStringLiteral(", ")))
                        : QStringLiteral("GET %1 lists no version this program speaks (%2)")
                              .arg(url.toString(), listed.join(QStringLiteral(", ")));
    return answer;
}
