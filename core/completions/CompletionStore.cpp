#include "completions/CompletionStore.h"

#include "common/Logging.h"
#include "delivery/DeliveryQueue.h"
#include "integrations/IntegrationRepository.h"
#include "statements/ProviderProfile.h"
#include "statements/StatementValidator.h"
#include "store/SqlValues.h"
#include "store/Store.h"
#include "store/Transaction.h"

#include <QBuffer>
#include <QHash>
#include <QJsonDocument>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>

namespace {

const QString selectColumns =
    QStringLiteral("SELECT id, content_id, user_id, score, max_score, opened_ts, finished_ts, completion_time, "
                   "received_at, source, statement_id FROM completions");

constexpr qsizetype MaxLineBytes = 1024 * 1024;
constexpr int ProgressEvery = 5000;
constexpr int FlushEvery = 500; // statements buffered before they are written to the queue
constexpr int MaxSkippedReported = 100;
// A filter matching fewer rows than this is read through its own index and sorted; a broader one is read in the
// order of the sort's index (see CompletionStore::page).
constexpr int SortInMemoryBelow = 5000;
constexpr int BulkCacheKiB = 64 * 1024;

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

// One condition of a filter: the column it is on, and its SQL with the column as %1, so that it can also be written
// in a form no index serves ("+col" for numbers, "(col || '')" for texts; both SQLite and PostgreSQL).
struct Condition
{
    enum class Column { Content, User, Finished, Score, Ratio };
    Column column;
    QString sql;
    QVariant value;
};

QList<Condition> conditionsOf(const CompletionFilter& filter)
{
    using Column = Condition::Column;
    QList<Condition> conditions;
    if (!filter.contentId.isEmpty())
        conditions << Condition{Column::Content, QStringLiteral("%1 = ?"), filter.contentId};
    if (!filter.userId.isEmpty())
        conditions << Condition{Column::User, QStringLiteral("%1 = ?"), filter.userId};
    if (filter.finishedFrom.isValid())
        conditions << Condition{Column::Finished, QStringLiteral("%1 >= ?"), filter.finishedFrom.toSecsSinceEpoch()};
    if (filter.finishedTo.isValid())
        conditions << Condition{Column::Finished, QStringLiteral("%1 <= ?"), filter.finishedTo.toSecsSinceEpoch()};
    if (filter.minScore)
        conditions << Condition{Column::Score, QStringLiteral("%1 >= ?"), *filter.minScore};
    if (filter.maxScore)
        conditions << Condition{Column::Score, QStringLiteral("%1 <= ?"), *filter.maxScore};
    if (filter.passed)
        conditions << Condition{Column::Ratio, *filter.passed ? QStringLiteral("%1 >= ?") : QStringLiteral("%1 < ?"),
                                filter.passThreshold};
    return conditions;
}

QString columnName(Condition::Column column, bool indexable)
{
    switch (column) {
    case Condition::Column::Content:
        return indexable ? QStringLiteral("content_id") : QStringLiteral("(content_id || '')");
    case Condition::Column::User:
        return indexable ? QStringLiteral("user_id") : QStringLiteral("(user_id || '')");
    case Condition::Column::Finished:
        return indexable ? QStringLiteral("finished_ts") : QStringLiteral("+finished_ts");
    case Condition::Column::Score:
        return indexable ? QStringLiteral("score") : QStringLiteral("+score");
    case Condition::Column::Ratio:
        return indexable ? QStringLiteral("ratio") : QStringLiteral("+ratio");
    }
    return {};
}

// Whether a condition on this column is still served by an index while the sort's index is walked.
bool servedWithSort(Condition::Column column, CompletionStore::Sort sort)
{
    using Column = Condition::Column;
    using Sort = CompletionStore::Sort;
    switch (column) {
    case Column::User:
        return true; // a user has few records: always read through (user_id, content_id)
    case Column::Content:
        return sort == Sort::Content || sort == Sort::Finished; // (content_id, finished_ts)
    case Column::Finished:
        return sort == Sort::Finished;
    case Column::Score:
        return sort == Sort::Score;
    case Column::Ratio:
        return false;
    }
    return false;
}

QString whereClause(const QList<Condition>& conditions, QVariantList* values,
                    const std::function<bool(Condition::Column)>& indexable = {})
{
    QStringList parts;
    for (const Condition& condition : conditions) {
        parts << condition.sql.arg(columnName(condition.column, !indexable || indexable(condition.column)));
        *values << condition.value;
    }
    return parts.isEmpty() ? QString() : QStringLiteral(" WHERE ") + parts.join(QStringLiteral(" AND "));
}

// The order of each sort, ending in a unique key so that pages never overlap; each is the order of one index.
QString orderBy(CompletionStore::Sort sort, bool descending)
{
    QStringList columns;
    switch (sort) {
    case CompletionStore::Sort::Finished:
        columns = {QStringLiteral("finished_ts"), QStringLiteral("id")}; // completions_finished (+ rowid)
        break;
    case CompletionStore::Sort::Content:
        columns = {QStringLiteral("content_id"), QStringLiteral("finished_ts"), QStringLiteral("id")};
        break;
    case CompletionStore::Sort::User:
        columns = {QStringLiteral("user_id"), QStringLiteral("content_id")}; // the unique key
        break;
    case CompletionStore::Sort::Score:
        columns = {QStringLiteral("score"), QStringLiteral("id")};
        break;
    }
    const QString direction = descending ? QStringLiteral(" DESC") : QStringLiteral(" ASC");
    return QStringLiteral(" ORDER BY ") + columns.join(direction + QStringLiteral(", ")) + direction;
}

bool execWith(QSqlQuery& query, const QVariantList& values, QString* error)
{
    for (const QVariant& value : values)
        query.addBindValue(value);
    if (query.exec())
        return true;
    *error = Store::describe(query.lastError());
    qCWarning(lcCompletions) << query.lastQuery() << "failed:" << query.lastError().text();
    return false;
}

// While a bulk import runs, SQLite keeps more pages in memory: the indexes of a million records are written in a
// random order, and with the default 2 MiB cache most of their pages would be spilled and written again.
class BulkCache final
{
public:
    explicit BulkCache(Store& store)
        : m_store(store)
    {
        if (store.dialect() != Migrations::Dialect::Sqlite)
            return;
        QSqlQuery query(store.database());
        if (query.exec(QStringLiteral("PRAGMA cache_size")) && query.next())
            m_previous = query.value(0).toInt();
        query.finish();
        query.exec(QStringLiteral("PRAGMA cache_size = %1").arg(-BulkCacheKiB)); // negative: KiB, not pages
    }
    ~BulkCache()
    {
        if (m_previous)
            QSqlQuery(m_store.database()).exec(QStringLiteral("PRAGMA cache_size = %1").arg(*m_previous));
    }
    BulkCache(const BulkCache&) = delete;
    BulkCache& operator=(const BulkCache&) = delete;

private:
    Store& m_store;
    std::optional<int> m_previous;
};

QList<Integration> enabledIntegrations(Store& store, QString* error)
{
    QList<Integration> enabled;
    for (const Integration& integration : IntegrationRepository(store).all(error)) {
        if (integration.enabled)
            enabled << integration;
    }
    return enabled;
}

} // namespace

