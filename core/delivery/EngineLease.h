#pragma once

#include <QDateTime>
#include <QString>

class Store;

// Only one delivery engine works a store at a time (the GUI and a worker may both be open): the one that holds the
// lease, renewed while it runs. A dead holder's lease expires and another takes over.
class EngineLease final
{
public:
    static constexpr int DefaultSeconds = 15;

    EngineLease(Store& store, QString owner);

    // Takes or renews the lease; false while someone else holds it (holder() says who).
    bool acquire(const QDateTime& now, QString* error, int seconds = DefaultSeconds);
    void release();
    const QString& owner() const { return m_owner; }
    // Who delivers for this store now, or empty; for status bars.
    static QString holder(Store& store, const QDateTime& now);
    static QString describeThisProcess(const QString& role); // "worker pid 1234 on host"

private:
    Store& m_store;
    QString m_owner;
};
