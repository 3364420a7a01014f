#pragma once

#include "store/Migrations.h"
#include "store/PreparedSqlCache.h"
#include "store/StoreLocation.h"

#include <QSqlDatabase>
#include <QString>

#include <memory>

class QSqlError;

// The database connection of a process (or of a test); a delivery engine's OutcomeWriter opens a second one, on its
// own thread. Opening applies pending migrations in a transaction and refuses, untouched, a store written by a newer
// version.
class Store final
{
public:
    struct OpenResult
    {
        std::unique_ptr<Store> store;
        QString error; // set when store is null
    };

    // targetVersion: how far to migrate; 0 means the latest (tests use lower values to build old stores).
    static OpenResult open(const StoreLocation& location, int targetVersion = 0);
    // Opens without migrating, to report what a migration would do. Refuses newer and foreign stores the same way.
    static OpenResult inspect(const StoreLocation& location);

    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    QSqlDatabase database() const;
    Migrations::Dialect dialect() const { return m_dialect; }
    const StoreLocation& location() const { return m_location; }
    int schemaVersion() const { return m_schemaVersion; }
    // The versions this open() applied, oldest first.
    QList<int> appliedMigrations() const { return m_applied; }
    // The store's tables (courier_schema included), read from the database.
    QStringList tables(QString* error) const;
    // A shared statement with its dialect placeholders resolved for this store's engine.
    QString sql(const QString& statement) const { return Migrations::dialectSql(statement, m_dialect); }
    // The statements this connection keeps prepared (see PreparedSql).
    PreparedSqlCache& preparedSql() const { return *m_preparedSql; }

    // A sentence for a person about a failed statement, naming what to do where we know it.
    static QString describe(const QSqlError& error);

private:
    Store(StoreLocation location, QString connectionName, Migrations::Dialect dialect);
    static OpenResult connect(const StoreLocation& location);
    QString readSchemaVersion(int* version, bool* isEmptyDatabase);
    QString migrate(int targetVersion);

    StoreLocation m_location;
    QString m_connectionName;
    Migrations::Dialect m_dialect;
    int m_schemaVersion = 0;
    QList<int> m_applied;
    std::unique_ptr<PreparedSqlCache> m_preparedSql;
};
