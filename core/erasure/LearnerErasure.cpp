#include "erasure/LearnerErasure.h"

#include "delivery/DeliveryQueue.h"
#include "retention/DeliveryPruner.h"
#include "store/PreparedSql.h"
#include "store/Store.h"
#include "store/Transaction.h"

#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

namespace {

Q_LOGGING_CATEGORY(lcErasure, "courier.erasure", QtInfoMsg)

QString likePattern(QString needle)
{
    needle.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
    needle.replace(QLatin1Char('%'), QLatin1String("\\%"));
    needle.replace(QLatin1Char('_'), QLatin1String("\\_"));
    return QLatin1Char('%') + needle + QLatin1Char('%');
}

// "(column LIKE ? ESCAPE '\' OR ...)" for every needle, case-insensitive, over the given columns.
QString anyNeedle(const QStringList& columns, qsizetype needles)
{
    QStringList parts;
    for (const QString& column : columns) {
        for (qsizetype i = 0; i < needles; ++i)
            parts << column + QStringLiteral(" %ILIKE% ? ESCAPE '\\'");
    }
    return QLatin1Char('(') + parts.join(QStringLiteral(" OR ")) + QLatin1Char(')');
}

void bindNeedles(QSqlQuery& query, const QStringList& columns, const QStringList& needles)
{
    for (qsizetype c = 0; c < columns.size(); ++c) {
        for (const QString& needle : needles)
            query.addBindValue(likePattern(needle));
    }
}

bool failed(const QSqlQuery& query, QString* error)
{
    *error = Store::describe(query.lastError());
    qCWarning(lcErasure) << "Query failed:" << query.lastError().text();
    return false;
}

bool runSql(Store& store, const QString& sql, const QList<qint64>& ids, int* affected, QString* error)
{
    if (ids.isEmpty())
        return true;
    PreparedSql query(store, sql);
    const int placeholders = int(sql.count(QLatin1String("%IN_IDS%")));
    for (int i = 0; i < placeholders; ++i)
        query.addIds(ids);
    if (!query.exec(error))
        return false;
    if (affected)
        *affected += query.rowsAffected();
    return true;
}

} // namespace

QJsonObject ErasureCounts::toJson() const
{
    return {{QStringLiteral("queued"), queued},       {QStringLiteral("held"), held},
            {QStringLiteral("delivered"), delivered}, {QStringLiteral("discarded"), discarded},
            {QStringLiteral("attempts"), attempts},   {QStringLiteral("completions"), completions},
            {QStringLiteral("testSends"), testSends}, {QStringLiteral("alerts"), alerts},
            {QStringLiteral("voiding"), voiding}};
}

struct LearnerErasure::Found
{
    QList<qint64> deliveries;
    QHash<qint64, QStringList> deliveredByIntegration; // statement ids each integration received
    QList<qint64> completions;
    QList<qint64> testSends;
    QList<qint64> alerts;
    ErasureCounts counts;
};

LearnerErasure::LearnerErasure(Store& store)
    : m_store(store)
{}

QJsonObject LearnerErasure::voidingActor()
{
    // .invalid is reserved (RFC 2606): the address names xAPI Courier and reaches nobody.
    return {{QStringLiteral("objectType"), QStringLiteral("Agent")},
            {QStringLiteral("name"), QStringLiteral("xAPI Courier (erasure)")},
            {QStringLiteral("mbox"), QStringLiteral("mailto:erasure@xapi-courier.invalid")}};
}

