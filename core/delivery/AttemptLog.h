#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

class QSqlDatabase;
class Store;

// One try at delivering: what was sent (Authorization already redacted) and what came back.
struct AttemptRecord
{
    qint64 id = 0;
    qint64 deliveryId = 0; // the delivery the request carried; read back: the delivery it was asked for
    // Written: every delivery a request carried, when it carried several (a batch). The attempt is logged once and
    // linked to each of them: by a row in attempt_deliveries, or, when the request finished them (delivered or
    // duplicate), by their own batch_attempt_id, which the caller writes with the outcome (finishedBatch).
    QList<qint64> batch;
    bool finishedBatch = false;
    int statements = 1; // how many statements the request carried
    qint64 integrationId = 0;
    QDateTime startedAt;
    int durationMs = 0;
    QString requestLine;    // "POST https://lrs.example.com/xapi/statements"
    QString requestHeaders; // "Name: value" lines
    int requestBodySize = 0;
    std::optional<int> status;
    QString responseHeaders;
    QString responseBody; // capped
    QString error;

    QJsonObject toJson() const;
    // "12 ms"; "<1 ms" for an answer within the first millisecond (durations are kept in whole milliseconds).
    static QString durationText(int milliseconds);
};

// The attempt log: written in the same transaction as the delivery outcome it explains.
class AttemptLog final
{
public:
    static constexpr int ResponseBodyCap = 16 * 1024;

    explicit AttemptLog(Store& store);

    // Many attempts in few statements, inside a transaction the caller holds and rolls back on failure. Attempts of
    // an integration deleted meanwhile are left out: its log went with it. A batch's attempt is one row, its id set
    // in `id`, and linked to each of its deliveries unless finishedBatch.
    static bool insert(const Store& store, QList<AttemptRecord>& attempts, QString* error);
    // Every attempt at the delivery, oldest first: those that carried it alone and those of the batches it was in.
    QList<AttemptRecord> forDelivery(qint64 deliveryId, QString* error) const;
    // The newest `limit` of them, newest first, and in `total` how many there are in all.
    QList<AttemptRecord> newestForDelivery(qint64 deliveryId, int limit, int* total, QString* error) const;

private:
    // The attempts at the delivery: all of them oldest first, or the `newest` so many, newest first.
    QList<AttemptRecord> read(qint64 deliveryId, std::optional<int> newest, QString* error) const;

    Store& m_store;
};
