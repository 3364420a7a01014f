#pragma once

#include "erasure/LearnerId.h"

#include <QDateTime>
#include <QJsonObject>

class Store;

// What an erasure removes (or, counted beforehand, would remove), per kind.
struct ErasureCounts
{
    int queued = 0; // queued or in flight
    int held = 0;
    int delivered = 0; // delivered or duplicate
    int discarded = 0;
    int attempts = 0;    // attempt rows removed with them
    int completions = 0; // H5P completion records
    int testSends = 0;   // Test Console history entries
    int alerts = 0;      // alert e-mails whose text named the learner: their text is blanked, the row kept
    int voiding = 0;     // voiding statements queued (--void)

    int statements() const { return queued + held + delivered + discarded; }
    bool isEmpty() const { return statements() + completions + testSends + alerts == 0; }
    QJsonObject toJson() const;
};

// The right to be forgotten: every trace of one learner in the store (statements in any state with their attempts,
// completion records, the Test Console's history, alert texts) removed in one transaction. On SQLite the deletion
// runs with secure_delete, the freed pages go back to the file system and the write-ahead log is emptied, so the
// files keep no copy; PostgreSQL rows are gone from every query at once (autovacuum reclaims them).
class LearnerErasure final
{
public:
    explicit LearnerErasure(Store& store);

    // What erase() would remove now, without changing anything.
    bool count(const LearnerId& learner, ErasureCounts* counts, QString* error);
    // Removes it all. With voidDelivered, each integration that received one of the statements first gets a voiding
    // statement for it queued (xAPI 1.0.3 §2.3.2), made by xAPI Courier, naming nothing but the statement id.
    // *warning says when the SQLite write-ahead log could not be emptied (another process reading); then run again.
    bool erase(const LearnerId& learner, bool voidDelivered, const QDateTime& now, ErasureCounts* counts,
               QString* warning, QString* error);

    // The actor of the voiding statements.
    static QJsonObject voidingActor();

private:
    struct Found;
    bool find(const LearnerId& learner, Found* found, QString* error);

    Store& m_store;
};
