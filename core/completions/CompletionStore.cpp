#include "completions/CompletionStore.h"

#include "common/Logging.h"
#include "delivery/DeliveryQueue.h"
#include "integrations/IntegrationRepository.h"
#include "statements/ProviderProfile.h"
#include "store/SqlValues.h"
#include "store/Store.h"
#include "store/Transaction.h"

#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>

namespace {

const QString selectColumns =
    QStringLiteral("SELECT id, content_id, user_id, score, max_score, opened_ts, finished_ts, completion_time, "
                   "received_at, source, statement_id FROM completions");

CompletionRecord fromRecord(const QSqlQuery& query)
{
    CompletionRecord record;
    record.id = query.value(0).toLongLong();
    record.contentId = query.value(1).toString();
    record.userId = query.value(2).toString();
    record.score = query.value(3).toDouble();
    record.maxScore = query.value(4).toDouble();
    record.openedTimestamp = query.value(5).toLongLong();
    record.finishedTimestamp = query.value(6).toLongLong();
    record.completionTime = query.value(7).toLongLong();
    record.receivedAt = SqlValues::toTime(query.value(8));
    record.source = query.value(9).toString();
    record.statementId = query.value(10).toString();
    return record;
}

QString whereClause(const CompletionFilter& filter, QVariantList* values)
{
    QStringList conditions;
    if (!filter.contentId.isEmpty()) {
        conditions << QStringLiteral("content_id = ?");
        *values << filter.contentId;
    }
    if (!filter.userId.isEmpty()) {
        conditions << QStringLiteral("user_id = ?");
        *values << filter.userId;
    }
    if (filter.finishedFrom.isValid()) {
        conditions << QStringLiteral("finished_ts >= ?");
        *values << filter.finishedFrom.toSecsSinceEpoch();
    }
    if (filter.finishedTo.isValid()) {
        conditions << QStringLiteral("finished_ts <= ?");
        *values << filter.finishedTo.toSecsSinceEpoch();
    }
    if (filter.minScore) {
        conditions << QStringLiteral("score >= ?");
        *values << *filter.minScore;
    }
    if (filter.maxScore) {
        conditions << QStringLiteral("score <= ?");
        *values << *filter.maxScore;
    }
    if (filter.passed) {
        conditions << (*filter.passed ? QStringLiteral("ratio >= ?") : QStringLiteral("ratio < ?"));
        *values << filter.passThreshold;
    }
    return conditions.isEmpty() ? QString() : QStringLiteral(" WHERE ") + conditions.join(QStringLiteral(" AND "));
}

} // namespace

CompletionStore::CompletionStore(Store& store)
    : m_store(store)
{}

std::optional<CompletionStore::Outcome> CompletionStore::save(CompletionRecord& record, QString* error)
{
    Transaction transaction(m_store);
    if (!transaction.isActive()) {
        *error = transaction.error();
        return std::nullopt;
    }
    const auto outcome = saveInTransaction(record, enabledIntegrations(error), error);
    if (!outcome)
        return std::nullopt;
    if (!transaction.commit()) {
        *error = transaction.error();
        return std::nullopt;
    }
    return outcome;
}

QList<Integration> CompletionStore::enabledIntegrations(QString* error) const
{
    QList<Integration> enabled;
    for (const Integration& integration : IntegrationRepository(m_store).all(error)) {
        if (integration.enabled)
            enabled << integration;
    }
    return enabled;
}

