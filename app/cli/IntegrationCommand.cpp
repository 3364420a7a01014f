#include "cli/IntegrationCommand.h"

#include "cli/ArgumentCheck.h"
#include "cli/RetentionOptions.h"
#include "cli/Terminal.h"
#include "common/Clock.h"
#include "delivery/DeliveryActions.h"
#include "delivery/TokenClient.h"
#include "integrations/IntegrationRules.h"
#include "integrations/IntegrationService.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>

#include <optional>

namespace {

const QString actions = QStringLiteral("add, list, show, edit, delete, enable, disable, test");

QCommandLineOption valueOption(const QString& name, const QString& description, const QString& valueName)
{
    return {name, description, valueName};
}

void addFieldOptions(QCommandLineParser& parser, bool forEdit)
{
    parser.addOptions({
        valueOption(QStringLiteral("name"), QStringLiteral("Name people will recognise (unique)."),
                    QStringLiteral("NAME")),
        valueOption(QStringLiteral("provider"), QStringLiteral("Provider (one integration per provider)."),
                    QStringLiteral("PROVIDER")),
        valueOption(QStringLiteral("emails"), QStringLiteral("Technical e-mails, comma separated."),
                    QStringLiteral("\"a@x.com, b@y.org\"")),
        valueOption(QStringLiteral("statement-url"), QStringLiteral("Where statements are sent (http/https)."),
                    QStringLiteral("URL")),
        valueOption(QStringLiteral("auth"), QStringLiteral("Authentication: oauth2 (default), basic or none."),
                    QStringLiteral("oauth2|basic|none")),
        valueOption(QStringLiteral("auth-url"), QStringLiteral("OAuth 2.0 token endpoint (Authentication URL)."),
                    QStringLiteral("URL")),
        valueOption(QStringLiteral("client-id"), QStringLiteral("OAuth 2.0 client id."), QStringLiteral("ID")),
        valueOption(QStringLiteral("client-auth"),
                    QStringLiteral("OAuth 2.0: client id and secret go to the token endpoint in an HTTP Basic header "
                                   "(basic, the default) or in the form body (body)."),
                    QStringLiteral("basic|body")),
        {QStringLiteral("client-secret-stdin"),
         QStringLiteral("Read the OAuth 2.0 client secret from standard input (kept in the OS keychain).")},
        valueOption(QStringLiteral("username"), QStringLiteral("HTTP Basic user name."), QStringLiteral("USER")),
        {QStringLiteral("password-stdin"),
         QStringLiteral("Read the HTTP Basic password from standard input (kept in the OS keychain).")},
        {QStringLiteral("disabled"), QStringLiteral("Status Disabled: statements are not sent.")},
        valueOption(QStringLiteral("retry-interval"),
                    QStringLiteral("Seconds between probes while the receiver fails (default 60)."),
                    QStringLiteral("SECONDS")),
        valueOption(QStringLiteral("concurrency"), QStringLiteral("Requests in flight while healthy (default 4)."),
                    QStringLiteral("N")),
        valueOption(QStringLiteral("batch-size"), QStringLiteral("Statements per POST (default 1)."),
                    QStringLiteral("N")),
        valueOption(QStringLiteral("alerts"), QStringLiteral("E-mail the technical contacts on failures (default on)."),
                    QStringLiteral("on|off")),
        valueOption(QStringLiteral("xapi-version"),
                    QStringLiteral("The xAPI version the receiver speaks (default 1.0.3): statements are validated, "
                                   "converted and sent as it. auto asks the receiver's GET .../about now (and again "
                                   "on every edit)."),
                    QStringLiteral("1.0.3|2.0.0|auto")),
        {QStringLiteral("json"), QStringLiteral("Print the saved integration as JSON.")},
    });
    if (forEdit)
        parser.addOption({QStringLiteral("enabled"), QStringLiteral("Status Enabled: statements are sent.")});
    parser.addOptions(RetentionOptions::options());
    // Accepted only to explain why secrets never come from the command line.
    for (const QString& name : {QStringLiteral("client-secret"), QStringLiteral("password")}) {
        QCommandLineOption refused(name, QString(), QStringLiteral("SECRET"));
        refused.setFlags(QCommandLineOption::HiddenFromHelp);
        parser.addOption(refused);
    }
}

QString padded(const QString& text, qsizetype width)
{
    return text.leftJustified(width, QLatin1Char(' '));
}

// The integration's JSON with its retention policy (retentionDays, keepBodiesDays: null keeps everything).
QJsonObject withRetention(const Integration& integration, const RetentionPolicy& policy)
{
    QJsonObject json = integration.toJson();
    const QJsonObject retention = policy.toJson();
    for (auto it = retention.constBegin(); it != retention.constEnd(); ++it)
        json.insert(it.key(), it.value());
    return json;
}

} // namespace

