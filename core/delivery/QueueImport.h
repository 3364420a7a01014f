#pragma once

#include "statements/StatementValidator.h"

#include <QDateTime>
#include <QList>
#include <QString>

class QIODevice;
class Store;

// Queues the statements of an input (one statement, a JSON array, or one statement per line: NDJSON) to the given
// integrations, validated first: nothing is queued when one is invalid, unless skipInvalid (then the valid ones are,
// and the report names the others, lines of NDJSON that are not JSON among them). The input is read twice
// (StatementReader: NDJSON a line at a time, so memory stays flat however long it is), first to validate, then to
// queue; standard input is kept in a temporary file for that. Statements go in transactions of a thousand, so a
// delivery engine on the same store records its outcomes in between and starts on the first ones while the rest are
// queued.
class QueueImport final
{
public:
    static constexpr int StatementsPerTransaction = 1000;
    static constexpr int MaxFindingsKept = 10000; // findings of the first invalid statements; the rest are counted

    struct Report
    {
        int read = 0;            // statements in the input
        int queued = 0;          // statements queued, each to every integration given
        QList<Finding> findings; // of the invalid statements
        QList<int> invalid;      // their indices, in input order
        QString parseError;      // the input is not JSON: nothing was queued
        QString error;           // the store failed: `queued` went in, the rest did not
    };

    static Report run(Store& store, QIODevice& input, const QList<qint64>& integrationIds, bool skipInvalid,
                      const QDateTime& now);
};
