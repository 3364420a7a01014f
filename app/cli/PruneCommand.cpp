#include "cli/PruneCommand.h"

#include "cli/ArgumentCheck.h"
#include "cli/Terminal.h"
#include "common/Clock.h"
#include "integrations/IntegrationService.h"
#include "retention/DeliveryPruner.h"
#include "store/Store.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QLocale>
#include <QRegularExpression>
#include <QThread>

namespace {

QString megabytes(qint64 bytes)
{
    return QLocale::c().formattedDataSize(std::max<qint64>(bytes, 0), 1, QLocale::DataSizeSIFormat);
}

} // namespace

PruneCommand::PruneCommand(Cli& cli)
    : m_cli(cli)
    , m_output(cli.output())
{}

QDateTime PruneCommand::parseLimit(const QString& text, const QDateTime& now, QString* error)
{
    static const QRegularExpression age(QStringLiteral("^(\\d{1,6})\\s*(w|d|h|m)$"),
                                        QRegularExpression::CaseInsensitiveOption);
    const QString trimmed = text.trimmed();
    if (const QRegularExpressionMatch match = age.match(trimmed); match.hasMatch()) {
        const qint64 count = match.captured(1).toLongLong();
        const QChar unit = match.captured(2).toLower().at(0);
        const qint64 seconds = unit == QLatin1Char('w')   ? count * 7 * 86400
                               : unit == QLatin1Char('d') ? count * 86400
                               : unit == QLatin1Char('h') ? count * 3600
                                                          : count * 60;
        return now.addSecs(-seconds);
    }
    QDateTime time = QDateTime::fromString(trimmed, Qt::ISODateWithMs);
    if (time.isValid() && time.timeSpec() == Qt::LocalTime)
        time.setTimeSpec(Qt::UTC); // no offset: UTC, as everywhere in the CLI
    if (!time.isValid()) {
        *error = trimmed.isEmpty()
                     ? QStringLiteral("--delivered-before is required: an age such as 90d (also w, h, m) or a time "
                                      "such as 2026-01-01T00:00:00Z.")
                     : QStringLiteral("--delivered-before: “%1” is neither an age (90d, 12w, 36h, 30m) nor an ISO 8601 "
                                      "time (2026-01-01T00:00:00Z).")
                           .arg(trimmed);
    }
    return time;
}

int PruneCommand::run(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Remove delivered and duplicate statements (their bodies and attempts) delivered before a time, "
                       "a small transaction at a time; queue status keeps counting them. Queued, held and discarded "
                       "statements are never pruned."));
    parser.addOption(Cli::databaseOption());
    parser.addHelpOption();
    parser.addOption({QStringLiteral("delivered-before"),
                      QStringLiteral("An age (90d, 12w, 36h, 30m) or an ISO 8601 time (UTC if no offset)."),
                      QStringLiteral("AGE|TIME")});
    parser.addOption({QStringLiteral("integration"), QStringLiteral("Only this integration (name or id)."),
                      QStringLiteral("NAME|ID")});
    parser.addOption({QStringLiteral("yes"), QStringLiteral("Prune without asking (needed when not on a terminal).")});
    parser.addOption(ArgumentCheck::verboseOption());
    if (const std::optional<int> stop =
            ArgumentCheck::parse(m_output, parser, QStringLiteral("xapi-courier queue prune"), arguments.mid(1), 0))
        return *stop;
    QString error;
    const QDateTime before =
        parseLimit(parser.value(QStringLiteral("delivered-before")), Clock::system().now(), &error);
    if (!before.isValid()) {
        m_output.error(error);
        return ExitCode::Usage;
    }
    if (!m_cli.openStore(parser.value(QStringLiteral("db"))))
        return ExitCode::Refused;
    qint64 integrationId = 0;
    QString scope = QStringLiteral("every integration");
    if (parser.isSet(QStringLiteral("integration"))) {
        const QString name = parser.value(QStringLiteral("integration"));
        const auto found = m_cli.integrations().repository().find(name, &error);
        if (!found) {
            m_output.error(error.isEmpty() ? QStringLiteral("--integration: no integration is named “%1” or has that "
                                                            "id. See xapi-courier integration list.")
                                                 .arg(name)
                                           : error);
            return ExitCode::Refused;
        }
        integrationId = found->id;
        scope = QStringLiteral("“%1”").arg(found->name);
    }

    DeliveryPruner pruner(m_cli.store());
    const QString limitText = before.toUTC().toString(Qt::ISODate);
    const qint64 total = pruner.countPrunable(before, integrationId, &error);
    if (total < 0) {
        m_output.error(error);
        return ExitCode::Refused;
    }
    if (total == 0) {
        m_output.out() << "Nothing to prune: no statement of " << scope << " was delivered before " << limitText
                       << ".\n"
                       << Qt::flush;
        return ExitCode::Success;
    }
    if (!parser.isSet(QStringLiteral("yes"))) {
        if (!Terminal::stdinIsTerminal()) {
            m_output.error(QStringLiteral("pruning needs confirmation: add --yes when not running on a terminal."));
            return ExitCode::Usage;
        }
        if (!Terminal::confirm(QStringLiteral("Remove %1 delivered statement(s) of %2 delivered before %3, with "
                                              "their attempts? They cannot be restored.")
                                   .arg(total)
                                   .arg(scope, limitText))) {
            m_output.info(QStringLiteral("Nothing was pruned."));
            return ExitCode::Refused;
        }
    }

    PruneCounts counts;
    int reportedTenth = 0;
    while (true) {
        const qint64 soFar = counts.statements();
        QElapsedTimer took;
        took.start();
        if (!pruner.pruneChunk(before, integrationId, DeliveryPruner::ChunkSize, &counts, &error)) {
            m_output.error(QStringLiteral("pruning stopped after %1 statement(s): %2 What was pruned stays pruned; run "
                                          "the same command again to go on.")
                               .arg(counts.statements())
                               .arg(error));
            return ExitCode::Refused;
        }
        if (counts.statements() == soFar)
            break;
        QThread::msleep(DeliveryPruner::pauseAfterMs(took.elapsed()));
        const int tenth = int(std::min<qint64>(10, counts.statements() * 10 / total));
        if (tenth > reportedTenth && counts.statements() < total) {
            reportedTenth = tenth;
            m_output.info(QStringLiteral("Pruned %1 of %2…").arg(counts.statements()).arg(total));
        }
    }
    QTextStream& out = m_output.out();
    out << "Pruned " << counts.statements() << " statement(s) of " << scope << " delivered before " << limitText << " ("
        << counts.delivered << " delivered, " << counts.duplicates << " duplicate(s)) with " << counts.attempts
        << " attempt(s). queue status keeps counting them.\n";
    DeliveryPruner::Space space;
    if (!pruner.giveSpaceBack(true, &space, &error,
                              [](qint64 stepMs) { QThread::msleep(DeliveryPruner::pauseAfterMs(stepMs)); })) {
        out << Qt::flush;
        m_output.warning(QStringLiteral("the space was not given back to the file system: %1").arg(error));
        return ExitCode::Success;
    }
    if (m_cli.store().dialect() == Migrations::Dialect::Sqlite) {
        out << (space.converted ? "The store was rebuilt once so that it gives space back after every prune: "
                                : "Space given back: ")
            << megabytes(space.bytesBefore - space.bytesAfter) << " (the store is now " << megabytes(space.bytesAfter)
            << ").\n";
    } else {
        out << "PostgreSQL's autovacuum reuses the space (the database is " << megabytes(space.bytesAfter) << ").\n";
    }
    out << Qt::flush;
    return ExitCode::Success;
}
