#pragma once

#include "cli/Cli.h"

#include <QDateTime>

class QCommandLineParser;

// `xapi-courier queue prune --delivered-before AGE|TIME [--integration NAME] [--yes]`: removes delivered and
// duplicate statements (bodies and attempts) older than the limit, a small transaction at a time, with progress.
class PruneCommand final
{
public:
    explicit PruneCommand(Cli& cli);
    int run(const QStringList& arguments);

    // "30d", "12h", "90m", "2w" before now, or an ISO 8601 time; invalid (and *error set) otherwise.
    static QDateTime parseLimit(const QString& text, const QDateTime& now, QString* error);

private:
    Cli& m_cli;
    CliOutput& m_output;
};
