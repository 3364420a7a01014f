#include "store/PreparedSqlCache.h"

#include "common/Logging.h"
#include "store/Store.h"

#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>

#include <sqlite3.h>

PreparedSqlCache::Entry::Entry() = default;

PreparedSqlCache::Entry::~Entry()
{
    sqlite3_finalize(sqlite); // a no-op on null
}

PreparedSqlCache::PreparedSqlCache(const QString& connectionName, Migrations::Dialect dialect)
    : m_connectionName(connectionName)
    , m_dialect(dialect)
{}

PreparedSqlCache::~PreparedSqlCache()
{
    clear();
}

void PreparedSqlCache::clear()
{
    m_entries.clear();
}

PreparedSqlCache::Entry* PreparedSqlCache::take(const QString& sql, std::unique_ptr<Entry>& spare, QString* error)
{
    std::shared_ptr<Entry>& cached = m_entries[sql];
    Entry* entry = cached.get();
    if (!entry) {
        cached = std::make_shared<Entry>();
        entry = cached.get();
        if (!prepare(sql, *entry, error)) {
            m_entries.remove(sql);
            return nullptr;
        }
    } else if (entry->inUse) {
        spare = std::make_unique<Entry>();
        entry = spare.get();
        if (!prepare(sql, *entry, error))
            return nullptr;
    }
    entry->inUse = true;
    return entry;
}

QString PreparedSqlCache::sqliteError(int rc, const char* sql) const
{
    const QString text = QString::fromUtf8(sqlite3_errmsg(m_sqlite));
    qCWarning(lcStore) << "Statement failed:" << text << sql;
    return Store::describe(QSqlError(QString(), text, QSqlError::StatementError, QString::number(rc)));
}

bool PreparedSqlCache::prepare(const QString& sql, Entry& entry, QString* error)
{
    const QString resolved = Migrations::dialectSql(sql, m_dialect);
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    if (m_dialect == Migrations::Dialect::Sqlite && !m_sqlite) {
        const QVariant handle = db.driver()->handle();
        if (handle.isValid() && qstrcmp(handle.typeName(), "sqlite3*") == 0)
            m_sqlite = *static_cast<sqlite3* const*>(handle.constData());
    }
    if (m_sqlite) {
        const QByteArray text = resolved.toUtf8();
        const int rc = sqlite3_prepare_v3(m_sqlite, text.constData(), int(text.size()), SQLITE_PREPARE_PERSISTENT,
                                          &entry.sqlite, nullptr);
        if (rc == SQLITE_OK)
            return true;
        *error = sqliteError(rc, text.constData());
        return false;
    }
    // Not forward-only: Qt's PostgreSQL driver would stream such a result, and lose it when another statement runs
    // on the connection before it was read to the end.
    entry.query = std::make_unique<QSqlQuery>(db);
    if (entry.query->prepare(resolved))
        return true;
    *error = Store::describe(entry.query->lastError());
    qCWarning(lcStore) << resolved << "cannot be prepared:" << entry.query->lastError().text();
    return false;
}
