#include "common/FieldIssue.h"

#include <algorithm>

bool hasErrors(const FieldIssues& issues)
{
    return std::any_of(issues.cbegin(), issues.cend(), [](const FieldIssue& issue) { return issue.isError(); });
}

FieldIssues issuesForField(const FieldIssues& issues, const QString& field)
{
    FieldIssues result;
    std::copy_if(issues.cbegin(), issues.cend(), std::back_inserter(result),
                 [&](const FieldIssue& issue) { return issue.field == field; });
    return result;
}
