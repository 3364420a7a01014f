#pragma once

#include "common/FieldIssue.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

// What an H5P server keeps when a learner finishes content: one per (userId, contentId).
struct CompletionRecord
{
    static constexpr int MaxIdLength = 255; // contentId and userId
    // The largest timestamp (9999-12-31T23:59:59Z, the last second an xAPI timestamp can hold) and duration.
    static constexpr qint64 MaxTime = 253402300799;

    qint64 id = 0;
    QString contentId;
    QString userId;
    double score = 0;
    double maxScore = 0;
    qint64 openedTimestamp = 0;   // UNIX seconds
    qint64 finishedTimestamp = 0; // UNIX seconds
    qint64 completionTime = 0;    // seconds
    QDateTime receivedAt;
    QString source; // "setFinished", "webhook", "import"
    QString statementId;

    // The seven H5P fields (contentId, userId, score, maxScore, openedTimestamp, finishedTimestamp, completionTime),
    // plus receivedAt (ISO 8601 UTC), source and statementId.
    QJsonObject toJson() const;
    // The completion-webhook format (the seven fields); issues name the field that is wrong.
    static CompletionRecord fromWebhookJson(const QJsonObject& json, FieldIssues* issues);
    // The rules every record keeps, whatever format it came in.
    FieldIssues check() const;
    // Deterministic: a repeated message never makes a second, different statement.
    QString derivedStatementId() const;
};
