#include "cli/CheckCommand.h"

#include "cli/ArgumentCheck.h"
#include "cli/SandboxCommand.h"
#include "common/Clock.h"
#include "delivery/TokenClient.h"
#include "integrations/IntegrationService.h"
#include "receiver/ReceiverCheck.h"

#include <QCommandLineParser>
#include <QJsonDocument>
#include <QNetworkAccessManager>

CheckCommand::CheckCommand(Cli& cli, QObject* parent)
    : QObject(parent)
    , m_cli(cli)
    , m_output(cli.output())
{}

CheckCommand::~CheckCommand()
{
    delete m_check; // before the token client and network it uses
}

void CheckCommand::run(const QStringList& arguments, Cli::Finished finished)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Check an integration's receiver before the first real statement leaves: about, authentication, post, "
        "resend-identical, resend-conflicting, missing-version-header, batch-duplicate-ids, read-back, cleanup. "
        "Test statements go straight to the receiver (never queued) and are voided afterwards unless --keep."));
    parser.addOption(Cli::databaseOption());
    parser.addHelpOption();
    parser.addOption(
        {QStringLiteral("integration"), QStringLiteral("The integration, by name or id."), QStringLiteral("NAME|ID")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print the checklist as JSON.")});
    parser.addOption({QStringLiteral("keep"), QStringLiteral("Do not void the test statements afterwards.")});
    parser.addOption({QStringLiteral("timeout"),
                      QStringLiteral("Give up on a request after this long (default %1).")
                          .arg(ReceiverCheck::DefaultTimeoutMs / 1000),
                      QStringLiteral("SECONDS")});
    parser.addOption(ArgumentCheck::verboseOption());
    if (const std::optional<int> stop =
            ArgumentCheck::parse(m_output, parser, QStringLiteral("xapi-courier check"), arguments, 0))
        return finished(*stop);
    if (!parser.isSet(QStringLiteral("integration"))) {
        m_output.error(QStringLiteral("give --integration NAME (and no other arguments)."));
        return finished(ExitCode::Usage);
    }
    int timeoutMs = ReceiverCheck::DefaultTimeoutMs;
    if (parser.isSet(QStringLiteral("timeout"))) {
        bool ok = false;
        const double seconds = parser.value(QStringLiteral("timeout")).toDouble(&ok);
        if (!ok || seconds <= 0 || seconds > 600) {
            m_output.error(QStringLiteral("--timeout takes a number of seconds, up to 600."));
            return finished(ExitCode::Usage);
        }
        timeoutMs = int(seconds * 1000);
    }
    if (!m_cli.openStore(parser.value(QStringLiteral("db"))))
        return finished(ExitCode::Refused);
    const QString name = parser.value(QStringLiteral("integration"));
    QString error;
    const auto integration = m_cli.integrations().repository().find(name, &error);
    if (!integration) {
        m_output.error(QStringLiteral("integration: no integration is named “%1” or has that id.")
                           .arg(SandboxCommand::terminalSafe(name)));
        return finished(ExitCode::Refused);
    }
    const bool json = parser.isSet(QStringLiteral("json"));
    m_network = std::make_unique<QNetworkAccessManager>();
    m_tokens = std::make_unique<TokenClient>(*m_network, m_cli.secrets(), Clock::system());
    m_tokens->setTimeout(timeoutMs);
    m_check = new ReceiverCheck(*integration, *m_tokens, *m_network, this);
    m_check->setKeep(parser.isSet(QStringLiteral("keep")));
    m_check->setTimeout(timeoutMs);
    // Said before anything is sent, on stderr so that --json stays one document on stdout.
    m_output.info(SandboxCommand::terminalSafe(
        QStringLiteral("Checking the receiver of “%1”. %2").arg(integration->name, m_check->plan())));
    connect(m_check, &ReceiverCheck::finished, this, [this, json, finished] {
        print(json);
        finished(m_check->failed() ? ExitCode::Refused : ExitCode::Success);
    });
    m_check->start();
}

void CheckCommand::print(bool json)
{
    QTextStream& out = m_output.out();
    if (json) {
        out << QJsonDocument(m_check->toJson()).toJson(QJsonDocument::Indented) << Qt::flush;
        return;
    }
    QHash<ReceiverCheckResult::Result, int> counts;
    for (const ReceiverCheckResult& result : m_check->results()) {
        ++counts[result.result];
        out << ReceiverCheckResult::resultName(result.result).toUpper().leftJustified(6) << result.id.leftJustified(24)
            << SandboxCommand::terminalSafe(result.detail) << '\n';
        if (!result.sent.isEmpty())
            out << QString(30, QLatin1Char(' ')) << "> "
                << SandboxCommand::terminalSafe(result.sent.section(QLatin1Char('\n'), 0, 0)) << '\n';
        if (!result.received.isEmpty())
            out << QString(30, QLatin1Char(' ')) << "< "
                << SandboxCommand::terminalSafe(result.received.section(QLatin1Char('\n'), 0, 0).left(200)) << '\n';
    }
    out << "\nxAPI versions offered: "
        << (m_check->xapiVersions().isEmpty()
                ? QStringLiteral("unknown")
                : SandboxCommand::terminalSafe(m_check->xapiVersions().join(QStringLiteral(", "))))
        << '\n';
    out << counts.value(ReceiverCheckResult::Result::Pass) << " pass, "
        << counts.value(ReceiverCheckResult::Result::Warn) << " warn, "
        << counts.value(ReceiverCheckResult::Result::Fail) << " fail, "
        << counts.value(ReceiverCheckResult::Result::Skip) << " skip.\n"
        << Qt::flush;
}