IntegrationCommand::IntegrationCommand(Cli& cli, QObject* parent)
    : QObject(parent)
    , m_cli(cli)
    , m_output(cli.output())
{}

QString IntegrationCommand::helpText() const
{
    return QStringLiteral(
        "Usage: xapi-courier integration ACTION [options]\n"
        "\n"
        "Actions:\n"
        "  add --name N --provider P --statement-url URL [--auth oauth2|basic|none] ...\n"
        "      [--xapi-version 1.0.3|2.0.0|auto] [--retention-days N] [--keep-bodies-days N]\n"
        "  list [--json]\n"
        "  show NAME|ID [--json]\n"
        "  edit NAME|ID [--name N] [--provider P] [...]   (an empty secret keeps the stored one)\n"
        "  delete NAME|ID [--yes]\n"
        "  enable NAME|ID\n"
        "  disable NAME|ID\n"
        "  test NAME|ID                         fetch a token from the Authentication URL and say what happened\n"
        "\n"
        "Run `xapi-courier integration ACTION --help` for the options of one action.\n");
}

void IntegrationCommand::run(const QStringList& arguments, Cli::Finished finished)
{
    m_finished = std::move(finished);
    if (arguments.isEmpty() || arguments.first() == QLatin1String("--help") ||
        arguments.first() == QLatin1String("-h")) {
        m_output.out() << helpText() << Qt::flush;
        return finish(arguments.isEmpty() ? ExitCode::Usage : ExitCode::Success);
    }
    const QString action = arguments.first();
    QCommandLineParser parser;
    static const QHash<QString, QString> descriptions{
        {QStringLiteral("add"), QStringLiteral("Add an integration: where statements go, how requests authenticate, "
                                               "who is alerted.")},
        {QStringLiteral("edit"), QStringLiteral("Change an integration: only the options given change. Saving "
                                                "releases the statements held for it.")},
        {QStringLiteral("list"), QStringLiteral("Every integration with its status, health and queue.")},
        {QStringLiteral("show"), QStringLiteral("One integration in full (never a secret).")},
        {QStringLiteral("delete"), QStringLiteral("Delete an integration; its undelivered statements are discarded.")},
        {QStringLiteral("enable"), QStringLiteral("Send to the integration again.")},
        {QStringLiteral("disable"), QStringLiteral("Stop sending to the integration; statements still queue.")},
        {QStringLiteral("test"),
         QStringLiteral("OAuth 2.0: fetch a token from the integration's Authentication URL and "
                        "say what happened.")},
    };
    parser.setApplicationDescription(descriptions.value(action));
    parser.addOption(Cli::databaseOption());
    parser.addHelpOption();
    parser.addOption(ArgumentCheck::verboseOption());
    if (action == QLatin1String("add") || action == QLatin1String("edit")) {
        addFieldOptions(parser, action == QLatin1String("edit"));
    } else if (action == QLatin1String("list") || action == QLatin1String("show")) {
        parser.addOption({QStringLiteral("json"), QStringLiteral("Print JSON (never contains a secret).")});
    } else if (action == QLatin1String("delete")) {
        parser.addOption(
            {QStringLiteral("yes"), QStringLiteral("Delete without asking (needed when not on a terminal).")});
    } else if (action != QLatin1String("enable") && action != QLatin1String("disable") &&
               action != QLatin1String("test")) {
        m_output.error(QStringLiteral("unknown action “%1”. Actions: %2.").arg(action, actions));
        return finish(ExitCode::Usage);
    }
    if (action != QLatin1String("add") && action != QLatin1String("list"))
        parser.addPositionalArgument(QStringLiteral("integration"), QStringLiteral("Name or id of the integration."));

    const bool named = action != QLatin1String("add") && action != QLatin1String("list");
    if (const std::optional<int> stop = ArgumentCheck::parse(
            m_output, parser, QStringLiteral("xapi-courier integration ") + action, arguments.mid(1), named ? 1 : 0))
        return finish(*stop);
    for (const QString& name : {QStringLiteral("client-secret"), QStringLiteral("password")}) {
        if (parser.optionNames().contains(name) && parser.isSet(name)) {
            m_output.error(QStringLiteral("--%1 is not accepted: a secret on the command line can be read by other "
                                          "users and stays in shell history. Use --%1-stdin, or leave it out to be "
                                          "prompted.")
                               .arg(name));
            return finish(ExitCode::Usage);
        }
    }
    const bool reads =
        QStringList{QStringLiteral("list"), QStringLiteral("show"), QStringLiteral("test")}.contains(action);
    if (!m_cli.openStore(parser.value(QStringLiteral("db")), reads ? Cli::StoreUse::Read : Cli::StoreUse::Write))
        return finish(ExitCode::Refused);

    if (action == QLatin1String("add"))
        add(parser);
    else if (action == QLatin1String("list"))
        list(parser);
    else if (action == QLatin1String("show"))
        show(parser);
    else if (action == QLatin1String("edit"))
        edit(parser);
    else if (action == QLatin1String("delete"))
        remove(parser);
    else if (action == QLatin1String("test"))
        testConnection(parser);
    else
        setEnabled(parser, action == QLatin1String("enable"));
}

