#pragma once

#include "cli/Cli.h"

#include <QObject>

class QCommandLineParser;

// `xapi-courier completions list|import|delete`: H5P completion records.
class CompletionsCommand final : public QObject
{
    Q_OBJECT

public:
    CompletionsCommand(Cli& cli, QObject* parent);
    int run(const QStringList& arguments);

private:
    int runList(const QCommandLineParser& parser);
    int runImport(const QCommandLineParser& parser);
    int runDelete(const QCommandLineParser& parser);

    Cli& m_cli;
    CliOutput& m_output;
};
