#include "delivery/ResponseClassifier.h"

#include <QLocale>

namespace ResponseClassifier {

TransportResult::Verdict verdict(int status)
{
    if (status >= 200 && status < 300)
        return TransportResult::Verdict::Accepted;
    if (status == 409)
        return TransportResult::Verdict::Duplicate;
    if (status == 408 || status == 429 || status >= 500 || status == 0)
        return TransportResult::Verdict::Retryable;
    if (status >= 400)
        return TransportResult::Verdict::Rejected;
    // 1xx/3xx that were not followed: the receiver is misconfigured, which an edit fixes.
    return TransportResult::Verdict::Rejected;
}

int retryAfterSeconds(const QByteArray& header, const QDateTime& now)
{
    const QByteArray value = header.trimmed();
    if (value.isEmpty())
        return 0;
    bool isNumber = false;
    const int seconds = value.toInt(&isNumber);
    if (isNumber)
        return std::clamp(seconds, 0, 86400);
    const QDateTime when = QLocale::c().toDateTime(QString::fromLatin1(value).chopped(4).trimmed(),
                                                   QStringLiteral("ddd, dd MMM yyyy HH:mm:ss"));
    if (!when.isValid())
        return 0;
    QDateTime utc = when;
    utc.setTimeSpec(Qt::UTC);
    return int(std::clamp<qint64>(now.secsTo(utc), 0, 86400));
}

QString describe(int status, const QByteArray& reason, const QByteArray& body)
{
    QString text = QStringLiteral("HTTP %1").arg(status);
    if (!reason.isEmpty())
        text += QLatin1Char(' ') + QString::fromLatin1(reason);
    const QString excerpt = QString::fromUtf8(body.left(600)).trimmed();
    if (!excerpt.isEmpty())
        text += QStringLiteral(": ") + excerpt.left(500);
    return text;
}

} // namespace ResponseClassifier
