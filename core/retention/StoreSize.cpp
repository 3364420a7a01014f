#include "retention/StoreSize.h"

#include "store/Store.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QSqlError>
#include <QSqlQuery>

namespace {

bool run(QSqlQuery& query, const QString& sql, QString* error)
{
    if (query.exec(sql))
        return true;
    *error = Store::describe(query.lastError());
    return false;
}

qint64 single(const Store& store, const QString& sql, QString* error)
{
    QSqlQuery query(store.database());
    if (!run(query, sql, error) || !query.next())
        return -1;
    return query.value(0).toLongLong();
}

} // namespace

QJsonObject StoreSize::toJson() const
{
    QJsonArray lanes;
    for (const Integration& lane : integrations) {
        lanes << QJsonObject{{QStringLiteral("id"), lane.id},
                             {QStringLiteral("name"), lane.name},
                             {QStringLiteral("statements"), lane.statements},
                             {QStringLiteral("statementBytes"), lane.statementBytes},
                             {QStringLiteral("attempts"), lane.attempts},
                             {QStringLiteral("attemptBytes"), lane.attemptBytes}};
    }
    QJsonObject json{{QStringLiteral("sizeBytes"), bytes}, {QStringLiteral("integrations"), lanes}};
    if (freeBytes >= 0)
        json.insert(QStringLiteral("freeBytes"), freeBytes);
    if (walBytes >= 0)
        json.insert(QStringLiteral("walBytes"), walBytes);
    return json;
}

bool StoreSize::measure(const Store& store, StoreSize* size, QString* error)
{
    const bool sqlite = store.dialect() == Migrations::Dialect::Sqlite;
    if (sqlite) {
        const qint64 pageSize = single(store, QStringLiteral("PRAGMA page_size"), error);
        const qint64 pages = single(store, QStringLiteral("PRAGMA page_count"), error);
        const qint64 freePages = single(store, QStringLiteral("PRAGMA freelist_count"), error);
        if (pageSize < 0 || pages < 0 || freePages < 0)
            return false;
        size->bytes = pageSize * pages;
        size->freeBytes = pageSize * freePages;
        const QFileInfo wal(store.location().sqlitePath() + QStringLiteral("-wal"));
        size->walBytes = wal.exists() ? wal.size() : 0;
    } else {
        size->bytes = single(store, QStringLiteral("SELECT pg_database_size(current_database())"), error);
        if (size->bytes < 0)
            return false;
    }
    const QString bytes = sqlite ? QStringLiteral("LENGTH(CAST(%1 AS BLOB))") : QStringLiteral("octet_length(%1)");
    QHash<qint64, qsizetype> index;
    QSqlQuery names(store.database());
    if (!run(names, QStringLiteral("SELECT id, name FROM integrations ORDER BY name"), error))
        return false;
    while (names.next()) {
        index.insert(names.value(0).toLongLong(), size->integrations.size());
        size->integrations << Integration{names.value(0).toLongLong(), names.value(1).toString()};
    }
    QSqlQuery statements(store.database());
    if (!run(statements,
             QStringLiteral("SELECT d.integration_id, COUNT(*), COALESCE(SUM(%1), 0) FROM deliveries d LEFT JOIN "
                            "delivery_bodies b ON b.delivery_id = d.id GROUP BY d.integration_id")
                 .arg(bytes.arg(QStringLiteral("b.body"))),
             error))
        return false;
    while (statements.next()) {
        if (const auto it = index.constFind(statements.value(0).toLongLong()); it != index.constEnd()) {
            size->integrations[*it].statements = statements.value(1).toLongLong();
            size->integrations[*it].statementBytes = statements.value(2).toLongLong();
        }
    }
    QSqlQuery attempts(store.database());
    QStringList columns;
    for (const char* column : {"request_line", "request_headers", "response_headers", "response_body", "error"})
        columns << bytes.arg(QLatin1String(column));
    if (!run(attempts,
             QStringLiteral("SELECT integration_id, COUNT(*), COALESCE(SUM(%1), 0) FROM attempts GROUP BY "
                            "integration_id")
                 .arg(columns.join(QStringLiteral(" + "))),
             error))
        return false;
    while (attempts.next()) {
        if (const auto it = index.constFind(attempts.value(0).toLongLong()); it != index.constEnd()) {
            size->integrations[*it].attempts = attempts.value(1).toLongLong();
            size->integrations[*it].attemptBytes = attempts.value(2).toLongLong();
        }
    }
    return true;
}
