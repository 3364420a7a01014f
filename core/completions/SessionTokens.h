#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <optional>

class Store;

// Signed session tokens for the embedding page, and the CSRF token bound to each (HMAC-SHA256). The key lives in the
// store's settings (storedKey()), so sessions outlive a restart and every receiver on the same store honours them.
class SessionTokens final
{
public:
    SessionTokens(); // a random key of its own (until setKey())
    explicit SessionTokens(const QByteArray& key);
    void setKey(const QByteArray& key) { m_key = key; }

    // The store's session key (settings "receiver.session-key", 32 random bytes made by the first receiver that
    // needs one; two receivers starting at once agree on the one that was written first); nullopt with error when
    // the store cannot be read or written.
    static std::optional<QByteArray> storedKey(Store& store, QString* error);
    static QString settingsKey();

    struct Session
    {
        QString token;
        QString csrf;
        QDateTime expiresAt;
    };
    Session issue(const QString& user, const QDateTime& now, int lifetimeSeconds) const;
    // The user of a valid, unexpired session; empty otherwise.
    QString userOf(const QString& token, const QDateTime& now) const;
    bool csrfMatches(const QString& token, const QString& csrf) const;

    // Compares secrets in a time that does not depend on where they differ; false when expected is empty.
    static bool sameSecret(const QByteArray& given, const QByteArray& expected);

private:
    QByteArray sign(const QByteArray& data) const;

    QByteArray m_key;
};
