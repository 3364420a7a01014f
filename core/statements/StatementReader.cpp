#include "statements/StatementReader.h"

#include "statements/JsonView.h"
#include "statements/StatementRules.h"

#include <QIODevice>

namespace {

constexpr qint64 ReadChunk = 64 * 1024;

JsonView& view()
{
    thread_local JsonView parsed; // its buffers keep their capacity from line to line
    return parsed;
}

// Parses a text made by JsonView::padded() (so without a copy) and says whether it is a statement (an object).
bool isStatement(const QByteArray& padded)
{
    return view().parse(padded, JsonView::Padding) && view().root().isObject();
}

// Where (1-based line, 0-based column in characters) the text leaves off when it starts at `from`.
std::pair<int, qint64> after(std::pair<int, qint64> from, QByteArrayView text)
{
    auto [line, column] = from;
    for (const char c : text) {
        if (c == '\n') {
            ++line;
            column = 0;
        } else {
            column += (uchar(c) & 0xC0) != 0x80; // characters, not the continuation bytes of UTF-8
        }
    }
    return {line, column};
}

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

QString tooLong(const QString& what)
{
    return QStringLiteral("%1 is longer than %2 bytes, the most one statement may take; nothing was read past it.")
        .arg(what)
        .arg(StatementReader::MaxStatementBytes);
}

} // namespace

StatementReader::StatementReader(QIODevice& input, bool findings, XapiVersion version)
    : m_input(input)
    , m_validating(findings)
    , m_version(version)
{}

StatementReader::~StatementReader() = default;

void StatementReader::fail(const QString& message)
{
    if (m_parseError.isEmpty())
        m_parseError = message;
}

bool StatementReader::fill()
{
    if (m_atEnd)
        return false;
    if (m_position > 0 && m_position >= m_buffer.size() / 2) {
        m_consumed += m_position;
        m_buffer.remove(0, m_position);
        m_position = 0;
    }
    const QByteArray chunk = m_input.read(ReadChunk);
    if (chunk.isEmpty()) {
        if (!m_input.isSequential() || m_input.atEnd() || !m_input.waitForReadyRead(-1)) {
            m_atEnd = true;
            return false;
        }
        return fill();
    }
    if (m_consumed == 0 && m_buffer.isEmpty() && chunk.startsWith("\xEF\xBB\xBF")) {
        m_buffer = chunk.mid(3); // a UTF-8 byte order mark, which QJsonDocument skips too
        m_consumed = 3;
    } else {
        m_buffer += chunk;
    }
    return true;
}

int StatementReader::peekSignificant()
{
    for (;;) {
        while (m_position < m_buffer.size()) {
            const char c = m_buffer.at(m_position);
            if (!isSpace(c))
                return static_cast<unsigned char>(c);
            if (c == '\n') {
                ++m_lineNumber;
                m_column = 0;
            } else {
                ++m_column;
            }
            ++m_position;
        }
        if (!fill())
            return -1;
    }
}

bool StatementReader::readLine(QByteArray* line)
{
    for (;;) {
        qsizetype end = m_buffer.indexOf('\n', m_position);
        while (end < 0 && m_buffer.size() - m_position <= MaxStatementBytes && fill())
            end = m_buffer.indexOf('\n', m_position);
        if (end < 0 && m_buffer.size() - m_position > MaxStatementBytes) {
            fail(tooLong(QStringLiteral("line %1").arg(m_lineNumber + 1)));
            return false;
        }
        if (end < 0 && m_position >= m_buffer.size())
            return false;
        const qsizetype stop = end < 0 ? m_buffer.size() : end;
        if (stop - m_position > MaxStatementBytes) {
            fail(tooLong(QStringLiteral("line %1").arg(m_lineNumber + 1)));
            return false;
        }
        ++m_lineNumber;
        m_column = 0;
        *line = JsonView::padded(QByteArrayView(m_buffer).sliced(m_position, stop - m_position).trimmed());
        m_position = end < 0 ? m_buffer.size() : end + 1;
        if (!line->isEmpty())
            return true;
    }
}

