#include "delivery/Redaction.h"

#include <QList>
#include <QNetworkRequest>

namespace Redaction {

QString mask()
{
    return QStringLiteral("•••");
}

QString authorization(const QByteArray& value)
{
    // "Bearer abc" shows its scheme; a bare credential with no scheme shows nothing of itself.
    const QByteArray trimmed = value.trimmed();
    const qsizetype space = trimmed.indexOf(' ');
    return space > 0 ? QString::fromLatin1(trimmed.left(space)) + QLatin1Char(' ') + mask() : mask();
}

QString headers(const QNetworkRequest& request)
{
    QStringList lines;
    for (const QByteArray& name : request.rawHeaderList()) {
        const QByteArray value = request.rawHeader(name);
        const QString shown =
            name.compare("Authorization", Qt::CaseInsensitive) == 0 ? authorization(value) : QString::fromLatin1(value);
        lines << QString::fromLatin1(name) + QStringLiteral(": ") + shown;
    }
    return lines.join(QLatin1Char('\n'));
}

QString formBody(const QByteArray& body)
{
    QStringList pairs;
    for (const QByteArray& pair : body.split('&')) {
        const QByteArray key = pair.left(pair.indexOf('='));
        if (key == "client_secret" || key == "password")
            pairs << QString::fromLatin1(key) + QLatin1Char('=') + mask();
        else
            pairs << QString::fromLatin1(pair);
    }
    return pairs.join(QLatin1Char('&'));
}

} // namespace Redaction
