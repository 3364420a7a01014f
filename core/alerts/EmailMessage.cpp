#include "alerts/EmailMessage.h"

#include <QLocale>
#include <QUuid>

namespace {

QByteArray encodedHeader(const QString& text)
{
    const QByteArray utf8 = text.toUtf8();
    for (char c : utf8) {
        if (static_cast<unsigned char>(c) >= 0x80 || c == '\r' || c == '\n')
            return "=?UTF-8?B?" + utf8.toBase64() + "?=";
    }
    return utf8;
}

QByteArray base64Lines(const QString& text)
{
    const QByteArray encoded = text.toUtf8().toBase64();
    QByteArray lines;
    for (qsizetype i = 0; i < encoded.size(); i += 76)
        lines += encoded.mid(i, 76) + "\r\n";
    return lines;
}

} // namespace

QByteArray EmailMessage::toMime(const QDateTime& date) const
{
    const QByteArray boundary = "=_courier_" + QUuid::createUuid().toString(QUuid::Id128).toLatin1();
    const QString domain = from.section(QLatin1Char('@'), 1);
    QByteArray mime;
    mime += "From: " + from.toUtf8() + "\r\n";
    mime += "To: " + to.join(QStringLiteral(", ")).toUtf8() + "\r\n";
    mime += "Subject: " + encodedHeader(subject) + "\r\n";
    mime += "Date: " + QLocale::c().toString(date.toUTC(), QStringLiteral("ddd, dd MMM yyyy HH:mm:ss")).toLatin1() +
            " +0000\r\n";
    mime += "Message-ID: <" + QUuid::createUuid().toString(QUuid::WithoutBraces).toLatin1() + "@" + domain.toUtf8() +
            ">\r\n";
    mime += "MIME-Version: 1.0\r\n";
    mime += "Auto-Submitted: auto-generated\r\n";
    mime += "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n\r\n";
    mime +=
        "--" + boundary + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
    mime += base64Lines(text);
    mime += "--" + boundary + "\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
    mime += base64Lines(html);
    mime += "--" + boundary + "--\r\n";
    return mime;
}
