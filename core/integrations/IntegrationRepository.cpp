#include "integrations/IntegrationRepository.h"

#include "common/Logging.h"
#include "store/SqlValues.h"
#include "store/Store.h"
#include "store/Transaction.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>

namespace {

const QString selectColumns = QStringLiteral(
    "SELECT id, uid, name, provider, emails, statement_url, auth_kind, auth_url, client_id, username, has_secret, "
    "enabled, health, hold_reason, next_probe_at, revision, created_at, updated_at, held_revision, health_since, "
    "retry_interval_s, concurrency, batch_size, alerts_enabled, client_auth, failing_since, xapi_version, "
    "xapi_detected, xapi_detected_at FROM integrations");

QString uniqueKey(const QString& text)
{
    return text.trimmed().toCaseFolded();
}

Integration fromRecord(const QSqlQuery& query)
{
    Integration integration;
    integration.id = query.value(0).toLongLong();
    integration.uid = query.value(1).toString();
    integration.name = query.value(2).toString();
    integration.provider = query.value(3).toString();
    integration.emails = Integration::parseEmails(query.value(4).toString());
    integration.statementUrl = QUrl(query.value(5).toString());
    Integration::authFromName(query.value(6).toString(), &integration.auth);
    integration.authUrl = QUrl(query.value(7).toString());
    integration.clientId = query.value(8).toString();
    integration.username = query.value(9).toString();
    integration.hasSecret = query.value(10).toBool();
    integration.enabled = query.value(11).toBool();
    integration.storedHealth = Integration::healthFromName(query.value(12).toString());
    integration.holdReason = query.value(13).toString();
    integration.nextProbeAt = SqlValues::toTime(query.value(14));
    integration.revision = query.value(15).toInt();
    integration.createdAt = SqlValues::toTime(query.value(16));
    integration.updatedAt = SqlValues::toTime(query.value(17));
    integration.heldRevision = query.value(18).toInt();
    integration.healthSince = SqlValues::toTime(query.value(19));
    integration.retryIntervalSeconds = query.value(20).toInt();
    integration.concurrency = query.value(21).toInt();
    integration.batchSize = query.value(22).toInt();
    integration.alertsEnabled = query.value(23).toBool();
    integration.clientCredentialsInBody = query.value(24).toString() == QLatin1String("body");
    integration.failingSince = SqlValues::toTime(query.value(25));
    integration.xapiVersion = query.value(26).toString();
    integration.xapiDetected = query.value(27).toString();
    integration.xapiDetectedAt = SqlValues::toTime(query.value(28));
    return integration;
}

void bindFields(QSqlQuery& query, const Integration& integration)
{
    query.bindValue(QStringLiteral(":name"), SqlValues::text(integration.name.trimmed()));
    query.bindValue(QStringLiteral(":name_key"), SqlValues::text(uniqueKey(integration.name)));
    query.bindValue(QStringLiteral(":provider"), SqlValues::text(integration.provider.trimmed()));
    query.bindValue(QStringLiteral(":provider_key"), SqlValues::text(uniqueKey(integration.provider)));
    query.bindValue(QStringLiteral(":emails"), SqlValues::text(integration.emails.join(QStringLiteral(", "))));
    query.bindValue(QStringLiteral(":statement_url"), SqlValues::text(integration.statementUrl.toString()));
    query.bindValue(QStringLiteral(":auth_kind"), Integration::authName(integration.auth));
    query.bindValue(QStringLiteral(":auth_url"), SqlValues::text(integration.authUrl.toString()));
    query.bindValue(QStringLiteral(":client_id"), SqlValues::text(integration.clientId.trimmed()));
    query.bindValue(QStringLiteral(":username"), SqlValues::text(integration.username.trimmed()));
    query.bindValue(QStringLiteral(":has_secret"), integration.hasSecret ? 1 : 0);
    query.bindValue(QStringLiteral(":enabled"), integration.enabled ? 1 : 0);
    query.bindValue(QStringLiteral(":updated_at"), integration.updatedAt.toMSecsSinceEpoch());
    query.bindValue(QStringLiteral(":retry_interval_s"), integration.retryIntervalSeconds);
    query.bindValue(QStringLiteral(":concurrency"), integration.concurrency);
    query.bindValue(QStringLiteral(":batch_size"), integration.batchSize);
    query.bindValue(QStringLiteral(":alerts_enabled"), integration.alertsEnabled ? 1 : 0);
    query.bindValue(QStringLiteral(":client_auth"),
                    integration.clientCredentialsInBody ? QStringLiteral("body") : QStringLiteral("basic"));
    query.bindValue(QStringLiteral(":xapi_version"), SqlValues::text(integration.xapiVersion));
    query.bindValue(QStringLiteral(":xapi_detected"), SqlValues::text(integration.xapiDetected));
    query.bindValue(QStringLiteral(":xapi_detected_at"), SqlValues::time(integration.xapiDetectedAt));
}

FieldIssue nameTaken(const QString& name)
{
    return {
        QStringLiteral("name"),
        QStringLiteral("Name “%1” is already used by another integration; choose another name.").arg(name.trimmed())};
}

FieldIssue providerTaken(const QString& provider, const QString& owner)
{
    return {QStringLiteral("provider"),
            QStringLiteral("Provider “%1” already has an integration (“%2”): only one integration per provider is "
                           "allowed. Edit that one instead.")
                .arg(provider.trimmed(), owner)};
}

// A unique clash that slipped past checkUnique (another process saved at the same moment).
bool uniqueViolation(const QSqlError& error, const Integration& integration, FieldIssues* issues)
{
    const QString text = error.text();
    if (text.contains(QLatin1String("name_key")))
        *issues << nameTaken(integration.name);
    else if (text.contains(QLatin1String("provider_key")))
        *issues << providerTaken(integration.provider, QStringLiteral("saved meanwhile"));
    else
        return false;
    return true;
}

} // namespace

