#pragma once

#include <QDateTime>

#include <QLoggingCategory>
#include <QString>
#include <algorithm>
#include <functional>

class Store;

Q_DECLARE_LOGGING_CATEGORY(lcRetention)

// What one or more prune steps removed.
struct PruneCounts
{
    qint64 delivered = 0;
    qint64 duplicates = 0;
    qint64 attempts = 0;

    qint64 statements() const { return delivered + duplicates; }
    PruneCounts& operator+=(const PruneCounts& other);
};

// Removes what the queue no longer needs, a small transaction at a time so a worker on the same store keeps
// delivering between them. Only delivered and duplicate deliveries are ever touched: queued, sending, held and
// discarded ones stay until a person acts on them.
class DeliveryPruner final
{
public:
    static constexpr int ChunkSize = 500;
    // Between two chunks a caller pauses as long as the chunk took: a worker of another process, waiting to record
    // its outcomes, gets the store at least half of the time (SQLite has one writer at a time, and a process that
    // starts its next transaction at once would take it again before the waiting one retries).
    static int pauseAfterMs(qint64 chunkMs) { return int(std::clamp<qint64>(chunkMs, 1, 1000)); }

    explicit DeliveryPruner(Store& store);

    // How many delivered and duplicate deliveries were delivered before `before` (of one integration; 0: all).
    qint64 countPrunable(const QDateTime& before, qint64 integrationId, QString* error) const;
    // One transaction: up to `limit` of them, oldest first, deleted with their bodies and attempts, and added to
    // pruned_counts so the totals keep counting them. Adds what went to *counts; nothing added: none left. False on a
    // failure (nothing of this step was changed).
    bool pruneChunk(const QDateTime& before, qint64 integrationId, int limit, PruneCounts* counts, QString* error);

    // How many delivered and duplicate deliveries delivered before `before` still have their statement body.
    qint64 countBodies(const QDateTime& before, qint64 integrationId, QString* error) const;
    // One transaction: the statement bodies and response bodies of up to `limit` of them are erased; status, times
    // and durations stay. Returns how many deliveries lost their bodies (0: none left), -1 on a failure.
    int eraseBodiesChunk(const QDateTime& before, qint64 integrationId, int limit, QString* error);

    struct Space
    {
        bool givenBack = false;  // SQLite's free pages went back to the file system
        bool converted = false;  // the SQLite file was rebuilt (VACUUM) to give space back from now on
        qint64 bytesBefore = -1; // the database's size, where the engine tells it
        qint64 bytesAfter = -1;
    };
    // SQLite: returns the pages pruning freed to the file system (incremental_vacuum). A store made before xAPI
    // Courier did that is rebuilt once with VACUUM when convert is true (it takes the write lock meanwhile), else
    // left as it is. PostgreSQL: its autovacuum reuses the space; nothing to do.
    // `between` runs between two steps of incremental_vacuum (each its own transaction, VacuumPagesPerStep pages)
    // with how long the last one took: a caller pauses there (pauseAfterMs) so other writers get their turn.
    bool giveSpaceBack(bool convert, Space* space, QString* error,
                       const std::function<void(qint64 stepMs)>& between = {});
    // One such step: how many free pages are left to give back (0: none, or not an SQLite store that gives space
    // back), -1 on a failure.
    qint64 vacuumStep(QString* error);
    static constexpr int VacuumPagesPerStep = 2048;

private:
    Store& m_store;
};
