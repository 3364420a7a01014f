#pragma once

#include <QString>
#include <QUrl>

// Where the store lives: an SQLite file (the embedded default) or a PostgreSQL URL.
class StoreLocation final
{
public:
    enum class Kind { Sqlite, PostgreSql };

    static constexpr const char* EnvironmentVariable = "XAPI_COURIER_DB";

    // An explicit --db value wins, then XAPI_COURIER_DB, then the default SQLite file.
    static StoreLocation resolve(const QString& commandLineValue);
    static StoreLocation fromString(const QString& value);
    static StoreLocation defaultLocation();

    Kind kind() const { return m_kind; }
    QString sqlitePath() const { return m_sqlitePath; }
    QUrl postgresUrl() const { return m_postgresUrl; }
    // False only for an SQLite file that is not there (a PostgreSQL database is asked for when it is opened).
    bool exists() const;
    // For people and logs: never carries a password.
    QString displayName() const;
    // Why this location cannot be used as it is written (empty when it can): a PostgreSQL URL with a password, without
    // a database name, or with a parameter libpq should not get from us.
    QString problem() const;
    // The libpq parameters a PostgreSQL URL may carry after '?'.
    static QStringList acceptedPostgresParameters();

    // The PostgreSQL role's password when it was read from the OS keychain (DatabasePassword): kept in memory for
    // the connection only, never shown, logged or written. Empty: libpq's PGPASSFILE or ~/.pgpass serve.
    QString password() const { return m_password; }
    void setPassword(const QString& password) { m_password = password; }

private:
    Kind m_kind = Kind::Sqlite;
    QString m_sqlitePath;
    QUrl m_postgresUrl;
    QString m_password;
};