bool LearnerErasure::find(const LearnerId& learner, Found* found, QString* error)
{
    const QStringList needles = learner.needles();
    // The statements: candidates by text, then parsed and matched exactly; every copy of a matching statement id.
    QSet<QString> statementIds;
    {
        QSqlQuery query(m_store.database());
        query.setForwardOnly(true);
        const QStringList columns{QStringLiteral("b.body")};
        query.prepare(m_store.sql(QStringLiteral("SELECT d.statement_id, b.body FROM deliveries d JOIN "
                                                 "delivery_bodies b ON b.delivery_id = d.id WHERE ") +
                                  anyNeedle(columns, needles.size())));
        bindNeedles(query, columns, needles);
        if (!query.exec())
            return failed(query, error);
        while (query.next()) {
            const QString statementId = query.value(0).toString();
            if (statementIds.contains(statementId))
                continue;
            const QJsonObject statement = QJsonDocument::fromJson(query.value(1).toByteArray()).object();
            if (learner.matchesStatement(statement))
                statementIds.insert(statementId);
        }
    }
    // Completion records: by the user id the statements are made from, or by the statement made from them.
    {
        QSqlQuery query(m_store.database());
        query.setForwardOnly(true);
        if (!query.exec(QStringLiteral("SELECT id, user_id, statement_id FROM completions")))
            return failed(query, error);
        while (query.next()) {
            const QString statementId = query.value(2).toString();
            if (learner.matchesUserId(query.value(1).toString()) || statementIds.contains(statementId)) {
                found->completions << query.value(0).toLongLong();
                statementIds.insert(statementId);
            }
        }
    }
    if (!statementIds.isEmpty()) {
        QSqlQuery query(m_store.database());
        query.setForwardOnly(true);
        if (!query.exec(QStringLiteral("SELECT id, integration_id, statement_id, state FROM deliveries")))
            return failed(query, error);
        while (query.next()) {
            const QString statementId = query.value(2).toString();
            if (!statementIds.contains(statementId))
                continue;
            found->deliveries << query.value(0).toLongLong();
            const QString state = query.value(3).toString();
            if (state == QLatin1String("delivered") || state == QLatin1String("duplicate")) {
                ++found->counts.delivered;
                QStringList& received = found->deliveredByIntegration[query.value(1).toLongLong()];
                if (!received.contains(statementId))
                    received << statementId;
            } else if (state == QLatin1String("held")) {
                ++found->counts.held;
            } else if (state == QLatin1String("discarded")) {
                ++found->counts.discarded;
            } else {
                ++found->counts.queued;
            }
        }
        PreparedSql attempts(m_store, QStringLiteral("SELECT COUNT(*) FROM attempts WHERE delivery_id %IN_IDS%"));
        attempts.addIds(found->deliveries);
        if (!attempts.exec(error) || !attempts.next())
            return false;
        found->counts.attempts = int(attempts.integer(0));
    }
    // The Test Console's history and the alerts' texts.
    const auto scan = [&](const QString& table, const QStringList& columns, bool exact, QList<qint64>* ids) {
        QSqlQuery query(m_store.database());
        query.setForwardOnly(true);
        query.prepare(m_store.sql(QStringLiteral("SELECT id, %1 FROM %2 WHERE ").arg(columns.constFirst(), table) +
                                  anyNeedle(columns, needles.size())));
        bindNeedles(query, columns, needles);
        if (!query.exec())
            return failed(query, error);
        while (query.next()) {
            const QJsonObject statement = QJsonDocument::fromJson(query.value(1).toByteArray()).object();
            if (!exact || learner.matchesStatement(statement))
                *ids << query.value(0).toLongLong();
        }
        return true;
    };
    if (!scan(QStringLiteral("test_sends"), {QStringLiteral("statement"), QStringLiteral("request")}, true,
              &found->testSends))
        return false;
    // An alert relays the receiver's words, which may quote the statement: any mention counts (an SHA-1 learner is
    // looked for by its hash only, as "mailto:" is in every alert about an mbox statement).
    if (learner.kind() != LearnerId::Kind::Sha1 &&
        !scan(QStringLiteral("alerts"), {QStringLiteral("body_text"), QStringLiteral("subject")}, false,
              &found->alerts))
        return false;
    found->counts.completions = int(found->completions.size());
    found->counts.testSends = int(found->testSends.size());
    found->counts.alerts = int(found->alerts.size());
    return true;
}

bool LearnerErasure::count(const LearnerId& learner, ErasureCounts* counts, QString* error)
{
    Found found;
    if (!find(learner, &found, error))
        return false;
    *counts = found.counts;
    return true;
}

