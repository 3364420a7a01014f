#pragma once

#include "completions/CompletionRecord.h"

#include <QJsonObject>
#include <QList>
#include <QStringList>

#include <functional>
#include <optional>

class QIODevice;
class Store;
struct Integration;

// Which records a page or count is about. Every filter and every sort has an index behind it.
struct CompletionFilter
{
    QString contentId;      // exactly this content
    QString userId;         // exactly this user
    QDateTime finishedFrom; // finishedTimestamp in [from, to], either end open when invalid
    QDateTime finishedTo;
    std::optional<double> minScore; // score in [min, max]
    std::optional<double> maxScore;
    std::optional<bool> passed; // true: score / maxScore >= passThreshold; false: below it
    double passThreshold = 0.5;

    bool isEmpty() const;
};

// Completion records as H5P storage keeps them — one per (userId, contentId), a newer message replacing the older
// one — each stored together with the statement made from it, queued to every enabled integration in the same
// transaction.
//
// For a lazy, paged view: count(filter) for the row count, page(filter, sort, descending, limit, offset) for the rows
// of one page (a stable order: ties are broken by a unique key), byKey()/byId() for one record. Every query walks an
// index: over 1,000,000 records the first page takes about a millisecond and a page half-way down tens of them.
class CompletionStore final
{
public:
    enum class Outcome {
        Stored,    // a new record
        Replaced,  // a newer message replaced the record of that (user, content)
        Unchanged, // the same message again: nothing written, no second statement
        Older,     // finished before the record already kept: the record stays; its statement is still queued once
    };
    enum class Sort { Finished, Content, User, Score };

    // Why a statement was not queued to one integration (the record itself was kept).
    struct Skipped
    {
        qint64 integrationId = 0;
        QString integrationName;
        QString reason; // a sentence naming the statement path the integration's provider profile cannot fill
    };
    struct SaveResult
    {
        Outcome outcome = Outcome::Stored;
        int queued = 0; // statements queued: one per enabled integration that did not have it yet
        QList<Skipped> skipped;
    };

    explicit CompletionStore(Store& store);
    ~CompletionStore();
    CompletionStore(const CompletionStore&) = delete;
    CompletionStore& operator=(const CompletionStore&) = delete;

    // Checks the record, then writes, in one transaction, the record and its statement for every enabled
    // integration (none for a repeated message). Sets record.id, statementId and receivedAt (now, when unset).
    // Returns nullopt with error set for a refused record ("field: sentence") or a store failure.
    std::optional<SaveResult> save(CompletionRecord& record, QString* error);

    // One line of an import that was refused, and why.
    struct Refusal
    {
        qint64 line = 0;
        QString field; // empty when the line is not a JSON object at all
        QString message;
        QString toText() const; // "line 3: score: score must be a number, not “many”."
    };
    struct ImportReport
    {
        int stored = 0;
        int replaced = 0;
        int unchanged = 0;
        int older = 0;
        int queued = 0; // statements queued to integrations
        QList<Refusal> refused;
        QList<Skipped> skipped;  // statements an integration's profile could not make (the first 100)
        bool cancelled = false;  // by the progress callback: nothing was written
        QString summary() const; // "3 stored, 1 replaced, 0 unchanged, 0 older, 2 refused; 4 statements queued."
    };
    // Called every 5,000 lines with the number of lines read; return false to cancel (everything is rolled back).
    using Progress = std::function<bool(qint64 lines)>;
    // JSON lines in the completion-webhook format, streamed from input, all in one transaction. Refused lines are
    // reported and skipped, the others kept. On a store failure nothing is kept and error is set.
    ImportReport importFrom(QIODevice& input, QString* error, const Progress& progress = {});
    ImportReport importLines(const QByteArray& lines, QString* error);

    // Every record of a content, as an H5P server does when the content is deleted; -1 on failure. Statements
    // already queued or delivered are not touched.
    int removeContent(const QString& contentId, QString* error);

    int count(const CompletionFilter& filter, QString* error) const;
    QList<CompletionRecord> page(const CompletionFilter& filter, Sort sort, bool descending, int limit, int offset,
                                 QString* error) const;
    std::optional<CompletionRecord> byKey(const QString& userId, const QString& contentId, QString* error) const;
    std::optional<CompletionRecord> byId(qint64 id, QString* error) const;

    // The steps SQLite takes for a page (EXPLAIN QUERY PLAN), to show which index serves a filter and sort.
    QStringList explainPage(const CompletionFilter& filter, Sort sort, bool descending, QString* error) const;

    // Changes whenever a record is added, replaced or removed, by any process.
    QString fingerprint(QString* error) const;

    // The statement made from a record for one integration (by its provider's profile), as it is queued.
    static QJsonObject statementFor(const CompletionRecord& record, const Integration& integration);

private:
    class Writer;

    std::optional<QString> pageSql(const CompletionFilter& filter, Sort sort, bool descending, QVariantList* values,
                                   QString* error) const;

    Store& m_store;
};
