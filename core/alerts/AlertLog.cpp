#include "alerts/AlertLog.h"

#include "store/SqlDialect.h"
#include "store/SqlValues.h"
#include "store/Store.h"
#include "store/Transaction.h"

#include <QJsonArray>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>

namespace {

const QString selectColumns = QStringLiteral(
    "SELECT id, integration_id, integration_name, created_at, kind, recipients, subject, body_text, body_html, state, "
    "error, attempts, next_attempt_at, sent_at, integration_revision, failing_since, claimed_by, lease_until "
    "FROM alerts");
const QString failureKinds = QStringLiteral("kind IN ('held', 'retrying', 'unhealthy')");

constexpr AlertRecord::State allStates[] = {AlertRecord::State::Pending,    AlertRecord::State::Sending,
                                            AlertRecord::State::Sent,       AlertRecord::State::Failed,
                                            AlertRecord::State::Suppressed, AlertRecord::State::Superseded};

AlertRecord::State stateFromName(const QString& name)
{
    for (auto state : allStates) {
        if (AlertRecord::stateName(state) == name)
            return state;
    }
    return AlertRecord::State::Pending;
}

AlertRecord fromRecord(const QSqlQuery& query)
{
    AlertRecord alert;
    alert.id = query.value(0).toLongLong();
    alert.integrationId = query.value(1).toLongLong();
    alert.integrationName = query.value(2).toString();
    alert.createdAt = SqlValues::toTime(query.value(3));
    alert.kind = query.value(4).toString();
    alert.recipients = query.value(5).toString().split(QStringLiteral(", "), Qt::SkipEmptyParts);
    alert.subject = query.value(6).toString();
    alert.text = query.value(7).toString();
    alert.html = query.value(8).toString();
    alert.state = stateFromName(query.value(9).toString());
    alert.error = query.value(10).toString();
    alert.attempts = query.value(11).toInt();
    alert.nextAttemptAt = SqlValues::toTime(query.value(12));
    alert.sentAt = SqlValues::toTime(query.value(13));
    alert.integrationRevision = query.value(14).toInt();
    alert.failingSince = SqlValues::toTime(query.value(15));
    alert.claimedBy = query.value(16).toString();
    alert.leaseUntil = SqlValues::toTime(query.value(17));
    return alert;
}

QString when(const QDateTime& time)
{
    return time.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"));
}

// Statements of one write transaction that holds the alerts lock; the first failure is kept in m_error and every
// later call does nothing.
class LockedAlerts final
{
public:
    explicit LockedAlerts(Store& store)
        : m_store(store)
        , m_transaction(store)
    {
        if (!m_transaction.isActive()) {
            m_error = m_transaction.error();
            return;
        }
        if (const QString lock = SqlDialect::alertsLock(store.dialect()); !lock.isEmpty())
            exec(lock, {});
    }

    bool ok() const { return m_error.isEmpty(); }
    QString error() const { return m_error; }

    QSqlQuery exec(const QString& sql, const QVariantList& values)
    {
        QSqlQuery query(m_store.database());
        if (!ok())
            return query;
        query.prepare(sql);
        for (const QVariant& value : values)
            query.addBindValue(value);
        if (!query.exec())
            m_error = Store::describe(query.lastError());
        return query;
    }

    // The newest failure alert of the integration sent since `since`, if any.
    QDateTime failureSentSince(qint64 integrationId, const QDateTime& since)
    {
        QSqlQuery query = exec(QStringLiteral("SELECT MAX(sent_at) FROM alerts WHERE integration_id = ? AND state = "
                                              "'sent' AND sent_at >= ? AND ") +
                                   failureKinds,
                               {integrationId, since.toMSecsSinceEpoch()});
        return ok() && query.next() ? SqlValues::toTime(query.value(0)) : QDateTime();
    }

    void setState(qint64 id, AlertRecord::State state, const QString& why)
    {
        exec(QStringLiteral("UPDATE alerts SET state = ?, error = ?, next_attempt_at = NULL, claimed_by = NULL, "
                            "lease_until = NULL, dedupe_key = NULL WHERE id = ?"),
             {AlertRecord::stateName(state), why, id});
    }

