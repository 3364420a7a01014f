#include "statements/StatementValidator.h"

#include "statements/JsonView.h"
#include "statements/StatementReader.h"
#include "statements/StatementRules.h"

#include <QBuffer>
#include <QJsonDocument>

#include <algorithm>

namespace {

// The 1-based line and column (in characters) of a byte offset in the text.
std::pair<int, int> lineAndColumn(QByteArrayView text, qsizetype offset)
{
    offset = std::clamp<qsizetype>(offset, 0, text.size());
    const QByteArrayView before = text.first(offset);
    const qsizetype lineStart = before.lastIndexOf('\n') + 1;
    int column = 1;
    for (qsizetype i = lineStart; i < offset; ++i)
        column += (uchar(text[i]) & 0xC0) != 0x80; // characters, not the continuation bytes of UTF-8
    return {int(before.count('\n')) + 1, column};
}

// The statements of an input that is not one statement (an array, NDJSON), as StatementReader reads them.
StatementBatch readAll(const QByteArray& input, XapiVersion version)
{
    StatementBatch batch;
    QBuffer buffer;
    buffer.setData(input);
    buffer.open(QIODevice::ReadOnly);
    StatementReader reader(buffer, true, version);
    while (reader.next()) {
        batch.statements << reader.json();
        batch.findings << reader.findings();
    }
    batch.parseError = reader.parseError();
    batch.errorLine = reader.errorLine();
    batch.errorColumn = reader.errorColumn();
    return batch;
}

} // namespace

QList<Finding> StatementBatch::findingsOf(int statement) const
{
    QList<Finding> result;
    for (const Finding& finding : findings) {
        if (finding.statement == statement)
            result << finding;
    }
    return result;
}

QJsonObject StatementBatch::object(qsizetype statement) const
{
    return QJsonDocument::fromJson(statements.at(statement)).object();
}

QList<Finding> StatementValidator::validate(const QJsonObject& statement, int index, const QString& prefix,
                                            XapiVersion version)
{
    return validate(QJsonDocument(statement).toJson(QJsonDocument::Compact), index, prefix, version);
}

QList<Finding> StatementValidator::validate(QByteArrayView json, int index, const QString& prefix, XapiVersion version)
{
    QList<Finding> findings;
    // One parser per thread, reused: its buffers keep their capacity, so validating allocates nothing for it.
    thread_local JsonView view;
    if (!view.parse(json) || !view.root().isObject()) {
        const auto [line, column] = lineAndColumn(json, view.errorOffset());
        findings << Finding{prefix.isEmpty() ? QStringLiteral("(statement)") : prefix,
                            view.root().isUndefined()
                                ? QStringLiteral("must be a JSON object (a statement); the text is not JSON at line "
                                                 "%1, column %2: %3.")
                                      .arg(line)
                                      .arg(column)
                                      .arg(view.errorString())
                                : QStringLiteral("must be a JSON object (a statement)."),
                            index, QString()};
        return findings;
    }
    StatementRules::check(view.root().toObject(), findings, index, prefix, version);
    return findings;
}

StatementBatch StatementValidator::validateInput(const QByteArray& input, XapiVersion version)
{
    StatementBatch batch;
    QByteArrayView text = input;
    if (text.startsWith("\xEF\xBB\xBF"))
        text = text.sliced(3); // a UTF-8 byte order mark, which QJsonDocument skips too
    text = text.trimmed();
    if (text.isEmpty()) {
        batch.parseError = QStringLiteral("the input is empty: give one statement, a JSON array, or one statement "
                                          "per line.");
        return batch;
    }
    // An array is StatementReader's to read, an element at a time, each kept as its text.
    if (text.front() == '[')
        return readAll(input, version);
    // One parse (simdjson's); the rules walk its tree and the statement is kept as its text.
    thread_local JsonView view;
    if (view.parse(text) && view.root().isObject()) {
        // The list made at its size, the input shared (one reference taken, no temporary copy).
        batch.statements =
            text.size() == input.size() ? QList<QByteArray>(1, input) : QList<QByteArray>(1, text.toByteArray());
        StatementRules::check(view.root().toObject(), batch.findings, 0, QString(), version);
        return batch;
    }
    if (!view.root().isUndefined()) {
        batch.parseError = QStringLiteral("not a statement: give one statement (a JSON object), a JSON array of "
                                          "them, or one statement per line.");
        return batch;
    }
    const qsizetype errorOffset = view.errorOffset();
    const QLatin1StringView what = view.errorString();
    // NDJSON (a statement on the first line, more lines after it) is StatementReader's to read, a line at a time.
    const qsizetype firstBreak = text.indexOf('\n');
    if (firstBreak > 0 && view.parse(text.first(firstBreak).trimmed()) && view.root().isObject())
        return readAll(input, version);
    // Not JSON: where, in the input as given (the byte order mark and leading white space count).
    const auto [line, column] = lineAndColumn(input, (text.data() - input.constData()) + errorOffset);
    batch.errorLine = line;
    batch.errorColumn = column;
    batch.parseError = QStringLiteral("not valid JSON at line %1, column %2: %3.").arg(line).arg(column).arg(what);
    return batch;
}
