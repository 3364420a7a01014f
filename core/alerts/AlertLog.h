#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QStringList>

#include <functional>

class Store;

// One alert the policy raised, and what became of it.
struct AlertRecord
{
    // pending -> sending -> sent | failed (retried) | suppressed (24-hour window) | superseded (its cause is gone)
    enum class State { Pending, Sending, Sent, Failed, Suppressed, Superseded };

    qint64 id = 0;
    qint64 integrationId = 0;
    QString integrationName;
    QDateTime createdAt;
    QString kind; // held, retrying, unhealthy (a reminder), recovered
    QStringList recipients;
    QString subject;
    QString text;
    QString html;
    State state = State::Pending;
    QString error; // why it failed, was suppressed or superseded
    int attempts = 0;
    QDateTime nextAttemptAt;
    QDateTime sentAt;
    int integrationRevision = 0; // the integration as it was when the alert was raised
    QDateTime failingSince;      // the first failure of the episode the alert tells of
    QString claimedBy;           // while sending: the process that sends it
    QDateTime leaseUntil;        // ... until then; after it, another process may take it up

    bool isFailure() const { return isFailureKind(kind); }
    static bool isFailureKind(const QString& kind); // held, retrying, unhealthy
    // time, integration, kind, recipients, subject, state, error, attempts, sentAt, nextAttemptAt
    QJsonObject toJson() const;
    static QString stateName(State state);
};

// The alerts table, shared by every process on the store: the 24-hour window and the claims live here. Every
// decision that must hold across processes (raise, claim) runs in one write transaction that holds the alerts lock.
class AlertLog final
{
public:
    static constexpr int WindowHours = 24;

    explicit AlertLog(Store& store);

    // Records a raised alert (alert.id stays 0 when there is nothing to record), deciding against the other processes:
    //  - held, retrying: older pending or failed failure alerts of the integration are superseded by this newer news;
    //    it is pending, or suppressed when a failure alert was sent within the window;
    //  - unhealthy (a reminder): only when no failure alert waits or is sending, and none was sent within the window;
    //  - recovered: waiting failure alerts are superseded (stale news); the note itself only when the last alert sent
    //    for the integration was a failure alert, and once for it.
    bool raise(AlertRecord& alert, const QDateTime& now, QString* error);

    // Empty while the alert's cause holds; otherwise the sentence that says why it is not sent.
    using CauseCheck = std::function<QString(const AlertRecord&)>;
    struct ClaimRound
    {
        QList<AlertRecord> claimed; // now sending, for this owner
        QList<qint64> changed;      // claimed, superseded or suppressed
    };
    // One claim round over every waiting alert (pending, failed, or sending by a claimer whose lease ran out): stale
    // ones are superseded, failure alerts with one sent inside the window are suppressed, and the due ones are
    // claimed for `owner` until `leaseUntil` — never a failure alert of an integration whose failure alert another
    // process is sending.
    ClaimRound claim(const QString& owner, const QDateTime& now, const QDateTime& leaseUntil, const CauseCheck& cause,
                     QString* error);
    // What the SMTP server answered, recorded only while `owner` still holds the claim.
    bool finishSent(qint64 id, const QString& owner, const QDateTime& now, QString* error);
    bool finishFailed(qint64 id, const QString& owner, const QString& reason, const QDateTime& nextAttemptAt,
                      QString* error);
    // Whether the last alert that went out for the integration told of a failure: a "works again" note is owed.
    bool lastSentWasFailure(qint64 integrationId, QString* error) const;

    // A plain row, as it is (tests, imports).
    bool insert(AlertRecord& alert, QString* error);
    QList<AlertRecord> list(qint64 integrationId, int limit, QString* error) const; // newest first; 0: all

private:
    Store& m_store;
};
