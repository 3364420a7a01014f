#include "cli/ValidateCommand.h"

#include "cli/ArgumentCheck.h"
#include "statements/RuleTable.h"
#include "statements/StatementReader.h"

#include <QCommandLineParser>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

ValidateCommand::ValidateCommand(Cli& cli, QObject* parent)
    : QObject(parent)
    , m_output(cli.output())
{}

bool ValidateCommand::openInput(const QString& source, QFile* file, QString* error)
{
    const bool opened = source == QLatin1String("-") ? file->open(stdin, QIODevice::ReadOnly)
                                                     : (file->setFileName(source), file->open(QIODevice::ReadOnly));
    if (!opened)
        *error = QStringLiteral("%1: cannot be read (%2).").arg(source, file->errorString());
    return opened;
}

bool ValidateCommand::readInput(const QString& source, QByteArray* data, QString* error)
{
    QFile file;
    if (!openInput(source, &file, error))
        return false;
    // One request's worth at most: larger input is refused from what was read, never read whole.
    *data = file.read(MaxInputBytes + 1);
    if (data->size() > MaxInputBytes) {
        data->clear();
        *error = QStringLiteral("%1: more than %2 MB; one request takes at most that much (queue larger inputs with "
                                "xapi-courier enqueue).")
                     .arg(source)
                     .arg(MaxInputBytes >> 20);
        return false;
    }
    return true;
}

int ValidateCommand::run(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Check statements against the xAPI 1.0.3 rules (or 2.0.0's). "
                                                    "Accepts one statement, a JSON array, or one statement per line "
                                                    "(NDJSON)."));
    parser.addHelpOption();
    parser.addOption(ArgumentCheck::verboseOption());
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print the findings as a JSON array (statement, path, "
                                                             "message, rule).")});
    parser.addOption({QStringLiteral("xapi-version"),
                      QStringLiteral("The xAPI version to validate against: 1.0.3 (default) or 2.0.0."),
                      QStringLiteral("version"), QStringLiteral("1.0.3")});
    parser.addOption({QStringLiteral("rules"), QStringLiteral("Print the rule table instead: every requirement of "
                                                              "the spec's Data part, and whether it is checked.")});
    parser.addOption({QStringLiteral("markdown"), QStringLiteral("With --rules: as a Markdown table.")});
    parser.addPositionalArgument(QStringLiteral("file"), QStringLiteral("The statements, or - for standard input."));
    if (const std::optional<int> stop =
            ArgumentCheck::parse(m_output, parser, QStringLiteral("xapi-courier validate"), arguments, 1))
        return *stop;
    if (parser.isSet(QStringLiteral("rules")))
        return printRules(parser.isSet(QStringLiteral("json")), parser.isSet(QStringLiteral("markdown")));
    if (parser.positionalArguments().size() != 1) {
        m_output.error(QStringLiteral("name one file, or - for standard input."));
        return ExitCode::Usage;
    }
    const std::optional<XapiVersion> version = XapiVersions::parse(parser.value(QStringLiteral("xapi-version")));
    if (!version) {
        m_output.error(QStringLiteral("--xapi-version is 1.0.3 or 2.0.0, not “%1”.")
                           .arg(parser.value(QStringLiteral("xapi-version"))));
        return ExitCode::Usage;
    }
    const QString source = parser.positionalArguments().first();
    QFile input;
    QString error;
    if (!openInput(source, &input, &error)) {
        m_output.error(error);
        return ExitCode::Usage;
    }
    StatementReader reader(input, true, *version); // NDJSON a line at a time: a file of any length takes little memory
    // Findings beyond this many are counted, not kept: an input of millions of invalid statements takes no more
    // memory than a valid one.
    constexpr qsizetype MaxFindingsKept = 10000;
    QList<Finding> findings;
    qint64 notKept = 0;
    int count = 0;
    while (reader.next()) {
        ++count;
        for (const Finding& finding : reader.findings()) {
            if (findings.size() < MaxFindingsKept)
                findings << finding;
            else
                ++notKept;
        }
    }
    if (!reader.parseError().isEmpty()) {
        m_output.error(QStringLiteral("%1: %2").arg(source, reader.parseError()));
        return ExitCode::Usage;
    }
    if (parser.isSet(QStringLiteral("json"))) {
        QJsonArray array;
        for (const Finding& finding : findings)
            array << QJsonObject{{QStringLiteral("statement"), finding.statement},
                                 {QStringLiteral("path"), finding.path},
                                 {QStringLiteral("message"), finding.message},
                                 {QStringLiteral("rule"), finding.rule}};
        m_output.out() << QJsonDocument(array).toJson(QJsonDocument::Indented) << Qt::flush;
    } else {
        for (const Finding& finding : findings)
            m_output.out() << finding.toText() << '\n';
        m_output.out() << Qt::flush;
        if (findings.isEmpty())
            m_output.info(count == 1 ? QStringLiteral("1 statement, valid.")
                                     : QStringLiteral("%1 statements, all valid.").arg(count));
        else
            m_output.info(QStringLiteral("%1 finding(s) in %2 statement(s).").arg(findings.size()).arg(count));
    }
    if (notKept > 0)
        m_output.warning(QStringLiteral("%1 more finding(s) are not shown: only the first %2 are.")
                             .arg(notKept)
                             .arg(MaxFindingsKept));
    return findings.isEmpty() ? ExitCode::Success : ExitCode::Refused;
}

int ValidateCommand::printRules(bool json, bool markdown)
{
    if (markdown) {
        m_output.out() << RuleTable::markdown() << Qt::flush;
        return ExitCode::Success;
    }
    if (json) {
        QJsonArray array;
        for (const Rule& rule : RuleTable::all())
            array << QJsonObject{{QStringLiteral("rule"), QLatin1StringView(rule.id)},
                                 {QStringLiteral("section"), QLatin1StringView(rule.section)},
                                 {QStringLiteral("requirement"), QString::fromUtf8(rule.requirement)},
                                 {QStringLiteral("status"), rule.kindName()},
                                 {QStringLiteral("where"), QString::fromUtf8(rule.where)},
                                 {QStringLiteral("citation"), rule.citation()}};
        m_output.out() << QJsonDocument(array).toJson(QJsonDocument::Indented) << Qt::flush;
        return ExitCode::Success;
    }
    for (const Rule& rule : RuleTable::all())
        m_output.out() << QStringLiteral("%1  %2  [%3]  %4\n")
                              .arg(QLatin1StringView(rule.id), -24)
                              .arg(QString::fromUtf8(rule.requirement), rule.kindName(), QString::fromUtf8(rule.where));
    m_output.out() << Qt::flush;
    return ExitCode::Success;
}