void StatementReader::start()
{
    const int first = peekSignificant();
    if (first < 0) {
        fail(QStringLiteral("the input is empty: give one statement, a JSON array, or one statement per line."));
        return;
    }
    if (first == '[') {
        consume(m_position + 1);
        m_form = Form::Array;
        return;
    }
    if (first != '{' && !m_badLinesAreFindings) {
        // Not a statement, an array or NDJSON: what the whole-input validator says of its first bytes (never more
        // is read), with the line and column counted in the whole input.
        StatementBatch prefix = StatementValidator::validateInput(m_buffer.mid(m_position, ReadChunk));
        takeError(prefix);
        failAt(QStringLiteral("give one statement (an object), a JSON array, or one statement per line"),
               {m_lineNumber + 1, m_column});
        return;
    }
    // A statement on the first line with another line after it is NDJSON; else the input is one statement.
    const qint64 startOffset = m_consumed + m_position; // fill() may drop what lies before m_position
    const int startLine = m_lineNumber;
    const qint64 startColumn = m_column;
    QByteArray line;
    if (!readLine(&line))
        return;
    if (isStatement(line)) {
        m_firstLines.append({line, m_lineNumber});
        QByteArray second;
        if (readLine(&second)) {
            m_firstLines.append({second, m_lineNumber});
            m_form = Form::Lines;
            return;
        }
        if (!m_parseError.isEmpty())
            return;
        m_firstLines.clear();
        m_whole = StatementValidator::validateInput(line, m_version);
        m_form = Form::Whole;
        return;
    }
    // With bad lines as findings, a broken first line followed by a statement is NDJSON.
    if (m_badLinesAreFindings) {
        m_firstLines.append({line, m_lineNumber});
        QByteArray second;
        if (readLine(&second) && isStatement(second)) {
            m_firstLines.append({second, m_lineNumber});
            m_form = Form::Lines;
            return;
        }
        m_firstLines.clear();
        if (!m_parseError.isEmpty())
            return;
    }
    // One statement over several lines (or not JSON): read whole, up to the limit.
    m_position = qsizetype(startOffset - m_consumed);
    m_lineNumber = startLine;
    m_column = startColumn;
    while (m_buffer.size() - m_position <= MaxStatementBytes && fill()) {
    }
    if (m_buffer.size() - m_position > MaxStatementBytes) {
        fail(tooLong(QStringLiteral("the statement at offset %1").arg(m_consumed + m_position)));
        return;
    }
    m_whole = StatementValidator::validateInput(m_buffer.mid(m_position), m_version);
    m_buffer.clear();
    m_position = 0;
    takeError(m_whole);
    m_form = Form::Whole;
}

void StatementReader::takeError(StatementBatch& part)
{
    if (part.errorLine > 0) {
        // Lines counted in the whole input: the part starts after the lines before it, its first line at the
        // column where it starts.
        const int line = part.errorLine + m_lineNumber;
        const qint64 column = part.errorColumn + (part.errorLine == 1 ? m_column : 0);
        part.parseError.replace(QStringLiteral("at line %1, column %2:").arg(part.errorLine).arg(part.errorColumn),
                                QStringLiteral("at line %1, column %2:").arg(line).arg(column));
        part.errorLine = line;
        part.errorColumn = int(column);
        m_errorLine = part.errorLine;
        m_errorColumn = part.errorColumn;
    }
    if (!part.parseError.isEmpty())
        fail(part.parseError);
}

void StatementReader::failAt(const QString& what, std::pair<int, qint64> at)
{
    if (!m_parseError.isEmpty())
        return;
    m_errorLine = at.first;
    m_errorColumn = int(at.second + 1);
    fail(QStringLiteral("not valid JSON at line %1, column %2: %3.").arg(m_errorLine).arg(m_errorColumn).arg(what));
}

void StatementReader::consume(qsizetype to)
{
    const auto [line, column] =
        after({m_lineNumber + 1, m_column}, QByteArrayView(m_buffer).sliced(m_position, to - m_position));
    m_lineNumber = line - 1;
    m_column = column;
    m_position = to;
}

