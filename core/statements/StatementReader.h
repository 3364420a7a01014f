#pragma once

#include "statements/StatementValidator.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

class QIODevice;

// The statements of an input, one at a time, each with the validator's findings: one statement, a JSON array, or
// one statement per line (NDJSON). The form is told from the first bytes: '[' is an array, read an element at a
// time; '{' is NDJSON when the first line is a statement with another line after it, else one statement; anything
// else is refused at once, without reading further. So memory stays flat however long the input: a line, an array
// element or a single statement longer than MaxStatementBytes is refused with a clear error, never read whole.
class StatementReader final
{
public:
    static constexpr qint64 MaxStatementBytes = 4 * 1024 * 1024;

    // findings false: the statements only, as when reading an input validated before again.
    explicit StatementReader(QIODevice& input, bool findings = true, XapiVersion version = XapiVersion::V1_0_3);
    ~StatementReader();
    StatementReader(const StatementReader&) = delete;
    StatementReader& operator=(const StatementReader&) = delete;

    // NDJSON: a line that is not a statement counts as a statement with one finding saying so (its json() empty),
    // instead of stopping the input as not JSON; a first line that is broken is then told by a statement on the
    // second. For queuing the valid statements of an input and skipping the rest.
    void setBadLinesAreFindings(bool badLinesAreFindings) { m_badLinesAreFindings = badLinesAreFindings; }

    // Moves to the next statement; false at the end, or when the input is not JSON or too large (parseError() then
    // says where: nothing read before counts).
    bool next();
    // The current statement: its JSON text as given, its index in the input, its findings (empty when valid).
    const QByteArray& json() const { return m_json; }
    int index() const { return m_index; }
    const QList<Finding>& findings() const { return m_findings; }

    const QString& parseError() const { return m_parseError; }
    // Where the input stops being JSON, 1-based (0 when unknown): a comma missing at the end of line 22 is at line
    // 22, just after the value it should follow. Counted in the whole input, for one statement over several lines,
    // an NDJSON line and an element of an array alike.
    int errorLine() const { return m_errorLine; }
    int errorColumn() const { return m_errorColumn; }

private:
    enum class Form { Unknown, Lines, Array, Whole };

    bool fill();                     // reads more of the input into m_buffer; false at its end
    int peekSignificant();           // the next byte that is not whitespace (not consumed), or -1 at the end
    bool readLine(QByteArray* line); // the next non-empty line, trimmed; false at the end or when too long
    bool nextArrayElement(QByteArray* element, std::pair<int, qint64>* start);
    void consume(qsizetype to); // moves m_position on, counting lines and columns
    void takeError(StatementBatch& part);
    // "not valid JSON at line L, column C: what." at a line (1-based) and a column (0-based, in characters).
    void failAt(const QString& what, std::pair<int, qint64> at);
    bool nextLineStatement();
    void start();
    void fail(const QString& message);

    QIODevice& m_input;
    const bool m_validating;
    const XapiVersion m_version;
    bool m_badLinesAreFindings = false;
    Form m_form = Form::Unknown;
    QByteArray m_buffer; // read from the input, not yet consumed from m_position on
    qsizetype m_position = 0;
    qint64 m_consumed = 0; // bytes of the input before m_buffer
    bool m_atEnd = false;
    int m_lineNumber = 0; // lines ended before m_position
    qint64 m_column = 0;  // characters since the last line ended, before m_position
    bool m_arrayClosed = false;
    QList<std::pair<QByteArray, int>> m_firstLines; // NDJSON: the lines read to tell, with their numbers
    StatementBatch m_whole;                         // one statement
    QByteArray m_json;
    int m_index = -1;
    QList<Finding> m_findings;
    QString m_parseError;
    int m_errorLine = 0;
    int m_errorColumn = 0;
};
