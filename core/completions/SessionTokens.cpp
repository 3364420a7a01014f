#include "completions/SessionTokens.h"

#include "store/Store.h"

#include <QMessageAuthenticationCode>
#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>

namespace {
constexpr auto base64 = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;
}

SessionTokens::SessionTokens()
{
    m_key.resize(32);
    QRandomGenerator::system()->generate(m_key.begin(), m_key.end());
}

SessionTokens::SessionTokens(const QByteArray& key)
    : m_key(key)
{}

QString SessionTokens::settingsKey()
{
    return QStringLiteral("receiver.session-key");
}

std::optional<QByteArray> SessionTokens::storedKey(Store& store, QString* error)
{
    const auto read = [&]() -> std::optional<QByteArray> {
        QSqlQuery query(store.database());
        query.prepare(QStringLiteral("SELECT value FROM settings WHERE key = ?"));
        query.addBindValue(settingsKey());
        if (!query.exec()) {
            *error = Store::describe(query.lastError());
            return std::nullopt;
        }
        return query.next() ? QByteArray::fromBase64(query.value(0).toString().toLatin1()) : QByteArray();
    };
    std::optional<QByteArray> key = read();
    if (!key || key->size() >= 32)
        return key;
    QByteArray fresh(32, Qt::Uninitialized);
    QRandomGenerator::system()->generate(fresh.begin(), fresh.end());
    QSqlQuery insert(store.database());
    // DO NOTHING: a receiver that wrote one first wins, and both read that one back.
    insert.prepare(QStringLiteral("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING"));
    insert.addBindValue(settingsKey());
    insert.addBindValue(QString::fromLatin1(fresh.toBase64()));
    if (!insert.exec()) {
        *error = Store::describe(insert.lastError());
        return std::nullopt;
    }
    key = read();
    if (key && key->size() < 32) {
        *error = QStringLiteral("The session key in the store's settings (%1) is shorter than 32 bytes; delete that "
                                "row and restart the receiver.")
                     .arg(settingsKey());
        return std::nullopt;
    }
    return key;
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
