#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>

class Store;

// How much room the store takes, and what each integration keeps in it, for `db status`.
struct StoreSize
{
    qint64 bytes = -1;     // the database (SQLite: the file's pages; PostgreSQL: pg_database_size)
    qint64 freeBytes = -1; // SQLite: free pages inside the file, given back by the next prune
    qint64 walBytes = -1;  // SQLite: the write-ahead log beside it

    struct Integration
    {
        qint64 id = 0;
        QString name;
        qint64 statements = 0;
        qint64 statementBytes = 0; // the statement bodies
        qint64 attempts = 0;
        qint64 attemptBytes = 0; // request lines and headers, responses and errors
    };
    QList<Integration> integrations; // by name

    QJsonObject toJson() const;

    // Reads it (every statement and attempt is visited: a moment on a big store). False with *error on a failure.
    static bool measure(const Store& store, StoreSize* size, QString* error);
};
