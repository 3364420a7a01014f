#include "statements/StatementValidator.h"

#include "statements/JsonView.h"
#include "statements/StatementRules.h"

#include <QJsonDocument>


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

QList<Finding> StatementValidator::validate(const QJsonObject& statement, int index, const QString& prefix)
{
    return validate(QJsonDocument(statement).toJson(QJsonDocument::Compact), index, prefix);
}

QList<Finding> StatementValidator::validate(QByteArrayView json, int index, const QString& prefix)
{
    QList<Finding> findings;
    // One tree per thread, reused: its buffers keep their capacity, so validating allocates nothing for it.
    thread_local JsonView view;
    if (!view.parse(json) || !view.root().isObject()) {
        findings << Finding{prefix.isEmpty() ? QStringLiteral("(statement)") : prefix,
                            QStringLiteral("must be a JSON object (a statement); the text is not one at offset %1.")
                                .arg(view.errorOffset()),
                            index, QString()};
        return findings;
    }
    StatementRules::check(view.root().toObject(), findings, index, prefix);
    return findings;
}

namespace {

// The part of the input as a QByteArray: the input itself (shared, not copied) when the part is all of it.
QByteArray slice(const QByteArray& input, QByteArrayView part)
{
    return part.size() == input.size() ? input : part.toByteArray();
}

} // namespace

StatementBatch StatementValidator::validateInput(const QByteArray& input)
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
    // One parse, into a view of the bytes; the rules walk it and each statement is kept as its text.
    thread_local JsonView view;
    if (view.parse(text) && view.root().isObject()) {
        batch.statements << slice(input, text);
        StatementRules::check(view.root().toObject(), batch.findings, 0, QString());
        return batch;
    }
    if (view.root().isArray()) {
        const JsonView::Array items = view.root().toArray();
        int index = 0;
        for (int element = items.first(); element >= 0; element = items.next(element), ++index) {
            const JsonView::Value item = items.valueAt(element);
            const QString prefix = QStringLiteral("[%1]").arg(index);
            batch.statements << item.json().toByteArray();
            if (item.isObject())
                StatementRules::check(item.toObject(), batch.findings, index, prefix);
            else
                batch.findings << Finding{prefix, QStringLiteral("must be a statement (a JSON object)."), index, QString()};
        }
        return batch;
    }
    // NDJSON: one statement per non-empty line.
    const QList<QByteArray> lines = text.toByteArray().split('\n');
    if (lines.size() < 2 || !text.startsWith('{')) {
        if (!view.root().isUndefined())
            batch.parseError = QStringLiteral("not valid JSON: give one statement (an object), a JSON array, or one "
                                              "statement per line.");
        else
            batch.parseError = QStringLiteral("not valid JSON at offset %1: %2.")
                                   .arg(text.data() - input.constData() + view.errorOffset())
                                   .arg(view.errorString());
        return batch;
    }
    int index = 0;
    for (qsizetype line = 0; line < lines.size(); ++line) {
        const QByteArray statement = lines.at(line).trimmed();
        if (statement.isEmpty())
            continue;
        if (!view.parse(statement) || !view.root().isObject()) {
            batch.parseError =
                QStringLiteral("line %1 is not a JSON statement: %2.")
                    .arg(line + 1)
                    .arg(view.root().isUndefined() ? view.errorString() : QLatin1StringView("not an object"));
            return batch;
        }
        batch.statements << statement;
        const QString prefix = QStringLiteral("[%1]").arg(index);
        StatementRules::check(view.root().toObject(), batch.findings, index, prefix);
        ++index;
    }
    return batch;
}
