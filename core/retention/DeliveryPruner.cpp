#include "retention/DeliveryPruner.h"

#include "store/PreparedSql.h"
#include "store/Store.h"
#include "store/Transaction.h"

#include <QElapsedTimer>
#include <QHash>
#include <QSqlError>
#include <QSqlQuery>

Q_LOGGING_CATEGORY(lcRetention, "courier.retention", QtInfoMsg)

namespace {

// The deliveries a retention limit may touch: delivered (or duplicate) before the limit.
const QString prunable =
    QStringLiteral("d.state IN ('delivered', 'duplicate') AND COALESCE(d.delivered_at, d.updated_at) < ?");

QString integrationCondition(qint64 integrationId)
{
    return integrationId > 0 ? QStringLiteral(" AND d.integration_id = ?") : QString();
}

bool queryFailed(const QSqlQuery& query, QString* error)
{
    *error = Store::describe(query.lastError());
    qCWarning(lcRetention) << "Query failed:" << query.lastError().text();
    return false;
}

qint64 countWhere(Store& store, const QString& sql, const QDateTime& before, qint64 integrationId, QString* error)
{
    QSqlQuery query(store.database());
    query.prepare(sql);
    query.addBindValue(before.toMSecsSinceEpoch());
    if (integrationId > 0)
        query.addBindValue(integrationId);
    if (!query.exec() || !query.next()) {
        queryFailed(query, error);
        return -1;
    }
    return query.value(0).toLongLong();
}

} // namespace

PruneCounts& PruneCounts::operator+=(const PruneCounts& other)
{
    delivered += other.delivered;
    duplicates += other.duplicates;
    attempts += other.attempts;
    return *this;
}

DeliveryPruner::DeliveryPruner(Store& store)
    : m_store(store)
{}

qint64 DeliveryPruner::countPrunable(const QDateTime& before, qint64 integrationId, QString* error) const
{
    return countWhere(m_store,
                      QStringLiteral("SELECT COUNT(*) FROM deliveries d WHERE ") + prunable +
                          integrationCondition(integrationId),
                      before, integrationId, error);
}

bool DeliveryPruner::pruneChunk(const QDateTime& before, qint64 integrationId, int limit, PruneCounts* counts,
                                QString* error)
{
    Transaction transaction(m_store);
    if (!transaction.isActive()) {
        *error = transaction.error();
        return false;
    }
    QList<qint64> ids;
    {
        QSqlQuery select(m_store.database());
        select.setForwardOnly(true);
        select.prepare(m_store.sql(QStringLiteral("SELECT d.id FROM deliveries d WHERE ") + prunable +
                                   integrationCondition(integrationId) +
                                   QStringLiteral(" ORDER BY d.id LIMIT ?%SKIP_LOCKED%")));
        select.addBindValue(before.toMSecsSinceEpoch());
        if (integrationId > 0)
            select.addBindValue(integrationId);
        select.addBindValue(limit);
        if (!select.exec())
            return queryFailed(select, error);
        while (select.next())
            ids << select.value(0).toLongLong();
    }
    if (ids.isEmpty())
        return true;

    PruneCounts step;
    // The attempts that carried one of them alone go with their delivery (ON DELETE CASCADE); count them first.
    {
        PreparedSql single(m_store, QStringLiteral("SELECT COUNT(*) FROM attempts WHERE delivery_id %IN_IDS%"));
        single.addIds(ids);
        if (!single.exec(error) || !single.next())
            return false;
        step.attempts += single.integer(0);
    }
    // A batch's attempt goes when none of the deliveries it carried is left.
    {
        PreparedSql batches(
            m_store, QStringLiteral("DELETE FROM attempts WHERE delivery_id IS NULL AND id IN (SELECT attempt_id FROM "
                                    "attempt_links WHERE delivery_id %IN_IDS%) AND NOT EXISTS (SELECT 1 FROM "
                                    "attempt_links l WHERE l.attempt_id = attempts.id AND NOT (l.delivery_id "
                                    "%IN_IDS%))"));
        batches.addIds(ids);
        batches.addIds(ids);
        if (!batches.exec(error))
            return false;
        step.attempts += batches.rowsAffected();
    }
    QHash<qint64, std::pair<qint64, qint64>> perIntegration; // delivered, duplicates
    {
        PreparedSql remove(m_store,
                           QStringLiteral("DELETE FROM deliveries WHERE id %IN_IDS% RETURNING integration_id, state"));
        remove.addIds(ids);
        if (!remove.exec(error))
            return false;
        while (remove.next()) {
            auto& [delivered, duplicates] = perIntegration[remove.integer(0)];
            if (remove.text(1) == QLatin1String("duplicate"))
                ++duplicates;
            else
                ++delivered;
        }
    }
    for (auto it = perIntegration.cbegin(); it != perIntegration.cend(); ++it) {
        PreparedSql add(m_store, QStringLiteral("INSERT INTO pruned_counts (integration_id, delivered, duplicates) "
                                                "VALUES (?, ?, ?) ON CONFLICT (integration_id) DO UPDATE SET "
                                                "delivered = pruned_counts.delivered + excluded.delivered, "
                                                "duplicates = pruned_counts.duplicates + excluded.duplicates"));
        add.add(it.key());
        add.add(it.value().first);
        add.add(it.value().second);
        if (!add.exec(error))
            return false;
        step.delivered += it.value().first;
        step.duplicates += it.value().second;
    }
    if (!transaction.commit()) {
        *error = transaction.error();
        return false;
    }
    *counts += step;
    return true;
}