void IntegrationCommand::finish(int code)
{
    if (m_finished)
        std::exchange(m_finished, nullptr)(code);
}

bool IntegrationCommand::applyFieldOptions(QCommandLineParser& parser, Integration& draft)
{
    if (parser.isSet(QStringLiteral("name")))
        draft.name = parser.value(QStringLiteral("name"));
    if (parser.isSet(QStringLiteral("provider")))
        draft.provider = parser.value(QStringLiteral("provider"));
    if (parser.isSet(QStringLiteral("emails")))
        draft.emails = Integration::parseEmails(parser.value(QStringLiteral("emails")));
    if (parser.isSet(QStringLiteral("statement-url")))
        draft.statementUrl = QUrl(parser.value(QStringLiteral("statement-url")).trimmed(), QUrl::StrictMode);
    if (parser.isSet(QStringLiteral("auth")) &&
        !Integration::authFromName(parser.value(QStringLiteral("auth")), &draft.auth)) {
        m_output.error(QStringLiteral("auth: “%1” is not an authentication kind; use oauth2, basic or none.")
                           .arg(parser.value(QStringLiteral("auth"))));
        return false;
    }
    if (parser.isSet(QStringLiteral("auth-url")))
        draft.authUrl = QUrl(parser.value(QStringLiteral("auth-url")).trimmed(), QUrl::StrictMode);
    if (parser.isSet(QStringLiteral("client-id")))
        draft.clientId = parser.value(QStringLiteral("client-id"));
    if (parser.isSet(QStringLiteral("username")))
        draft.username = parser.value(QStringLiteral("username"));
    if (parser.isSet(QStringLiteral("client-auth"))) {
        const QString placement = parser.value(QStringLiteral("client-auth")).toLower();
        if (placement != QLatin1String("basic") && placement != QLatin1String("body")) {
            m_output.error(QStringLiteral("--client-auth: “%1” is neither basic nor body.").arg(placement));
            return false;
        }
        draft.clientCredentialsInBody = placement == QLatin1String("body");
    }
    const std::pair<const char*, int*> numbers[] = {{"retry-interval", &draft.retryIntervalSeconds},
                                                    {"concurrency", &draft.concurrency},
                                                    {"batch-size", &draft.batchSize}};
    for (const auto& [name, target] : numbers) {
        const QString option = QLatin1String(name);
        if (!parser.isSet(option))
            continue;
        bool ok = false;
        *target = parser.value(option).toInt(&ok);
        if (!ok) {
            m_output.error(QStringLiteral("--%1: “%2” is not a whole number.").arg(option, parser.value(option)));
            return false;
        }
    }
    if (parser.isSet(QStringLiteral("alerts"))) {
        const QString alerts = parser.value(QStringLiteral("alerts")).toLower();
        if (alerts != QLatin1String("on") && alerts != QLatin1String("off")) {
            m_output.error(QStringLiteral("--alerts: “%1” is neither on nor off.").arg(alerts));
            return false;
        }
        draft.alertsEnabled = alerts == QLatin1String("on");
    }
    if (parser.isSet(QStringLiteral("xapi-version"))) {
        const QString version = parser.value(QStringLiteral("xapi-version")).toLower();
        if (version != QLatin1String("auto") && !XapiVersions::parse(version)) {
            m_output.error(QStringLiteral("--xapi-version: “%1” is not 1.0.3, 2.0.0 or auto.").arg(version));
            return false;
        }
        draft.xapiVersion =
            version == QLatin1String("auto") ? version : XapiVersions::name(*XapiVersions::parse(version));
    }
    const bool enable = parser.optionNames().contains(QStringLiteral("enabled"));
    if (parser.isSet(QStringLiteral("disabled")) && enable) {
        m_output.error(QStringLiteral("--enabled and --disabled cannot be used together."));
        return false;
    }
    if (parser.isSet(QStringLiteral("disabled")))
        draft.enabled = false;
    if (enable)
        draft.enabled = true;

    const bool secretFromStdin = parser.isSet(QStringLiteral("client-secret-stdin"));
    const bool passwordFromStdin = parser.isSet(QStringLiteral("password-stdin"));
    if (secretFromStdin && draft.auth != Integration::Auth::OAuth2) {
        m_output.error(QStringLiteral("--client-secret-stdin is for --auth oauth2; for basic use --password-stdin."));
        return false;
    }
    if (passwordFromStdin && draft.auth != Integration::Auth::Basic) {
        m_output.error(QStringLiteral("--password-stdin is for --auth basic; for oauth2 use --client-secret-stdin."));
        return false;
    }
    return true;
}

