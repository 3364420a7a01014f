#include "store/StoreLocation.h"

#include <QDir>
#include <QStandardPaths>

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
