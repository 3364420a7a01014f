#pragma once

#include <QString>

// One thing wrong with a statement: where (a JSON path such as `actor.mbox` or
// `context.contextActivities.parent[0].id`, prefixed with `[n].` for the n-th statement of a batch) and a sentence.
struct Finding
{
    QString path;
    QString message;
    int statement = 0; // index in the batch

    QString toText() const { return path + QStringLiteral(": ") + message; }
};
