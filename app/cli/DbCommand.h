#pragma once

#include "cli/Cli.h"

#include <QObject>

class QCommandLineParser;

// `xapi-courier db status|migrate|copy`: the store itself: its engine and schema version, pending migrations, and
// moving a single-desktop store into a new team store.
class DbCommand final : public QObject
{
    Q_OBJECT

public:
    DbCommand(Cli& cli, QObject* parent);
    int run(const QStringList& arguments);

private:
    int runStatus(const QCommandLineParser& parser);
    int runMigrate(const QCommandLineParser& parser);
    int runCopy(const QCommandLineParser& parser);

    Cli& m_cli;
    CliOutput& m_output;
};
