#pragma once

#include "cli/Cli.h"
#include "integrations/Integration.h"

#include <QCommandLineParser>
#include <QObject>

// `xapi-courier integration add|list|show|edit|delete|enable|disable`.
class IntegrationCommand final : public QObject
{
    Q_OBJECT

public:
    IntegrationCommand(Cli& cli, QObject* parent);
    void run(const QStringList& arguments, Cli::Finished finished);

private:
    void add(QCommandLineParser& parser);
    void list(QCommandLineParser& parser);
    void show(QCommandLineParser& parser);
    void edit(QCommandLineParser& parser);
    void remove(QCommandLineParser& parser);
    void setEnabled(QCommandLineParser& parser, bool enabled);
    void testConnection(QCommandLineParser& parser);

    // Applies the field options that were given to draft; false (with a message) on a usage error.
    bool applyFieldOptions(QCommandLineParser& parser, Integration& draft);
    // For --xapi-version auto: the receiver's GET .../about, asked now; cleared for any other version.
    void detectXapiVersion(Integration& draft);
    // The secret from --client-secret-stdin / --password-stdin, or a prompt on a terminal when one is required.
    bool readSecret(QCommandLineParser& parser, const Integration& draft, bool required, QString* secret);
    // The integration named by the single positional argument.
    bool target(QCommandLineParser& parser, Integration* integration);
    void report(const struct IntegrationOutcome& outcome, const QString& doneMessage, bool json);
    void finish(int code);

    QString helpText() const;

    Cli& m_cli;
    CliOutput& m_output;
    Cli::Finished m_finished;
};
