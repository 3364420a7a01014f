#pragma once

#include <QList>
#include <QString>

// One finding about one input field: which field (its JSON/CLI key, e.g. "statementUrl") and a sentence for a person.
struct FieldIssue
{
    enum class Severity { Error, Warning };

    QString field;
    QString message;
    Severity severity = Severity::Error;

    bool isError() const { return severity == Severity::Error; }
    QString toText() const { return field + QStringLiteral(": ") + message; }
    bool operator==(const FieldIssue&) const = default;
};

using FieldIssues = QList<FieldIssue>;

bool hasErrors(const FieldIssues& issues);
FieldIssues issuesForField(const FieldIssues& issues, const QString& field);
