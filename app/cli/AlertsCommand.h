#pragma once

#include "cli/Cli.h"

#include <QCommandLineParser>
#include <QObject>

class Notifier;

// `xapi-courier alerts list|test` and `xapi-courier settings smtp ...`.
class AlertsCommand final : public QObject
{
    Q_OBJECT

public:
    AlertsCommand(Cli& cli, QObject* parent);
    void runAlerts(const QStringList& arguments, Cli::Finished finished);
    void runSettings(const QStringList& arguments, Cli::Finished finished);

private:
    bool parse(QCommandLineParser& parser, const QString& command, const QStringList& arguments);
    void list(QCommandLineParser& parser);
    void test(QCommandLineParser& parser);
    void smtp(QCommandLineParser& parser);
    void finish(int code);

    Cli& m_cli;
    CliOutput& m_output;
    Cli::Finished m_finished;
    Notifier* m_notifier = nullptr; // child of this
};
