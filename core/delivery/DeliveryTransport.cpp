#include "delivery/DeliveryTransport.h"

#include "integrations/Integration.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

namespace {
QString seconds(int milliseconds)
{
    return QString::number(milliseconds / 1000.0, 'g', 4);
}
} // namespace

QString statementIdForPut(const QByteArray& body)
{
    const QJsonDocument document = QJsonDocument::fromJson(body);
    return document.isObject() ? document.object().value(QStringLiteral("id")).toString() : QString();
}

QUrl statementRequestUrl(const Integration& integration, const QString& statementId)
{
    QUrl url = integration.statementUrl;
    if (!statementId.isEmpty()) {
        QUrlQuery query(url);
        query.addQueryItem(QStringLiteral("statementId"), statementId);
        url.setQuery(query);
    }
    return url;
}

QList<std::pair<QByteArray, QByteArray>> statementRequestHeaders(const QByteArray& authorization,
                                                                  XapiVersion version)
{
    QList<std::pair<QByteArray, QByteArray>> headers{
        {"Content-Type", "application/json"},
        {"X-Experience-API-Version", version == XapiVersion::V2_0_0 ? "2.0.0" : "1.0.3"},
        {"User-Agent", "xAPI-Courier/" COURIER_VERSION},
    };
    if (!authorization.isEmpty())
        headers.append({"Authorization", authorization});
    return headers;
}

QString connectTimeoutError(int milliseconds)
{
    return QStringLiteral("No connection within %1 s (connect timeout).").arg(seconds(milliseconds));
}

QString totalTimeoutError(int milliseconds)
{
    return QStringLiteral("No complete answer within %1 s (timeout).").arg(seconds(milliseconds));
}