bool IntegrationCommand::readSecret(QCommandLineParser& parser, const Integration& draft, bool required,
                                    QString* secret)
{
    const bool oauth = draft.auth == Integration::Auth::OAuth2;
    if (parser.isSet(QStringLiteral("client-secret-stdin")) || parser.isSet(QStringLiteral("password-stdin"))) {
        *secret = Terminal::readAllStdin();
        if (secret->isEmpty()) {
            m_output.error(QStringLiteral("%1: standard input was empty; pipe the secret in, e.g. "
                                          "`secret-tool lookup ... | xapi-courier integration ...`.")
                               .arg(IntegrationRules::secretField(draft.auth)));
            return false;
        }
        return true;
    }
    if (required && Terminal::stdinIsTerminal())
        *secret = Terminal::readHidden(oauth ? QStringLiteral("Client secret for “%1”: ").arg(draft.name)
                                             : QStringLiteral("Password for “%1”: ").arg(draft.name));
    return true;
}

bool IntegrationCommand::target(QCommandLineParser& parser, Integration* integration)
{
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1) {
        m_output.error(QStringLiteral("name the integration (by name or id), e.g. xapi-courier integration show "
                                      "\"My LRS\"."));
        finish(ExitCode::Usage);
        return false;
    }
    QString error;
    const auto found = m_cli.integrations().repository().find(positional.first(), &error);
    if (!found) {
        m_output.error(error.isEmpty() ? QStringLiteral("integration: no integration is named “%1” or has that id. "
                                                        "See xapi-courier integration list.")
                                             .arg(positional.first())
                                       : error);
        finish(ExitCode::Refused);
        return false;
    }
    *integration = *found;
    return true;
}

