#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>

// Signed session tokens for the embedding page, and the CSRF token bound to each (HMAC-SHA256 with a key that
// never leaves the process).
class SessionTokens final
{
public:
    SessionTokens();

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
