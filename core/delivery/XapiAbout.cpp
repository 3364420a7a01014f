#include "delivery/XapiAbout.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

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
