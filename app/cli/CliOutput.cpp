#include "cli/CliOutput.h"

#include <cstdio>

CliOutput::CliOutput()
    : m_out(stdout)
    , m_err(stderr)
{}

void CliOutput::error(const QString& message)
{
    m_err << QStringLiteral("error: ") << message << Qt::endl;
}

void CliOutput::warning(const QString& message)
{
    m_err << QStringLiteral("warning: ") << message << Qt::endl;
}

void CliOutput::info(const QString& message)
{
    m_err << message << Qt::endl;
}

void CliOutput::issues(const FieldIssues& issues)
{
    for (const FieldIssue& issue : issues) {
        if (issue.isError())
            error(issue.toText());
        else
            warning(issue.toText());
    }
}
