#pragma once

#include "store/StoreLocation.h"

#include <QString>

// Adds and opens the Qt SQL connection for a store location: the SQLite file (its folder made) or the PostgreSQL
// server. The password of a PostgreSQL role comes from the OS keychain (read beforehand into
// the location, in memory) or libpq reads it from PGPASSFILE or ~/.pgpass.
namespace StoreConnection {
// Empty on success, else a sentence for a person naming the store (never a password) and what to do.
QString open(const StoreLocation& location, const QString& connectionName);
} // namespace StoreConnection