    void supersedeWaitingFailures(qint64 integrationId, const QString& why)
    {
        exec(QStringLiteral("UPDATE alerts SET state = 'superseded', error = ?, next_attempt_at = NULL WHERE "
                            "integration_id = ? AND state IN ('pending', 'failed') AND ") +
                 failureKinds,
             {why, integrationId});
    }

    bool insert(AlertRecord& alert, const QString& dedupeKey)
    {
        QSqlQuery query = exec(
            QStringLiteral("INSERT INTO alerts (integration_id, integration_name, created_at, kind, recipients, "
                           "subject, body_text, body_html, state, error, attempts, next_attempt_at, "
                           "integration_revision, failing_since, dedupe_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, "
                           "?, ?, ?, ?) RETURNING id"),
            {alert.integrationId > 0 ? QVariant(alert.integrationId) : QVariant(QMetaType(QMetaType::LongLong)),
             SqlValues::text(alert.integrationName), alert.createdAt.toMSecsSinceEpoch(), SqlValues::text(alert.kind),
             SqlValues::text(alert.recipients.join(QStringLiteral(", "))), SqlValues::text(alert.subject),
             SqlValues::text(alert.text), SqlValues::text(alert.html), AlertRecord::stateName(alert.state),
             SqlValues::text(alert.error), SqlValues::time(alert.nextAttemptAt), alert.integrationRevision,
             SqlValues::time(alert.failingSince),
             dedupeKey.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(dedupeKey)});
        if (!ok() || !query.next())
            return false;
        alert.id = query.value(0).toLongLong();
        return true;
    }

    bool commit()
    {
        if (!ok())
            return false;
        if (!m_transaction.commit()) {
            m_error = m_transaction.error();
            return false;
        }
        return true;
    }

private:
    Store& m_store;
    Transaction m_transaction;
    QString m_error;
};

bool fail(const QString& problem, QString* error)
{
    *error = problem;
    return false;
}

} // namespace

bool AlertRecord::isFailureKind(const QString& kind)
{
    return kind == QLatin1String("held") || kind == QLatin1String("retrying") || kind == QLatin1String("unhealthy");
}

QString AlertRecord::stateName(State state)
{
    switch (state) {
    case State::Pending:
        return QStringLiteral("pending");
    case State::Sending:
        return QStringLiteral("sending");
    case State::Sent:
        return QStringLiteral("sent");
    case State::Failed:
        return QStringLiteral("failed");
    case State::Suppressed:
        return QStringLiteral("suppressed");
    case State::Superseded:
        break;
    }
    return QStringLiteral("superseded");
}

