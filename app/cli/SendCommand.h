#pragma once

#include "cli/Cli.h"

#include <QObject>

class CourierRuntime;
struct TransportResult;

// `xapi-courier send --integration NAME FILE|-`: one request straight to the receiver, not through the queue, and
// everything about it printed. Exit 0 on 2xx or 409 (duplicate), 1 otherwise, 2 on a usage error.
class SendCommand final : public QObject
{
    Q_OBJECT

public:
    SendCommand(Cli& cli, QObject* parent);
    void run(const QStringList& arguments, Cli::Finished finished);

private:
    void print(const TransportResult& result);

    Cli& m_cli;
    CliOutput& m_output;
    CourierRuntime* m_runtime = nullptr; // child of this: its transport and tokens, not started
};
