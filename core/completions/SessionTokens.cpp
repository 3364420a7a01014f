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
    if (sign("session:" + payload) != raw.mid(dot + 1))
        return {};
    const QList<QByteArray> parts = QByteArray::fromBase64(payload, base64).split('\n');
    if (parts.size() != 2 || parts.at(1).toLongLong() <= now.toSecsSinceEpoch())
        return {};
    return QString::fromUtf8(parts.at(0));
}

bool SessionTokens::csrfMatches(const QString& token, const QString& csrf) const
{
    return !csrf.isEmpty() && sign("csrf:" + token.toLatin1()) == csrf.toLatin1();
}
