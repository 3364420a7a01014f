#include "statements/StatementReader.h"

#include "statements/JsonView.h"

#include <QIODevice>

namespace {
JsonView& view()
{
    thread_local JsonView parsed; // its buffers keep their capacity from line to line
    return parsed;
}

bool isStatement(const QByteArray& line)
{
    return view().parse(line) && view().root().isObject();
}
} // namespace

StatementReader::StatementReader(QIODevice& input, bool findings)
    : m_input(input)
    , m_validating(findings)
{}

StatementReader::~StatementReader() = default;

bool StatementReader::nextLine(QByteArray* line, QByteArray* raw)
{
    for (;;) {
        QByteArray read = m_input.readLine();
        if (read.isEmpty())
            return false;
        if (raw)
            *raw += read;
        if (++m_lineNumber == 1 && read.startsWith("\xEF\xBB\xBF"))
            read.remove(0, 3); // a UTF-8 byte order mark, which QJsonDocument skips too
        *line = read.trimmed();
        if (!line->isEmpty())
            return true;
    }
}

void StatementReader::start()
{
    m_started = true;
    QByteArray head; // the bytes read to tell the form
    QByteArray line;
    while (m_firstLines.size() < 2 && nextLine(&line, &head)) {
        m_firstLines.append({line, m_lineNumber});
        if (m_firstLines.size() == 1 && !isStatement(line) && !(m_badLinesAreFindings && !line.startsWith('[')))
            break;
    }
    // A broken first line is NDJSON when a statement stands on the second (no JSON text other than an array can
    // continue that way).
    m_lineByLine = m_firstLines.size() == 2 && (!m_badLinesAreFindings || isStatement(m_firstLines.at(0).first) ||
                                                isStatement(m_firstLines.at(1).first));
    if (m_lineByLine)
        return;
    m_firstLines.clear();
    m_whole = StatementValidator::validateInput(head + m_input.readAll());
    m_parseError = m_whole.parseError;
    for (const Finding& finding : std::as_const(m_whole.findings))
        m_wholeFindings[finding.statement] << finding;
}

bool StatementReader::next()
{
    if (!m_started)
        start();
    if (!m_parseError.isEmpty())
        return false;
    if (!m_lineByLine) {
        if (m_index + 1 >= m_whole.statements.size())
            return false;
        ++m_index;
        m_json = m_whole.statements.at(m_index);
        m_findings = m_wholeFindings.value(m_index);
        return true;
    }
    QByteArray line;
    int number = 0;
    if (!m_firstLines.isEmpty()) {
        std::tie(line, number) = m_firstLines.takeFirst();
    } else {
        if (!nextLine(&line))
            return false;
        number = m_lineNumber;
    }
    if (!isStatement(line)) {
        m_parseError =
            QStringLiteral("line %1 is not a JSON statement: %2.")
                .arg(number)
                .arg(view().root().isUndefined() ? view().errorString() : QLatin1StringView("not an object"));
        if (!m_badLinesAreFindings)
            return false;
        ++m_index;
        m_json.clear();
        m_findings = {Finding{QStringLiteral("[%1]").arg(m_index), std::exchange(m_parseError, QString()), m_index}};
        return true;
    }
    ++m_index;
    m_json = line;
    if (m_validating)
        m_findings = StatementValidator::validate(m_json, m_index, QStringLiteral("[%1]").arg(m_index));
    return true;
}
