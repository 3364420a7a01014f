#pragma once

#include "retention/DeliveryPruner.h"

#include <QList>
#include <QObject>
#include <QTimer>

class Clock;
class Store;

// Applies every integration's retention policy once an hour, and drops the delivery charts' minutes older than
// DeliveryAggregates::KeepDays (and a minute after start), inside the process that
// works the store (CourierRuntime): a pass is a series of small transactions, each a step of its own on the event
// loop, so deliveries go on between them. Several processes on one store may prune at once: each step claims its
// rows (SKIP LOCKED on PostgreSQL, the write lock on SQLite) and counts only what it deleted.
class RetentionScheduler final : public QObject
{
    Q_OBJECT

public:
    static constexpr int IntervalMs = 60 * 60 * 1000;
    static constexpr int FirstPassDelayMs = 60 * 1000;

    RetentionScheduler(Store& store, Clock& clock, QObject* parent = nullptr);

    void start();
    void stop();

    // Starts a pass now, unless one is under way: what each policy allows, judged by the clock's time now.
    void beginPass();
    // One small transaction of the pass under way; false once the pass is done (or there is none).
    bool step();
    bool isPassRunning() const { return m_running; }

Q_SIGNALS:
    // A pass ended: what it removed, how many deliveries lost their bodies, and the failure that cut it short, if any.
    void passFinished(const PruneCounts& pruned, qint64 bodiesErased, const QString& error);

private:
    struct Job
    {
        enum class Kind { Statements, Bodies, Charts };
        qint64 integrationId = 0;
        QDateTime before;
        Kind kind = Kind::Statements;
    };
    void finishPass(const QString& error);
    void scheduleStep();

    Store& m_store;
    Clock& m_clock;
    DeliveryPruner m_pruner;
    QTimer m_timer;
    QList<Job> m_jobs;
    PruneCounts m_pruned;
    qint64 m_bodiesErased = 0;
    bool m_running = false;
    bool m_stepping = false; // driven by the event loop (start()), not by a caller of step()
    int m_pauseMs = 0;       // before the next step
};
