#include "store/Store.h"

#include "common/Logging.h"
#include "store/SqlDialect.h"
#include "store/StoreConnection.h"
#include "store/Transaction.h"

#include <QAtomicInt>
#include <QSqlError>
#include <QSqlQuery>

namespace {

QString nextConnectionName()
{
    static QAtomicInt counter;
    return QStringLiteral("courier-store-%1").arg(counter.fetchAndAddRelaxed(1));
}

bool execAll(QSqlDatabase db, const QStringList& statements, QString* error)
{
    for (const QString& sql : statements) {
        QSqlQuery query(db);
        if (!query.exec(sql)) {
            *error = Store::describe(query.lastError());
            qCWarning(lcStore) << sql << "failed:" << query.lastError().text();
            return false;
        }
    }
    return true;
}

} // namespace

Store::Store(StoreLocation location, QString connectionName, Migrations::Dialect dialect)
    : m_location(std::move(location))
    , m_connectionName(std::move(connectionName))
    , m_dialect(dialect)
    , m_preparedSql(std::make_unique<PreparedSqlCache>(m_connectionName, dialect))
{}

Store::~Store()
{
    m_preparedSql->clear(); // SQLite closes no connection with statements left open
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

QSqlDatabase Store::database() const
{
    return QSqlDatabase::database(m_connectionName, false);
}

Store::OpenResult Store::connect(const StoreLocation& location)
{
    const QString name = location.displayName();
    const QString connectionName = nextConnectionName();
    const auto dialect = location.kind() == StoreLocation::Kind::PostgreSql ? Migrations::Dialect::PostgreSql
                                                                            : Migrations::Dialect::Sqlite;
    std::unique_ptr<Store> store(new Store(location, connectionName, dialect));
    if (QString error = StoreConnection::open(location, connectionName); !error.isEmpty())
        return {nullptr, error};

    // Look before touching anything: a newer or foreign database is refused as it is.
    int version = 0;
    bool empty = false;
    if (QString error = store->readSchemaVersion(&version, &empty); !error.isEmpty())
        return {nullptr, QStringLiteral("%1: %2").arg(name, error)};
    if (version > Migrations::latestVersion()) {
        return {nullptr, QStringLiteral(
                             "%1: this store was written by a newer xAPI Courier (schema version %2; this version "
                             "understands up to %3). Nothing was changed. Use a newer xAPI Courier, or choose another "
                             "store with --db.")
                             .arg(name)
                             .arg(version)
                             .arg(Migrations::latestVersion())};
    }
    store->m_schemaVersion = version;
    QString error;
    if (!execAll(store->database(), SqlDialect::afterConnect(dialect, empty), &error))
        return {nullptr, QStringLiteral("%1: %2").arg(name, error)};
    return {std::move(store), {}};
}

Store::OpenResult Store::inspect(const StoreLocation& location)
{
    return connect(location);
}

Store::OpenResult Store::open(const StoreLocation& location, int targetVersion)
{
    OpenResult opened = connect(location);
    if (!opened.store)
        return opened;
    const QString name = location.displayName();
    const QString error = opened.store->migrate(targetVersion > 0 ? targetVersion : Migrations::latestVersion());
    if (!error.isEmpty())
        return {nullptr, QStringLiteral("%1: %2").arg(name, error)};
    qCInfo(lcStore) << "Opened store" << name << "at schema version" << opened.store->m_schemaVersion;
    return opened;
}

QStringList Store::tables(QString* error) const
{
    QSqlQuery query(database());
    QStringList names;
    if (!query.exec(SqlDialect::listTables(m_dialect))) {
        *error = describe(query.lastError());
        return names;
    }
    while (query.next())
        names << query.value(0).toString();
    return names;
}

QString Store::readSchemaVersion(int* version, bool* isEmptyDatabase)
{
    *version = 0;
    QString error;
    const QStringList names = tables(&error);
    if (!error.isEmpty()) {
        if (error.contains(QLatin1String("not a database"), Qt::CaseInsensitive)) {
            return QStringLiteral("this file is not an SQLite database, so it cannot be an xAPI Courier store. "
                                  "Choose another file with --db PATH.");
        }
        return error;
    }
    *isEmptyDatabase = names.isEmpty();
    if (names.isEmpty())
        return {};
    if (!names.contains(QLatin1String("courier_schema"))) {
        return QStringLiteral("this %1 database belongs to another program (it has tables but no xAPI Courier "
                              "schema). Nothing was changed. Choose another store with --db.")
            .arg(SqlDialect::displayName(m_dialect));
    }
    QSqlQuery query(database());
    if (!query.exec(QStringLiteral("SELECT version FROM courier_schema")) || !query.next())
        return QStringLiteral("the schema version of this store cannot be read: %1").arg(describe(query.lastError()));
    *version = query.value(0).toInt();
    return {};
}

QString Store::migrate(int targetVersion)
{
    Transaction transaction(*this);
    if (!transaction.isActive())
        return transaction.error();

    QString error;
    if (const QString lock = SqlDialect::migrationLock(m_dialect);
        !lock.isEmpty() && !execAll(database(), {lock}, &error)) {
        return error;
    }
    // Read again inside the write lock: another process may have migrated meanwhile.
    int version = 0;
    bool empty = false;
    if (QString readError = readSchemaVersion(&version, &empty); !readError.isEmpty())
        return readError;
    if (empty && !execAll(database(),
                          {QStringLiteral("CREATE TABLE courier_schema (version INTEGER NOT NULL)"),
                           QStringLiteral("INSERT INTO courier_schema (version) VALUES (0)")},
                          &error)) {
        return error;
    }
    for (const Migration& migration : Migrations::all()) {
        if (migration.version <= version || migration.version > targetVersion)
            continue;
        QStringList statements;
        for (const QString& sql : migration.statements) {
            if (QString resolved = Migrations::dialectSql(sql, m_dialect); !resolved.isEmpty())
                statements << resolved;
        }
        statements << QStringLiteral("UPDATE courier_schema SET version = %1").arg(migration.version);
        if (!execAll(database(), statements, &error))
            return QStringLiteral("migration %1 (%2) failed, nothing was changed: %3")
                .arg(migration.version)
                .arg(migration.description, error);
        qCInfo(lcStore) << "Applied migration" << migration.version << migration.description;
        version = migration.version;
        m_applied << version;
    }
    if (!transaction.commit())
        return transaction.error();
    m_schemaVersion = version;
    return {};
}

QString Store::describe(const QSqlError& error)
{
    const QString text = error.text();
    // The server's own words without the statement excerpt PostgreSQL appends on further lines.
    const QString firstLine =
        (error.databaseText().isEmpty() ? text : error.databaseText()).section(QLatin1Char('\n'), 0, 0).trimmed();
    if (text.contains(QLatin1String("database is locked"), Qt::CaseInsensitive) ||
        text.contains(QLatin1String("busy"), Qt::CaseInsensitive)) {
        return QStringLiteral(
            "the store is busy: another xAPI Courier process is writing to it. Try again in a moment.");
    }
    if (text.contains(QLatin1String("readonly"), Qt::CaseInsensitive) ||
        text.contains(QLatin1String("read-only"), Qt::CaseInsensitive)) {
        return QStringLiteral("the store is read-only. Check the file's permissions or choose another with --db PATH.");
    }
    if (text.contains(QLatin1String("permission denied for"))) {
        return QStringLiteral(
                   "the database role may not do this (%1). Make it the owner of the database "
                   "(createdb --owner ROLE, or ALTER DATABASE ... OWNER TO ROLE) so it can create and change "
                   "xAPI Courier's tables.")
            .arg(firstLine);
    }
    if (text.contains(QLatin1String("deadlock detected")) || text.contains(QLatin1String("could not serialize")) ||
        text.contains(QLatin1String("lock timeout"))) {
        return QStringLiteral("the store is busy: another xAPI Courier process holds the same rows. Try again in a "
                              "moment.");
    }
    if (text.contains(QLatin1String("server closed the connection")) ||
        text.contains(QLatin1String("no connection to the server")) ||
        text.contains(QLatin1String("terminating connection"))) {
        return QStringLiteral("the connection to the PostgreSQL server was lost (%1). Check that the server is "
                              "running and reachable, then try again.")
            .arg(firstLine);
    }
    return QStringLiteral("database error: %1").arg(text);
}
