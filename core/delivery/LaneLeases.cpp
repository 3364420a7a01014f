#include "delivery/LaneLeases.h"

#include "store/Store.h"
#include "store/Transaction.h"

#include <QCoreApplication>
#include <QSqlError>
#include <QSqlQuery>
#include <QSysInfo>

namespace {

bool run(QSqlQuery& query, QString* error)
{
    if (query.exec())
        return true;
    *error = Store::describe(query.lastError());
    return false;
}

} // namespace

LaneLeases::LaneLeases(Store& store, QString owner)
    : m_store(store)
    , m_owner(std::move(owner))
{}

QString LaneLeases::describeThisProcess(const QString& role)
{
    return QStringLiteral("%1 pid %2 on %3")
        .arg(role)
        .arg(QCoreApplication::applicationPid())
        .arg(QSysInfo::machineHostName());
}

int LaneLeases::fairShare(qsizetype lanes, int engines, int rank)
{
    const int alive = std::max(1, engines);
    return int(lanes / alive) + (rank < lanes % alive ? 1 : 0);
}

bool LaneLeases::renew(const QList<qint64>& wanted, const QDateTime& now, Renewal* renewal, QString* error)
{
    Transaction transaction(m_store);
    if (!transaction.isActive()) {
        *error = transaction.error();
        return false;
    }
    const qint64 nowMs = now.toMSecsSinceEpoch();
    const qint64 until = now.addSecs(m_seconds).toMSecsSinceEpoch();
    QSqlQuery query(m_store.database());
    query.prepare(QStringLiteral("INSERT INTO delivery_engines (owner, expires_at) VALUES (?, ?) "
                                 "ON CONFLICT (owner) DO UPDATE SET expires_at = excluded.expires_at"));
    query.addBindValue(m_owner);
    query.addBindValue(until);
    if (!run(query, error))
        return false;
    query.prepare(QStringLiteral("DELETE FROM delivery_engines WHERE expires_at <= ?"));
    query.addBindValue(nowMs);
    if (!run(query, error))
        return false;
    query.prepare(QStringLiteral("SELECT owner FROM delivery_engines ORDER BY owner"));
    if (!run(query, error))
        return false;
    QStringList engines;
    while (query.next())
        engines << query.value(0).toString();
    query.finish();
    renewal->engines = int(engines.size());
    renewal->share = fairShare(wanted.size(), renewal->engines, int(std::max<qsizetype>(0, engines.indexOf(m_owner))));

    query.prepare(QStringLiteral("UPDATE lane_leases SET expires_at = ? WHERE owner = ?"));
    query.addBindValue(until);
    query.addBindValue(m_owner);
    if (!run(query, error))
        return false;
    query.prepare(QStringLiteral("SELECT integration_id FROM lane_leases WHERE owner = ?"));
    query.addBindValue(m_owner);
    if (!run(query, error))
        return false;
    renewal->held.clear();
    while (query.next())
        renewal->held.insert(query.value(0).toLongLong());
    query.finish();

    // A lane is taken only if nobody holds it or its holder's lease ran out; of two engines racing for it, the
    // second finds it held (the upsert's WHERE is checked against the row the first one wrote).
    const int share = renewal->share;
    query.prepare(QStringLiteral("INSERT INTO lane_leases (integration_id, owner, expires_at) VALUES (?, ?, ?) "
                                 "ON CONFLICT (integration_id) DO UPDATE SET owner = excluded.owner, "
                                 "expires_at = excluded.expires_at WHERE lane_leases.expires_at <= ?"));
    for (qint64 lane : wanted) {
        if (renewal->held.size() >= share)
            break;
        if (renewal->held.contains(lane))
            continue;
        query.addBindValue(lane);
        query.addBindValue(m_owner);
        query.addBindValue(until);
        query.addBindValue(nowMs);
        if (!run(query, error))
            return false;
        if (query.numRowsAffected() > 0)
            renewal->held.insert(lane);
    }
    if (!transaction.commit()) {
        *error = transaction.error();
        return false;
    }
    return true;
}

bool LaneLeases::anyFree(const QList<qint64>& lanes, const QDateTime& now) const
{
    if (lanes.isEmpty())
        return false;
    QSqlQuery query(m_store.database());
    query.prepare(QStringLiteral("SELECT COUNT(*) FROM lane_leases WHERE expires_at > ? AND integration_id IN (%1)")
                      .arg(QStringList(lanes.size(), QStringLiteral("?")).join(QLatin1Char(','))));
    query.addBindValue(now.toMSecsSinceEpoch());
    for (qint64 lane : lanes)
        query.addBindValue(lane);
    return query.exec() && query.next() && query.value(0).toLongLong() < lanes.size();
}

void LaneLeases::release(qint64 integrationId)
{
    QSqlQuery query(m_store.database());
    query.prepare(QStringLiteral("DELETE FROM lane_leases WHERE integration_id = ? AND owner = ?"));
    query.addBindValue(integrationId);
    query.addBindValue(m_owner);
    query.exec();
}

void LaneLeases::releaseAll()
{
    Transaction transaction(m_store);
    if (!transaction.isActive())
        return;
    QSqlQuery query(m_store.database());
    query.prepare(QStringLiteral("DELETE FROM lane_leases WHERE owner = ?"));
    query.addBindValue(m_owner);
    if (!query.exec())
        return;
    query.prepare(QStringLiteral("DELETE FROM delivery_engines WHERE owner = ?"));
    query.addBindValue(m_owner);
    if (query.exec())
        transaction.commit();
}

QStringList LaneLeases::holders(Store& store, const QDateTime& now)
{
    QSqlQuery query(store.database());
    query.prepare(QStringLiteral("SELECT DISTINCT owner FROM lane_leases WHERE expires_at > ? ORDER BY owner"));
    query.addBindValue(now.toMSecsSinceEpoch());
    QStringList owners;
    if (query.exec()) {
        while (query.next())
            owners << query.value(0).toString();
    }
    return owners;
}

QString LaneLeases::holderOf(Store& store, qint64 integrationId, const QDateTime& now)
{
    QSqlQuery query(store.database());
    query.prepare(QStringLiteral("SELECT owner FROM lane_leases WHERE integration_id = ? AND expires_at > ?"));
    query.addBindValue(integrationId);
    query.addBindValue(now.toMSecsSinceEpoch());
    return query.exec() && query.next() ? query.value(0).toString() : QString();
}
