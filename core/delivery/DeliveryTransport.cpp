#include "delivery/DeliveryTransport.h"

#include <QJsonDocument>
#include <QJsonObject>

QString statementIdForPut(const QByteArray& body)
{
    const QJsonDocument document = QJsonDocument::fromJson(body);
    return document.isObject() ? document.object().value(QStringLiteral("id")).toString() : QString();
}