IntegrationRepository::IntegrationRepository(Store& store)
    : m_store(store)
{}

QList<Integration> IntegrationRepository::all(QString* error) const
{
    QList<Integration> result;
    QSqlQuery query(m_store.database());
    if (!query.exec(selectColumns + QStringLiteral(" ORDER BY name_key"))) {
        *error = Store::describe(query.lastError());
        return result;
    }
    while (query.next())
        result << fromRecord(query);
    return result;
}

QString IntegrationRepository::fingerprint(QString* error) const
{
    QSqlQuery query(m_store.database());
    if (!query.exec(QStringLiteral("SELECT COUNT(*), COALESCE(MAX(updated_at), 0), COALESCE(SUM(revision), 0), "
                                   "COALESCE(SUM(id), 0), COALESCE(SUM(enabled), 0) FROM integrations")) ||
        !query.next()) {
        *error = Store::describe(query.lastError());
        return {};
    }
    QStringList parts;
    for (int column = 0; column < 5; ++column)
        parts << query.value(column).toString();
    return parts.join(QLatin1Char(':'));
}

std::optional<Integration> IntegrationRepository::byId(qint64 id, QString* error) const
{
    QSqlQuery query(m_store.database());
    query.prepare(selectColumns + QStringLiteral(" WHERE id = :id"));
    query.bindValue(QStringLiteral(":id"), id);
    if (!query.exec()) {
        *error = Store::describe(query.lastError());
        return std::nullopt;
    }
    if (!query.next())
        return std::nullopt;
    return fromRecord(query);
}

std::optional<Integration> IntegrationRepository::find(const QString& nameOrId, QString* error) const
{
    bool isNumber = false;
    const qint64 id = nameOrId.toLongLong(&isNumber);
    if (isNumber) {
        if (auto found = byId(id, error))
            return found;
        if (!error->isEmpty())
            return std::nullopt;
    }
    QSqlQuery query(m_store.database());
    query.prepare(selectColumns + QStringLiteral(" WHERE name_key = :key"));
    query.bindValue(QStringLiteral(":key"), uniqueKey(nameOrId));
    if (!query.exec()) {
        *error = Store::describe(query.lastError());
        return std::nullopt;
    }
    if (!query.next())
        return std::nullopt;
    return fromRecord(query);
}

FieldIssues IntegrationRepository::checkUnique(const Integration& integration, QString* error) const
{
    FieldIssues issues;
    QSqlQuery query(m_store.database());
    query.prepare(QStringLiteral("SELECT name, name_key = :name_key, provider_key = :provider_key FROM integrations "
                                 "WHERE id <> :id AND (name_key = :name_key2 OR provider_key = :provider_key2)"));
    query.bindValue(QStringLiteral(":name_key"), uniqueKey(integration.name));
    query.bindValue(QStringLiteral(":provider_key"), uniqueKey(integration.provider));
    query.bindValue(QStringLiteral(":id"), integration.id);
    query.bindValue(QStringLiteral(":name_key2"), uniqueKey(integration.name));
    query.bindValue(QStringLiteral(":provider_key2"), uniqueKey(integration.provider));
    if (!query.exec()) {
        *error = Store::describe(query.lastError());
        return issues;
    }
    while (query.next()) {
        if (query.value(1).toBool() && !integration.name.trimmed().isEmpty())
            issues << nameTaken(integration.name);
        if (query.value(2).toBool() && !integration.provider.trimmed().isEmpty())
            issues << providerTaken(integration.provider, query.value(0).toString());
    }
    return issues;
}

