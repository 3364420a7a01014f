#pragma once

#include "store/PreparedSqlCache.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

#include <memory>
#include <optional>

class Store;

// One run of a statement the store's connection keeps prepared (PreparedSqlCache): values bound in order, then
// exec(), then the rows with next(). For the statements run once per statement queued or delivered; everything else
// uses QSqlQuery. The SQL text must not vary with the values (bind them; %IN_IDS% takes a list of ids as one value).
class PreparedSql final
{
public:
    PreparedSql(const Store& store, const QString& sql);
    ~PreparedSql();
    PreparedSql(const PreparedSql&) = delete;
    PreparedSql& operator=(const PreparedSql&) = delete;

    void add(qint64 value);
    void add(const QString& value);       // a null QString binds NULL
    void addUtf8(const QByteArray& text); // text already in UTF-8 (a statement's JSON), bound without converting
    void addNull();
    // As SqlValues does for QSqlQuery: a time as UTC milliseconds since the epoch, NULL when unset; NULL for no int.
    void addTime(const QDateTime& value);
    void addOptional(const std::optional<int>& value);
    // A list of ids for %IN_IDS%.
    void addIds(const QList<qint64>& ids);

    // Runs it; false with error set (a sentence for a person) when preparing or running failed.
    bool exec(QString* error);
    // The next row of a query; false after the last.
    bool next();
    qint64 integer(int column) const;
    QString text(int column) const;
    QByteArray utf8(int column) const;
    bool isNull(int column) const;
    int rowsAffected() const;

private:
    void rebind(); // SQLite: after a run, reset before binding new values

    PreparedSqlCache& m_cache;
    std::unique_ptr<PreparedSqlCache::Entry> m_spare;
    PreparedSqlCache::Entry* m_entry = nullptr;
    QString m_error; // from preparing
    int m_bound = 0;
    QList<QByteArray> m_texts; // bound without a copy: kept until the statement is reset
    bool m_stepped = false;    // SQLite: run since the values were bound
    bool m_rowReady = false;   // exec() stepped onto the first row
};
