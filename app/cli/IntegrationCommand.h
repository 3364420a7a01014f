#pragma once

#include "cli/Cli.h"
#include "integrations/Integration.h"
#include "retention/RetentionPolicies.h"

#include <QCommandLineParser>
#include <QObject>

#include <optional>

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
    // --retention-days and --keep-bodies-days applied to policy and checked; false once it has said why and finished.
    bool retentionOptions(QCommandLineParser& parser, RetentionPolicy* policy);
    // Adds (draft.id 0) or updates: for --xapi-version auto asks the receiver first, then saves the integration,
    // then its retention policy when one is given.
    void save(Integration draft, const QString& secret, std::optional<RetentionPolicy> policy, bool json);
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
