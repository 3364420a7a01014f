#include "TestStore.h"

#include "PostgresServer.h"

#include <QCryptographicHash>
#include <QFile>
#include <QSqlQuery>

TestStore::TestStore(int targetVersion)
{
    if (usesPostgres()) {
        m_url = PostgresServer::instance().createDatabase(&m_error);
        if (m_url.isEmpty())
            return;
    }
    reopen(targetVersion);
}

bool TestStore::usesPostgres()
{
    return qEnvironmentVariable("COURIER_TEST_DB") == QLatin1String("postgresql");
}

bool TestStore::reopen(int targetVersion)
{
    m_store.reset();
    Store::OpenResult opened = Store::open(StoreLocation::fromString(location()), targetVersion);
    m_store = std::move(opened.store);
    m_error = opened.error;
    return m_store != nullptr;
}

QByteArray TestStore::snapshot() const
{
    if (usesPostgres())
        return PostgresServer::instance().dump(m_url);
    QFile file(path());
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
}

QByteArray TestStore::fileBytes() const
{
    QByteArray bytes;
    for (const QString& suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")}) {
        QFile file(path() + suffix);
        if (file.open(QIODevice::ReadOnly))
            bytes += file.readAll();
    }
    return bytes;
}

QByteArray TestStore::storedBytes()
{
    if (!usesPostgres())
        return fileBytes();
    const bool wasOpen = m_store != nullptr;
    if (!wasOpen && !reopen())
        return {};
    QByteArray bytes;
    QString error;
    for (const QString& table : m_store->tables(&error)) {
        bytes += "table " + table.toUtf8() + '\n';
        QSqlQuery rows(m_store->database());
        rows.exec(QStringLiteral("SELECT t::text FROM %1 t").arg(table));
        while (rows.next())
            bytes += rows.value(0).toString().toUtf8() + '\n';
    }
    if (!wasOpen)
        close();
    return bytes;
}
