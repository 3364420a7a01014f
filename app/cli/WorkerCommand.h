#pragma once

#include "cli/Cli.h"

#include <QObject>

class CourierRuntime;

// `xapi-courier worker [--until-idle]`: the headless delivery worker, a CourierRuntime like the desktop app's. Runs
// until SIGTERM/SIGINT (or, with --until-idle, until nothing is left to send now), then stops taking new work, lets
// what is in flight answer — requests and alert e-mails — records it, and exits 0.
class WorkerCommand final : public QObject
{
    Q_OBJECT

public:
    WorkerCommand(Cli& cli, QObject* parent);
    void run(const QStringList& arguments, Cli::Finished finished);

private:
    void stop(const QString& why, bool sendDueAlerts);

    Cli& m_cli;
    CliOutput& m_output;
    Cli::Finished m_finished;
    CourierRuntime* m_runtime = nullptr; // child of this
    bool m_stopping = false;
};
