#pragma once

#include "store/Migrations.h"

#include <QString>
#include <QStringList>

// The whole statements that differ between SQLite and PostgreSQL. Words inside shared statements are placeholders
// resolved by Migrations::dialectSql(); everything else engine-specific lives here, so the rest of core has no
// "if PostgreSQL" of its own.
namespace SqlDialect {
using Dialect = Migrations::Dialect;

// Run once after connecting (SQLite: WAL, foreign keys; PostgreSQL: quiet notices).
QStringList afterConnect(Dialect dialect, bool newStore);
// Starts a write transaction (SQLite takes the write lock at once; PostgreSQL locks rows as it goes).
QString beginWrite(Dialect dialect);
// Starts a read-only transaction that sees one snapshot of the store for all its statements.
QString beginRead(Dialect dialect);
// Serialises the alert decisions of all processes (raise, claim) inside a write transaction; empty when beginWrite
// already does.
QString alertsLock(Dialect dialect);
// One column of the names of the tables in the store's schema.
QString listTables(Dialect dialect);
// Serialises migrations between processes inside the migration transaction; empty when beginWrite already does.
QString migrationLock(Dialect dialect);
// After rows were inserted with explicit ids: the next generated id follows the largest. Empty when the engine
// does this itself.
QString resetIdSequence(Dialect dialect, const QString& table);
// The engine's name for people.
QString displayName(Dialect dialect);
} // namespace SqlDialect