bool CompletionFilter::isEmpty() const
{
    return contentId.isEmpty() && userId.isEmpty() && !finishedFrom.isValid() && !finishedTo.isValid() && !minScore &&
           !maxScore && !passed;
}

QString CompletionStore::Refusal::toText() const
{
    return field.isEmpty() ? QStringLiteral("line %1: %2").arg(line).arg(message)
                           : QStringLiteral("line %1: %2: %3").arg(line).arg(field, message);
}

QString CompletionStore::ImportReport::summary() const
{
    return QStringLiteral("%1 stored, %2 replaced, %3 unchanged, %4 older, %5 refused; %6 statements queued.")
        .arg(stored)
        .arg(replaced)
        .arg(unchanged)
        .arg(older)
        .arg(refused.size())
        .arg(queued);
}

// Writes records and their statements inside a transaction the caller holds: its statements are prepared once, and
// the statements for the queue are written in groups.
class CompletionStore::Writer final
{
public:
    Writer(Store& store, QList<Integration> integrations)
        : m_store(store)
        , m_integrations(std::move(integrations))
        , m_insert(store.database())
        , m_existing(store.database())
        , m_update(store.database())
        , m_queuedTo(store.database())
    {
        for (const Integration& integration : std::as_const(m_integrations))
            m_profiles << ProviderProfile::forProvider(integration.provider, integration.statementUrl);
    }