std::optional<CompletionStore::Outcome>
CompletionStore::saveInTransaction(CompletionRecord& record, const QList<Integration>& integrations, QString* error)
{
    record.statementId = record.derivedStatementId();
    if (!record.receivedAt.isValid())
        record.receivedAt = QDateTime::currentDateTimeUtc();
    QSqlQuery existing(m_store.database());
    existing.prepare(QStringLiteral("SELECT id, statement_id, score, max_score, opened_ts, completion_time FROM "
                                    "completions WHERE user_id = ? AND content_id = ?"));
    existing.addBindValue(record.userId);
    existing.addBindValue(record.contentId);
    if (!existing.exec()) {
        *error = Store::describe(existing.lastError());
        return std::nullopt;
    }
    Outcome outcome = Outcome::Stored;
    if (existing.next()) {
        record.id = existing.value(0).toLongLong();
        const bool same = existing.value(1).toString() == record.statementId &&
                          existing.value(2).toDouble() == record.score &&
                          existing.value(3).toDouble() == record.maxScore &&
                          existing.value(4).toLongLong() == record.openedTimestamp &&
                          existing.value(5).toLongLong() == record.completionTime;
        if (same)
            return Outcome::Unchanged; // a repeated message: no second statement
        outcome = Outcome::Replaced;
    }
    existing.finish();

    QSqlQuery write(m_store.database());
    write.prepare(outcome == Outcome::Stored
                      ? QStringLiteral("INSERT INTO completions (score, max_score, ratio, opened_ts, finished_ts, "
                                       "completion_time, received_at, source, statement_id, user_id, content_id) "
                                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                      : QStringLiteral("UPDATE completions SET score = ?, max_score = ?, ratio = ?, opened_ts = ?, "
                                       "finished_ts = ?, completion_time = ?, received_at = ?, source = ?, "
                                       "statement_id = ? WHERE user_id = ? AND content_id = ?"));
    write.addBindValue(record.score);
    write.addBindValue(record.maxScore);
    write.addBindValue(record.maxScore > 0 ? record.score / record.maxScore : 0.0);
    write.addBindValue(record.openedTimestamp);
    write.addBindValue(record.finishedTimestamp);
    write.addBindValue(record.completionTime);
    write.addBindValue(SqlValues::time(record.receivedAt));
    write.addBindValue(SqlValues::text(record.source));
    write.addBindValue(record.statementId);
    write.addBindValue(record.userId);
    write.addBindValue(record.contentId);
    if (!write.exec()) {
        *error = Store::describe(write.lastError());
        return std::nullopt;
    }
    if (outcome == Outcome::Stored)
        record.id = write.lastInsertId().toLongLong();

    // The statement, shaped by each enabled integration's provider profile, with the same derived id.
    CompletionFacts facts;
    facts.userId = record.userId;
    facts.contentId = record.contentId;
    facts.score = record.score;
    facts.maxScore = record.maxScore;
    facts.completionSeconds = double(record.completionTime);
    facts.finishedAt = QDateTime::fromSecsSinceEpoch(record.finishedTimestamp, Qt::UTC);
    facts.statementId = record.statementId;
    DeliveryQueue queue(m_store);
    for (const Integration& integration : integrations) {
        const ProviderProfile profile = ProviderProfile::forProvider(integration.provider, integration.statementUrl);
        const QJsonObject statement = StatementTemplates::build(profile.completionValues(facts));
        if (!queue.enqueueInTransaction({statement}, {integration.id}, QDateTime::currentDateTimeUtc(), error))
            return std::nullopt;
    }
    if (!error->isEmpty())
        return std::nullopt;
    return outcome;
}

CompletionStore::ImportReport CompletionStore::importLines(const QByteArray& lines, QString* error)
{
    ImportReport report;
    Transaction transaction(m_store);
    if (!transaction.isActive()) {
        *error = transaction.error();
        return report;
    }
    const QList<Integration> integrations = enabledIntegrations(error);
    int number = 0;
    for (const QByteArray& raw : lines.split('\n')) {
        ++number;
        const QByteArray line = raw.trimmed();
        if (line.isEmpty())
            continue;
        QJsonParseError parseError{};
        const QJsonDocument document = QJsonDocument::fromJson(line, &parseError);
        if (!document.isObject()) {
            report.refused
                << QStringLiteral("line %1: not a JSON object (%2).").arg(number).arg(parseError.errorString());
            continue;
        }
        FieldIssues issues;
        CompletionRecord record = CompletionRecord::fromWebhookJson(document.object(), &issues);
        if (issues.isEmpty())
            issues = record.check();
        if (!issues.isEmpty()) {
            report.refused << QStringLiteral("line %1: %2").arg(number).arg(issues.first().toText());
            continue;
        }
        record.source = QStringLiteral("import");
        const auto outcome = saveInTransaction(record, integrations, error);
        if (!outcome)
            return report;
        report.stored += *outcome == Outcome::Stored;
        report.replaced += *outcome == Outcome::Replaced;
        report.unchanged += *outcome == Outcome::Unchanged;
    }
    if (!transaction.commit())
        *error = transaction.error();
    return report;
}

int CompletionStore::removeContent(const QString& contentId, QString* error)
{
    Transaction transaction(m_store);
    if (!transaction.isActive()) {
        *error = transaction.error();
        return -1;
    }
    QSqlQuery query(m_store.database());
    query.prepare(QStringLiteral("DELETE FROM completions WHERE content_id = ?"));
    query.addBindValue(contentId);
    if (!query.exec()) {
        *error = Store::describe(query.lastError());
        return -1;
    }
    const int count = query.numRowsAffected();
    if (!transaction.commit()) {
        *error = transaction.error();
        return -1;
    }
    qCInfo(lcStore) << "Deleted" << count << "completion records of content" << contentId;
    return count;
}

QList<CompletionRecord> CompletionStore::page(const CompletionFilter& filter, Sort sort, bool descending, int limit,
                                              int offset, QString* error) const
{
    QVariantList values;
    const QString where = whereClause(filter, &values);
    QString order;
    switch (sort) {
    case Sort::Finished:
        order = QStringLiteral("finished_ts");
        break;
    case Sort::Content:
        order = QStringLiteral("content_id");
        break;
    case Sort::User:
        order = QStringLiteral("user_id");
        break;
    case Sort::Score:
        order = QStringLiteral("score");
        break;
    }
    const QString direction = descending ? QStringLiteral(" DESC") : QStringLiteral(" ASC");
    QSqlQuery query(m_store.database());
    query.setForwardOnly(true);
    query.prepare(selectColumns + where + QStringLiteral(" ORDER BY ") + order + direction + QStringLiteral(", id") +
                  direction + QStringLiteral(" LIMIT ? OFFSET ?"));
    for (const QVariant& value : values)
        query.addBindValue(value);
    query.addBindValue(limit);
    query.addBindValue(offset);
    QList<CompletionRecord> records;
    if (!query.exec()) {
        *error = Store::describe(query.lastError());
        return records;
    }
    while (query.next())
        records << fromRecord(query);
    return records;
}

int CompletionStore::count(const CompletionFilter& filter, QString* error) const
{
    QVariantList values;
    const QString where = whereClause(filter, &values);
    QSqlQuery query(m_store.database());
    query.prepare(QStringLiteral("SELECT COUNT(*) FROM completions") + where);
    for (const QVariant& value : values)
        query.addBindValue(value);
    if (!query.exec() || !query.next()) {
        *error = Store::describe(query.lastError());
        return -1;
    }
    return query.value(0).toInt();
}
