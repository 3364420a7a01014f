#pragma once

#include "cli/Cli.h"

#include <QObject>

class DeliveryService;

// `xapi-courier worker [--until-idle]`: the headless delivery worker. Runs until SIGTERM/SIGINT, then stops taking
// new work, lets what is in flight answer, records it, and exits 0.
class WorkerCommand final : public QObject
{
    Q_OBJECT

public:
    WorkerCommand(Cli& cli, QObject* parent);
    void run(const QStringList& arguments, Cli::Finished finished);

private:
    void stop(const QString& why);

    Cli& m_cli;
    CliOutput& m_output;
    Cli::Finished m_finished;
    DeliveryService* m_delivery = nullptr; // child of this
    bool m_stopping = false;
};
