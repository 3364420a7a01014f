#include "store/StoreConnection.h"

#include <QDir>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QUrlQuery>

namespace StoreConnection {

namespace {

QString openSqlite(const StoreLocation& location, const QString& connectionName)
{
    const QString path = location.sqlitePath();
    const QFileInfo info(path);
    if (!QDir().mkpath(info.absolutePath())) {
        return QStringLiteral("%1: cannot create the folder for the store. Check the permissions of %2 or "
                              "choose another file with --db PATH.")
            .arg(path, info.absolutePath());
    }
    if (info.exists() && info.isDir())
        return QStringLiteral("%1: is a folder, not a store file. Pass a file path with --db.").arg(path);
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connectionName);
    db.setDatabaseName(path);
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"));
    if (!db.open())
        return QStringLiteral("%1: cannot open the store: %2").arg(path, db.lastError().text());
    return {};
}

// libpq's message, turned into what to do about it.
QString describeConnectFailure(const StoreLocation& location, const QString& libpqText)
{
    const QUrl url = location.postgresUrl();
    const QString name = location.displayName();
    const QString user = url.userName().isEmpty() ? QStringLiteral("(your login name)") : url.userName();
    if (libpqText.contains(QLatin1String("no password supplied")) ||
        libpqText.contains(QLatin1String("password authentication failed"))) {
        if (!location.password().isEmpty()) {
            return QStringLiteral("%1: PostgreSQL refused the password for the role %2 (%3). Keep the right one "
                                  "in the OS keychain with xapi-courier db password --db %1.")
                .arg(name, user, libpqText.simplified());
        }
        return QStringLiteral("%1: PostgreSQL refused the role %2 (%3). Keep its password in the OS keychain with "
                              "xapi-courier db password --db %1, or put it in ~/.pgpass (a line "
                              "host:port:database:user:password, file mode 0600) or in the file named by "
                              "PGPASSFILE; xAPI Courier never takes a password from the URL or the command line.")
            .arg(name, user, libpqText.simplified());
    }
    if (libpqText.contains(QLatin1String("does not exist"))) {
        return QStringLiteral("%1: %2. Create the role and database first (see \"A team store on PostgreSQL\" in "
                              "the README), or fix the URL.")
            .arg(name, libpqText.simplified());
    }
    if (libpqText.contains(QLatin1String("could not connect")) || libpqText.contains(QLatin1String("timeout")) ||
        libpqText.contains(QLatin1String("connection to server")) ||
        libpqText.contains(QLatin1String("Connection refused")) ||
        libpqText.contains(QLatin1String("could not translate host name"))) {
        return QStringLiteral("%1: cannot reach the PostgreSQL server (%2). Check that it is running, that the host "
                              "and port in the URL are right and that it accepts connections from this machine.")
            .arg(name, libpqText.simplified());
    }
    return QStringLiteral("%1: cannot connect to PostgreSQL: %2").arg(name, libpqText.simplified());
}

QString openPostgres(const StoreLocation& location, const QString& connectionName)
{
    if (QString problem = location.problem(); !problem.isEmpty())
        return problem;
    const QString name = location.displayName();
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL"))) {
        return QStringLiteral("%1: Qt's PostgreSQL driver is not installed. Install the package libqt6sql6-psql "
                              "and try again.")
            .arg(name);
    }
    const QUrl url = location.postgresUrl();
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), connectionName);
    db.setHostName(url.host());
    db.setPort(url.port());
    db.setUserName(url.userName());
    db.setDatabaseName(url.path().mid(1));
    if (!location.password().isEmpty())
        db.setPassword(location.password());
    QStringList options = {QStringLiteral("application_name=xapi-courier")};
    const QUrlQuery query(url);
    bool hasTimeout = false;
    for (const auto& [key, value] : query.queryItems(QUrl::FullyDecoded)) {
        options << key + QLatin1Char('=') + value;
        hasTimeout = hasTimeout || key == QLatin1String("connect_timeout");
    }
    if (!hasTimeout)
        options << QStringLiteral("connect_timeout=10");
    db.setConnectOptions(options.join(QLatin1Char(';')));
    if (!db.open()) {
        // libpq's own words; Qt's driver text ("QPSQL: Unable to connect") adds nothing.
        const QSqlError error = db.lastError();
        return describeConnectFailure(location, error.databaseText().isEmpty() ? error.text() : error.databaseText());
    }
    return {};
}

} // namespace

QString open(const StoreLocation& location, const QString& connectionName)
{
    if (location.kind() == StoreLocation::Kind::PostgreSql)
        return openPostgres(location, connectionName);
    return openSqlite(location, connectionName);
}

} // namespace StoreConnection
