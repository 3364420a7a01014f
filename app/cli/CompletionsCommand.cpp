#include "cli/CompletionsCommand.h"

#include "cli/Terminal.h"
#include "cli/ValidateCommand.h"
#include "completions/CompletionStore.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>

CompletionsCommand::CompletionsCommand(Cli& cli, QObject* parent)
    : QObject(parent)
    , m_cli(cli)
    , m_output(cli.output())
{}

int CompletionsCommand::run(const QStringList& arguments)
{
    const QString action = arguments.value(0);
    if (action != QLatin1String("list") && action != QLatin1String("import") && action != QLatin1String("delete")) {
        m_output.out() << "Usage: xapi-courier completions list [--content ID] [--user ID] [--json]\n"
                          "       xapi-courier completions import FILE|-    (JSON lines in the webhook format)\n"
                          "       xapi-courier completions delete --content ID [--yes]\n"
                       << Qt::flush;
        return action == QLatin1String("--help") ? ExitCode::Success : ExitCode::Usage;
    }
    QCommandLineParser parser;
    parser.addOption(Cli::databaseOption());
    parser.addHelpOption();
    parser.addOption({QStringLiteral("content"), QStringLiteral("Only this content id."), QStringLiteral("ID")});
    parser.addOption({QStringLiteral("user"), QStringLiteral("Only this user id."), QStringLiteral("ID")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print a JSON array of records.")});
    parser.addOption({QStringLiteral("limit"), QStringLiteral("At most this many (default 1000)."), QStringLiteral("N"),
                      QStringLiteral("1000")});
    parser.addOption({QStringLiteral("yes"), QStringLiteral("Delete without asking.")});
    parser.addPositionalArgument(QStringLiteral("file"),
                                 QStringLiteral("For import: the file, or - for standard input."));
    QStringList parserArguments = arguments;
    parserArguments[0] = QStringLiteral("xapi-courier completions ") + action;
    if (!parser.parse(parserArguments)) {
        m_output.error(parser.errorText() + QStringLiteral(" (see xapi-courier completions --help)"));
        return ExitCode::Usage;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        m_output.out() << parser.helpText() << Qt::flush;
        return ExitCode::Success;
    }
    QByteArray input;
    QString error;
    if (action == QLatin1String("import")) {
        if (parser.positionalArguments().size() != 1) {
            m_output.error(QStringLiteral("name one file, or - for standard input."));
            return ExitCode::Usage;
        }
        if (!ValidateCommand::readInput(parser.positionalArguments().first(), &input, &error)) {
            m_output.error(error);
            return ExitCode::Usage;
        }
    }
    if (action == QLatin1String("delete") && parser.value(QStringLiteral("content")).isEmpty()) {
        m_output.error(QStringLiteral("--content ID is required: which content's records to delete."));
        return ExitCode::Usage;
    }
    if (!m_cli.openStore(parser.value(QStringLiteral("db"))))
        return ExitCode::Refused;
    CompletionStore completions(m_cli.store());

    if (action == QLatin1String("import")) {
        const CompletionStore::ImportReport report = completions.importLines(input, &error);
        for (const QString& refusal : report.refused)
            m_output.error(refusal);
        if (!error.isEmpty()) {
            m_output.error(error);
            return ExitCode::Refused;
        }
        m_output.info(QStringLiteral("%1 stored, %2 replaced, %3 unchanged, %4 refused.")
                          .arg(report.stored)
                          .arg(report.replaced)
                          .arg(report.unchanged)
                          .arg(report.refused.size()));
        return report.refused.isEmpty() ? ExitCode::Success : ExitCode::Refused;
    }
    if (action == QLatin1String("delete")) {
        const QString content = parser.value(QStringLiteral("content"));
        if (!parser.isSet(QStringLiteral("yes"))) {
            if (!Terminal::stdinIsTerminal()) {
                m_output.error(
                    QStringLiteral("deleting needs confirmation: add --yes when not running on a terminal."));
                return ExitCode::Usage;
            }
            CompletionFilter filter;
            filter.contentId = content;
            if (!Terminal::confirm(QStringLiteral("Delete the %1 completion records of content “%2”?")
                                       .arg(completions.count(filter, &error))
                                       .arg(content)))
                return ExitCode::Refused;
        }
        const int removed = completions.removeContent(content, &error);
        if (removed < 0) {
            m_output.error(error);
            return ExitCode::Refused;
        }
        m_output.info(QStringLiteral("Deleted %1 completion records of content “%2”.").arg(removed).arg(content));
        return ExitCode::Success;
    }
    CompletionFilter filter;
    filter.contentId = parser.value(QStringLiteral("content"));
    filter.userId = parser.value(QStringLiteral("user"));
    const QList<CompletionRecord> records = completions.page(filter, CompletionStore::Sort::Finished, true,
                                                             parser.value(QStringLiteral("limit")).toInt(), 0, &error);
    if (!error.isEmpty()) {
        m_output.error(error);
        return ExitCode::Refused;
    }
    if (parser.isSet(QStringLiteral("json"))) {
        QJsonArray array;
        for (const CompletionRecord& record : records)
            array << record.toJson();
        m_output.out() << QJsonDocument(array).toJson(QJsonDocument::Indented) << Qt::flush;
        return ExitCode::Success;
    }
    if (records.isEmpty())
        m_output.info(QStringLiteral("No completion records."));
    for (const CompletionRecord& record : records) {
        m_output.out()
            << QDateTime::fromSecsSinceEpoch(record.finishedTimestamp).toString(QStringLiteral("yyyy-MM-dd HH:mm"))
            << "  content " << record.contentId << "  user " << record.userId << "  " << record.score << "/"
            << record.maxScore << "  " << record.completionTime << " s\n";
    }
    m_output.out() << Qt::flush;
    return ExitCode::Success;
}
