#include "delivery/EngineLease.h"

#include "store/Store.h"
#include "store/Transaction.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>
#include <QSysInfo>

namespace {
const QString leaseKey = QStringLiteral("delivery.lease");

QJsonObject readLease(Store& store)
{
    QSqlQuery query(store.database());
    query.prepare(QStringLiteral("SELECT value FROM settings WHERE key = ?"));
    query.addBindValue(leaseKey);
    if (!query.exec() || !query.next())
        return {};
    return QJsonDocument::fromJson(query.value(0).toString().toUtf8()).object();
}
} // namespace

EngineLease::EngineLease(Store& store, QString owner)
    : m_store(store)
    , m_owner(std::move(owner))
{}

QString EngineLease::describeThisProcess(const QString& role)
{
    return QStringLiteral("%1 pid %2 on %3")
        .arg(role)
        .arg(QCoreApplication::applicationPid())
        .arg(QSysInfo::machineHostName());
}

bool EngineLease::acquire(const QDateTime& now, QString* error, int seconds)
{
    Transaction transaction(m_store);
    if (!transaction.isActive()) {
        *error = transaction.error();
        return false;
    }
    const QJsonObject current = readLease(m_store);
    const QString holder = current.value(QStringLiteral("owner")).toString();
    const qint64 until = current.value(QStringLiteral("until")).toInteger();
    if (!holder.isEmpty() && holder != m_owner && until > now.toMSecsSinceEpoch())
        return false;
    const QJsonObject lease{{QStringLiteral("owner"), m_owner},
                            {QStringLiteral("until"), now.addSecs(seconds).toMSecsSinceEpoch()}};
    QSqlQuery write(m_store.database());
    write.prepare(QStringLiteral("INSERT INTO settings (key, value) VALUES (?, ?) "
                                 "ON CONFLICT (key) DO UPDATE SET value = excluded.value"));
    write.addBindValue(leaseKey);
    write.addBindValue(QString::fromUtf8(QJsonDocument(lease).toJson(QJsonDocument::Compact)));
    if (!write.exec()) {
        *error = Store::describe(write.lastError());
        return false;
    }
    if (!transaction.commit()) {
        *error = transaction.error();
        return false;
    }
    return true;
}

void EngineLease::release()
{
    Transaction transaction(m_store);
    if (!transaction.isActive())
        return;
    if (readLease(m_store).value(QStringLiteral("owner")).toString() != m_owner)
        return;
    QSqlQuery remove(m_store.database());
    remove.prepare(QStringLiteral("DELETE FROM settings WHERE key = ?"));
    remove.addBindValue(leaseKey);
    if (remove.exec())
        transaction.commit();
}

QString EngineLease::holder(Store& store, const QDateTime& now)
{
    const QJsonObject lease = readLease(store);
    if (lease.value(QStringLiteral("until")).toInteger() <= now.toMSecsSinceEpoch())
        return {};
    return lease.value(QStringLiteral("owner")).toString();
}
