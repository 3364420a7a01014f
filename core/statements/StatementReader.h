#pragma once

#include "statements/StatementValidator.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

class QIODevice;

// The statements of an input, one at a time, each with the validator's findings: one statement, a JSON array, or
// one statement per line (NDJSON). NDJSON is read a line at a time, so memory stays flat however long the input;
// the other two forms are one JSON text and are read whole. NDJSON is told by its first line that holds something:
// a statement on its own, with another such line after it.
class StatementReader final
{
public:
    // findings false: the statements only, as when reading an input validated before again (an array or a single
    // statement is still validated whole, the price of its one parse).
    explicit StatementReader(QIODevice& input, bool findings = true);
    ~StatementReader();
    StatementReader(const StatementReader&) = delete;
    StatementReader& operator=(const StatementReader&) = delete;

    // NDJSON: a line that is not a statement counts as a statement with one finding saying so (its json() empty),
    // instead of stopping the input as not JSON; a first line that is broken is then told by a statement on the
    // second. For queuing the valid statements of an input and skipping the rest.
    void setBadLinesAreFindings(bool badLinesAreFindings) { m_badLinesAreFindings = badLinesAreFindings; }

    // Moves to the next statement; false at the end, or when the input is not JSON (parseError() then says where:
    // nothing read before counts).
    bool next();
    // The current statement: its JSON text as given, its index in the input, its findings (empty when valid).
    const QByteArray& json() const { return m_json; }
    int index() const { return m_index; }
    const QList<Finding>& findings() const { return m_findings; }

    const QString& parseError() const { return m_parseError; }

private:
    bool nextLine(QByteArray* line, QByteArray* raw = nullptr);
    void start();

    QIODevice& m_input;
    const bool m_validating;
    bool m_badLinesAreFindings = false;
    bool m_started = false;
    bool m_lineByLine = false;
    int m_lineNumber = 0;
    QList<std::pair<QByteArray, int>> m_firstLines; // NDJSON: the lines read to tell, with their numbers
    StatementBatch m_whole;                         // one statement or an array
    QHash<int, QList<Finding>> m_wholeFindings;
    QByteArray m_json;
    int m_index = -1;
    QList<Finding> m_findings;
    QString m_parseError;
};
