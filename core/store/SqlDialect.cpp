#include "store/SqlDialect.h"

namespace SqlDialect {

namespace {
// pg_advisory_xact_lock key for migrations: "xapi" in ASCII.
constexpr qint64 MigrationLockKey = 0x78617069;
// ... and for alert decisions: "alrt".
constexpr qint64 AlertsLockKey = 0x616c7274;
} // namespace

QStringList afterConnect(Dialect dialect, bool newStore)
{
    if (dialect == Dialect::Sqlite) {
        QStringList pragmas{QStringLiteral("PRAGMA journal_mode=WAL"), QStringLiteral("PRAGMA synchronous=NORMAL"),
                            QStringLiteral("PRAGMA foreign_keys=ON"), QStringLiteral("PRAGMA mmap_size=268435456")};
        // auto_vacuum first, and only on a store that has no table yet (where alone it takes effect, and which is
        // never read-only): it then gives the space pruning frees back to the file system
        // (DeliveryPruner::giveSpaceBack).
        if (newStore)
            pragmas.prepend(QStringLiteral("PRAGMA auto_vacuum=INCREMENTAL"));
        return pragmas;
    }
    return {QStringLiteral("SET client_min_messages = warning")};
}

QString beginWrite(Dialect dialect)
{
    return dialect == Dialect::Sqlite ? QStringLiteral("BEGIN IMMEDIATE") : QStringLiteral("BEGIN");
}

QString beginRead(Dialect dialect)
{
    return dialect == Dialect::Sqlite ? QStringLiteral("BEGIN")
                                      : QStringLiteral("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
}

QString listTables(Dialect dialect)
{
    if (dialect == Dialect::Sqlite)
        return QStringLiteral(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND substr(name, 1, 7) <> 'sqlite_'");
    return QStringLiteral("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
                          "AND table_type = 'BASE TABLE'");
}

QString migrationLock(Dialect dialect)
{
    if (dialect == Dialect::Sqlite)
        return {};
    return QStringLiteral("SELECT pg_advisory_xact_lock(%1)").arg(MigrationLockKey);
}

QString alertsLock(Dialect dialect)
{
    if (dialect == Dialect::Sqlite)
        return {};
    return QStringLiteral("SELECT pg_advisory_xact_lock(%1)").arg(AlertsLockKey);
}

QString resetIdSequence(Dialect dialect, const QString& table)
{
    if (dialect == Dialect::Sqlite)
        return {}; // AUTOINCREMENT follows the largest id inserted
    return QStringLiteral("SELECT setval(pg_get_serial_sequence('%1', 'id'), COALESCE(MAX(id), 1), MAX(id) IS NOT "
                          "NULL) FROM %1")
        .arg(table);
}

QString displayName(Dialect dialect)
{
    return dialect == Dialect::Sqlite ? QStringLiteral("SQLite") : QStringLiteral("PostgreSQL");
}

} // namespace SqlDialect
