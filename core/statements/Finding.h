#pragma once

#include <QString>

// One thing wrong with a statement: where (a JSON path such as `actor.mbox` or
// `context.contextActivities.parent[0].id`, prefixed with `[n].` for the n-th statement of a batch), a sentence that
// says what is wrong and how to put it right, and the rule it breaks (its anchor in the spec's Data part, such as
// 2.4.9.s3.b1; RuleTable has them all). The rule is empty only when the text is not a statement at all.
struct Finding
{
    QString path;
    QString message;
    int statement = 0; // index in the batch
    QString rule;

    // "xAPI 1.0.3 Data 2.4.9.s3.b1" (empty without a rule).
    QString citation() const;
    // "path: message (xAPI 1.0.3 Data 2.4.9.s3.b1)".
    QString toText() const;
};
