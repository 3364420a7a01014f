#pragma once

#include "delivery/DeliveryQueue.h"
#include "store/StoreLocation.h"

#include <QDateTime>
#include <QList>
#include <QMutex>
#include <QObject>
#include <QWaitCondition>

#include <deque>
#include <memory>

class QThread;
class Store;

// Records a delivery engine's group commits on a thread and a store connection of its own, so the engine goes on
// sending while the store writes (on PostgreSQL, while the server works; on SQLite, while the pages are written).
// Groups are committed in the order they were handed in. A group handed in while the last one still waits joins it,
// up to MergeAtMost outcomes: the slower the store, the larger and fewer its commits. write() waits while QueueAtMost
// groups wait already, so what a crash can leave answered but unrecorded here is bounded: (QueueAtMost + 1) *
// MergeAtMost outcomes.
class OutcomeWriter final : public QObject
{
    Q_OBJECT

public:
    static constexpr int QueueAtMost = 1;
    static constexpr int MergeAtMost = 512;

    struct Group
    {
        QList<DeliveryQueue::Outcome> outcomes;
        QList<qint64> hanging; // in flight for long: marked 'sending'
        QDateTime now;
        QString error;    // after writing: empty when committed, else why not (nothing of it was recorded)
        int handedIn = 1; // the write() calls it joins
    };

    explicit OutcomeWriter(StoreLocation location, QObject* parent = nullptr);
    // Writes what was handed in, then stops the thread.
    ~OutcomeWriter() override;

    void write(Group group);
    // Returns once every group handed in so far was committed or failed.
    void waitIdle();
    // The groups written since the last call, in order.
    QList<Group> takeWritten();

Q_SIGNALS:
    // Groups were written (emitted on the writer's thread: connect with a receiver in the engine's thread).
    void written();

private:
    void run();
    void writeGroup(Store* store, Group& group);

    const StoreLocation m_location;
    QThread* m_thread = nullptr; // child: deleted with this object, after run() returned
    QMutex m_mutex;
    QWaitCondition m_changed;
    std::deque<Group> m_waiting;
    QList<Group> m_written;
    bool m_busy = false; // a group is being written
    bool m_stopping = false;
};