bool IntegrationRepository::insert(Integration& integration, FieldIssues* issues, QString* error)
{
    Transaction transaction(m_store);
    if (!transaction.isActive()) {
        *error = transaction.error();
        return false;
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    integration.createdAt = now;
    integration.updatedAt = now;
    integration.revision = 1;
    QSqlQuery query(m_store.database());
    query.prepare(QStringLiteral(
        "INSERT INTO integrations (uid, name, name_key, provider, provider_key, emails, statement_url, auth_kind, "
        "auth_url, client_id, username, has_secret, enabled, revision, created_at, updated_at, retry_interval_s, "
        "concurrency, batch_size, alerts_enabled, client_auth, xapi_version, xapi_detected, xapi_detected_at) VALUES "
        "(:uid, :name, :name_key, :provider, :provider_key, :emails, :statement_url, :auth_kind, :auth_url, "
        ":client_id, :username, :has_secret, :enabled, 1, :created_at, :updated_at, :retry_interval_s, :concurrency, "
        ":batch_size, :alerts_enabled, :client_auth, :xapi_version, :xapi_detected, :xapi_detected_at)"));
    query.bindValue(QStringLiteral(":uid"), integration.uid);
    query.bindValue(QStringLiteral(":created_at"), now.toMSecsSinceEpoch());
    bindFields(query, integration);
    if (!query.exec()) {
        if (!uniqueViolation(query.lastError(), integration, issues))
            *error = Store::describe(query.lastError());
        return false;
    }
    integration.id = query.lastInsertId().toLongLong();
    if (!transaction.commit()) {
        *error = transaction.error();
        return false;
    }
    qCInfo(lcIntegrations) << "Added integration" << integration.id << integration.name;
    return true;
}

bool IntegrationRepository::update(Integration& integration, FieldIssues* issues, QString* error)
{
    Transaction transaction(m_store);
    if (!transaction.isActive()) {
        *error = transaction.error();
        return false;
    }
    integration.updatedAt = QDateTime::currentDateTimeUtc();
    if (!recordEnabledChange(integration.id, integration.enabled, integration.updatedAt.toMSecsSinceEpoch(), error))
        return false;
    QSqlQuery query(m_store.database());
    query.prepare(QStringLiteral(
        "UPDATE integrations SET name = :name, name_key = :name_key, provider = :provider, provider_key = "
        ":provider_key, emails = :emails, statement_url = :statement_url, auth_kind = :auth_kind, auth_url = "
        ":auth_url, client_id = :client_id, username = :username, has_secret = :has_secret, enabled = :enabled, "
        "retry_interval_s = :retry_interval_s, concurrency = :concurrency, batch_size = :batch_size, "
        "alerts_enabled = :alerts_enabled, client_auth = :client_auth, xapi_version = :xapi_version, "
        "xapi_detected = :xapi_detected, xapi_detected_at = :xapi_detected_at, revision = revision + 1, "
        "updated_at = :updated_at WHERE id = :id"));
    query.bindValue(QStringLiteral(":id"), integration.id);
    bindFields(query, integration);
    if (!query.exec()) {
        if (!uniqueViolation(query.lastError(), integration, issues))
            *error = Store::describe(query.lastError());
        return false;
    }
    if (query.numRowsAffected() != 1) {
        *error = QStringLiteral("The integration no longer exists (deleted meanwhile?). Reload the list.");
        return false;
    }
    if (!transaction.commit()) {
        *error = transaction.error();
        return false;
    }
    integration.revision += 1;
    qCInfo(lcIntegrations) << "Updated integration" << integration.id << integration.name;
    return true;
}

bool IntegrationRepository::setEnabled(qint64 id, bool enabled, QString* error, const QDateTime& at)
{
    const qint64 now = at.isValid() ? at.toMSecsSinceEpoch() : QDateTime::currentMSecsSinceEpoch();
    Transaction transaction(m_store);
    if (!transaction.isActive()) {
        *error = transaction.error();
        return false;
    }
    if (!recordEnabledChange(id, enabled, now, error))
        return false;
    QSqlQuery query(m_store.database());
    query.prepare(QStringLiteral("UPDATE integrations SET enabled = ?, revision = revision + 1, updated_at = ? "
                                 "WHERE id = ?"));
    for (const QVariant& value : QVariantList{enabled ? 1 : 0, now, id})
        query.addBindValue(value);
    if (!query.exec()) {
        *error = Store::describe(query.lastError());
        return false;
    }
    if (query.numRowsAffected() != 1) {
        *error = QStringLiteral("The integration no longer exists (deleted meanwhile?). Reload the list.");
        return false;
    }
    if (!transaction.commit()) {
        *error = transaction.error();
        return false;
    }
    qCInfo(lcIntegrations) << (enabled ? "Enabled" : "Disabled") << "integration" << id;
    return true;
}

bool IntegrationRepository::recordEnabledChange(qint64 id, bool enabled, qint64 at, QString* error)
{
    // Disabled: "disabled" ends a held or retrying period on the charts. Enabled again: the health it has now.
    QSqlQuery query(m_store.database());
    query.prepare(
        QStringLiteral("INSERT INTO health_changes (integration_id, at, health) SELECT id, CAST(? AS BIGINT), "
                       "CASE WHEN CAST(? AS INTEGER) = 0 THEN 'disabled' ELSE health END FROM integrations "
                       "WHERE id = ? AND enabled <> CAST(? AS INTEGER)"));
    for (const QVariant& value : QVariantList{at, enabled ? 1 : 0, id, enabled ? 1 : 0})
        query.addBindValue(value);
    if (!query.exec()) {
        *error = Store::describe(query.lastError());
        return false;
    }
    return true;
}

bool IntegrationRepository::setHealth(qint64 id, const HealthChange& change, QString* error, const QDateTime& at)
{
    const QString health = Integration::healthName(change.health);
    const QVariant nextProbe = SqlValues::time(change.nextProbeAt);
    const qint64 now = at.isValid() ? at.toMSecsSinceEpoch() : QDateTime::currentMSecsSinceEpoch();
    const auto recordChange = [&](QString* failed) {
        QSqlQuery changed(m_store.database());
        changed.prepare(QStringLiteral("INSERT INTO health_changes (integration_id, at, health) SELECT id, "
                                       "CAST(? AS BIGINT), CAST(? AS TEXT) FROM integrations WHERE id = ? AND health "
                                       "<> ? AND enabled <> 0"));
        for (const QVariant& value : QVariantList{now, health, id, health})
            changed.addBindValue(value);
        if (!changed.exec()) {
            *failed = Store::describe(changed.lastError());
            return false;
        }
        return true;
    };
    return updateOne(
        QStringLiteral("UPDATE integrations SET health_since = CASE WHEN health <> ? THEN ? ELSE "
                       "health_since END, failing_since = CASE WHEN ? IN ('held', 'retrying') THEN "
                       "COALESCE(failing_since, ?) END, health = ?, hold_reason = ?, next_probe_at = ?, "
                       "held_revision = ? WHERE id = ?"),
        {health, now, health, now, health, SqlValues::text(change.reason), nextProbe, change.heldRevision, id}, error,
        recordChange);
}

bool IntegrationRepository::remove(qint64 id, QString* error)
{
    if (!updateOne(QStringLiteral("DELETE FROM integrations WHERE id = ?"), {id}, error))
        return false;
    qCInfo(lcIntegrations) << "Deleted integration" << id;
    return true;
}

bool IntegrationRepository::updateOne(const QString& sql, const QVariantList& values, QString* error,
                                      const std::function<bool(QString*)>& first)
{
    Transaction transaction(m_store);
    if (!transaction.isActive()) {
        *error = transaction.error();
        return false;
    }
    if (first && !first(error))
        return false;
    QSqlQuery query(m_store.database());
    query.prepare(sql);
    for (const QVariant& value : values)
        query.addBindValue(value);
    if (!query.exec()) {
        *error = Store::describe(query.lastError());
        return false;
    }
    if (query.numRowsAffected() != 1) {
        *error = QStringLiteral("The integration no longer exists (deleted meanwhile?). Reload the list.");
        return false;
    }
    if (!transaction.commit()) {
        *error = transaction.error();
        return false;
    }
    return true;
}
