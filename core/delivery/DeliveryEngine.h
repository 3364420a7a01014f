#pragma once

#include "delivery/DeliveryQueue.h"
#include "delivery/DeliveryTransport.h"
#include "delivery/LaneLeases.h"
#include "delivery/OutcomeWriter.h"
#include "integrations/IntegrationRepository.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <memory>

class Clock;
class Store;

// Works the queue by the portal's error policy, one lane per integration:
//  - healthy: up to `concurrency` requests in flight, in enqueue order;
//  - 2xx delivered, 409 duplicate (delivered);
//  - 5xx / 408 / 429 / network / timeout: retrying — the failed statement alone is probed every retry interval (or
//    after Retry-After), nothing else is sent; the first success flushes the backlog;
//  - other 4xx: held with the reason; nothing is sent until the integration is updated, then all that waited is;
//  - disabled: nothing is sent, statements still queue.
// Outcomes are recorded in group commits, each only after its response arrived (at-least-once). Several engines
// (desktop apps, workers) may work one store: each lane is worked only by the engine holding its lease (LaneLeases),
// and the policy state lives in the integration's row, so all of them together still probe once per interval.
class DeliveryEngine final : public QObject
{
    Q_OBJECT

public:
    // Outcomes recorded per group commit at most (also after GroupCommitMs). Group commits are written by an
    // OutcomeWriter while the engine goes on; a crash can leave UnrecordedAtMost answered but unrecorded, to be sent
    // again, besides what was in flight.
    static constexpr int GroupCommitAtMost = 512;
    static constexpr int UnrecordedAtMost =
        GroupCommitAtMost + OutcomeWriter::MergeAtMost * (OutcomeWriter::QueueAtMost + 1);
    static constexpr int GroupCommitMs = 20;
    // A store that cannot be read or written (read-only, a full disk, a lost server) is tried again after 1 s, then
    // 2, 4, ... up to this long, with one log line per try, until it works again.
    static constexpr int StoreRetryAtMostMs = 60 * 1000;
    // A statement in flight this long is marked 'sending' in the store by the next commit (people see which requests
    // hang); the many answered sooner are never marked, which would cost a second update of each.
    static constexpr int MarkSendingAfterMs = 1000;

    DeliveryEngine(Store& store, DeliveryTransport& transport, Clock& clock, const QString& owner,
                   QObject* parent = nullptr);
    ~DeliveryEngine() override;

    void start();
    // No new requests; stopped() once what is in flight has answered and was recorded.
    void stop();
    // Look at the lanes now rather than at the next tick (after an enqueue, an edit, a clock change).
    void poke();

    bool isRunning() const { return m_running; }
    // Holds at least one lane: this engine delivers for some integration of the store.
    bool isActive() const { return !m_held.isEmpty(); }
    // The integrations whose lanes this engine holds.
    const QSet<qint64>& heldLanes() const { return m_held; }
    // Nothing in flight and nothing due, here or in a lane another engine holds: what is left waits for a probe, a
    // hold or a disabled integration.
    bool isIdle() const;
    int inFlight() const;
    void setTickInterval(int milliseconds) { m_tick.setInterval(milliseconds); }
    // How long a lane stays this engine's without renewal (how long a dead engine's lanes wait for another).
    void setLeaseSeconds(int seconds) { m_leases.setSeconds(seconds); }
    // When the store has failed for this long without a success in between, storeFailed() is emitted (once); 0, the
    // default, never gives up: a service backs off and goes on when the store works again.
    void setStoreFailureGrace(int milliseconds) { m_storeGraceMs = milliseconds; }
    // Why the store cannot be used now; empty while it works.
    const QString& storeError() const { return m_storeError; }

Q_SIGNALS:
    // After each commit of this engine's writer: the outcomes it recorded, 0 when it only marked hanging requests
    // 'sending' (a window showing the store reloads at once, without waiting for its StoreNotifier's next look).
    void recorded(int outcomes);
    // The same commit's outcomes themselves (for the metrics).
    void outcomesRecorded(const QList<DeliveryQueue::Outcome>& outcomes);
    void healthChanged(qint64 integrationId, Integration::Health health, const QString& reason);
    void activeChanged(bool active);
    void idle();
    void stopped();
    // The store failed for longer than the grace (setStoreFailureGrace()): message says what failed and why.
    void storeFailed(const QString& message);

private:
    struct Lane
    {
        int inFlight = 0;
        QList<Delivery> buffer;       // taken from the queue, not yet sent
        qint64 cursor = 0;            // the last id taken: in flight or buffered ones are not taken twice
        bool moreAfterCursor = false; // the last read was full: more may be queued after the cursor
    };

    void tick();
    bool holdLanes(const QList<Integration>& integrations, const QDateTime& now, QString* error);
    void storeFailure(const QString& message, const QDateTime& now);
    void storeWorks(const QDateTime& now);
    void giveBackDrained();
    bool othersHaveWork(const QList<Integration>& integrations, const QDateTime& now) const;
    bool runLane(Integration& integration, const QDateTime& now);
    bool fill(const Integration& integration, Lane& lane, const QDateTime& now);
    void send(const Integration& integration, QList<Delivery> batch, bool probe);
    void onResult(qint64 integrationId, const QList<Delivery>& batch, bool probe, const TransportResult& result);
    void setHealth(Integration& integration, Integration::Health health, const QString& reason,
                   const QDateTime& nextProbeAt);
    void releaseBuffer(qint64 integrationId);
    // Hands what was answered to the writer; flushAndWait() returns once it is in the store (before a health
    // change, before a lane is read again from its oldest or given back, when stopping).
    void flush();
    void flushAndWait();
    void collectWritten();
    void finishStopIfDrained();

    Store& m_store;
    DeliveryTransport& m_transport;
    Clock& m_clock;
    DeliveryQueue m_queue;
    IntegrationRepository m_integrations;
    LaneLeases m_leases;
    QSet<qint64> m_held;
    QSet<qint64> m_givingBack; // held, but not to be worked: given back once nothing is in flight
    QHash<qint64, Lane> m_lanes;
    QHash<qint64, Integration> m_known;
    QList<DeliveryQueue::Outcome> m_pending;
    std::unique_ptr<OutcomeWriter> m_writer;
    int m_writing = 0;                // groups handed to the writer and not collected yet
    QHash<qint64, qint64> m_unmarked; // in flight and not marked 'sending' yet: delivery -> sent at (ms)
    qint64 m_requests = 0;            // answered so far: numbers the outcomes of one request
    QTimer m_tick;
    QTimer m_flushTimer;
    QDateTime m_leasesRenewedAt;
    bool m_running = false;
    bool m_stopping = false;
    bool m_othersHaveWork = false;
    bool m_dispatchedLastTick = true;
    bool m_wasIdle = false;
    QString m_storeError;
    QDateTime m_storeFailingSince;
    QDateTime m_storeRetryAt;
    int m_storeBackoffMs = 0;
    int m_storeGraceMs = 0;
    bool m_storeGaveUp = false;
};