QJsonObject AlertRecord::toJson() const
{
    const auto time = [](const QDateTime& value) {
        return value.isValid() ? QJsonValue(value.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue();
    };
    return {{QStringLiteral("id"), id},
            {QStringLiteral("time"), time(createdAt)},
            {QStringLiteral("integration"), integrationName},
            {QStringLiteral("kind"), kind},
            {QStringLiteral("recipients"), QJsonArray::fromStringList(recipients)},
            {QStringLiteral("subject"), subject},
            {QStringLiteral("state"), stateName(state)},
            {QStringLiteral("error"), error},
            {QStringLiteral("attempts"), attempts},
            {QStringLiteral("sentAt"), time(sentAt)},
            {QStringLiteral("nextAttemptAt"), state == State::Failed ? time(nextAttemptAt) : QJsonValue()}};
}

AlertLog::AlertLog(Store& store)
    : m_store(store)
{}

bool AlertLog::raise(AlertRecord& alert, const QDateTime& now, QString* error)
{
    alert.id = 0;
    LockedAlerts locked(m_store);
    QString dedupeKey;
    if (alert.isFailure()) {
        const QDateTime sent = locked.failureSentSince(alert.integrationId, now.addSecs(-WindowHours * 3600));
        if (alert.kind == QLatin1String("unhealthy")) {
            QSqlQuery waiting = locked.exec(QStringLiteral("SELECT 1 FROM alerts WHERE integration_id = ? AND state "
                                                           "IN ('pending', 'sending', 'failed') AND ") +
                                                failureKinds,
                                            {alert.integrationId});
            if (sent.isValid() || (locked.ok() && waiting.next()) || !locked.ok())
                return locked.commit() || fail(locked.error(), error);
        } else {
            locked.supersedeWaitingFailures(
                alert.integrationId,
                QStringLiteral("Superseded by newer news: the integration is now %1.").arg(alert.kind));
        }
        alert.state = sent.isValid() ? AlertRecord::State::Suppressed : AlertRecord::State::Pending;
        alert.error = sent.isValid() ? QStringLiteral("Suppressed: a failure alert for this integration went out at "
                                                      "%1, less than 24 hours ago.")
                                           .arg(when(sent))
                                     : QString();
    } else {
        locked.supersedeWaitingFailures(alert.integrationId,
                                        QStringLiteral("The integration recovered before this alert could be sent."));
        QSqlQuery last = locked.exec(QStringLiteral("SELECT id, kind FROM alerts WHERE integration_id = ? AND state = "
                                                    "'sent' ORDER BY sent_at DESC, id DESC LIMIT 1"),
                                     {alert.integrationId});
        if (!locked.ok() || !last.next() || !AlertRecord::isFailureKind(last.value(1).toString()))
            return locked.commit() || fail(locked.error(), error);
        dedupeKey = QStringLiteral("recovered:%1").arg(last.value(0).toLongLong());
        QSqlQuery owed = locked.exec(QStringLiteral("SELECT 1 FROM alerts WHERE dedupe_key = ?"), {dedupeKey});
        if (!locked.ok() || owed.next())
            return locked.commit() || fail(locked.error(), error);
        alert.state = AlertRecord::State::Pending;
        alert.error.clear();
    }
    alert.nextAttemptAt = alert.state == AlertRecord::State::Pending ? now : QDateTime();
    if (!locked.insert(alert, dedupeKey) || !locked.commit()) {
        alert.id = 0;
        return fail(locked.error(), error);
    }
    return true;
}

AlertLog::ClaimRound AlertLog::claim(const QString& owner, const QDateTime& now, const QDateTime& leaseUntil,
                                     const CauseCheck& cause, QString* error)
{
    ClaimRound round;
    LockedAlerts locked(m_store);
    QSqlQuery waiting = locked.exec(selectColumns + QStringLiteral(" WHERE state IN ('pending', 'failed') OR (state = "
                                                                   "'sending' AND lease_until < ?) ORDER BY id"),
                                    {now.toMSecsSinceEpoch()});
    QList<AlertRecord> alerts;
    while (locked.ok() && waiting.next())
        alerts << fromRecord(waiting);
    QSet<qint64> sendingFailures; // integrations whose failure alert is on its way
    QSqlQuery sending = locked.exec(QStringLiteral("SELECT DISTINCT integration_id FROM alerts WHERE state = "
                                                   "'sending' AND lease_until >= ? AND ") +
                                        failureKinds,
                                    {now.toMSecsSinceEpoch()});
    while (locked.ok() && sending.next())
        sendingFailures.insert(sending.value(0).toLongLong());

    const QDateTime windowStart = now.addSecs(-WindowHours * 3600);
    for (AlertRecord& alert : alerts) {
        if (const QString stale = cause(alert); !stale.isEmpty()) {
            locked.setState(alert.id, AlertRecord::State::Superseded, stale);
            round.changed << alert.id;
            continue;
        }
        if (alert.isFailure()) {
            if (sendingFailures.contains(alert.integrationId))
                continue;
            if (const QDateTime sent = locked.failureSentSince(alert.integrationId, windowStart); sent.isValid()) {
                locked.setState(alert.id, AlertRecord::State::Suppressed,
                                QStringLiteral("Suppressed: a failure alert for this integration went out at %1, "
                                               "less than 24 hours ago.")
                                    .arg(when(sent)));
                round.changed << alert.id;
                continue;
            }
        }
        const bool due =
            alert.state == AlertRecord::State::Sending || (alert.nextAttemptAt.isValid() && alert.nextAttemptAt <= now);
        if (!due)
            continue;
        locked.exec(QStringLiteral("UPDATE alerts SET state = 'sending', claimed_by = ?, lease_until = ? WHERE id = ?"),
                    {owner, leaseUntil.toMSecsSinceEpoch(), alert.id});
        if (alert.isFailure())
            sendingFailures.insert(alert.integrationId);
        alert.state = AlertRecord::State::Sending;
        alert.claimedBy = owner;
        alert.leaseUntil = leaseUntil;
        round.claimed << alert;
        round.changed << alert.id;
    }
    if (!locked.commit()) {
        *error = locked.error();
        return {};
    }
    return round;
}

bool AlertLog::finishSent(qint64 id, const QString& owner, const QDateTime& now, QString* error)
{
    LockedAlerts locked(m_store);
    QSqlQuery query = locked.exec(QStringLiteral("UPDATE alerts SET state = 'sent', error = '', attempts = attempts + "
                                                 "1, next_attempt_at = NULL, sent_at = ?, claimed_by = NULL, "
                                                 "lease_until = NULL WHERE id = ? AND state = 'sending' AND "
                                                 "claimed_by = ?"),
                                  {now.toMSecsSinceEpoch(), id, owner});
    if (locked.ok() && query.numRowsAffected() != 1)
        return fail(
            QStringLiteral("Alert %1 was sent, but its claim had run out: another process may send it again.").arg(id),
            error);
    return locked.commit() || fail(locked.error(), error);
}

bool AlertLog::finishFailed(qint64 id, const QString& owner, const QString& reason, const QDateTime& nextAttemptAt,
                            QString* error)
{
    LockedAlerts locked(m_store);
    locked.exec(QStringLiteral("UPDATE alerts SET state = 'failed', error = ?, attempts = attempts + 1, "
                               "next_attempt_at = ?, claimed_by = NULL, lease_until = NULL WHERE id = ? AND state = "
                               "'sending' AND claimed_by = ?"),
                {reason, SqlValues::time(nextAttemptAt), id, owner});
    return locked.commit() || fail(locked.error(), error);
}

bool AlertLog::lastSentWasFailure(qint64 integrationId, QString* error) const
{
    QSqlQuery query(m_store.database());
    query.prepare(QStringLiteral("SELECT kind FROM alerts WHERE integration_id = ? AND state = 'sent' ORDER BY "
                                 "sent_at DESC, id DESC LIMIT 1"));
    query.addBindValue(integrationId);
    if (!query.exec())
        return fail(Store::describe(query.lastError()), error);
    return query.next() && AlertRecord::isFailureKind(query.value(0).toString());
}

bool AlertLog::insert(AlertRecord& alert, QString* error)
{
    LockedAlerts locked(m_store);
    if (!locked.insert(alert, {}) || !locked.commit())
        return fail(locked.error(), error);
    return true;
}

QList<AlertRecord> AlertLog::list(qint64 integrationId, int limit, QString* error) const
{
    QList<AlertRecord> alerts;
    QSqlQuery query(m_store.database());
    query.prepare(selectColumns + (integrationId > 0 ? QStringLiteral(" WHERE integration_id = ?") : QString()) +
                  QStringLiteral(" ORDER BY id DESC") + (limit > 0 ? QStringLiteral(" LIMIT ?") : QString()));
    if (integrationId > 0)
        query.addBindValue(integrationId);
    if (limit > 0)
        query.addBindValue(limit);
    if (!query.exec()) {
        *error = Store::describe(query.lastError());
        return alerts;
    }
    while (query.next())
        alerts << fromRecord(query);
    return alerts;
}
