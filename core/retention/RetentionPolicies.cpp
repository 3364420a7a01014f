#include "retention/RetentionPolicies.h"

#include "store/SqlValues.h"
#include "store/Store.h"
#include "store/Transaction.h"

#include <QSqlError>
#include <QSqlQuery>

namespace {

std::optional<int> optionalDays(const QVariant& value)
{
    return value.isNull() ? std::nullopt : std::optional<int>(value.toInt());
}

QJsonValue daysJson(const std::optional<int>& days)
{
    return days ? QJsonValue(*days) : QJsonValue();
}

} // namespace

QJsonObject RetentionPolicy::toJson() const
{
    return {{QStringLiteral("retentionDays"), daysJson(retentionDays)},
            {QStringLiteral("keepBodiesDays"), daysJson(keepBodiesDays)}};
}

FieldIssues RetentionPolicy::check() const
{
    FieldIssues issues;
    const std::pair<QString, const std::optional<int>*> fields[] = {
        {QStringLiteral("retentionDays"), &retentionDays}, {QStringLiteral("keepBodiesDays"), &keepBodiesDays}};
    for (const auto& [field, days] : fields) {
        if (*days && (**days < 1 || **days > MaxDays))
            issues << FieldIssue{field,
                                 QStringLiteral("%1 is not a number of days from 1 to %2; leave it unset to keep "
                                                "everything.")
                                     .arg(**days)
                                     .arg(MaxDays)};
    }
    if (issues.isEmpty() && retentionDays && keepBodiesDays && *keepBodiesDays > *retentionDays)
        issues << FieldIssue{QStringLiteral("keepBodiesDays"),
                             QStringLiteral("Bodies cannot outlive their statements, which are pruned after %1: keep "
                                            "the bodies %1 or less, or as long as the statements.")
                                 .arg(daysText(retentionDays))};
    return issues;
}

QString RetentionPolicy::daysText(const std::optional<int>& days)
{
    if (!days)
        return QStringLiteral("keep everything");
    return *days == 1 ? QStringLiteral("1 day") : QStringLiteral("%1 days").arg(*days);
}

RetentionPolicies::RetentionPolicies(Store& store)
    : m_store(store)
{}

RetentionPolicy RetentionPolicies::get(qint64 integrationId, QString* error) const
{
    QSqlQuery query(m_store.database());
    query.prepare(
        QStringLiteral("SELECT retention_days, keep_bodies_days FROM retention_policies WHERE integration_id = ?"));
    query.addBindValue(integrationId);
    if (!query.exec()) {
        *error = Store::describe(query.lastError());
        return {};
    }
    RetentionPolicy policy;
    if (query.next()) {
        policy.retentionDays = optionalDays(query.value(0));
        policy.keepBodiesDays = optionalDays(query.value(1));
    }
    return policy;
}

QHash<qint64, RetentionPolicy> RetentionPolicies::all(QString* error) const
{
    QHash<qint64, RetentionPolicy> policies;
    QSqlQuery query(m_store.database());
    if (!query.exec(QStringLiteral("SELECT integration_id, retention_days, keep_bodies_days FROM retention_policies "
                                   "WHERE retention_days IS NOT NULL OR keep_bodies_days IS NOT NULL"))) {
        *error = Store::describe(query.lastError());
        return policies;
    }
    while (query.next())
        policies.insert(query.value(0).toLongLong(),
                        RetentionPolicy{optionalDays(query.value(1)), optionalDays(query.value(2))});
    return policies;
}

bool RetentionPolicies::set(qint64 integrationId, const RetentionPolicy& policy, QString* error)
{
    if (const FieldIssues issues = policy.check(); !issues.isEmpty()) {
        *error = issues.constFirst().toText();
        return false;
    }
    Transaction transaction(m_store);
    if (!transaction.isActive()) {
        *error = transaction.error();
        return false;
    }
    QSqlQuery query(m_store.database());
    query.prepare(QStringLiteral(
        "INSERT INTO retention_policies (integration_id, retention_days, keep_bodies_days) VALUES (?, ?, ?) "
        "ON CONFLICT (integration_id) DO UPDATE SET retention_days = excluded.retention_days, "
        "keep_bodies_days = excluded.keep_bodies_days"));
    query.addBindValue(integrationId);
    query.addBindValue(SqlValues::optionalInt(policy.retentionDays));
    query.addBindValue(SqlValues::optionalInt(policy.keepBodiesDays));
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

bool RetentionPolicies::parseDays(const QString& option, const QString& text, std::optional<int>* days, QString* error)
{
    const QString value = text.trimmed().toLower();
    if (value == QLatin1String("keep") || value == QLatin1String("off") || value == QLatin1String("0")) {
        days->reset();
        return true;
    }
    bool ok = false;
    const int number = value.toInt(&ok);
    if (!ok || number < 1 || number > RetentionPolicy::MaxDays) {
        *error = QStringLiteral("--%1: “%2” is not a number of days; give a whole number from 1 to %3, or keep "
                                "(keep everything).")
                     .arg(option, text)
                     .arg(RetentionPolicy::MaxDays);
        return false;
    }
    *days = number;
    return true;
}
