#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QStringList>

// A plain-text e-mail with a simple HTML alternative.
struct EmailMessage
{
    QString from;
    QStringList to;
    QString subject;
    QString text;
    QString html;

    // RFC 5322 / MIME multipart/alternative, UTF-8, base64 bodies, CRLF line ends.
    QByteArray toMime(const QDateTime& date) const;
};