void IntegrationCommand::report(const IntegrationOutcome& outcome, const QString& doneMessage, bool json)
{
    m_output.issues(outcome.issues);
    if (!outcome.ok) {
        if (!outcome.error.isEmpty())
            m_output.error(outcome.error);
        return finish(ExitCode::Refused);
    }
    if (json) {
        QString error;
        const RetentionPolicy policy = RetentionPolicies(m_cli.store()).get(outcome.integration.id, &error);
        m_output.out() << QJsonDocument(withRetention(outcome.integration, policy)).toJson(QJsonDocument::Indented)
                       << Qt::flush;
    } else {
        m_output.info(doneMessage.arg(outcome.integration.name).arg(outcome.integration.id));
    }
    finish(ExitCode::Success);
}

bool IntegrationCommand::retentionOptions(QCommandLineParser& parser, RetentionPolicy* policy)
{
    QString error;
    if (!RetentionOptions::apply(parser, policy, &error)) {
        m_output.error(error);
        finish(ExitCode::Usage);
        return false;
    }
    if (const FieldIssues issues = policy->check(); !issues.isEmpty()) {
        m_output.issues(issues);
        finish(ExitCode::Refused);
        return false;
    }
    return true;
}

void IntegrationCommand::save(Integration draft, const QString& secret, std::optional<RetentionPolicy> policy,
                              bool json)
{
    // For auto, the receiver's GET .../about first (asked again on every edit), then the integration, then how long it
    // keeps what it delivered.
    const bool isNew = draft.id == 0;
    m_cli.integrations().detectXapiVersion(std::move(draft), [this, secret, policy, json,
                                                              isNew](const XapiDetection::Outcome& detected) {
        if (detected.asked && detected.answered)
            m_output.info(
                QStringLiteral("xAPI version: auto, %1 (%2).").arg(detected.integration.xapiDetected, detected.detail));
        else if (detected.asked)
            m_output.warning(QStringLiteral("xAPI version: auto, but %1; statements go as 1.0.3 until the "
                                            "integration is edited again.")
                                 .arg(detected.detail));
        auto saved = [this, policy, json, isNew](const IntegrationOutcome& outcome) {
            if (outcome.ok && policy) {
                QString error;
                if (!RetentionPolicies(m_cli.store()).set(outcome.integration.id, *policy, &error)) {
                    m_output.issues(outcome.issues);
                    m_output.error(
                        QStringLiteral("%1 integration “%2” (id %3), but not its retention: %4. Set it "
                                       "with xapi-courier integration edit %3 --retention-days N "
                                       "--keep-bodies-days N.")
                            .arg(isNew ? QStringLiteral("Added") : QStringLiteral("Saved"), outcome.integration.name)
                            .arg(outcome.integration.id)
                            .arg(error));
                    return finish(ExitCode::Refused);
                }
            }
            report(outcome,
                   isNew ? QStringLiteral("Added integration “%1” (id %2).")
                         : QStringLiteral("Saved integration “%1” (id %2)."),
                   json);
        };
        if (isNew)
            m_cli.integrations().add(detected.integration, secret, saved);
        else
            m_cli.integrations().update(detected.integration, secret, saved);
    });
}

