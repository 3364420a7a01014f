#include "alerts/AlertLog.h"

#include "store/SqlValues.h"
#include "store/Store.h"
#include "store/Transaction.h"

#include <QJsonArray>
#include <QSqlError>
#include <QSqlQuery>

namespace {

const QString selectColumns = QStringLiteral(
    "SELECT id, integration_id, integration_name, created_at, kind, recipients, subject, body_text, body_html, state, "
    "error, attempts, next_attempt_at, sent_at FROM alerts");

AlertRecord::State stateFromName(const QString& name)
{
    for (auto state : {AlertRecord::State::Pending, AlertRecord::State::Sent, AlertRecord::State::Failed,
                       AlertRecord::State::Suppressed}) {
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
    return alert;
}

bool execWrite(QSqlQuery& query, Transaction& transaction, QString* error)
{
    if (!query.exec()) {
        *error = Store::describe(query.lastError());
        return false;
    }
    if (!transaction.commit()) {
        *error = transaction.error();
        return false;
    }
    return true;
}

} // namespace

QString AlertRecord::stateName(State state)
{
    switch (state) {
    case State::Pending:
        return QStringLiteral("pending");
    case State::Sent:
        return QStringLiteral("sent");
    case State::Failed:
        return QStringLiteral("failed");
    case State::Suppressed:
        break;
    }
    return QStringLiteral("suppressed");
}

QJsonObject AlertRecord::toJson() const
{
    return {{QStringLiteral("id"), id},
            {QStringLiteral("time"), createdAt.toUTC().toString(Qt::ISODateWithMs)},
            {QStringLiteral("integration"), integrationName},
            {QStringLiteral("kind"), kind},
            {QStringLiteral("recipients"), QJsonArray::fromStringList(recipients)},
            {QStringLiteral("subject"), subject},
            {QStringLiteral("state"), stateName(state)},
            {QStringLiteral("error"), error},
            {QStringLiteral("attempts"), attempts},
            {QStringLiteral("sentAt"),
             sentAt.isValid() ? QJsonValue(sentAt.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue()}};
}

AlertLog::AlertLog(Store& store)
    : m_store(store)
{}

bool AlertLog::insert(AlertRecord& alert, QString* error)
{
    Transaction transaction(m_store);
    if (!transaction.isActive()) {
        *error = transaction.error();
        return false;
    }
    QSqlQuery query(m_store.database());
    query.prepare(QStringLiteral("INSERT INTO alerts (integration_id, integration_name, created_at, kind, recipients, "
                                 "subject, body_text, body_html, state, error, attempts, next_attempt_at) "
                                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)"));
    query.addBindValue(alert.integrationId > 0 ? QVariant(alert.integrationId)
                                               : QVariant(QMetaType(QMetaType::LongLong)));
    query.addBindValue(SqlValues::text(alert.integrationName));
    query.addBindValue(alert.createdAt.toMSecsSinceEpoch());
    query.addBindValue(SqlValues::text(alert.kind));
    query.addBindValue(SqlValues::text(alert.recipients.join(QStringLiteral(", "))));
    query.addBindValue(SqlValues::text(alert.subject));
    query.addBindValue(SqlValues::text(alert.text));
    query.addBindValue(SqlValues::text(alert.html));
    query.addBindValue(AlertRecord::stateName(alert.state));
    query.addBindValue(SqlValues::text(alert.error));
    query.addBindValue(SqlValues::time(alert.nextAttemptAt));
    if (!query.exec()) {
        *error = Store::describe(query.lastError());
        return false;
    }
    alert.id = query.lastInsertId().toLongLong();
    if (!transaction.commit()) {
        *error = transaction.error();
        return false;
    }
    return true;
}

bool AlertLog::countedSince(qint64 integrationId, const QDateTime& since, QString* error) const
{
    QSqlQuery query(m_store.database());
    query.prepare(QStringLiteral("SELECT 1 FROM alerts WHERE integration_id = ? AND created_at >= ? AND state IN "
                                 "('pending', 'sent', 'failed') LIMIT 1"));
    query.addBindValue(integrationId);
    query.addBindValue(since.toMSecsSinceEpoch());
    if (!query.exec()) {
        *error = Store::describe(query.lastError());
        return true; // when in doubt, do not spam
    }
    return query.next();
}

bool AlertLog::markSent(qint64 id, const QDateTime& now, QString* error)
{
    Transaction transaction(m_store);
    QSqlQuery query(m_store.database());
    query.prepare(QStringLiteral("UPDATE alerts SET state = 'sent', error = '', attempts = attempts + 1, "
                                 "next_attempt_at = NULL, sent_at = ? WHERE id = ?"));
    query.addBindValue(now.toMSecsSinceEpoch());
    query.addBindValue(id);
    return execWrite(query, transaction, error);
}

bool AlertLog::markFailed(qint64 id, const QString& reason, const QDateTime& nextAttemptAt, QString* error)
{
    Transaction transaction(m_store);
    QSqlQuery query(m_store.database());
    query.prepare(QStringLiteral("UPDATE alerts SET state = 'failed', error = ?, attempts = attempts + 1, "
                                 "next_attempt_at = ? WHERE id = ?"));
    query.addBindValue(reason);
    query.addBindValue(SqlValues::time(nextAttemptAt));
    query.addBindValue(id);
    return execWrite(query, transaction, error);
}

QList<AlertRecord> AlertLog::due(const QDateTime& now, const QDateTime& notBefore, QString* error) const
{
    QList<AlertRecord> alerts;
    QSqlQuery query(m_store.database());
    query.prepare(selectColumns + QStringLiteral(" WHERE state IN ('pending', 'failed') AND next_attempt_at IS NOT "
                                                 "NULL AND next_attempt_at <= ? AND created_at >= ? ORDER BY id"));
    query.addBindValue(now.toMSecsSinceEpoch());
    query.addBindValue(notBefore.toMSecsSinceEpoch());
    if (!query.exec()) {
        *error = Store::describe(query.lastError());
        return alerts;
    }
    while (query.next())
        alerts << fromRecord(query);
    return alerts;
}

QList<AlertRecord> AlertLog::list(qint64 integrationId, int limit, QString* error) const
{
    QList<AlertRecord> alerts;
    QSqlQuery query(m_store.database());
    query.prepare(selectColumns + (integrationId > 0 ? QStringLiteral(" WHERE integration_id = ?") : QString()) +
                  QStringLiteral(" ORDER BY id DESC LIMIT ?"));
    if (integrationId > 0)
        query.addBindValue(integrationId);
    query.addBindValue(limit);
    if (!query.exec()) {
        *error = Store::describe(query.lastError());
        return alerts;
    }
    while (query.next())
        alerts << fromRecord(query);
    return alerts;
}
