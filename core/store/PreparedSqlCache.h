#pragma once

#include "store/Migrations.h"

#include <QHash>
#include <QSqlDatabase>
#include <QString>

#include <memory>

class QSqlQuery;
struct sqlite3;
struct sqlite3_stmt;

// The prepared statements of one store connection, kept while it is open: the delivery engine runs the same few
// statements thousands of times a second, and preparing one (a join planned against the indexes) costs more than
// running it. On SQLite they are SQLite's own statements, run through SQLite's interface (Qt's binding and result
// caching cost more than SQLite's work for these statements); on PostgreSQL, prepared QSqlQuery objects.
class PreparedSqlCache final
{
public:
    struct Entry
    {
        sqlite3_stmt* sqlite = nullptr;
        std::unique_ptr<QSqlQuery> query;
        bool inUse = false;

        Entry();
        ~Entry();
    };

    PreparedSqlCache(const QString& connectionName, Migrations::Dialect dialect);
    ~PreparedSqlCache();
    PreparedSqlCache(const PreparedSqlCache&) = delete;
    PreparedSqlCache& operator=(const PreparedSqlCache&) = delete;

    // The entry for sql (with dialect placeholders), prepared on first use; null with error set when preparing
    // failed. An entry in use (a statement run while the same one is open) is prepared again into `spare`.
    Entry* take(const QString& sql, std::unique_ptr<Entry>& spare, QString* error);
    sqlite3* sqliteHandle() const { return m_sqlite; }
    // The SQLite connection's last error (rc its result code) as a sentence for a person, logged with `sql`.
    QString sqliteError(int rc, const char* sql) const;
    // Finalizes every statement: before the connection closes.
    void clear();

private:
    bool prepare(const QString& sql, Entry& entry, QString* error);

    QString m_connectionName;
    Migrations::Dialect m_dialect;
    sqlite3* m_sqlite = nullptr;
    QHash<QString, std::shared_ptr<Entry>> m_entries;
};
