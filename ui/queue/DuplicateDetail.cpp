#include "queue/DuplicateDetail.h"

#include "delivery/Delivery.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace DuplicateDetail {

namespace {
QString tr(const char* text)
{
    return QCoreApplication::translate("DuplicateDetail", text);
}

QString valueText(const QJsonObject& difference, const QString& key)
{
    if (difference.value(key + QStringLiteral("Absent")).toBool())
        return tr("<i>absent</i>");
    const QJsonValue value = difference.value(key);
    QString text;
    if (value.isObject())
        text = QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    else if (value.isArray())
        text = QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    else
        text = QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact)).chopped(1).mid(1);
    return QStringLiteral("<code>%1</code>").arg(text.left(300).toHtmlEscaped());
}
} // namespace

QString stateText(const Delivery& delivery)
{
    if (delivery.state == Delivery::State::Duplicate && !delivery.duplicateKind.isEmpty())
        return QStringLiteral("duplicate (%1)").arg(delivery.duplicateKind);
    return Delivery::stateName(delivery.state);
}

QString html(const Delivery& delivery)
{
    if (delivery.state != Delivery::State::Duplicate)
        return QString();
    const QJsonObject detail = QJsonDocument::fromJson(delivery.duplicateDetail).object();
    if (delivery.duplicateKind.isEmpty())
        return tr("<p><b>409 duplicate</b> — counted as delivered; triage has not read it back from the receiver "
                  "yet.</p>");
    if (delivery.duplicateKind == QLatin1String("identical"))
        return tr("<p style=\"color:#2ea043\"><b>409 duplicate: identical</b> — the receiver holds this very "
                  "statement. Harmless: it arrived twice.</p>");
    if (delivery.duplicateKind == QLatin1String("unverified"))
        return tr("<p><b>409 duplicate: unverified</b> — %1</p>")
            .arg(detail.value(QStringLiteral("reason")).toString().toHtmlEscaped());
    QString html = tr("<p style=\"color:#c62828\"><b>409 duplicate: conflicting</b> — the receiver holds other "
                      "content under this statement id. That is a data bug upstream: the id was reused for another "
                      "statement.</p><table cellpadding=\"3\"><tr><th align=\"left\">JSON path</th>"
                      "<th align=\"left\">Sent</th><th align=\"left\">Stored by the receiver</th></tr>");
    for (const QJsonValue& value : detail.value(QStringLiteral("differences")).toArray()) {
        const QJsonObject difference = value.toObject();
        html += QStringLiteral("<tr><td><code>%1</code></td><td>%2</td><td>%3</td></tr>")
                    .arg(difference.value(QStringLiteral("path")).toString().toHtmlEscaped(),
                         valueText(difference, QStringLiteral("sent")), valueText(difference, QStringLiteral("stored")));
    }
    return html + QStringLiteral("</table>");
}

} // namespace DuplicateDetail