qint64 DeliveryPruner::countBodies(const QDateTime& before, qint64 integrationId, QString* error) const
{
    return countWhere(m_store,
                      QStringLiteral("SELECT COUNT(*) FROM deliveries d JOIN delivery_bodies b ON b.delivery_id = "
                                     "d.id WHERE b.body <> '' AND ") +
                          prunable + integrationCondition(integrationId),
                      before, integrationId, error);
}

int DeliveryPruner::eraseBodiesChunk(const QDateTime& before, qint64 integrationId, int limit, QString* error)
{
    Transaction transaction(m_store);
    if (!transaction.isActive()) {
        *error = transaction.error();
        return -1;
    }
    QList<qint64> ids;
    {
        QSqlQuery select(m_store.database());
        select.setForwardOnly(true);
        select.prepare(m_store.sql(QStringLiteral("SELECT d.id FROM deliveries d JOIN delivery_bodies b ON "
                                                  "b.delivery_id = d.id WHERE b.body <> '' AND ") +
                                   prunable + integrationCondition(integrationId) +
                                   QStringLiteral(" ORDER BY d.id LIMIT ?%SKIP_LOCKED%")));
        select.addBindValue(before.toMSecsSinceEpoch());
        if (integrationId > 0)
            select.addBindValue(integrationId);
        select.addBindValue(limit);
        if (!select.exec()) {
            queryFailed(select, error);
            return -1;
        }
        while (select.next())
            ids << select.value(0).toLongLong();
    }
    if (ids.isEmpty())
        return 0;
    // An empty body marks it erased: the row stays, so the delivery is still listed and counted.
    PreparedSql bodies(m_store, QStringLiteral("UPDATE delivery_bodies SET body = '' WHERE delivery_id %IN_IDS%"));
    bodies.addIds(ids);
    if (!bodies.exec(error))
        return -1;
    PreparedSql responses(
        m_store, QStringLiteral("UPDATE attempts SET response_body = '' WHERE response_body <> '' AND (delivery_id "
                                "%IN_IDS% OR id IN (SELECT attempt_id FROM attempt_links WHERE delivery_id "
                                "%IN_IDS%))"));
    responses.addIds(ids);
    responses.addIds(ids);
    if (!responses.exec(error))
        return -1;
    if (!transaction.commit()) {
        *error = transaction.error();
        return -1;
    }
    return int(ids.size());
}

namespace {
// Steps a PRAGMA to its end through the connection's own statements (incremental_vacuum frees one page per step, and
// Qt's driver steps a statement without columns only once); its first value in *value.
bool stepPragma(Store& store, const QString& sql, qint64* value, QString* error)
{
    PreparedSql query(store, sql);
    if (!query.exec(error))
        return false;
    bool first = true;
    while (query.next()) {
        if (first && value)
            *value = query.integer(0);
        first = false;
    }
    return true;
}
} // namespace

qint64 DeliveryPruner::vacuumStep(QString* error)
{
    constexpr qint64 Incremental = 2;
    qint64 mode = 0;
    qint64 left = 0;
    if (m_store.dialect() != Migrations::Dialect::Sqlite)
        return 0;
    if (!stepPragma(m_store, QStringLiteral("PRAGMA auto_vacuum"), &mode, error))
        return -1;
    if (mode != Incremental)
        return 0;
    if (!stepPragma(m_store, QStringLiteral("PRAGMA incremental_vacuum(%1)").arg(VacuumPagesPerStep), nullptr, error) ||
        !stepPragma(m_store, QStringLiteral("PRAGMA freelist_count"), &left, error))
        return -1;
    return left;
}

bool DeliveryPruner::giveSpaceBack(bool convert, Space* space, QString* error,
                                   const std::function<void(qint64 stepMs)>& between)
{
    if (m_store.dialect() != Migrations::Dialect::Sqlite) {
        QSqlQuery size(m_store.database());
        if (size.exec(QStringLiteral("SELECT pg_database_size(current_database())")) && size.next())
            space->bytesBefore = space->bytesAfter = size.value(0).toLongLong();
        return true;
    }
    const auto pragma = [this, error](const QString& sql, qint64* value) {
        return stepPragma(m_store, sql, value, error);
    };
    qint64 pageSize = 0;
    qint64 pages = 0;
    qint64 mode = 0;
    if (!pragma(QStringLiteral("PRAGMA page_size"), &pageSize) ||
        !pragma(QStringLiteral("PRAGMA page_count"), &pages) || !pragma(QStringLiteral("PRAGMA auto_vacuum"), &mode))
        return false;
    space->bytesBefore = pages * pageSize;
    constexpr qint64 Incremental = 2;
    if (mode == Incremental) {
        // A few megabytes per transaction: a worker on the store records its outcomes in between.
        for (;;) {
            QElapsedTimer took;
            took.start();
            const qint64 left = vacuumStep(error);
            if (left < 0)
                return false;
            if (left == 0)
                break;
            if (between)
                between(took.elapsed());
        }
        space->givenBack = true;
    } else if (convert) {
        qCInfo(lcRetention) << "Rebuilding the SQLite store once so that it gives freed space back from now on";
        if (!pragma(QStringLiteral("PRAGMA auto_vacuum = INCREMENTAL"), nullptr) ||
            !pragma(QStringLiteral("VACUUM"), nullptr))
            return false;
        space->givenBack = true;
        space->converted = true;
    }
    // Let the file shrink now rather than at the next automatic checkpoint (never waits for readers).
    pragma(QStringLiteral("PRAGMA wal_checkpoint(PASSIVE)"), nullptr);
    if (!pragma(QStringLiteral("PRAGMA page_count"), &pages))
        return false;
    space->bytesAfter = pages * pageSize;
    return true;
}