bool LearnerErasure::erase(const LearnerId& learner, bool voidDelivered, const QDateTime& now, ErasureCounts* counts,
                           QString* warning, QString* error)
{
    const bool sqlite = m_store.dialect() == Migrations::Dialect::Sqlite;
    const auto pragma = [this](const QString& sql) {
        QString ignored;
        PreparedSql query(m_store, sql);
        if (!query.exec(&ignored)) {
            qCWarning(lcErasure) << sql << "failed:" << ignored;
            return QList<qint64>();
        }
        QList<qint64> row;
        if (query.next()) {
            for (int column = 0; column < 3; ++column)
                row << query.integer(column);
        }
        while (query.next()) {
        }
        return row;
    };
    // Deleted content is overwritten with zeros, in the table and index pages and in the pages freed.
    if (sqlite)
        pragma(QStringLiteral("PRAGMA secure_delete = ON"));
    Found found;
    bool ok = false;
    {
        Transaction transaction(m_store);
        if (!transaction.isActive()) {
            *error = transaction.error();
        } else if (find(learner, &found, error)) {
            ok = true;
            if (voidDelivered) {
                DeliveryQueue queue(m_store);
                for (auto it = found.deliveredByIntegration.cbegin(); ok && it != found.deliveredByIntegration.cend();
                     ++it) {
                    QList<QJsonObject> voiding;
                    for (const QString& statementId : it.value()) {
                        voiding << QJsonObject{
                            {QStringLiteral("id"), QUuid::createUuid().toString(QUuid::WithoutBraces)},
                            {QStringLiteral("actor"), voidingActor()},
                            {QStringLiteral("verb"),
                             QJsonObject{
                                 {QStringLiteral("id"), QStringLiteral("http://adlnet.gov/expapi/verbs/voided")},
                                 {QStringLiteral("display"),
                                  QJsonObject{{QStringLiteral("en-US"), QStringLiteral("voided")}}}}},
                            {QStringLiteral("object"),
                             QJsonObject{{QStringLiteral("objectType"), QStringLiteral("StatementRef")},
                                         {QStringLiteral("id"), statementId}}},
                            {QStringLiteral("timestamp"), now.toUTC().toString(Qt::ISODateWithMs)}};
                    }
                    ok = queue.enqueueInTransaction(voiding, {it.key()}, now, error);
                    found.counts.voiding += int(voiding.size());
                }
            }
            int removedAttempts = 0;
            // A batch's attempt: its response may quote the learner's statement. Gone when it carried only theirs,
            // else its response is blanked and its metadata kept for the other statements it carried.
            ok = ok &&
                 runSql(m_store,
                        QStringLiteral("DELETE FROM attempts WHERE delivery_id IS NULL AND id IN (SELECT attempt_id "
                                       "FROM attempt_links WHERE delivery_id %IN_IDS%) AND NOT EXISTS (SELECT 1 "
                                       "FROM attempt_links l WHERE l.attempt_id = attempts.id AND NOT "
                                       "(l.delivery_id %IN_IDS%))"),
                        found.deliveries, &removedAttempts, error) &&
                 runSql(m_store,
                        QStringLiteral("UPDATE attempts SET response_body = '', response_headers = '' WHERE id IN "
                                       "(SELECT attempt_id FROM attempt_links WHERE delivery_id %IN_IDS%)"),
                        found.deliveries, nullptr, error) &&
                 runSql(m_store, QStringLiteral("DELETE FROM deliveries WHERE id %IN_IDS%"), found.deliveries, nullptr,
                        error) &&
                 runSql(m_store, QStringLiteral("DELETE FROM completions WHERE id %IN_IDS%"), found.completions,
                        nullptr, error) &&
                 runSql(m_store, QStringLiteral("DELETE FROM test_sends WHERE id %IN_IDS%"), found.testSends, nullptr,
                        error) &&
                 runSql(m_store,
                        QStringLiteral("UPDATE alerts SET subject = '(erased)', body_text = '(erased: it named a "
                                       "learner whose data was erased)', body_html = '' WHERE id %IN_IDS%"),
                        found.alerts, nullptr, error);
            found.counts.attempts += removedAttempts;
            if (ok && !transaction.commit()) {
                *error = transaction.error();
                ok = false;
            }
        }
    }
    if (sqlite) {
        pragma(QStringLiteral("PRAGMA secure_delete = OFF"));
        if (ok) {
            DeliveryPruner::Space space;
            QString spaceError;
            DeliveryPruner(m_store).giveSpaceBack(false, &space, &spaceError);
            // The log holds the pages as they were before: copied back and emptied, unless another process reads.
            const QList<qint64> checkpoint = pragma(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));
            if (checkpoint.value(0, 1) != 0) {
                *warning = QStringLiteral("another xAPI Courier process is reading the store, so its write-ahead log "
                                          "(%1-wal) may still hold the erased data; run the same erase again when "
                                          "it is idle, or stop it first.")
                               .arg(m_store.location().sqlitePath());
            }
        }
    }
    if (ok) {
        *counts = found.counts;
        qCInfo(lcErasure) << "Erased a learner:" << found.counts.statements() << "statements," << found.counts.attempts
                          << "attempts," << found.counts.completions << "completion records";
    }
    return ok;
}
