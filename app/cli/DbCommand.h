#pragma once

#include "cli/Cli.h"

#include <QObject>

class QCommandLineParser;

// `xapi-courier db status|migrate|copy|password`: the store itself: its engine and schema version, pending
// migrations, moving a single-desktop store into a new team store, and keeping a PostgreSQL password in the keychain.
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
    int runPassword(const QCommandLineParser& parser);

    Cli& m_cli;
    CliOutput& m_output;
};
