#pragma once

#include "cli/Cli.h"

#include <QObject>

// `xapi-courier completions list|import|delete`: H5P completion records.
class CompletionsCommand final : public QObject
{
    Q_OBJECT

public:
    CompletionsCommand(Cli& cli, QObject* parent);
    int run(const QStringList& arguments);

private:
    Cli& m_cli;
    CliOutput& m_output;
};
