#pragma once

#include "secrets/SecretStore.h"
#include "store/StoreLocation.h"

// The password of a PostgreSQL store's role may live in the OS keychain (`xapi-courier db password`), keyed by the
// store as it is shown (which never carries a password). When it is not there, libpq's PGPASSFILE or ~/.pgpass
// serve. Nothing here ever writes the password anywhere but the keychain.
namespace DatabasePassword {

// "database/postgresql://courier@db.example.com:5432/courier"
QString key(const StoreLocation& location);
// The location with the keychain's password attached (in memory) when it is a PostgreSQL store and the keychain
// has one for it; unchanged otherwise: no keychain, no entry, or an SQLite file.
StoreLocation withKeychainPassword(StoreLocation location, SecretStore& secrets);
// Runs one keychain operation and waits for its answer (startup code that cannot go on without it).
SecretResult waitFor(const std::function<void(QObject* context, SecretCallback done)>& operation);

} // namespace DatabasePassword