    static QJsonObject statementWith(const ProviderProfile& profile, const CompletionRecord& record)
    {
        CompletionFacts facts;
        facts.userId = record.userId;
        facts.contentId = record.contentId;
        facts.score = record.score;
        facts.maxScore = record.maxScore;
        facts.completionSeconds = double(record.completionTime);
        facts.finishedAt = QDateTime::fromSecsSinceEpoch(record.finishedTimestamp, Qt::UTC);
        facts.statementId = record.statementId.isEmpty() ? record.derivedStatementId() : record.statementId;
        return StatementTemplates::build(profile.completionValues(facts));
    }

    bool prepare(QString* error)
    {
        // RETURNING makes SQLite keep a statement journal (about three times slower); its last insert rowid is
        // exact. PostgreSQL has no such rowid.
        m_returning = m_store.dialect() != Migrations::Dialect::Sqlite;
        const bool prepared =
            m_insert.prepare(
                QStringLiteral("INSERT INTO completions (content_id, user_id, score, max_score, ratio, opened_ts, "
                               "finished_ts, completion_time, received_at, source, statement_id) VALUES "
                               "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, content_id) DO NOTHING") +
                (m_returning ? QStringLiteral(" RETURNING id") : QString())) &&
            m_existing.prepare(
                QStringLiteral("SELECT id, statement_id, score, max_score, opened_ts, finished_ts, "
                               "completion_time FROM completions WHERE user_id = ? AND content_id = ?")) &&
            m_update.prepare(QStringLiteral("UPDATE completions SET score = ?, max_score = ?, ratio = ?, opened_ts = "
                                            "?, finished_ts = ?, completion_time = ?, received_at = ?, source = ?, "
                                            "statement_id = ? WHERE id = ?")) &&
            m_queuedTo.prepare(QStringLiteral("SELECT integration_id FROM deliveries WHERE statement_id = ?"));
        if (!prepared) {
            for (const QSqlQuery* query : {&m_insert, &m_existing, &m_update, &m_queuedTo}) {
                if (query->lastError().isValid()) {
                    *error = Store::describe(query->lastError());
                    break;
                }
            }
        }
        return prepared;
    }

    std::optional<SaveResult> write(CompletionRecord& record, QString* error)
    {
        record.statementId = record.derivedStatementId();
        if (!record.receivedAt.isValid())
            record.receivedAt = QDateTime::currentDateTimeUtc();
        m_lastReceived = record.receivedAt;
        const double ratio = record.maxScore > 0 ? record.score / record.maxScore : 0.0;
        SaveResult result;

        if (!execWith(m_insert,
                      {record.contentId, record.userId, record.score, record.maxScore, ratio, record.openedTimestamp,
                       record.finishedTimestamp, record.completionTime, SqlValues::time(record.receivedAt),
                       SqlValues::text(record.source), record.statementId},
                      error))
            return std::nullopt;
        bool inserted = false;
        if (m_returning) {
            inserted = m_insert.next();
            if (inserted)
                record.id = m_insert.value(0).toLongLong();
        } else {
            inserted = m_insert.numRowsAffected() == 1;
            if (inserted)
                record.id = m_insert.lastInsertId().toLongLong();
        }
        m_insert.finish();
        if (inserted) {
            result.outcome = Outcome::Stored;
        } else {
            // The (user, content) has a record: a repeat, a newer message, or an older one arriving late.
            if (!execWith(m_existing, {record.userId, record.contentId}, error))
                return std::nullopt;
            if (!m_existing.next()) {
                m_existing.finish();
                *error = QStringLiteral("The completion record of user “%1” and content “%2” vanished while it was "
                                        "written; try again.")
                             .arg(record.userId, record.contentId);
                return std::nullopt;
            }
            record.id = m_existing.value(0).toLongLong();
            const qint64 keptFinished = m_existing.value(5).toLongLong();
            const bool same = m_existing.value(1).toString() == record.statementId &&
                              m_existing.value(2).toDouble() == record.score &&
                              m_existing.value(3).toDouble() == record.maxScore &&
                              m_existing.value(4).toLongLong() == record.openedTimestamp &&
                              m_existing.value(6).toLongLong() == record.completionTime;
            m_existing.finish();
            if (same) {
                result.outcome = Outcome::Unchanged;
                return result; // a repeated message: no second statement
            }
            if (record.finishedTimestamp < keptFinished) {
                result.outcome = Outcome::Older;
            } else {
                result.outcome = Outcome::Replaced;
                if (!execWith(m_update,
                              {record.score, record.maxScore, ratio, record.openedTimestamp, record.finishedTimestamp,
                               record.completionTime, SqlValues::time(record.receivedAt),
                               SqlValues::text(record.source), record.statementId, record.id},
                              error))
                    return std::nullopt;
            }
        }
        if (!queueStatements(record, &result, error))
            return std::nullopt;
        return result;
    }

