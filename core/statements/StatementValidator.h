#pragma once

#include "statements/Finding.h"
#include "statements/XapiVersion.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

// Statements as read from a file or a request: one statement, a JSON array, or NDJSON (one per line).
struct StatementBatch
{
    // The JSON text of each statement as given (an element of the array, a line of NDJSON), not re-serialised.
    QList<QByteArray> statements;
    QList<Finding> findings;
    QString parseError; // the input is not JSON at all (with the line and column)
    int errorLine = 0;  // where, 1-based, when parseError says so
    int errorColumn = 0;
    bool isValid() const { return parseError.isEmpty() && findings.isEmpty(); }
    // Findings of one statement.
    QList<Finding> findingsOf(int statement) const;
    // One statement as Qt JSON, parsed when asked (validating does not need it); empty when it is not an object.
    QJsonObject object(qsizetype statement) const;
};

// Validates statements against the xAPI 1.0.3 rules (or 2.0.0's) (StatementRules, with the formats of FormatChecks), from Qt JSON
// or from JSON text.
class StatementValidator final
{
public:
    // Findings for one statement; prefix is put before every path (e.g. "[3]").
    static QList<Finding> validate(const QJsonObject& statement, int index = 0, const QString& prefix = QString(),
                                   XapiVersion version = XapiVersion::V1_0_3);
    // The same over the statement's JSON text, without building Qt JSON values (the fast path).
    static QList<Finding> validate(QByteArrayView json, int index = 0, const QString& prefix = QString(),
                                   XapiVersion version = XapiVersion::V1_0_3);
    // Parse and validate; a single object, an array or NDJSON (the last two read by StatementReader). Each statement
    // is parsed once, by simdjson into a JsonView: the statements come back as text, for StatementBatch::object() to
    // turn into Qt JSON where that is needed.
    static StatementBatch validateInput(const QByteArray& input, XapiVersion version = XapiVersion::V1_0_3);
};
