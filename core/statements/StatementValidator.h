#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
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

// Statements as read from a file or a request: one statement, a JSON array, or NDJSON (one per line).
struct StatementBatch
{
    // The JSON text of each statement as given (an element of the array, a line of NDJSON), not re-serialised.
    QList<QByteArray> statements;
    QList<Finding> findings;
    QString parseError; // the input is not JSON at all (with the line or offset)
    bool isValid() const { return parseError.isEmpty() && findings.isEmpty(); }
    // Findings of one statement.
    QList<Finding> findingsOf(int statement) const;
    // One statement as Qt JSON, parsed when asked (validating does not need it); empty when it is not an object.
    QJsonObject object(qsizetype statement) const;
};

// The statement rules of xAPI 1.0.3 (the Data part): required and allowed properties, Agents and Groups with
// exactly one inverse functional identifier, IRIs, UUIDs, language maps and tags, timestamps and durations,
// scores, context, SubStatements, attachments. Unknown properties and nulls are refused; names are case-sensitive.
class StatementValidator final
{
public:
    // Findings for one statement; prefix is put before every path (e.g. "[3]").
    static QList<Finding> validate(const QJsonObject& statement, int index = 0, const QString& prefix = QString());
    // The same over the statement's JSON text, without building Qt JSON values (the fast path).
    static QList<Finding> validate(QByteArrayView json, int index = 0, const QString& prefix = QString());
    // Parse and validate; a single object, an array or NDJSON. The input is parsed once, into a JsonView: the
    // statements come back as text, for StatementBatch::object() to turn into Qt JSON where that is needed.
    static StatementBatch validateInput(const QByteArray& input);
};
