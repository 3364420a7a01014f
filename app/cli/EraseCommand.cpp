#include "cli/EraseCommand.h"

#include "cli/ArgumentCheck.h"
#include "cli/Terminal.h"
#include "common/Clock.h"
#include "erasure/LearnerErasure.h"

#include <QCommandLineParser>
#include <QJsonDocument>

namespace {

QString countsText(const ErasureCounts& counts)
{
    return QStringLiteral("  statements: %1 queued, %2 held, %3 delivered, %4 discarded\n"
                          "  attempts: %5\n"
                          "  completion records: %6\n"
                          "  Test Console sends: %7\n"
                          "  alert texts blanked: %8\n")
        .arg(counts.queued)
        .arg(counts.held)
        .arg(counts.delivered)
        .arg(counts.discarded)
        .arg(counts.attempts)
        .arg(counts.completions)
        .arg(counts.testSends)
        .arg(counts.alerts);
}

} // namespace

EraseCommand::EraseCommand(Cli& cli)
    : m_cli(cli)
    , m_output(cli.output())
{}

int EraseCommand::run(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Erase one learner: every queued, held, delivered or discarded statement naming them (as "
                       "actor, Group member, context instructor, team or contextAgent) with its attempts, their H5P "
                       "completion records and Test Console sends, in one transaction that leaves no copy in the "
                       "store's files."));
    parser.addOption(Cli::databaseOption());
    parser.addHelpOption();
    parser.addOption({QStringLiteral("actor"), QStringLiteral("The learner."),
                      QStringLiteral("mailto:ADDRESS|ACCOUNT_HOMEPAGE::NAME|mbox_sha1sum:HASH")});
    parser.addOption({QStringLiteral("void"),
                      QStringLiteral("Also queue a voiding statement to each integration that received one of their "
                                     "statements.")});
    parser.addOption({QStringLiteral("yes"), QStringLiteral("Erase without asking (needed when not on a terminal).")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print the counts as JSON.")});
    parser.addOption(ArgumentCheck::verboseOption());
    if (const std::optional<int> stop =
            ArgumentCheck::parse(m_output, parser, QStringLiteral("xapi-courier erase"), arguments, 0))
        return *stop;
    QString error;
    const std::optional<LearnerId> learner = LearnerId::parse(parser.value(QStringLiteral("actor")), &error);
    if (!learner) {
        m_output.error(error);
        return ExitCode::Usage;
    }
    if (!m_cli.openStore(parser.value(QStringLiteral("db"))))
        return ExitCode::Refused;

    LearnerErasure erasure(m_cli.store());
    ErasureCounts found;
    if (!erasure.count(*learner, &found, &error)) {
        m_output.error(error);
        return ExitCode::Refused;
    }
    const bool json = parser.isSet(QStringLiteral("json"));
    if (found.isEmpty()) {
        if (json)
            m_output.out() << QJsonDocument(found.toJson()).toJson(QJsonDocument::Indented) << Qt::flush;
        else
            m_output.out() << "Nothing to erase: no statement, completion record, Test Console send or alert names "
                           << learner->display() << ".\n"
                           << Qt::flush;
        return ExitCode::Success;
    }
    if (!parser.isSet(QStringLiteral("yes"))) {
        if (!Terminal::stdinIsTerminal()) {
            m_output.error(QStringLiteral("erasing needs confirmation: add --yes when not running on a terminal."));
            return ExitCode::Usage;
        }
        m_output.info(QStringLiteral("Found for %1:\n%2").arg(learner->display(), countsText(found)));
        if (!Terminal::confirm(QStringLiteral("Erase all of it for good?"))) {
            m_output.info(QStringLiteral("Nothing was erased."));
            return ExitCode::Refused;
        }
    }
    ErasureCounts erased;
    QString warning;
    if (!erasure.erase(*learner, parser.isSet(QStringLiteral("void")), Clock::system().now(), &erased, &warning,
                       &error)) {
        m_output.error(QStringLiteral("nothing was erased: %1").arg(error));
        return ExitCode::Refused;
    }
    if (json) {
        m_output.out() << QJsonDocument(erased.toJson()).toJson(QJsonDocument::Indented) << Qt::flush;
    } else {
        m_output.out() << "Erased " << learner->display() << ":\n" << countsText(erased);
        if (parser.isSet(QStringLiteral("void")))
            m_output.out() << "  voiding statements queued: " << erased.voiding << '\n';
        m_output.out() << Qt::flush;
    }
    if (!warning.isEmpty())
        m_output.warning(warning);
    return ExitCode::Success;
}
