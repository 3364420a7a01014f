#pragma once

#include "store/Store.h"

#include <QTemporaryDir>

#include <memory>

// A real store, removed with the fixture: an SQLite file in a fresh temporary folder, or, when the tests run with
// COURIER_TEST_DB=postgresql, a fresh database on the process's PostgreSQL test server (PostgresServer).
class TestStore final
{
public:
    explicit TestStore(int targetVersion = 0);

    // The engine the tests of this process run on.
    static bool usesPostgres();

    bool isValid() const { return m_store != nullptr; }
    QString error() const { return m_error; }
    Store& store() { return *m_store; }
    // What --db takes for this store: the SQLite file or the postgresql:// URL.
    QString location() const { return m_url.isEmpty() ? path() : m_url; }
    QString path() const { return m_dir.filePath(QStringLiteral("courier.sqlite")); }
    QString dirPath() const { return m_dir.path(); }
    // The bytes of the database file and its WAL, to prove what is (not) in them (SQLite only).
    QByteArray fileBytes() const;
    // Everything the store keeps, to prove a secret is not in it: the file bytes on SQLite, every row of every table
    // (each table headed by its name) on PostgreSQL. Opens the store for the moment when it is closed.
    QByteArray storedBytes();
    // A fingerprint of the closed store, to prove it was not touched: the SHA-256 of the SQLite file, or the pg_dump
    // of the PostgreSQL database. Empty when it cannot be taken.
    QByteArray snapshot() const;
    void close() { m_store.reset(); }
    bool reopen(int targetVersion = 0);

private:
    QTemporaryDir m_dir;
    QString m_url;
    std::unique_ptr<Store> m_store;
    QString m_error;
};

// For tests about the SQLite file itself (its bytes, PRAGMAs): skipped, with the reason, on PostgreSQL.
#define COURIER_SQLITE_ONLY(why)                                                                                       \
    do {                                                                                                               \
        if (TestStore::usesPostgres())                                                                                 \
            QSKIP("SQLite only: " why);                                                                                \
    } while (false)