    // What is buffered for the queue, written now.
    bool flush(QString* error)
    {
        for (auto it = m_pending.cbegin(); it != m_pending.cend(); ++it) {
            if (!DeliveryQueue(m_store).enqueueInTransaction(it.value(), {it.key()}, m_lastReceived, error))
                return false;
        }
        m_pending.clear();
        m_pendingKeys.clear();
        m_pendingCount = 0;
        return true;
    }

private:
    // The statement for every enabled integration that does not have it yet. Its id is derived from (user, content,
    // finished), so a message sent twice, or replaced by one with the same finish time, never makes a second one.
    bool queueStatements(const CompletionRecord& record, SaveResult* result, QString* error)
    {
        if (m_integrations.isEmpty())
            return true;
        QSet<qint64> alreadyQueued;
        if (!execWith(m_queuedTo, {record.statementId}, error))
            return false;
        while (m_queuedTo.next())
            alreadyQueued.insert(m_queuedTo.value(0).toLongLong());
        m_queuedTo.finish();
        for (qsizetype i = 0; i < m_integrations.size(); ++i) {
            const Integration& integration = m_integrations.at(i);
            const QString pendingKey = QString::number(integration.id) + QLatin1Char('/') + record.statementId;
            if (alreadyQueued.contains(integration.id) || m_pendingKeys.contains(pendingKey)) {
                if (result->outcome == Outcome::Replaced)
                    qCInfo(lcCompletions)
                        << "Statement" << record.statementId << "was already queued to" << integration.name
                        << "; a statement never changes, so the new values are kept in the record only";
                continue;
            }
            const QJsonObject statement = statementWith(m_profiles.at(i), record);
            const QList<Finding> findings = StatementValidator::validate(statement);
            if (!findings.isEmpty()) {
                const QString reason =
                    QStringLiteral("No statement for integration “%1” from the completion of user "
                                   "“%2”, content “%3”: %4 Check the integration's provider.")
                        .arg(integration.name, record.userId, record.contentId, findings.first().toText());
                qCWarning(lcCompletions).noquote() << reason;
                result->skipped << Skipped{integration.id, integration.name, reason};
                continue;
            }
            m_pending[integration.id] << statement;
            m_pendingKeys.insert(pendingKey);
            ++m_pendingCount;
            ++result->queued;
        }
        return m_pendingCount < FlushEvery || flush(error);
    }

    Store& m_store;
    QList<Integration> m_integrations;
    QList<ProviderProfile> m_profiles;
    QSqlQuery m_insert;
    QSqlQuery m_existing;
    QSqlQuery m_update;
    QSqlQuery m_queuedTo;
    QHash<qint64, QList<QJsonObject>> m_pending; // integration -> statements not written yet
    QSet<QString> m_pendingKeys;                 // "integration/statement" of those
    int m_pendingCount = 0;
    QDateTime m_lastReceived;
    bool m_returning = false;
};

CompletionStore::CompletionStore(Store& store)
    : m_store(store)
{}

CompletionStore::~CompletionStore() = default;

QString CompletionStore::fingerprint(QString* error) const
{
    QSqlQuery query(m_store.database());
    if (!query.exec(QStringLiteral("SELECT COUNT(*), COALESCE(MAX(id), 0), COALESCE(MAX(received_at), 0) FROM "
                                   "completions")) ||
        !query.next()) {
        *error = Store::describe(query.lastError());
        return {};
    }
    return QStringLiteral("%1:%2:%3")
        .arg(query.value(0).toString(), query.value(1).toString(), query.value(2).toString());
}

QJsonObject CompletionStore::statementFor(const CompletionRecord& record, const Integration& integration)
{
    return Writer::statementWith(ProviderProfile::forProvider(integration.provider, integration.statementUrl), record);
}

