#include "cli/CliOutput.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cstdio>

CliOutput::CliOutput()
    : m_out(&m_outDevice)
    , m_err(&m_errDevice)
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

QString CliOutput::oneLine(const QString& text, qsizetype width)
{
    QString line = text.simplified();
    if (width >= 0 && line.size() > width)
        line = line.left(std::max<qsizetype>(width - 1, 0)).trimmed() + QStringLiteral("…");
    return line;
}

void CliOutput::help(const QCommandLineParser& parser, const QString& command)
{
    // Qt names the program as it was started (a path, without the subcommand).
    QString text = parser.helpText();
    const QString started = QStringLiteral("Usage: ") + QCoreApplication::arguments().value(0);
    if (text.startsWith(started))
        text.replace(0, started.size(), QStringLiteral("Usage: ") + command);
    m_out << text << Qt::flush;
}
