#include "cli/AlertsCommand.h"

#include "alerts/AlertLog.h"
#include "alerts/Notifier.h"
#include "alerts/SmtpSettings.h"
#include "cli/ArgumentCheck.h"
#include "cli/Terminal.h"
#include "common/Clock.h"
#include "completions/CompletionReceiver.h"
#include "integrations/IntegrationService.h"
#include "secrets/SecretStore.h"

#include <QJsonArray>
#include <QJsonDocument>

AlertsCommand::AlertsCommand(Cli& cli, QObject* parent)
    : QObject(parent)
    , m_cli(cli)
    , m_output(cli.output())
{}

void AlertsCommand::finish(int code)
{
    if (m_finished)
        std::exchange(m_finished, nullptr)(code);
}

bool AlertsCommand::parse(QCommandLineParser& parser, const QString& command, const QStringList& arguments)
{
    parser.addOption(Cli::databaseOption());
    parser.addHelpOption();
    parser.addOption(ArgumentCheck::verboseOption());
    // Every action takes options only.
    if (const std::optional<int> stop =
            ArgumentCheck::parse(m_output, parser, QStringLiteral("xapi-courier %1 %2").arg(command, arguments.first()),
                                 arguments.mid(1), 0)) {
        finish(*stop);
        return false;
    }
    const bool reads = command == QLatin1String("alerts"); // alerts list and alerts test only read the store
    if (!m_cli.openStore(parser.value(QStringLiteral("db")), reads ? Cli::StoreUse::Read : Cli::StoreUse::Write)) {
        finish(ExitCode::Refused);
        return false;
    }
    return true;
}

void AlertsCommand::runAlerts(const QStringList& arguments, Cli::Finished finished)
{
    m_finished = std::move(finished);
    const QString action = arguments.value(0);
    QCommandLineParser parser;
    if (action == QLatin1String("list")) {
        parser.setApplicationDescription(QStringLiteral("Every alert: time, integration, recipients, subject, and "
                                                        "whether it was sent, failed or suppressed by the 24-hour "
                                                        "window."));
        parser.addOption({QStringLiteral("json"), QStringLiteral("Print a JSON array.")});
        parser.addOption(
            {QStringLiteral("integration"), QStringLiteral("Only this integration."), QStringLiteral("NAME|ID")});
        parser.addOption({QStringLiteral("limit"), QStringLiteral("At most this many (default 200)."),
                          QStringLiteral("N"), QStringLiteral("200")});
        if (parse(parser, QStringLiteral("alerts"), arguments))
            list(parser);
    } else if (action == QLatin1String("test")) {
        parser.setApplicationDescription(QStringLiteral("Send a test e-mail through the configured SMTP server and "
                                                        "print the server's answer."));
        parser.addOption({QStringLiteral("to"), QStringLiteral("Recipient."), QStringLiteral("ADDRESS")});
        if (parse(parser, QStringLiteral("alerts"), arguments))
            test(parser);
    } else {
        const bool help = action == QLatin1String("--help") || action == QLatin1String("-h");
        if (!help)
            m_output.error(action.isEmpty() ? QStringLiteral("name an action: list or test.")
                                            : QStringLiteral("unknown action “%1”: list or test.").arg(action));
        m_output.out() << "Usage: xapi-courier alerts list [--json] [--integration NAME] [--limit N]\n"
                          "       xapi-courier alerts test --to ADDRESS\n"
                       << Qt::flush;
        finish(help ? ExitCode::Success : ExitCode::Usage);
    }
}

