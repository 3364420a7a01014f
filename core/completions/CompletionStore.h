#pragma once

#include "completions/CompletionRecord.h"

#include <QList>
#include <QStringList>

#include <optional>

class Store;

// Which records a page or count is about; every filter and sort has an index behind it.
struct CompletionFilter
{
    QString contentId;
    QString userId;
    QDateTime finishedFrom;
    QDateTime finishedTo;
    std::optional<double> minScore;
    std::optional<double> maxScore;
    std::optional<bool> passed; // score / maxScore at or above the threshold
    double passThreshold = 0.5;
};

// Completion records as H5P storage keeps them — one per (userId, contentId), a newer message replacing the older
// one — each stored together with the statement made from it, queued to every enabled integration.
class CompletionStore final
{
public:
    enum class Outcome { Stored, Replaced, Unchanged };
    enum class Sort { Finished, Content, User, Score };

    explicit CompletionStore(Store& store);

    // One transaction: the record and its statement for every enabled integration (none when nothing changed).
    std::optional<Outcome> save(CompletionRecord& record, QString* error);

    struct ImportReport
    {
        int stored = 0;
        int replaced = 0;
        int unchanged = 0;
        QStringList refused; // "line N: field: sentence"
    };
    // JSON lines in the completion-webhook format, in one transaction.
    ImportReport importLines(const QByteArray& lines, QString* error);

    int removeContent(const QString& contentId, QString* error);
    QList<CompletionRecord> page(const CompletionFilter& filter, Sort sort, bool descending, int limit, int offset,
                                 QString* error) const;
    int count(const CompletionFilter& filter, QString* error) const;

private:
    QList<struct Integration> enabledIntegrations(QString* error) const;
    std::optional<Outcome> saveInTransaction(CompletionRecord& record, const QList<struct Integration>& integrations,
                                             QString* error);

    Store& m_store;
};
