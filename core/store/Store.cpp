#include "store/Store.h"

#include "common/Logging.h"
#include "store/Transaction.h"

#include <QAtomicInt>
#include <QDir>
#include <QFileInfo>
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
{}

Store::~Store()
{
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

Store::OpenResult Store::open(const StoreLocation& location, int targetVersion)
{
    if (location.kind() == StoreLocation::Kind::PostgreSql) {
        return {nullptr, QStringLiteral("%1: PostgreSQL stores are not available in this version of xAPI Courier yet. "
                                        "Use an SQLite file with --db PATH (or leave --db out for the default store).")
                             .arg(location.displayName())};
    }

    const QString path = location.sqlitePath();
    const QFileInfo info(path);
    if (!QDir().mkpath(info.absolutePath())) {
        return {nullptr, QStringLiteral("%1: cannot create the folder for the store. Check the permissions of %2 or "
                                        "choose another file with --db PATH.")
                             .arg(path, info.absolutePath())};
    }
    if (info.exists() && info.isDir())
        return {nullptr, QStringLiteral("%1: is a folder, not a store file. Pass a file path with --db.").arg(path)};

    const QString connectionName = nextConnectionName();
    std::unique_ptr<Store> store(new Store(location, connectionName, Migrations::Dialect::Sqlite));
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connectionName);
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"));
        if (!db.open()) {
            return {nullptr, QStringLiteral("%1: cannot open the store: %2").arg(path, db.lastError().text())};
        }
    }

    // Look before touching anything: a newer or foreign database is refused as it is.
    int version = 0;
    bool empty = false;
    if (QString error = store->readSchemaVersion(&version, &empty); !error.isEmpty())
        return {nullptr, QStringLiteral("%1: %2").arg(path, error)};
    if (version > Migrations::latestVersion()) {
        return {nullptr, QStringLiteral(
                             "%1: this store was written by a newer xAPI Courier (schema version %2; this version "
                             "understands up to %3). Nothing was changed. Use a newer xAPI Courier, or choose another "
                             "file with --db PATH.")
                             .arg(path)
                             .arg(version)
                             .arg(Migrations::latestVersion())};
    }

    QString error;
    const QStringList pragmas = {QStringLiteral("PRAGMA journal_mode=WAL"), QStringLiteral("PRAGMA synchronous=NORMAL"),
                                 QStringLiteral("PRAGMA foreign_keys=ON")};
    if (!execAll(store->database(), pragmas, &error))
        return {nullptr, QStringLiteral("%1: %2").arg(path, error)};

    error = store->migrate(targetVersion > 0 ? targetVersion : Migrations::latestVersion());
    if (!error.isEmpty())
        return {nullptr, QStringLiteral("%1: %2").arg(path, error)};
    qCInfo(lcStore) << "Opened store" << path << "at schema version" << store->m_schemaVersion;
    return {std::move(store), {}};
}

QString Store::readSchemaVersion(int* version, bool* isEmptyDatabase)
{
    *version = 0;
    QSqlDatabase db = database();
    QSqlQuery tables(db);
    if (!tables.exec(QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table'"))) {
        if (tables.lastError().text().contains(QLatin1String("not a database"), Qt::CaseInsensitive)) {
            return QStringLiteral("this file is not an SQLite database, so it cannot be an xAPI Courier store. "
                                  "Choose another file with --db PATH.");
        }
        return describe(tables.lastError());
    }
    QStringList names;
    while (tables.next())
        names << tables.value(0).toString();
    *isEmptyDatabase = names.isEmpty();
    if (names.isEmpty())
        return {};
    if (!names.contains(QLatin1String("courier_schema"))) {
        return QStringLiteral("this SQLite database belongs to another program (it has tables but no xAPI Courier "
                              "schema). Nothing was changed. Choose another file with --db PATH.");
    }
    QSqlQuery query(db);
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

    // Read again inside the write lock: another process may have migrated meanwhile.
    int version = 0;
    bool empty = false;
    if (QString error = readSchemaVersion(&version, &empty); !error.isEmpty())
        return error;
    QString error;
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
        for (const QString& sql : migration.statements)
            statements << Migrations::dialectSql(sql, m_dialect);
        statements << QStringLiteral("UPDATE courier_schema SET version = %1").arg(migration.version);
        if (!execAll(database(), statements, &error))
            return QStringLiteral("migration %1 (%2) failed, nothing was changed: %3")
                .arg(migration.version)
                .arg(migration.description, error);
        qCInfo(lcStore) << "Applied migration" << migration.version << migration.description;
        version = migration.version;
    }
    if (!transaction.commit())
        return transaction.error();
    m_schemaVersion = version;
    return {};
}

QString Store::describe(const QSqlError& error)
{
    const QString text = error.text();
    if (text.contains(QLatin1String("database is locked"), Qt::CaseInsensitive) ||
        text.contains(QLatin1String("busy"), Qt::CaseInsensitive)) {
        return QStringLiteral(
            "the store is busy: another xAPI Courier process is writing to it. Try again in a moment.");
    }
    if (text.contains(QLatin1String("readonly"), Qt::CaseInsensitive) ||
        text.contains(QLatin1String("read-only"), Qt::CaseInsensitive)) {
        return QStringLiteral("the store is read-only. Check the file's permissions or choose another with --db PATH.");
    }
    return QStringLiteral("database error: %1").arg(text);
}
