#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QStringList>

#include <optional>

class Store;

// One alert the policy raised, and what became of it.
struct AlertRecord
{
    enum class State { Pending, Sent, Failed, Suppressed };

    qint64 id = 0;
    qint64 integrationId = 0;
    QString integrationName;
    QDateTime createdAt;
    QString kind; // held, retrying, unhealthy, recovered, test
    QStringList recipients;
    QString subject;
    QString text;
    QString html;
    State state = State::Pending;
    QString error;
    int attempts = 0;
    QDateTime nextAttemptAt;
    QDateTime sentAt;

    // time, integration, recipients, subject, state (sent|failed|suppressed|pending), error
    QJsonObject toJson() const;
    static QString stateName(State state);
};

// The alerts table: the 24-hour window lives here, so it survives restarts.
class AlertLog final
{
public:
    explicit AlertLog(Store& store);

    bool insert(AlertRecord& alert, QString* error);
    // An alert that counts against the window (pending, sent or failed) since that time.
    bool countedSince(qint64 integrationId, const QDateTime& since, QString* error) const;
    bool markSent(qint64 id, const QDateTime& now, QString* error);
    bool markFailed(qint64 id, const QString& reason, const QDateTime& nextAttemptAt, QString* error);
    // Pending or failed alerts whose next attempt is due, created after `notBefore`.
    QList<AlertRecord> due(const QDateTime& now, const QDateTime& notBefore, QString* error) const;
    QList<AlertRecord> list(qint64 integrationId, int limit, QString* error) const; // newest first; 0: all

private:
    Store& m_store;
};
