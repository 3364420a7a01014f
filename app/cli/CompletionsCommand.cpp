#include "cli/CompletionsCommand.h"

#include "cli/ArgumentCheck.h"
#include "cli/Terminal.h"
#include "completions/CompletionStore.h"

#include <QCommandLineParser>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

namespace {

const QString usage =
    QStringLiteral("Usage: xapi-courier completions list [--content ID] [--user ID] [--limit N] [--json]\n"
                   "       xapi-courier completions import FILE|-   (JSON lines in the webhook format)\n"
                   "       xapi-courier completions delete --content ID [--yes]\n");

} // namespace

CompletionsCommand::CompletionsCommand(Cli& cli, QObject* parent)
    : QObject(parent)
    , m_cli(cli)
    , m_output(cli.output())
{}

int CompletionsCommand::run(const QStringList& arguments)
{
    const QString action = arguments.value(0);
    if (action != QLatin1String("list") && action != QLatin1String("import") && action != QLatin1String("delete")) {
        if (action == QLatin1String("--help") || action == QLatin1String("-h")) {
            m_output.out() << usage << Qt::flush;
            return ExitCode::Success;
        }
        m_output.error(action.isEmpty() ? QStringLiteral("name an action: list, import or delete.")
                                        : QStringLiteral("unknown action “%1”: list, import or delete.").arg(action));
        m_output.info(usage.trimmed());
        return ExitCode::Usage;
    }
    QCommandLineParser parser;
    parser.addOption(Cli::databaseOption());
    parser.addHelpOption();
    parser.addOption(ArgumentCheck::verboseOption());
    if (action == QLatin1String("list")) {
        parser.setApplicationDescription(QStringLiteral("Completion records, the newest finished first."));
        parser.addOption({QStringLiteral("content"), QStringLiteral("Only this content id."), QStringLiteral("ID")});
        parser.addOption({QStringLiteral("user"), QStringLiteral("Only this user id."), QStringLiteral("ID")});
        parser.addOption({QStringLiteral("json"),
                          QStringLiteral("Print a JSON array of records (contentId, userId, score, maxScore, "
                                         "openedTimestamp, finishedTimestamp, completionTime, receivedAt, source, "
                                         "statementId).")});
        parser.addOption({QStringLiteral("limit"), QStringLiteral("At most this many (default 1000; 0: all)."),
                          QStringLiteral("N"), QStringLiteral("1000")});
    } else if (action == QLatin1String("import")) {
        parser.setApplicationDescription(
            QStringLiteral("Import completion records, one JSON object per line in the webhook format (contentId, "
                           "userId, score, maxScore, openedTimestamp, finishedTimestamp, completionTime), in one "
                           "transaction. A newer record replaces the one of the same user and content; each stored "
                           "record's statement is queued to every enabled integration. Refused lines are listed with "
                           "their line number and field, the others kept (exit 1 when any was refused)."));
        parser.addPositionalArgument(QStringLiteral("file"), QStringLiteral("The file, or - for standard input."));
    } else {
        parser.setApplicationDescription(
            QStringLiteral("Delete every completion record of a content, as an H5P server does when the content is "
                           "deleted. Statements already queued or delivered are not affected."));
        parser.addOption({QStringLiteral("content"), QStringLiteral("The content id."), QStringLiteral("ID")});
        parser.addOption({QStringLiteral("yes"), QStringLiteral("Delete without asking (needed off a terminal).")});
    }
    if (const std::optional<int> stop =
            ArgumentCheck::parse(m_output, parser, QStringLiteral("xapi-courier completions ") + action,
                                 arguments.mid(1), action == QLatin1String("import") ? 1 : 0))
        return *stop;
    if (action == QLatin1String("import"))
        return runImport(parser);
    if (action == QLatin1String("delete"))
        return runDelete(parser);
    return runList(parser);
}

