#include "statements/StatementReader.h"

#include "statements/JsonView.h"

#include <QIODevice>
#include <QRegularExpression>

namespace {

constexpr qint64 ReadChunk = 64 * 1024;

JsonView& view()
{
    thread_local JsonView parsed; // its buffers keep their capacity from line to line
    return parsed;
}

bool isStatement(const QByteArray& line)
{
    return view().parse(line) && view().root().isObject();
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

// A message of the validator's about a part of the input, its "at offset N" counted from the input's start.
QString withOffsetFrom(QString message, qint64 start)
{
    const QRegularExpressionMatch at = QRegularExpression(QStringLiteral("at offset (\\d+)")).match(message);
    if (at.hasMatch() && start > 0)
        message.replace(at.capturedStart(1), at.capturedLength(1),
                        QString::number(at.captured(1).toLongLong() + start));
    return message;
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
            if (c == '\n')
                ++m_lineNumber;
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
        *line = m_buffer.mid(m_position, stop - m_position).trimmed();
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
        ++m_position;
        m_form = Form::Array;
        return;
    }
    if (first != '{' && !m_badLinesAreFindings) {
        // Not a statement, an array or NDJSON: what the whole-input validator says of its first bytes (never more
        // is read), with the offset counted from the start of the input.
        const StatementBatch prefix = StatementValidator::validateInput(m_buffer.mid(m_position, ReadChunk));
        QString message = prefix.parseError;
        if (message.isEmpty())
            message = QStringLiteral("not valid JSON at offset %1: give one statement (an object), a JSON array, or "
                                     "one statement per line.")
                          .arg(m_consumed + m_position);
        fail(withOffsetFrom(message, m_consumed + m_position));
        return;
    }
    // A statement on the first line with another line after it is NDJSON; else the input is one statement.
    const qint64 startOffset = m_consumed + m_position; // fill() may drop what lies before m_position
    const int startLine = m_lineNumber;
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
    while (m_buffer.size() - m_position <= MaxStatementBytes && fill()) {
    }
    if (m_buffer.size() - m_position > MaxStatementBytes) {
        fail(tooLong(QStringLiteral("the statement at offset %1").arg(m_consumed + m_position)));
        return;
    }
    const qint64 offset = m_consumed + m_position;
    m_whole = StatementValidator::validateInput(m_buffer.mid(m_position), m_version);
    m_buffer.clear();
    m_position = 0;
    if (m_whole.errorLine > 0) {
        // Lines counted in the whole input: the statement starts after the blank lines before it.
        m_errorLine = m_whole.errorLine + startLine;
        m_errorColumn = m_whole.errorColumn;
        m_whole.parseError.replace(QStringLiteral("at line %1,").arg(m_whole.errorLine),
                                   QStringLiteral("at line %1,").arg(m_errorLine));
    }
    if (!m_whole.parseError.isEmpty())
        fail(withOffsetFrom(m_whole.parseError, offset));
    m_form = Form::Whole;
}

bool StatementReader::nextArrayElement(QByteArray* element, qint64* offset)
{
    if (m_arrayClosed)
        return false;
    int c = peekSignificant();
    if (c < 0) {
        fail(QStringLiteral("not valid JSON at offset %1: the array is not closed.").arg(m_consumed + m_position));
        return false;
    }
    if (c == ']' && m_index < 0) {
        ++m_position;
        m_arrayClosed = true;
        return false;
    }
    // One element: up to the ',' or ']' outside strings, objects and arrays.
    *offset = m_consumed + m_position;
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
                fail(QStringLiteral("not valid JSON at offset %1: the array is not closed.")
                         .arg(m_consumed + m_buffer.size()));
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
    *element = m_buffer.mid(m_position, scan - m_position).trimmed();
    const char separator = m_buffer.at(scan);
    m_position = scan + 1;
    if (element->isEmpty()) {
        fail(QStringLiteral("not valid JSON at offset %1: an array element is missing.").arg(m_consumed + scan));
        return false;
    }
    if (separator == ']') {
        m_arrayClosed = true;
        // Nothing but whitespace may follow the array.
        if (peekSignificant() >= 0) {
            fail(QStringLiteral("not valid JSON at offset %1: something follows the array.")
                     .arg(m_consumed + m_position));
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
    if (m_validating)
        m_findings =
            StatementValidator::validate(m_json, m_index, QStringLiteral("[%1]").arg(m_index), m_version);
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
        qint64 offset = 0;
        if (!nextArrayElement(&element, &offset))
            return false;
        const QString prefix = QStringLiteral("[%1]").arg(m_index + 1);
        if (!view().parse(element)) {
            fail(QStringLiteral("not valid JSON at offset %1: %2.")
                     .arg(offset + view().errorOffset())
                     .arg(view().errorString()));
            return false;
        }
        ++m_index;
        m_json = element;
        m_findings.clear();
        if (!view().root().isObject())
            m_findings << Finding{prefix, QStringLiteral("must be a statement (a JSON object)."), m_index, QString()};
        else if (m_validating)
            m_findings = StatementValidator::validate(m_json, m_index, prefix, m_version);
        return true;
    }
    }
    return false;
}