void IntegrationCommand::add(QCommandLineParser& parser)
{
    Integration draft;
    if (!applyFieldOptions(parser, draft))
        return finish(ExitCode::Usage);
    RetentionPolicy policy;
    if (!retentionOptions(parser, &policy))
        return;
    QString secret;
    if (!readSecret(parser, draft, draft.needsSecret(), &secret))
        return finish(ExitCode::Refused);
    save(draft, secret, RetentionOptions::given(parser) ? std::optional(policy) : std::nullopt,
         parser.isSet(QStringLiteral("json")));
}

void IntegrationCommand::edit(QCommandLineParser& parser)
{
    Integration draft;
    if (!target(parser, &draft))
        return;
    QString error;
    std::optional<RetentionPolicy> retention;
    if (RetentionOptions::given(parser)) {
        RetentionPolicies policies(m_cli.store());
        RetentionPolicy policy = policies.get(draft.id, &error);
        if (!error.isEmpty()) {
            m_output.error(error);
            return finish(ExitCode::Refused);
        }
        if (!retentionOptions(parser, &policy))
            return;
        retention = policy;
    }
    if (retention && RetentionOptions::onlyThese(parser)) {
        // Only how long it keeps its history: the integration's row, its revision and what is held stay as they are.
        if (!RetentionPolicies(m_cli.store()).set(draft.id, *retention, &error)) {
            m_output.error(error);
            return finish(ExitCode::Refused);
        }
        const RetentionPolicy& policy = *retention;
        if (parser.isSet(QStringLiteral("json")))
            m_output.out() << QJsonDocument(withRetention(draft, policy)).toJson(QJsonDocument::Indented) << Qt::flush;
        else
            m_output.info(QStringLiteral("Saved the retention of “%1”: delivered statements %2, their bodies %3.")
                              .arg(draft.name,
                                   policy.retentionDays ? QStringLiteral("are pruned after ") +
                                                              RetentionPolicy::daysText(policy.retentionDays)
                                                        : QStringLiteral("are kept"),
                                   policy.keepBodiesDays ? QStringLiteral("erased after ") +
                                                               RetentionPolicy::daysText(policy.keepBodiesDays)
                                                         : QStringLiteral("kept with them")));
        return finish(ExitCode::Success);
    }
    if (!applyFieldOptions(parser, draft))
        return finish(ExitCode::Usage);
    const bool required = m_cli.integrations().secretRequired(draft, &error);
    QString secret;
    if (!readSecret(parser, draft, required, &secret))
        return finish(ExitCode::Refused);
    save(draft, secret, retention, parser.isSet(QStringLiteral("json")));
}

void IntegrationCommand::list(QCommandLineParser& parser)
{
    QString error;
    const QList<Integration> integrations = m_cli.integrations().list(&error);
    if (!error.isEmpty()) {
        m_output.error(error);
        return finish(ExitCode::Refused);
    }
    if (parser.isSet(QStringLiteral("json"))) {
        const QHash<qint64, RetentionPolicy> policies = RetentionPolicies(m_cli.store()).all(&error);
        QJsonArray array;
        for (const Integration& integration : integrations)
            array << withRetention(integration, policies.value(integration.id));
        m_output.out() << QJsonDocument(array).toJson(QJsonDocument::Indented) << Qt::flush;
        return finish(ExitCode::Success);
    }
    if (integrations.isEmpty()) {
        m_output.info(QStringLiteral("No integrations yet. Add one with: xapi-courier integration add --name NAME "
                                     "--provider PROVIDER --statement-url URL --auth-url URL --client-id ID "
                                     "--client-secret-stdin"));
        return finish(ExitCode::Success);
    }
    const QStringList header = {QStringLiteral("ID"),     QStringLiteral("NAME"),   QStringLiteral("PROVIDER"),
                                QStringLiteral("STATUS"), QStringLiteral("HEALTH"), QStringLiteral("STATEMENT URL")};
    QList<QStringList> rows{header};
    for (const Integration& integration : integrations) {
        rows << QStringList{QString::number(integration.id),
                            integration.name,
                            integration.provider,
                            integration.enabled ? QStringLiteral("Enabled") : QStringLiteral("Disabled"),
                            Integration::healthName(integration.health()),
                            integration.statementUrl.toString()};
    }
    QList<qsizetype> widths(header.size(), 0);
    for (const QStringList& row : rows) {
        for (qsizetype column = 0; column < row.size(); ++column)
            widths[column] = std::max(widths[column], row[column].size());
    }
    for (const QStringList& row : rows) {
        QStringList cells;
        for (qsizetype column = 0; column < row.size(); ++column)
            cells << (column + 1 < row.size() ? padded(row[column], widths[column]) : row[column]);
        m_output.out() << cells.join(QStringLiteral("  ")) << '\n';
    }
    m_output.out() << Qt::flush;
    finish(ExitCode::Success);
}