int CompletionsCommand::runList(const QCommandLineParser& parser)
{
    if (!parser.positionalArguments().isEmpty()) {
        m_output.error(QStringLiteral("list takes no file: choose records with --content ID or --user ID."));
        return ExitCode::Usage;
    }
    bool ok = false;
    const int limit = parser.value(QStringLiteral("limit")).toInt(&ok);
    if (!ok || limit < 0) {
        m_output.error(QStringLiteral("--limit: a whole number, 0 or more (0: all)."));
        return ExitCode::Usage;
    }
    if (!m_cli.openStore(parser.value(QStringLiteral("db")), Cli::StoreUse::Read))
        return ExitCode::Refused;
    CompletionStore completions(m_cli.store());
    CompletionFilter filter;
    filter.contentId = parser.value(QStringLiteral("content")).trimmed();
    filter.userId = parser.value(QStringLiteral("user")).trimmed();
    QString error;
    const int total = completions.count(filter, &error);
    const QList<CompletionRecord> records = total < 0 ? QList<CompletionRecord>()
                                                      : completions.page(filter, CompletionStore::Sort::Finished, true,
                                                                         limit == 0 ? total : limit, 0, &error);
    if (!error.isEmpty()) {
        m_output.error(error);
        return ExitCode::Refused;
    }
    if (parser.isSet(QStringLiteral("json"))) {
        QJsonArray array;
        for (const CompletionRecord& record : records)
            array << record.toJson();
        m_output.out() << QJsonDocument(array).toJson(QJsonDocument::Indented) << Qt::flush;
    } else if (records.isEmpty()) {
        m_output.info(filter.isEmpty() ? QStringLiteral("No completion records yet: they arrive through the receiver "
                                                        "(worker --receiver PORT) or with completions import FILE.")
                                       : QStringLiteral("No completion records match."));
    } else {
        QTextStream& out = m_output.out();
        out << QStringLiteral("%1  %2  %3  %4  %5  %6\n")
                   .arg(QStringLiteral("FINISHED (UTC)"), -16)
                   .arg(QStringLiteral("CONTENT"), -12)
                   .arg(QStringLiteral("USER"), -24)
                   .arg(QStringLiteral("SCORE"), 9)
                   .arg(QStringLiteral("TIME"), 8)
                   .arg(QStringLiteral("STATEMENT"));
        for (const CompletionRecord& record : records) {
            out << QStringLiteral("%1  %2  %3  %4  %5  %6\n")
                       .arg(QDateTime::fromSecsSinceEpoch(record.finishedTimestamp, Qt::UTC)
                                .toString(QStringLiteral("yyyy-MM-dd HH:mm")),
                            -16)
                       .arg(record.contentId, -12)
                       .arg(record.userId, -24)
                       .arg(QStringLiteral("%1/%2").arg(record.score).arg(record.maxScore), 9)
                       .arg(QStringLiteral("%1 s").arg(record.completionTime), 8)
                       .arg(record.statementId);
        }
        out << Qt::flush;
    }
    if (records.size() < total)
        m_output.info(QStringLiteral("Showing %1 of %2 records; --limit 0 shows all.").arg(records.size()).arg(total));
    return ExitCode::Success;
}

int CompletionsCommand::runImport(const QCommandLineParser& parser)
{
    if (parser.positionalArguments().size() != 1) {
        m_output.error(QStringLiteral("name one file to import, or - for standard input."));
        return ExitCode::Usage;
    }
    const QString source = parser.positionalArguments().first();
    QFile file;
    const bool opened = source == QLatin1String("-") ? file.open(stdin, QIODevice::ReadOnly)
                                                     : (file.setFileName(source), file.open(QIODevice::ReadOnly));
    if (!opened) {
        m_output.error(QStringLiteral("%1: cannot be read (%2).").arg(source, file.errorString()));
        return ExitCode::Usage;
    }
    if (!m_cli.openStore(parser.value(QStringLiteral("db"))))
        return ExitCode::Refused;
    QString error;
    const CompletionStore::ImportReport report = CompletionStore(m_cli.store()).importFrom(file, &error);
    if (!error.isEmpty()) {
        m_output.error(error + QStringLiteral(" Nothing was imported."));
        return ExitCode::Refused;
    }
    for (const CompletionStore::Refusal& refusal : report.refused)
        m_output.error(QStringLiteral("%1: %2").arg(source, refusal.toText()));
    for (const CompletionStore::Skipped& skipped : report.skipped)
        m_output.warning(skipped.reason);
    m_output.info(report.summary());
    return report.refused.isEmpty() ? ExitCode::Success : ExitCode::Refused;
}

int CompletionsCommand::runDelete(const QCommandLineParser& parser)
{
    const QString content = parser.value(QStringLiteral("content")).trimmed();
    if (content.isEmpty()) {
        m_output.error(QStringLiteral("--content ID is required: which content's records to delete."));
        return ExitCode::Usage;
    }
    if (!parser.isSet(QStringLiteral("yes")) && !Terminal::stdinIsTerminal()) {
        m_output.error(QStringLiteral("deleting needs confirmation: add --yes when not running on a terminal."));
        return ExitCode::Usage;
    }
    if (!m_cli.openStore(parser.value(QStringLiteral("db"))))
        return ExitCode::Refused;
    CompletionStore completions(m_cli.store());
    QString error;
    if (!parser.isSet(QStringLiteral("yes"))) {
        CompletionFilter filter;
        filter.contentId = content;
        const int count = completions.count(filter, &error);
        if (count < 0) {
            m_output.error(error);
            return ExitCode::Refused;
        }
        if (count == 0) {
            m_output.info(QStringLiteral("Content “%1” has no completion records.").arg(content));
            return ExitCode::Success;
        }
        if (!Terminal::confirm(QStringLiteral("Delete the %1 completion records of content “%2”? Statements "
                                              "already queued or delivered stay.")
                                   .arg(count)
                                   .arg(content))) {
            m_output.info(QStringLiteral("Nothing deleted."));
            return ExitCode::Refused;
        }
    }
    const int removed = completions.removeContent(content, &error);
    if (removed < 0) {
        m_output.error(error);
        return ExitCode::Refused;
    }
    m_output.info(QStringLiteral("Deleted %1 completion records of content “%2”.").arg(removed).arg(content));
    return ExitCode::Success;
}
