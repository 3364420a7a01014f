#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>

// Whether two statements with one id are the same statement, by the Statement Comparison Requirements of xAPI 1.0.3
// (Data 2.3.1): differences that the exceptions to statement immutability allow are ignored, every other difference
// counts. Ignored:
//  - what an LRS assigns or may assign: "id" (compared apart), "authority", "stored", "version", and "timestamp" when
//    only one side has it (when both have it, they are compared as points in time, not as text);
//  - Activity Definitions (the "definition" of an Activity) and the "display" of Verbs;
//  - attachments;
//  - the order of the members of a Group;
//  - case where it carries no meaning: UUIDs, language tags (the keys of language maps), the domain of an mbox, and
//    the scheme and host of IRIs.
// The result duration is compared as a string (the spec says so), as is everything else.
namespace StatementComparison {

struct Difference
{
    QString path;     // e.g. "result.score.raw", "context.contextActivities.parent[0].id"
    QJsonValue sent;  // Undefined when absent on this side
    QJsonValue other; // the stored (or received) statement's value; Undefined when absent

    QJsonObject toJson() const;
};

QList<Difference> differences(const QJsonObject& sent, const QJsonObject& other);
inline bool matches(const QJsonObject& sent, const QJsonObject& other)
{
    return differences(sent, other).isEmpty();
}

} // namespace StatementComparison