void IntegrationCommand::show(QCommandLineParser& parser)
{
    Integration integration;
    if (!target(parser, &integration))
        return;
    QString error;
    const RetentionPolicy policy = RetentionPolicies(m_cli.store()).get(integration.id, &error);
    if (!error.isEmpty()) {
        m_output.error(error);
        return finish(ExitCode::Refused);
    }
    if (parser.isSet(QStringLiteral("json"))) {
        m_output.out() << QJsonDocument(withRetention(integration, policy)).toJson(QJsonDocument::Indented)
                       << Qt::flush;
        return finish(ExitCode::Success);
    }
    QList<std::pair<QString, QString>> lines = {
        {QStringLiteral("Id"), QString::number(integration.id)},
        {QStringLiteral("Name"), integration.name},
        {QStringLiteral("Provider"), integration.provider},
        {QStringLiteral("Technical Emails"), integration.emails.join(QStringLiteral(", "))},
        {QStringLiteral("Statement URL"), integration.statementUrl.toString()},
        {QStringLiteral("xAPI version"), integration.xapiVersion == QLatin1String("auto")
                                             ? QStringLiteral("auto: ") + XapiDetection::describe(integration)
                                             : integration.xapiVersion},
        {QStringLiteral("Authentication"), Integration::authLabel(integration.auth)},
    };
    if (integration.auth == Integration::Auth::OAuth2) {
        lines << std::pair{QStringLiteral("Authentication URL"), integration.authUrl.toString()}
              << std::pair{QStringLiteral("Client ID"), integration.clientId}
              << std::pair{QStringLiteral("Client credentials"), integration.clientCredentialsInBody
                                                                     ? QStringLiteral("in the form body")
                                                                     : QStringLiteral("HTTP Basic header")}
              << std::pair{QStringLiteral("Client Secret"), integration.hasSecret
                                                                ? QStringLiteral("stored in the OS keychain")
                                                                : QStringLiteral("none")};
    } else if (integration.auth == Integration::Auth::Basic) {
        lines << std::pair{QStringLiteral("Username"), integration.username}
              << std::pair{QStringLiteral("Password"), integration.hasSecret
                                                           ? QStringLiteral("stored in the OS keychain")
                                                           : QStringLiteral("none")};
    }
    lines << std::pair{QStringLiteral("Status"),
                       integration.enabled ? QStringLiteral("Enabled") : QStringLiteral("Disabled")}
          << std::pair{QStringLiteral("Health"), Integration::healthLabel(integration.health())};
    if (!integration.holdReason.isEmpty())
        lines << std::pair{QStringLiteral("Held because"), integration.holdReason};
    lines << std::pair{QStringLiteral("Retention"), RetentionPolicy::daysText(policy.retentionDays)}
          << std::pair{QStringLiteral("Bodies kept"), policy.keepBodiesDays
                                                          ? RetentionPolicy::daysText(policy.keepBodiesDays)
                                                          : QStringLiteral("as long as the statement")};
    lines << std::pair{QStringLiteral("Updated"), integration.updatedAt.toLocalTime().toString(Qt::ISODate)};
    for (const auto& [label, value] : lines)
        m_output.out() << padded(label + QLatin1Char(':'), 20) << value << '\n';
    m_output.out() << Qt::flush;
    finish(ExitCode::Success);
}

