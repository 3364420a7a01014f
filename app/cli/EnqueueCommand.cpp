#include "cli/EnqueueCommand.h"

#include "cli/ArgumentCheck.h"
#include "cli/ValidateCommand.h"
#include "delivery/DeliveryActions.h"
#include "delivery/QueueImport.h"
#include "integrations/IntegrationService.h"

#include <QCommandLineParser>

EnqueueCommand::EnqueueCommand(Cli& cli, QObject* parent)
    : QObject(parent)
    , m_cli(cli)
    , m_output(cli.output())
{}

int EnqueueCommand::run(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Queue statements for delivery: one statement, a JSON array, or "
                                                    "one statement per line. Statement ids are kept (a statement "
                                                    "without one gets a UUID) and never change between attempts."));
    parser.addOption(Cli::databaseOption());
    parser.addHelpOption();
    parser.addOption(ArgumentCheck::verboseOption());
    parser.addOption(
        {QStringLiteral("integration"), QStringLiteral("Queue to this integration."), QStringLiteral("NAME|ID")});
    parser.addOption({QStringLiteral("all"), QStringLiteral("Queue to every enabled integration.")});
    parser.addOption({QStringLiteral("skip-invalid"),
                      QStringLiteral("Queue the valid statements of a batch and report the invalid ones (lines "
                                     "that are not JSON too).")});
    parser.addPositionalArgument(QStringLiteral("file"), QStringLiteral("The statements, or - for standard input."));
    if (const std::optional<int> stop =
            ArgumentCheck::parse(m_output, parser, QStringLiteral("xapi-courier enqueue"), arguments, 1))
        return *stop;
    if (parser.positionalArguments().size() != 1 ||
        parser.isSet(QStringLiteral("integration")) == parser.isSet(QStringLiteral("all"))) {
        m_output.error(QStringLiteral("give one file (or -) and either --integration NAME or --all."));
        return ExitCode::Usage;
    }
    const QString source = parser.positionalArguments().first();
    QFile input;
    QString error;
    if (!ValidateCommand::openInput(source, &input, &error)) {
        m_output.error(error);
        return ExitCode::Usage;
    }
    if (!m_cli.openStore(parser.value(QStringLiteral("db"))))
        return ExitCode::Refused;

    QList<qint64> targets;
    if (parser.isSet(QStringLiteral("all"))) {
        for (const Integration& integration : m_cli.integrations().list(&error)) {
            if (integration.enabled)
                targets << integration.id;
        }
        if (targets.isEmpty()) {
            m_output.error(QStringLiteral("no integration is enabled, so --all reaches nobody. Enable one, or name "
                                          "one with --integration (statements then wait while it is disabled)."));
            return ExitCode::Refused;
        }
    } else {
        const QString name = parser.value(QStringLiteral("integration"));
        const auto found = m_cli.integrations().repository().find(name, &error);
        if (!found) {
            m_output.error(QStringLiteral("integration: no integration is named “%1” or has that id. See "
                                          "xapi-courier integration list.")
                               .arg(name));
            return ExitCode::Refused;
        }
        targets << found->id;
    }

    const QueueImport::Report report = QueueImport::run(
        m_cli.store(), input, targets, parser.isSet(QStringLiteral("skip-invalid")), QDateTime::currentDateTimeUtc());
    if (!report.parseError.isEmpty()) {
        m_output.error(QStringLiteral("%1: %2").arg(source, report.parseError));
        return ExitCode::Usage;
    }
    for (const Finding& finding : report.findings)
        m_output.error(finding.toText());
    if (!report.invalid.isEmpty() && !parser.isSet(QStringLiteral("skip-invalid"))) {
        m_output.error(QStringLiteral("%1 of %2 statements are invalid, so nothing was queued. Fix them, or queue the "
                                      "valid ones with --skip-invalid.")
                           .arg(report.invalid.size())
                           .arg(report.read));
        return ExitCode::Refused;
    }
    if (!report.error.isEmpty()) {
        m_output.error(report.error);
        if (report.queued > 0)
            m_output.error(QStringLiteral("%1 of the %2 statements were queued before that (in input order); queuing "
                                          "the input again sends those twice, under the same ids.")
                               .arg(report.queued)
                               .arg(report.read));
        return ExitCode::Refused;
    }
    if (!report.invalid.isEmpty()) {
        QStringList skipped;
        for (int index : report.invalid)
            skipped << QString::number(index);
        m_output.info(QStringLiteral("Skipped %1 invalid statement(s): [%2].")
                          .arg(report.invalid.size())
                          .arg(skipped.join(QStringLiteral(", "))));
    }
    m_output.info(QStringLiteral("Queued %1 statement(s) to %2 integration(s). A running worker (xapi-courier worker) "
                                 "or the desktop app delivers them.")
                      .arg(report.queued)
                      .arg(targets.size()));
    return ExitCode::Success;
}