void AlertsCommand::runSettings(const QStringList& arguments, Cli::Finished finished)
{
    m_finished = std::move(finished);
    if (arguments.value(0) == QLatin1String("receiver")) {
        QCommandLineParser parser;
        parser.setApplicationDescription(QStringLiteral("The bearer token H5P servers send to POST /completions, kept "
                                                        "in the OS keychain."));
        parser.addOption(
            {QStringLiteral("webhook-token-stdin"), QStringLiteral("Read the token from standard input.")});
        if (!parse(parser, QStringLiteral("settings"), arguments))
            return;
        if (!parser.isSet(QStringLiteral("webhook-token-stdin"))) {
            m_output.error(QStringLiteral("give the token with --webhook-token-stdin."));
            return finish(ExitCode::Usage);
        }
        const QString token = Terminal::readAllStdin().trimmed();
        if (token.size() < 16) {
            m_output.error(QStringLiteral("webhookToken: use at least 16 characters (e.g. openssl rand -hex 24)."));
            return finish(ExitCode::Refused);
        }
        m_cli.secrets().write(CompletionReceiver::webhookTokenKey(), token, this, [this](const SecretResult& written) {
            if (!written.ok()) {
                m_output.error(QStringLiteral("The token was not saved. %1").arg(written.message));
                return finish(ExitCode::Refused);
            }
            m_output.info(QStringLiteral("Webhook token saved in the OS keychain."));
            finish(ExitCode::Success);
        });
        return;
    }
    if (arguments.value(0) != QLatin1String("smtp")) {
        const QString action = arguments.value(0);
        const bool help = action == QLatin1String("--help") || action == QLatin1String("-h");
        if (!help)
            m_output.error(action.isEmpty() ? QStringLiteral("name the settings: smtp or receiver.")
                                            : QStringLiteral("unknown settings “%1”: smtp or receiver.").arg(action));
        m_output.out() << "Usage: xapi-courier settings smtp [--host H] [--port P] [--security none|starttls|tls] "
                          "[--user U] [--password-stdin] [--from ADDRESS] [--json]\n"
                          "       xapi-courier settings receiver --webhook-token-stdin\n"
                          "\n"
                          "  smtp      The SMTP server alerts go through (the password is kept in the OS keychain);\n"
                          "            without options, prints the settings.\n"
                          "  receiver  The bearer token H5P servers send to POST /completions (kept in the OS\n"
                          "            keychain).\n"
                          "\n"
                          "Run `xapi-courier settings smtp --help` for the options of one.\n"
                       << Qt::flush;
        return finish(help ? ExitCode::Success : ExitCode::Usage);
    }
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Set the SMTP server alerts are sent through. The password is "
                                                    "kept in the OS keychain. Without options, prints the settings."));
    parser.addOptions({
        {QStringLiteral("host"), QStringLiteral("SMTP host."), QStringLiteral("H")},
        {QStringLiteral("port"), QStringLiteral("Port (587 STARTTLS, 465 TLS, 25 none)."), QStringLiteral("P")},
        {QStringLiteral("security"), QStringLiteral("none, starttls or tls."), QStringLiteral("MODE")},
        {QStringLiteral("user"), QStringLiteral("User name, if the server wants one."), QStringLiteral("U")},
        {QStringLiteral("password-stdin"), QStringLiteral("Read the password from standard input (kept in the OS "
                                                          "keychain).")},
        {QStringLiteral("from"), QStringLiteral("Sender address."), QStringLiteral("ADDRESS")},
        {QStringLiteral("json"), QStringLiteral("Print the settings as JSON (never the password).")},
    });
    if (parse(parser, QStringLiteral("settings"), arguments))
        smtp(parser);
}

void AlertsCommand::list(QCommandLineParser& parser)
{
    QString error;
    qint64 integrationId = 0;
    if (parser.isSet(QStringLiteral("integration"))) {
        const auto found = m_cli.integrations().repository().find(parser.value(QStringLiteral("integration")), &error);
        if (!found) {
            m_output.error(QStringLiteral("integration: no integration is named “%1” or has that id.")
                               .arg(parser.value(QStringLiteral("integration"))));
            return finish(ExitCode::Refused);
        }
        integrationId = found->id;
    }
    const QList<AlertRecord> alerts =
        AlertLog(m_cli.store()).list(integrationId, parser.value(QStringLiteral("limit")).toInt(), &error);
    if (!error.isEmpty()) {
        m_output.error(error);
        return finish(ExitCode::Refused);
    }
    if (parser.isSet(QStringLiteral("json"))) {
        QJsonArray array;
        for (const AlertRecord& alert : alerts)
            array << alert.toJson();
        m_output.out() << QJsonDocument(array).toJson(QJsonDocument::Indented) << Qt::flush;
        return finish(ExitCode::Success);
    }
    if (alerts.isEmpty()) {
        m_output.info(QStringLiteral("No alerts yet."));
        return finish(ExitCode::Success);
    }
    // A table, one alert per line (its columns as wide as their longest value), the error and the next try of a
    // failed one on the lines below it.
    QList<QStringList> rows{{QStringLiteral("TIME"), QStringLiteral("STATE"), QStringLiteral("INTEGRATION"),
                             QStringLiteral("SUBJECT"), QStringLiteral("TO")}};
    for (const AlertRecord& alert : alerts) {
        rows << QStringList{alert.createdAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                            AlertRecord::stateName(alert.state), CliOutput::oneLine(alert.integrationName),
                            CliOutput::oneLine(alert.subject), alert.recipients.join(QStringLiteral(", "))};
    }
    QList<qsizetype> widths(rows.first().size(), 0);
    for (const QStringList& row : std::as_const(rows)) {
        for (qsizetype column = 0; column < row.size(); ++column)
            widths[column] = std::max(widths[column], row.at(column).size());
    }
    QTextStream& out = m_output.out();
    for (qsizetype i = 0; i < rows.size(); ++i) {
        const QStringList& row = rows.at(i);
        for (qsizetype column = 0; column < row.size(); ++column)
            out << (column + 1 < row.size() ? row.at(column).leftJustified(widths[column] + 2) : row.at(column));
        out << '\n';
        if (i == 0)
            continue;
        const AlertRecord& alert = alerts.at(i - 1);
        if (!alert.error.isEmpty())
            out << "    " << CliOutput::oneLine(alert.error) << '\n';
        if (alert.state == AlertRecord::State::Failed && alert.nextAttemptAt.isValid())
            out << "    Tried again at "
                << alert.nextAttemptAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
                << " while its cause lasts.\n";
    }
    out << Qt::flush;
    finish(ExitCode::Success);
}