std::optional<CompletionStore::SaveResult> CompletionStore::save(CompletionRecord& record, QString* error)
{
    const FieldIssues issues = record.check();
    if (!issues.isEmpty()) {
        *error = issues.first().toText();
        return std::nullopt;
    }
    Transaction transaction(m_store);
    if (!transaction.isActive()) {
        *error = transaction.error();
        return std::nullopt;
    }
    QString readError;
    Writer writer(m_store, enabledIntegrations(m_store, &readError));
    if (!readError.isEmpty()) {
        *error = readError;
        return std::nullopt;
    }
    if (!writer.prepare(error))
        return std::nullopt;
    const auto result = writer.write(record, error);
    if (!result || !writer.flush(error))
        return std::nullopt;
    if (!transaction.commit()) {
        *error = transaction.error();
        return std::nullopt;
    }
    return result;
}

CompletionStore::ImportReport CompletionStore::importLines(const QByteArray& lines, QString* error)
{
    QByteArray data = lines; // shared, not copied: QBuffer wants a non-const array
    QBuffer buffer(&data);
    buffer.open(QIODevice::ReadOnly);
    return importFrom(buffer, error);
}

CompletionStore::ImportReport CompletionStore::importFrom(QIODevice& input, QString* error, const Progress& progress)
{
    ImportReport report;
    Transaction transaction(m_store);
    if (!transaction.isActive()) {
        *error = transaction.error();
        return report;
    }
    const BulkCache cache(m_store);
    QString readError;
    Writer writer(m_store, enabledIntegrations(m_store, &readError));
    if (!readError.isEmpty()) {
        *error = readError;
        return report;
    }
    if (!writer.prepare(error))
        return report;
    const QString source = QStringLiteral("import");
    // One buffer for every line: readLine() with a limit would allocate the limit for each line.
    QByteArray buffer(MaxLineBytes + 2, Qt::Uninitialized);
    qint64 number = 0;
    while (!input.atEnd()) {
        ++number;
        if (progress && number % ProgressEvery == 0 && !progress(number)) {
            report.cancelled = true;
            return report; // rolled back
        }
        qint64 length = input.readLine(buffer.data(), buffer.size());
        if (length < 0)
            break;
        if (length > MaxLineBytes && buffer.at(length - 1) != '\n') {
            report.refused << Refusal{
                number, {}, QStringLiteral("the line is longer than %1 bytes; one record per line.").arg(MaxLineBytes)};
            while (length > 0 && buffer.at(length - 1) != '\n' && !input.atEnd())
                length = input.readLine(buffer.data(), buffer.size());
            continue;
        }
        const QByteArrayView line = QByteArrayView(buffer.constData(), length).trimmed();
        if (line.isEmpty())
            continue;
        QJsonParseError parseError{};
        const QJsonDocument document = QJsonDocument::fromJson(line.toByteArray(), &parseError);
        if (!document.isObject()) {
            report.refused << Refusal{number,
                                      {},
                                      document.isNull()
                                          ? QStringLiteral("not JSON (%1 at column %2); one JSON object per line.")
                                                .arg(parseError.errorString())
                                                .arg(parseError.offset + 1)
                                          : QStringLiteral("not a JSON object; one JSON object per line.")};
            continue;
        }
        FieldIssues issues;
        CompletionRecord record = CompletionRecord::fromWebhookJson(document.object(), &issues);
        if (issues.isEmpty())
            issues = record.check();
        if (!issues.isEmpty()) {
            report.refused << Refusal{number, issues.first().field, issues.first().message};
            continue;
        }
        record.source = source;
        const auto result = writer.write(record, error);
        if (!result)
            return report; // rolled back
        switch (result->outcome) {
        case Outcome::Stored:
            ++report.stored;
            break;
        case Outcome::Replaced:
            ++report.replaced;
            break;
        case Outcome::Unchanged:
            ++report.unchanged;
            break;
        case Outcome::Older:
            ++report.older;
            break;
        }
        report.queued += result->queued;
        for (const Skipped& skipped : result->skipped) {
            if (report.skipped.size() < MaxSkippedReported)
                report.skipped << skipped;
        }
    }
    if (!writer.flush(error))
        return report;
    if (!transaction.commit()) {
        *error = transaction.error();
        return report;
    }
    qCInfo(lcCompletions).noquote() << "Imported completions:" << report.summary();
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
    if (!execWith(query, {contentId}, error))
        return -1;
    const int count = query.numRowsAffected();
    if (!transaction.commit()) {
        *error = transaction.error();
        return -1;
    }
    qCInfo(lcCompletions) << "Deleted" << count << "completion records of content" << contentId;
    return count;
}

