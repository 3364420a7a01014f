#pragma once

#include "delivery/AttemptLog.h"
#include "delivery/Delivery.h"

#include <QHash>
#include <QList>
#include <QSet>

#include <functional>

class Store;

// Which deliveries a list or count is about.
struct DeliveryFilter
{
    qint64 integrationId = 0;      // 0: every integration
    QList<Delivery::State> states; // empty: every state
    QString search;                // statement id or error text contains
    QString statementId;           // exactly this statement
    QString duplicateKind;         // duplicates of this kind only (identical, conflicting, unverified)
    QDateTime createdFrom;
    QDateTime createdTo;
};

// Per integration, what the queue holds.
struct LaneStats
{
    int queued = 0; // waiting, including the ones in flight
    int sending = 0;
    int delivered = 0;
    int duplicates = 0;
    // Of the duplicates, by 409 triage (the rest wait for it).
    int duplicatesIdentical = 0;
    int duplicatesConflicting = 0;
    int duplicatesUnverified = 0;
    int held = 0;
    int discarded = 0;
    int pruned = 0; // delivered and duplicates removed by retention, still counted in those two
    QDateTime oldestQueuedAt;
    std::optional<int> lastStatus;
    QString lastError;
};

// The durable outbox: one row per (statement, integration), sent in enqueue order, marked delivered only after the
// receiver's answer was recorded. Every write is one transaction; outcomes of many requests are recorded together.
class DeliveryQueue final
{
public:
    explicit DeliveryQueue(Store& store);

    // Statements without an "id" get a new UUID first, so the id never changes between attempts. An integration that
    // speaks xAPI 1.0.3 gets a 2.0.0 statement converted (StatementConversion), the conversion kept on its delivery.
    bool enqueue(QList<QJsonObject>& statements, const QList<qint64>& integrationIds, const QDateTime& now,
                 QString* error);

    // The same, for a caller that already holds a write transaction (e.g. a completion stored with its statement).
    bool enqueueInTransaction(const QList<QJsonObject>& statements, const QList<qint64>& integrationIds,
                              const QDateTime& now, QString* error);

    // The integrations among these that speak xAPI 1.0.3 (their statements of 2.0.0 are converted).
    bool integrationVersions(const QList<qint64>& integrationIds, QSet<qint64>* speakV103, QString* error);

    // When an engine takes over a lane: what the engine before it left 'sending' (it crashed, or lost the lease) is
    // queued again (at-least-once).
    int requeueInFlight(qint64 integrationId, QString* error);
    // The oldest due queued deliveries of an integration, marked 'sending'.
    QList<Delivery> claim(qint64 integrationId, int limit, const QDateTime& now, QString* error);

    struct Outcome
    {
        qint64 deliveryId = 0;
        Delivery::State state = Delivery::State::Queued; // Delivered, Duplicate, Held, or Queued (to retry)
        std::optional<int> status;
        QString error;
        QDateTime nextAttemptAt;
        AttemptRecord attempt; // written with the outcome
        // Outcomes with the same non-zero request answered one request (a batch): its attempt is written once, from
        // the first of them, and linked to each.
        qint64 request = 0;

        // Whether this outcome carries its request's response time: it has an attempt and is the first of its request
        // met so far (a batch's request is timed once). `timed` keeps the requests met.
        bool timesRequest(QSet<qint64>& timed) const
        {
            if (!attempt.startedAt.isValid())
                return false;
            if (request == 0)
                return true;
            if (timed.contains(request))
                return false;
            timed.insert(request);
            return true;
        }
    };
    // One transaction for all of them (group commit).
    bool record(const QList<Outcome>& outcomes, const QDateTime& now, QString* error);
    // The same, also marking as 'sending' the given queued deliveries (in flight a while, their answer not yet in).
    bool record(const QList<Outcome>& outcomes, const QList<qint64>& sending, const QDateTime& now, QString* error);
    // The oldest due queued deliveries of an integration with an id above afterId, in order, left as they are: the
    // engine keeps what it took in memory while its lane lease holds, and marks what is in flight a while at a commit.
    // Only what sending needs is read: id, statement id and body (the rest keeps its defaults, state queued).
    QList<Delivery> pending(qint64 integrationId, qint64 afterId, int limit, const QDateTime& now,
                            QString* error) const;
    // Whether one of these integrations has a delivery queued and due, or in flight.
    bool hasDue(const QList<qint64>& integrationIds, const QDateTime& now, QString* error) const;

    // Operations support needs.
    int releaseHeld(qint64 integrationId, QString* error); // held -> queued, when the integration was updated
    int retryNow(qint64 integrationId, QString* error);    // forget the waits of queued deliveries
    int discard(const QList<qint64>& ids, QString* error); // queued or held -> discarded
    // delivered, duplicate or discarded -> queued; not those whose body retention erased (nothing left to send)
    int resend(const QList<qint64>& ids, QString* error);
    // Replay: the first delivery of every statement first queued in [from, to] (to any integration), in order…
    // sourceIntegrationId: only statements queued to that integration (0: to any).
    QList<qint64> replaySources(const QDateTime& from, const QDateTime& to, QString* error,
                                qint64 sourceIntegrationId = 0) const;
    // …queued again to one integration, same ids and bodies.
    int replay(qint64 integrationId, const QList<qint64>& sourceIds, const QDateTime& now, QString* error);

    std::optional<Delivery> byId(qint64 id, QString* error) const;
    QList<Delivery> list(const DeliveryFilter& filter, int limit, int offset, QString* error) const;
    int count(const DeliveryFilter& filter, QString* error) const;
    // The ids of every delivery the filter matches, in order (a bulk action on all of them).
    QList<qint64> ids(const DeliveryFilter& filter, QString* error) const;
    QHash<qint64, LaneStats> stats(QString* error) const;
    int undelivered(qint64 integrationId, QString* error) const; // queued + sending + held
    // Which of these deliveries are still in the store (a learner's erasure removes them, even in flight).
    QSet<qint64> existing(const QList<qint64>& ids, QString* error) const;

    // 409 triage: duplicates of these integrations not triaged yet, oldest first…
    QList<Delivery> untriagedDuplicates(const QList<qint64>& integrationIds, int limit, QString* error) const;
    // …and what triage found (only while the delivery is still a duplicate not triaged since).
    bool setDuplicateKind(qint64 deliveryId, const QString& kind, const QByteArray& detail, QString* error);

private:
    // One transaction: `first` (when given), then the UPDATE `sql` with updated_at bound; the rows it changed.
    int updateStates(const QString& sql, QString* error, const std::function<bool(QString*)>& first = {});

    Store& m_store;
};
