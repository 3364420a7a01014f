#pragma once

#include "store/Store.h"

#include <QTemporaryDir>

#include <memory>

// A real SQLite store in a fresh temporary folder, removed with the fixture.
class TestStore final
{
public:
    explicit TestStore(int targetVersion = 0);

    bool isValid() const { return m_store != nullptr; }
    QString error() const { return m_error; }
    Store& store() { return *m_store; }
    QString path() const { return m_dir.filePath(QStringLiteral("courier.sqlite")); }
    QString dirPath() const { return m_dir.path(); }
    // The bytes of the database file and its WAL, to prove what is (not) in them.
    QByteArray fileBytes() const;
    void close() { m_store.reset(); }
    bool reopen(int targetVersion = 0);

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Store> m_store;
    QString m_error;
};