int CompletionStore::count(const CompletionFilter& filter, QString* error) const
{
    QVariantList values;
    QSqlQuery query(m_store.database());
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT COUNT(*) FROM completions") + whereClause(conditionsOf(filter), &values));
    if (!execWith(query, values, error))
        return -1;
    return query.next() ? query.value(0).toInt() : 0;
}

// A page walks the index of its sort and stops after offset + limit rows, so a page costs about the same whatever
// the filter — unless the filter matches only a few thousand rows, which are then read through the filter's own
// index and sorted. Which of the two is decided by counting, up to a bound, what the filter matches: a query planner
// without statistics cannot know it, and a wrong guess sorts a million rows for one page.
std::optional<QString> CompletionStore::pageSql(const CompletionFilter& filter, Sort sort, bool descending,
                                                QVariantList* values, QString* error) const
{
    const QList<Condition> conditions = conditionsOf(filter);
    bool walkSortIndex = false;
    for (const Condition& condition : conditions)
        walkSortIndex |= !servedWithSort(condition.column, sort);
    if (walkSortIndex) {
        QVariantList probeValues;
        QSqlQuery probe(m_store.database());
        probe.setForwardOnly(true);
        probe.prepare(QStringLiteral("SELECT COUNT(*) FROM (SELECT 1 FROM completions%1 LIMIT %2) matching")
                          .arg(whereClause(conditions, &probeValues))
                          .arg(SortInMemoryBelow));
        if (!execWith(probe, probeValues, error))
            return std::nullopt;
        walkSortIndex = probe.next() && probe.value(0).toInt() >= SortInMemoryBelow;
    }
    const QString where =
        walkSortIndex
            ? whereClause(conditions, values, [sort](Condition::Column column) { return servedWithSort(column, sort); })
            : whereClause(conditions, values);
    return selectColumns + where + orderBy(sort, descending) + QStringLiteral(" LIMIT ? OFFSET ?");
}

QList<CompletionRecord> CompletionStore::page(const CompletionFilter& filter, Sort sort, bool descending, int limit,
                                              int offset, QString* error) const
{
    QList<CompletionRecord> records;
    QVariantList values;
    const std::optional<QString> sql = pageSql(filter, sort, descending, &values, error);
    if (!sql)
        return records;
    QSqlQuery query(m_store.database());
    query.setForwardOnly(true);
    query.prepare(*sql);
    values << std::max(0, limit) << std::max(0, offset);
    if (!execWith(query, values, error))
        return records;
    records.reserve(std::max(0, limit));
    while (query.next())
        records << fromRecord(query);
    return records;
}

QStringList CompletionStore::explainPage(const CompletionFilter& filter, Sort sort, bool descending,
                                         QString* error) const
{
    QStringList steps;
    QVariantList values;
    const std::optional<QString> sql = pageSql(filter, sort, descending, &values, error);
    if (!sql || m_store.dialect() != Migrations::Dialect::Sqlite)
        return steps;
    QSqlQuery query(m_store.database());
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("EXPLAIN QUERY PLAN ") + *sql);
    values << 100 << 0;
    if (!execWith(query, values, error))
        return steps;
    while (query.next())
        steps << query.value(3).toString();
    return steps;
}

std::optional<CompletionRecord> CompletionStore::byKey(const QString& userId, const QString& contentId,
                                                       QString* error) const
{
    QSqlQuery query(m_store.database());
    query.setForwardOnly(true);
    query.prepare(selectColumns + QStringLiteral(" WHERE user_id = ? AND content_id = ?"));
    if (!execWith(query, {userId, contentId}, error) || !query.next())
        return std::nullopt;
    return fromRecord(query);
}

std::optional<CompletionRecord> CompletionStore::byId(qint64 id, QString* error) const
{
    QSqlQuery query(m_store.database());
    query.setForwardOnly(true);
    query.prepare(selectColumns + QStringLiteral(" WHERE id = ?"));
    if (!execWith(query, {id}, error) || !query.next())
        return std::nullopt;
    return fromRecord(query);
}
