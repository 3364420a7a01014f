#pragma once

#include "cli/Cli.h"

#include <QJsonObject>
#include <QObject>

class Sandbox;

// `xapi-courier sandbox --port P [--faults SPEC] [--db PATH] [--basic USER:PASS]`: a local LRS on 127.0.0.1 until
// SIGTERM or Ctrl+C, each request it answers logged on stderr; `xapi-courier sandbox list` shows what one received.
class SandboxCommand final : public QObject
{
    Q_OBJECT

public:
    SandboxCommand(Cli& cli, QObject* parent);
    void run(const QStringList& arguments, Cli::Finished finished);

    // Control characters of text a client sent (or a receiver answered) made visible, never sent to a terminal.
    static QString terminalSafe(const QString& text);

private:
    void serve(const QStringList& arguments);
    void list(const QStringList& arguments);
    void print(const QJsonObject& received, bool json, bool requests);

    Cli& m_cli;
    CliOutput& m_output;
    Cli::Finished m_finished;
    Sandbox* m_sandbox = nullptr; // child of this
};
