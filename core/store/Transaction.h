#pragma once

#include <QString>

class Store;

// A write transaction: takes the write lock at once (BEGIN IMMEDIATE on SQLite, so a second process waits on the
// busy timeout instead of failing midway), rolls back unless commit() succeeded.
class Transaction final
{
public:
    explicit Transaction(Store& store);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    bool isActive() const { return m_active; }
    QString error() const { return m_error; }
    bool commit();
    void rollback();

private:
    bool exec(const QString& sql);

    Store& m_store;
    bool m_active = false;
    QString m_error;
};
