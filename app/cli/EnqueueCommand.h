#pragma once

#include "cli/Cli.h"

#include <QObject>

// `xapi-courier enqueue --integration NAME|--all FILE|- [--skip-invalid]`: statements into the durable queue, after
// the validator has seen them. A batch with any invalid statement queues nothing unless --skip-invalid.
class EnqueueCommand final : public QObject
{
    Q_OBJECT

public:
    EnqueueCommand(Cli& cli, QObject* parent);
    int run(const QStringList& arguments);

private:
    Cli& m_cli;
    CliOutput& m_output;
};