void AlertsCommand::test(QCommandLineParser& parser)
{
    const QString to = parser.value(QStringLiteral("to")).trimmed();
    if (to.isEmpty()) {
        m_output.error(QStringLiteral("--to ADDRESS is required."));
        return finish(ExitCode::Usage);
    }
    m_notifier = new Notifier(m_cli.store(), m_cli.secrets(), Clock::system(), QStringLiteral("alerts test"), this);
    m_notifier->sendTest(to, this, [this, to](const SmtpResult& result) {
        if (!result.serverReply.isEmpty())
            m_output.out() << result.serverReply << '\n' << Qt::flush;
        if (!result.ok) {
            m_output.error(result.error);
            return finish(ExitCode::Refused);
        }
        m_output.info(QStringLiteral("Test e-mail sent to %1.").arg(to));
        finish(ExitCode::Success);
    });
}

void AlertsCommand::smtp(QCommandLineParser& parser)
{
    QString error;
    SmtpSettings settings = SmtpSettings::load(m_cli.store(), &error);
    const bool changing = parser.isSet(QStringLiteral("host")) || parser.isSet(QStringLiteral("port")) ||
                          parser.isSet(QStringLiteral("security")) || parser.isSet(QStringLiteral("user")) ||
                          parser.isSet(QStringLiteral("from")) || parser.isSet(QStringLiteral("password-stdin"));
    if (!changing) {
        const QJsonObject json{{QStringLiteral("host"), settings.host},
                               {QStringLiteral("port"), settings.port},
                               {QStringLiteral("security"), SmtpSettings::securityName(settings.security)},
                               {QStringLiteral("user"), settings.user},
                               {QStringLiteral("from"), settings.from},
                               {QStringLiteral("hasPassword"), settings.hasPassword}};
        m_output.out() << QJsonDocument(json).toJson(QJsonDocument::Indented) << Qt::flush;
        return finish(ExitCode::Success);
    }
    if (parser.isSet(QStringLiteral("host")))
        settings.host = parser.value(QStringLiteral("host")).trimmed();
    if (parser.isSet(QStringLiteral("port"))) {
        bool ok = false;
        settings.port = parser.value(QStringLiteral("port")).toInt(&ok);
        if (!ok)
            settings.port = 0;
    }
    if (parser.isSet(QStringLiteral("security")) &&
        !SmtpSettings::securityFromName(parser.value(QStringLiteral("security")), &settings.security)) {
        m_output.error(QStringLiteral("security: “%1” is not none, starttls or tls.")
                           .arg(parser.value(QStringLiteral("security"))));
        return finish(ExitCode::Usage);
    }
    if (parser.isSet(QStringLiteral("user")))
        settings.user = parser.value(QStringLiteral("user"));
    if (parser.isSet(QStringLiteral("from")))
        settings.from = parser.value(QStringLiteral("from")).trimmed();
    const FieldIssues issues = settings.check();
    m_output.issues(issues);
    if (hasErrors(issues))
        return finish(ExitCode::Refused);

    auto save = [this, settings](bool hasPassword) mutable {
        settings.hasPassword = hasPassword;
        QString saveError;
        if (!settings.save(m_cli.store(), &saveError)) {
            m_output.error(saveError);
            return finish(ExitCode::Refused);
        }
        m_output.info(QStringLiteral("SMTP settings saved. Try them with: xapi-courier alerts test --to ADDRESS"));
        finish(ExitCode::Success);
    };
    if (!parser.isSet(QStringLiteral("password-stdin")))
        return save(settings.hasPassword && !settings.user.isEmpty());
    const QString password = Terminal::readAllStdin();
    m_cli.secrets().write(
        SmtpSettings::passwordKey(), password, this, [this, save](const SecretResult& written) mutable {
            if (!written.ok()) {
                m_output.error(QStringLiteral("The SMTP settings were not saved. %1").arg(written.message));
                return finish(ExitCode::Refused);
            }
            save(true);
        });
}
