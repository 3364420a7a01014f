#include "store/StoreLocation.h"

#include <QFileInfo>

#include <QDir>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QUrlQuery>

StoreLocation StoreLocation::resolve(const QString& commandLineValue)
{
    if (!commandLineValue.isEmpty())
        return fromString(commandLineValue);
    const QString fromEnvironment = qEnvironmentVariable(EnvironmentVariable);
    if (!fromEnvironment.isEmpty())
        return fromString(fromEnvironment);
    return defaultLocation();
}

StoreLocation StoreLocation::fromString(const QString& value)
{
    StoreLocation location;
    if (value.startsWith(QLatin1String("postgresql://")) || value.startsWith(QLatin1String("postgres://"))) {
        location.m_kind = Kind::PostgreSql;
        location.m_postgresUrl = QUrl(value);
        return location;
    }
    QString path = value;
    if (path.startsWith(QLatin1String("sqlite://")))
        path = path.mid(int(qstrlen("sqlite://")));
    if (path.startsWith(QLatin1String("~/")))
        path = QDir::homePath() + path.mid(1);
    location.m_sqlitePath = QDir::cleanPath(QDir::current().absoluteFilePath(path));
    return location;
}

StoreLocation StoreLocation::defaultLocation()
{
    StoreLocation location;
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    location.m_sqlitePath = QDir(folder).filePath(QStringLiteral("courier.sqlite"));
    return location;
}

QString StoreLocation::displayName() const
{
    if (m_kind == Kind::Sqlite)
        return m_sqlitePath;
    return m_postgresUrl.toString(QUrl::RemovePassword);
}

QStringList StoreLocation::acceptedPostgresParameters()
{
    return {QStringLiteral("host"),
            QStringLiteral("port"),
            QStringLiteral("sslmode"),
            QStringLiteral("sslrootcert"),
            QStringLiteral("sslcert"),
            QStringLiteral("sslkey"),
            QStringLiteral("sslcrl"),
            QStringLiteral("connect_timeout"),
            QStringLiteral("target_session_attrs"),
            QStringLiteral("passfile")};
}

QString StoreLocation::problem() const
{
    if (m_kind == Kind::Sqlite)
        return {};
    const QString name = displayName();
    const QUrlQuery query(m_postgresUrl);
    if (!m_postgresUrl.password().isEmpty() || query.hasQueryItem(QStringLiteral("password"))) {
        return QStringLiteral("%1: the URL carries a password, and xAPI Courier never takes one from a URL (it would "
                              "end up in shell history, process lists and logs). Remove it from the URL and put it in "
                              "~/.pgpass (a line host:port:database:user:password, file mode 0600) or in the file "
                              "named by PGPASSFILE.")
            .arg(name);
    }
    if (!m_postgresUrl.isValid()) {
        return QStringLiteral("%1: is not a valid PostgreSQL URL (%2). Write it as "
                              "postgresql://USER@HOST:PORT/DATABASE.")
            .arg(name, m_postgresUrl.errorString());
    }
    if (m_postgresUrl.path().mid(1).isEmpty() || m_postgresUrl.path().mid(1).contains(QLatin1Char('/'))) {
        return QStringLiteral("%1: the URL names no database. Write it as postgresql://USER@HOST:PORT/DATABASE.")
            .arg(name);
    }
    static const QRegularExpression plainValue(QStringLiteral("^[^\\s'\\\\;]+$"));
    for (const auto& [key, value] : query.queryItems(QUrl::FullyDecoded)) {
        if (!acceptedPostgresParameters().contains(key)) {
            return QStringLiteral("%1: the URL parameter “%2” is not one xAPI Courier passes on. Accepted: "
                                  "%3.")
                .arg(name, key, acceptedPostgresParameters().join(QStringLiteral(", ")));
        }
        if (!plainValue.match(value).hasMatch()) {
            return QStringLiteral("%1: the value of the URL parameter %2 may not be empty or contain spaces, quotes, "
                                  "backslashes or semicolons.")
                .arg(name, key);
        }
    }
    return {};
}

bool StoreLocation::exists() const
{
    return m_kind != Kind::Sqlite || QFileInfo::exists(m_sqlitePath);
}
