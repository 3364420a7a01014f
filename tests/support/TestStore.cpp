#include "TestStore.h"

#include <QFile>

TestStore::TestStore(int targetVersion)
{
    reopen(targetVersion);
}

bool TestStore::reopen(int targetVersion)
{
    m_store.reset();
    Store::OpenResult opened = Store::open(StoreLocation::fromString(path()), targetVersion);
    m_store = std::move(opened.store);
    m_error = opened.error;
    return m_store != nullptr;
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