bool StatementReader::nextArrayElement(QByteArray* element, std::pair<int, qint64>* start)
{
    if (m_arrayClosed)
        return false;
    int c = peekSignificant();
    if (c < 0) {
        failAt(QStringLiteral("the array is not closed"), {m_lineNumber + 1, m_column});
        return false;
    }
    if (c == ']' && m_index < 0) {
        consume(m_position + 1);
        m_arrayClosed = true;
        return false;
    }
    // One element: up to the ',' or ']' outside strings, objects and arrays.
    *start = {m_lineNumber + 1, m_column};
    int depth = 0;
    bool inString = false;
    bool escaped = false;
    qsizetype scan = m_position;
    for (;;) {
        if (scan >= m_buffer.size()) {
            const qsizetype done = scan - m_position;
            if (done > MaxStatementBytes) {
                fail(tooLong(QStringLiteral("the array element [%1]").arg(m_index + 1)));
                return false;
            }
            const qsizetype shift = m_position; // fill() may drop what was consumed
            if (!fill()) {
                consume(m_buffer.size());
                failAt(QStringLiteral("the array is not closed"), {m_lineNumber + 1, m_column});
                return false;
            }
            scan -= shift - m_position;
            continue;
        }
        const char ch = m_buffer.at(scan);
        if (inString) {
            if (escaped)
                escaped = false;
            else if (ch == '\\')
                escaped = true;
            else if (ch == '"')
                inString = false;
        } else if (ch == '"') {
            inString = true;
        } else if (ch == '{' || ch == '[') {
            ++depth;
        } else if (ch == '}' || ch == ']') {
            if (depth == 0 && ch == ']')
                break;
            --depth;
        } else if (ch == ',' && depth == 0) {
            break;
        }
        ++scan;
        if (scan - m_position > MaxStatementBytes) {
            fail(tooLong(QStringLiteral("the array element [%1]").arg(m_index + 1)));
            return false;
        }
    }
    // A copy with room after it, so that parsing it needs no other.
    *element = JsonView::padded(QByteArrayView(m_buffer).sliced(m_position, scan - m_position).trimmed());
    const char separator = m_buffer.at(scan);
    consume(scan);
    if (element->isEmpty()) {
        failAt(QStringLiteral("an array element is missing"), {m_lineNumber + 1, m_column});
        return false;
    }
    consume(scan + 1);
    if (separator == ']') {
        m_arrayClosed = true;
        // Nothing but whitespace may follow the array.
        if (peekSignificant() >= 0) {
            failAt(QStringLiteral("something follows the array"), {m_lineNumber + 1, m_column});
            return false;
        }
    }
    return true;
}

bool StatementReader::nextLineStatement()
{
    QByteArray line;
    int number = 0;
    if (!m_firstLines.isEmpty()) {
        std::tie(line, number) = m_firstLines.takeFirst();
    } else {
        if (!readLine(&line))
            return false;
        number = m_lineNumber;
    }
    if (!isStatement(line)) {
        // The one place that says so: a line of NDJSON that is not a statement, and where in it.
        const bool json = !view().root().isUndefined();
        int column = 1;
        for (qsizetype i = 0; !json && i < view().errorOffset() && i < line.size(); ++i)
            column += (uchar(line[i]) & 0xC0) != 0x80; // characters, not the continuation bytes of UTF-8
        const QString problem = json ? QStringLiteral("line %1 is not a JSON statement: not an object.").arg(number)
                                     : QStringLiteral("line %1 is not a JSON statement: %2 (column %3).")
                                           .arg(number)
                                           .arg(view().errorString())
                                           .arg(column);
        if (!m_badLinesAreFindings) {
            m_errorLine = number;
            m_errorColumn = column;
            fail(problem);
            return false;
        }
        ++m_index;
        m_json.clear();
        m_findings = {Finding{QStringLiteral("[%1]").arg(m_index), problem, m_index, QString()}};
        return true;
    }
    ++m_index;
    m_json = line;
    m_findings.clear();
    if (m_validating) // on the tree isStatement() parsed
        StatementRules::check(view().root().toObject(), m_findings, m_index, QStringLiteral("[%1]").arg(m_index),
                              m_version);
    return true;
}

bool StatementReader::next()
{
    if (m_form == Form::Unknown && m_parseError.isEmpty())
        start();
    if (!m_parseError.isEmpty())
        return false;
    switch (m_form) {
    case Form::Unknown:
        return false;
    case Form::Whole:
        if (m_index + 1 >= m_whole.statements.size())
            return false;
        ++m_index;
        m_json = m_whole.statements.at(m_index);
        m_findings = m_validating ? m_whole.findingsOf(m_index) : QList<Finding>();
        return true;
    case Form::Lines:
        return nextLineStatement();
    case Form::Array: {
        QByteArray element;
        std::pair<int, qint64> start;
        if (!nextArrayElement(&element, &start))
            return false;
        const QString prefix = QStringLiteral("[%1]").arg(m_index + 1);
        if (!view().parse(element, JsonView::Padding)) {
            // Where in the whole input: the element's start, and as far into it as the error is.
            failAt(view().errorString(), after(start, QByteArrayView(element).first(view().errorOffset())));
            return false;
        }
        ++m_index;
        m_json = element;
        m_findings.clear();
        if (!view().root().isObject())
            m_findings << Finding{prefix, QStringLiteral("must be a statement (a JSON object)."), m_index, QString()};
        else if (m_validating)
            StatementRules::check(view().root().toObject(), m_findings, m_index, prefix, m_version);
        return true;
    }
    }
    return false;
}
