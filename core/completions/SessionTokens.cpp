#include "completions/SessionTokens.h"

#include <QMessageAuthenticationCode>
#include <QRandomGenerator>

namespace {
constexpr auto base64 = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;
}

SessionTokens::SessionTokens()
{
    m_key.resize(32);
    QRandomGenerator::system()->generate(m_key.begin(), m_key.end());
}

QByteArray SessionTokens::sign(const QByteArray& data) const
{
    return QMessageAuthenticationCode::hash(data, m_key, QCryptographicHash::Sha256).toBase64(base64);
}

SessionTokens::Session SessionTokens::issue(const QString& user, const QDateTime& now, int lifetimeSeconds) const
{
    Session session;
    session.expiresAt = now.addSecs(lifetimeSeconds);
    const QByteArray payload =
        QByteArray(user.toUtf8() + '\n' + QByteArray::number(session.expiresAt.toSecsSinceEpoch())).toBase64(base64);
    session.token = QString::fromLatin1(payload + '.' + sign("session:" + payload));
    session.csrf = QString::fromLatin1(sign("csrf:" + session.token.toLatin1()));
    return session;
}

QString SessionTokens::userOf(const QString& token, const QDateTime& now) const
{
    const QByteArray raw = token.toLatin1();
    const qsizetype dot = raw.indexOf('.');
    if (dot <= 0)
        return {};
    const QByteArray payload = raw.left(dot);
    if (!sameSecret(raw.mid(dot + 1), sign("session:" + payload)))
        return {};
    const QByteArray decoded = QByteArray::fromBase64(payload, base64);
    const qsizetype separator = decoded.lastIndexOf('\n'); // the user may hold any character, the expiry cannot
    if (separator <= 0 || decoded.mid(separator + 1).toLongLong() <= now.toSecsSinceEpoch())
        return {};
    return QString::fromUtf8(decoded.left(separator));
}

bool SessionTokens::csrfMatches(const QString& token, const QString& csrf) const
{
    return !token.isEmpty() && sameSecret(csrf.toLatin1(), sign("csrf:" + token.toLatin1()));
}

bool SessionTokens::sameSecret(const QByteArray& given, const QByteArray& expected)
{
    if (given.size() != expected.size() || expected.isEmpty())
        return false;
    unsigned char difference = 0;
    for (qsizetype i = 0; i < expected.size(); ++i)
        difference |= static_cast<unsigned char>(given.at(i) ^ expected.at(i));
    return difference == 0;
}
