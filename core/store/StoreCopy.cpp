#include "store/StoreCopy.h"

#include "common/Logging.h"
#include "store/Migrations.h"
#include "store/SqlDialect.h"
#include "store/Store.h"
#include "store/Transaction.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>

namespace {

// Ends the source's read snapshot however run() returns.
class ReadSnapshot final
{
public:
    explicit ReadSnapshot(Store& store)
        : m_store(store)
    {
        QSqlQuery query(store.database());
        m_active = query.exec(SqlDialect::beginRead(store.dialect()));
        if (!m_active)
            m_error = Store::describe(query.lastError());
    }
    ~ReadSnapshot()
    {
        if (m_active)
            QSqlQuery(m_store.database()).exec(QStringLiteral("ROLLBACK"));
    }
    ReadSnapshot(const ReadSnapshot&) = delete;
    ReadSnapshot& operator=(const ReadSnapshot&) = delete;

    bool isActive() const { return m_active; }
    QString error() const { return m_error; }

private:
    Store& m_store;
    bool m_active = false;
    QString m_error;
};

QString rowCounts(const QList<StoreCopy::TableCount>& counts)
{
    QStringList parts;
    for (const StoreCopy::TableCount& count : counts) {
        if (count.rows > 0)
            parts << QStringLiteral("%1: %2").arg(count.table).arg(count.rows);
    }
    return parts.join(QStringLiteral(", "));
}

} // namespace

StoreCopy::StoreCopy(Store& source, Store& target)
    : m_source(source)
    , m_target(target)
{}

QList<StoreCopy::TableCount> StoreCopy::countRows(Store& store, QString* error)
{
    QList<TableCount> counts;
    for (const QString& table : Migrations::tables()) {
        QSqlQuery query(store.database());
        if (!query.exec(QStringLiteral("SELECT COUNT(*) FROM %1").arg(table)) || !query.next()) {
            *error = QStringLiteral("%1: the rows of %2 cannot be counted: %3")
                         .arg(store.location().displayName(), table, Store::describe(query.lastError()));
            return {};
        }
        counts << TableCount{table, query.value(0).toLongLong()};
    }
    return counts;
}

StoreCopy::Result StoreCopy::run()
{
    Result result;
    const QString from = m_source.location().displayName();
    const QString to = m_target.location().displayName();
    if (m_source.schemaVersion() != m_target.schemaVersion()) {
        result.error = QStringLiteral("%1 is at schema version %2 but %3 at %4; migrate both to the same version "
                                      "first (xapi-courier db migrate).")
                           .arg(from)
                           .arg(m_source.schemaVersion())
                           .arg(to)
                           .arg(m_target.schemaVersion());
        return result;
    }
    Transaction transaction(m_target);
    if (!transaction.isActive()) {
        result.error = QStringLiteral("%1: %2").arg(to, transaction.error());
        return result;
    }
    // Counted inside the write transaction, so no one can fill the target between the check and the copy.
    const QList<TableCount> existing = countRows(m_target, &result.error);
    if (!result.error.isEmpty())
        return result;
    if (const QString rows = rowCounts(existing); !rows.isEmpty()) {
        result.error = QStringLiteral("%1 is not empty (%2). db copy only fills a new, empty store, so nothing is "
                                      "overwritten or mixed: point --to at a newly created database.")
                           .arg(to, rows);
        return result;
    }
    ReadSnapshot snapshot(m_source);
    if (!snapshot.isActive()) {
        result.error = QStringLiteral("%1: %2").arg(from, snapshot.error());
        return result;
    }
    for (const QString& table : Migrations::tables()) {
        qint64 copied = 0;
        if (!copyTable(table, &copied, &result.error))
            return result;
        result.tables << TableCount{table, copied};
        qCInfo(lcStore) << "Copied" << copied << "rows of" << table;
    }
    if (!transaction.commit()) {
        result.error = QStringLiteral("%1: %2").arg(to, transaction.error());
        return result;
    }

    // Count the target again: it must hold exactly what was copied.
    const QList<TableCount> written = countRows(m_target, &result.error);
    if (!result.error.isEmpty())
        return result;
    for (qsizetype i = 0; i < result.tables.size(); ++i) {
        if (written.value(i).rows != result.tables.at(i).rows) {
            result.error = QStringLiteral("%1: %2 holds %3 rows after the copy, but %4 were copied. Check the target "
                                          "before using it.")
                               .arg(to, result.tables.at(i).table)
                               .arg(written.value(i).rows)
                               .arg(result.tables.at(i).rows);
            return result;
        }
    }
    result.ok = true;
    return result;
}

bool StoreCopy::copyTable(const QString& table, qint64* copied, QString* error)
{
    const QSqlRecord record = m_source.database().record(table);
    QStringList columns;
    QStringList placeholders;
    for (int i = 0; i < record.count(); ++i) {
        columns << record.fieldName(i);
        placeholders << QStringLiteral("?");
    }
    const QString columnList = columns.join(QStringLiteral(", "));
    QSqlQuery select(m_source.database());
    select.setForwardOnly(true);
    if (columns.isEmpty() || !select.exec(QStringLiteral("SELECT %1 FROM %2 ORDER BY 1").arg(columnList, table))) {
        *error = QStringLiteral("%1: reading %2 failed: %3")
                     .arg(m_source.location().displayName(), table, Store::describe(select.lastError()));
        return false;
    }
    QSqlQuery insert(m_target.database());
    insert.prepare(QStringLiteral("INSERT INTO %1 (%2) VALUES (%3)")
                       .arg(table, columnList, placeholders.join(QStringLiteral(", "))));
    while (select.next()) {
        for (int i = 0; i < columns.size(); ++i)
            insert.bindValue(i, select.value(i));
        if (!insert.exec()) {
            *error = QStringLiteral("%1: writing row %2 of %3 failed, nothing was copied: %4")
                         .arg(m_target.location().displayName())
                         .arg(*copied + 1)
                         .arg(table, Store::describe(insert.lastError()));
            return false;
        }
        ++*copied;
    }
    if (select.lastError().isValid()) {
        *error = QStringLiteral("%1: reading %2 failed: %3")
                     .arg(m_source.location().displayName(), table, Store::describe(select.lastError()));
        return false;
    }
    if (const QString reset = SqlDialect::resetIdSequence(m_target.dialect(), table);
        !reset.isEmpty() && columns.contains(QLatin1String("id"))) {
        QSqlQuery sequence(m_target.database());
        if (!sequence.exec(reset)) {
            *error = QStringLiteral("%1: the id sequence of %2 cannot be moved past the copied rows: %3")
                         .arg(m_target.location().displayName(), table, Store::describe(sequence.lastError()));
            return false;
        }
    }
    return true;
}