void IntegrationCommand::remove(QCommandLineParser& parser)
{
    Integration integration;
    if (!target(parser, &integration))
        return;
    // What goes with it, as the desktop app's Delete asks: above all the statements still waiting for it.
    QString error;
    const int waiting = m_cli.deliveries().queue().undelivered(integration.id, &error);
    if (waiting < 0) {
        m_output.error(error);
        return finish(ExitCode::Refused);
    }
    const QString discarded = waiting == 1 ? QStringLiteral("1 undelivered statement")
                                           : QStringLiteral("%1 undelivered statements").arg(waiting);
    if (!parser.isSet(QStringLiteral("yes"))) {
        if (!Terminal::stdinIsTerminal()) {
            m_output.error(
                QStringLiteral("deleting needs confirmation: add --yes when not running on a terminal.%1")
                    .arg(waiting > 0 ? QStringLiteral(" Its %1 would be discarded.").arg(discarded) : QString()));
            return finish(ExitCode::Usage);
        }
        QStringList lost{QStringLiteral("its settings")};
        if (integration.hasSecret)
            lost << (integration.auth == Integration::Auth::Basic
                         ? QStringLiteral("its password in the OS keychain")
                         : QStringLiteral("its client secret in the OS keychain"));
        if (waiting > 0)
            lost << discarded + QStringLiteral(", which will be discarded");
        lost << QStringLiteral("its delivery history");
        const QString removes =
            lost.mid(0, lost.size() - 1).join(QStringLiteral(", ")) + QStringLiteral(" and ") + lost.constLast();
        const QString question = QStringLiteral("Delete integration “%1”? This removes %2. It cannot be undone.")
                                     .arg(integration.name, removes);
        if (!Terminal::confirm(question)) {
            m_output.info(QStringLiteral("Nothing was deleted."));
            return finish(ExitCode::Refused);
        }
    }
    const QString done = waiting > 0 ? QStringLiteral("Deleted integration “%1” (id %2) and discarded its ") +
                                           discarded + QLatin1Char('.')
                                     : QStringLiteral("Deleted integration “%1” (id %2).");
    m_cli.integrations().remove(integration.id,
                                [this, done](const IntegrationOutcome& outcome) { report(outcome, done, false); });
}

void IntegrationCommand::setEnabled(QCommandLineParser& parser, bool enabled)
{
    Integration integration;
    if (!target(parser, &integration))
        return;
    QString error;
    if (!m_cli.integrations().setEnabled(integration.id, enabled, &error)) {
        m_output.error(error);
        return finish(ExitCode::Refused);
    }
    m_output.info(QStringLiteral("%1 integration “%2”.")
                      .arg(enabled ? QStringLiteral("Enabled") : QStringLiteral("Disabled"), integration.name));
    finish(ExitCode::Success);
}

void IntegrationCommand::testConnection(QCommandLineParser& parser)
{
    Integration integration;
    if (!target(parser, &integration))
        return;
    auto* network = new QNetworkAccessManager(this);
    auto* tokens = new TokenClient(*network, m_cli.secrets(), Clock::system(), this);
    tokens->testConnection(integration, this, [this](bool ok, const QString& message) {
        if (ok)
            m_output.info(message);
        else
            m_output.error(message);
        finish(ok ? ExitCode::Success : ExitCode::Refused);
    });
}
