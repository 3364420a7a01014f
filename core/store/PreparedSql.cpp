#include "store/PreparedSql.h"

#include "common/Logging.h"
#include "store/Store.h"

#include <QSqlError>
#include <QSqlQuery>

#include <sqlite3.h>

PreparedSql::PreparedSql(const Store& store, const QString& sql)
    : m_cache(store.preparedSql())
{
    m_entry = m_cache.take(sql, m_spare, &m_error);
}

PreparedSql::~PreparedSql()
{
    if (!m_entry)
        return;
    if (m_entry->sqlite) {
        sqlite3_reset(m_entry->sqlite);
        sqlite3_clear_bindings(m_entry->sqlite);
    } else {
        m_entry->query->finish();
    }
    m_entry->inUse = false;
}

void PreparedSql::rebind()
{
    if (!std::exchange(m_stepped, false))
        return;
    sqlite3_reset(m_entry->sqlite);
    m_bound = 0;
    m_texts.clear();
}

void PreparedSql::add(qint64 value)
{
    if (!m_entry)
        return;
    rebind();
    if (m_entry->sqlite)
        sqlite3_bind_int64(m_entry->sqlite, ++m_bound, value);
    else
        m_entry->query->addBindValue(value);
}

void PreparedSql::add(const QString& value)
{
    if (value.isNull())
        return addNull();
    if (m_entry && !m_entry->sqlite)
        return m_entry->query->addBindValue(value);
    addUtf8(value.toUtf8());
}

void PreparedSql::addUtf8(const QByteArray& text)
{
    if (!m_entry)
        return;
    if (!m_entry->sqlite)
        return m_entry->query->addBindValue(QString::fromUtf8(text));
    rebind();
    const QByteArray& kept = m_texts.emplace_back(text);
    sqlite3_bind_text(m_entry->sqlite, ++m_bound, kept.constData(), int(kept.size()), SQLITE_STATIC);
}

void PreparedSql::addNull()
{
    if (!m_entry)
        return;
    rebind();
    if (m_entry->sqlite)
        sqlite3_bind_null(m_entry->sqlite, ++m_bound);
    else
        m_entry->query->addBindValue(QVariant(QMetaType(QMetaType::LongLong)));
}

void PreparedSql::addTime(const QDateTime& value)
{
    value.isValid() ? add(value.toMSecsSinceEpoch()) : addNull();
}

void PreparedSql::addOptional(const std::optional<int>& value)
{
    value ? add(*value) : addNull();
}

void PreparedSql::addIds(const QList<qint64>& ids)
{
    // SQLite reads a JSON array, PostgreSQL an array literal: "[1,2]", "{1,2}".
    const bool postgres = m_entry && !m_entry->sqlite;
    QString list;
    list.reserve(ids.size() * 8 + 2);
    list += QLatin1Char(postgres ? '{' : '[');
    for (qsizetype i = 0; i < ids.size(); ++i) {
        if (i > 0)
            list += QLatin1Char(',');
        list += QString::number(ids[i]);
    }
    list += QLatin1Char(postgres ? '}' : ']');
    add(list);
}

bool PreparedSql::exec(QString* error)
{
    m_rowReady = false;
    if (!m_entry) {
        *error = m_error;
        return false;
    }
    if (!m_entry->sqlite) {
        if (m_entry->query->exec())
            return true;
        *error = Store::describe(m_entry->query->lastError());
        qCWarning(lcStore) << "Statement failed:" << m_entry->query->lastError().text();
        return false;
    }
    if (m_stepped)
        sqlite3_reset(m_entry->sqlite); // run again with the same values
    m_stepped = true;
    const int rc = sqlite3_step(m_entry->sqlite);
    if (rc == SQLITE_ROW)
        m_rowReady = true;
    else if (rc != SQLITE_DONE) {
        *error = m_cache.sqliteError(rc, sqlite3_sql(m_entry->sqlite));
        return false;
    }
    return true;
}

bool PreparedSql::next()
{
    if (!m_entry)
        return false;
    if (!m_entry->sqlite)
        return m_entry->query->next();
    if (std::exchange(m_rowReady, false))
        return true;
    const int rc = sqlite3_step(m_entry->sqlite);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        m_cache.sqliteError(rc, sqlite3_sql(m_entry->sqlite)); // logged; the rows end here
    return rc == SQLITE_ROW;
}

qint64 PreparedSql::integer(int column) const
{
    if (!m_entry->sqlite)
        return m_entry->query->value(column).toLongLong();
    return sqlite3_column_int64(m_entry->sqlite, column);
}

QByteArray PreparedSql::utf8(int column) const
{
    if (!m_entry->sqlite)
        return m_entry->query->value(column).toString().toUtf8();
    const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(m_entry->sqlite, column));
    return QByteArray(data, sqlite3_column_bytes(m_entry->sqlite, column));
}

QString PreparedSql::text(int column) const
{
    if (!m_entry->sqlite)
        return m_entry->query->value(column).toString();
    const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(m_entry->sqlite, column));
    return QString::fromUtf8(data, sqlite3_column_bytes(m_entry->sqlite, column));
}

bool PreparedSql::isNull(int column) const
{
    if (!m_entry->sqlite)
        return m_entry->query->isNull(column);
    return sqlite3_column_type(m_entry->sqlite, column) == SQLITE_NULL;
}

int PreparedSql::rowsAffected() const
{
    if (!m_entry)
        return 0;
    if (!m_entry->sqlite)
        return m_entry->query->numRowsAffected();
    return sqlite3_changes(m_cache.sqliteHandle());
}
