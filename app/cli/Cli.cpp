#include "cli/Cli.h"

#include "cli/AlertsCommand.h"
#include "cli/ArgumentCheck.h"
#include "cli/CheckCommand.h"
#include "cli/CompletionsCommand.h"
#include "cli/DbCommand.h"
#include "cli/EnqueueCommand.h"
#include "cli/EraseCommand.h"
#include "cli/IntegrationCommand.h"
#include "cli/QueueCommand.h"
#include "cli/SandboxCommand.h"
#include "cli/SendCommand.h"
#include "cli/ValidateCommand.h"
#include "cli/WorkerCommand.h"
#include "delivery/DeliveryActions.h"
#include "integrations/IntegrationService.h"
#include "secrets/KeychainSecretStore.h"
#include "store/DatabasePassword.h"
#include "store/Store.h"

#include <QCommandLineParser>
#include <QCoreApplication>

namespace {

const QStringList commands = {QStringLiteral("integration"), QStringLiteral("queue"),  QStringLiteral("alerts"),
                              QStringLiteral("settings"),    QStringLiteral("worker"), QStringLiteral("validate"),
                              QStringLiteral("enqueue"),     QStringLiteral("send"),   QStringLiteral("completions"),
                              QStringLiteral("db"),          QStringLiteral("sandbox"),
                              QStringLiteral("check"),       QStringLiteral("erase")};

QCommandLineParser* globalParser(QCommandLineParser& parser)
{
    parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsPositionalArguments);
    parser.addOption(Cli::databaseOption());
    parser.addOption(ArgumentCheck::verboseOption());
    parser.addOption({{QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help.")});
    parser.addOption({{QStringLiteral("v"), QStringLiteral("version")}, QStringLiteral("Print the version.")});
    parser.addPositionalArgument(QStringLiteral("command"), QStringLiteral("The command to run."));
    return &parser;
}

} // namespace

Cli::Cli(QObject* parent)
    : QObject(parent)
    , m_secrets(std::make_unique<KeychainSecretStore>())
{}

Cli::~Cli() = default;

QCommandLineOption Cli::databaseOption()
{
    return {QStringLiteral("db"),
            QStringLiteral("The store: an SQLite file, or a postgresql:// URL. Default: $XAPI_COURIER_DB, else %1.")
                .arg(QStringLiteral("~/.local/share/xapi-courier/courier.sqlite")),
            QStringLiteral("PATH|URL")};
}

bool Cli::wantsCli(const QStringList& arguments)
{
    QCommandLineParser parser;
    globalParser(parser);
    if (!parser.parse(arguments))
        return true; // let the CLI report the usage error
    return !parser.positionalArguments().isEmpty() || parser.isSet(QStringLiteral("help")) ||
           parser.isSet(QStringLiteral("version"));
}

QString Cli::guiDatabaseArgument(const QStringList& arguments, QString* error)
{
    QCommandLineParser parser;
    globalParser(parser);
    if (!parser.parse(arguments))
        *error = parser.errorText();
    return parser.value(QStringLiteral("db"));
}

QString Cli::helpText() const
{
    return QStringLiteral(
        "Usage: xapi-courier [--db PATH|URL] [--verbose] [COMMAND ...]\n"
        "\n"
        "xAPI Courier delivers xAPI statements to the integrations you configure. Without a command it starts the\n"
        "desktop application; with one it works headless on the same store.\n"
        "\n"
        "Commands:\n"
        "  integration add|list|show|edit|delete|enable|disable|test\n"
        "                  Manage integrations (see `xapi-courier integration --help`).\n"
        "  send --integration NAME FILE|- [--put] [--timeout S] [--connect-timeout S]\n"
        "                  Send a statement (or an array) now, not through the queue, and print the request as\n"
        "                  sent (Authorization redacted), the answer and timings (exit 0 on 2xx or 409).\n"
        "  enqueue --integration NAME|--all FILE|- [--skip-invalid]\n"
        "                  Queue statements for delivery (validated first).\n"
        "  queue status|list|attempts|retry|discard|resend|replay|export|prune\n"
        "                  Inspect and act on the delivery queue (see `xapi-courier queue --help`).\n"
        "  completions list|import|delete\n"
        "                  H5P completion records, and the statements made from them.\n"
        "  alerts list|test\n"
        "                  The e-mail alerts sent to technical contacts, and a test e-mail.\n"
        "  settings smtp   The SMTP server alerts go through (password kept in the OS keychain).\n"
        "  settings receiver --webhook-token-stdin\n"
        "                  The bearer token of the H5P completion webhook (kept in the OS keychain).\n"
        "  validate FILE|- [--json]\n"
        "                  Check statements against the xAPI 1.0.3 rules (exit 0 valid, 1 not, 2 unreadable).\n"
        "  worker [--until-idle] [--lease-seconds N] [--receiver PORT] [--metrics ADDRESS:PORT]\n"
        "                  The headless delivery worker (stops cleanly on SIGTERM); several may share a store.\n"
        "  erase --actor mailto:ADDRESS|HOMEPAGE::NAME|mbox_sha1sum:HASH [--void] [--yes]\n"
        "                  Erase one learner: their statements in every state, attempts, completion records.\n"
        "  db status|migrate [--json]\n"
        "                  The store's engine, schema version and pending migrations; apply them.\n"
        "  db copy --from PATH|URL --to URL\n"
        "                  Copy a store (e.g. this desktop's SQLite file) into a new, empty PostgreSQL database.\n"
        "  db password [--password-stdin | --forget]\n"
        "                  Keep a PostgreSQL store's password in the OS keychain (checked with the server first).\n"
        "  check --integration NAME [--json] [--keep]\n"
        "                  Check a receiver with test statements (voided afterwards unless --keep): about,\n"
        "                  authentication, post, resends, version header, batch ids, read-back (exit 1 on a fail).\n"
        "  sandbox --port P [--faults SPEC] [--db PATH] [--basic USER:PASS]\n"
        "                  A local LRS on 127.0.0.1 to try and rehearse against, failing on purpose when told\n"
        "                  (503*N, 500*N, 400*N, 401*N, 429*N:retry-after=S, drop*N, delay=MS).\n"
        "  sandbox list [--port P | --db PATH] [--requests] [--json]\n"
        "                  The statements a sandbox received (and the requests it answered).\n"
        "\n"
        "Options:\n"
        "  --db PATH|URL   The store: an SQLite file (default: $XAPI_COURIER_DB, else\n"
        "                  ~/.local/share/xapi-courier/courier.sqlite) or postgresql://USER@HOST:PORT/DATABASE\n"
        "                  (the password comes from the keychain, ~/.pgpass or PGPASSFILE, never from the URL).\n"
        "  --verbose       Also print the log lines (token fetches, probes, warnings) on standard error.\n"
        "  -h, --help      Show this help (`xapi-courier COMMAND [ACTION] --help`: that command's).\n"
        "  -v, --version   Print the version.\n"
        "\n"
        "An option's value that starts with -- is written --name=--value; a stray argument is an error.\n"
        "\n"
        "Exit codes: 0 success, 1 refused input or failed operation, 2 usage error.\n"
        "Secrets are never read from the command line: use --client-secret-stdin or the prompt.\n");
}

void Cli::run(const QStringList& arguments, Finished finished)
{
    QCommandLineParser parser;
    globalParser(parser);
    if (!parser.parse(arguments)) {
        m_output.error(parser.errorText() + QStringLiteral(" (see xapi-courier --help)"));
        return finished(ExitCode::Usage);
    }
    if (parser.isSet(QStringLiteral("version"))) {
        m_output.out() << QCoreApplication::applicationName() << ' ' << QCoreApplication::applicationVersion()
                       << Qt::endl;
        return finished(ExitCode::Success);
    }
    const QStringList positional = parser.positionalArguments();
    if (parser.isSet(QStringLiteral("help")) || positional.isEmpty()) {
        m_output.out() << helpText() << Qt::flush;
        return finished(ExitCode::Success);
    }
    m_globalDatabase = parser.value(QStringLiteral("db"));
    const QString command = positional.first();
    if (parser.isSet(QStringLiteral("verbose")))
        ArgumentCheck::verboseLogs(); // before the command, for every command; after it, see ArgumentCheck::accept
    else if (command != QLatin1String("worker"))
        ArgumentCheck::quietLogs(); // a one-off command says what happened itself; --verbose shows the logs
    if (command == QLatin1String("integration")) {
        auto* integration = new IntegrationCommand(*this, this);
        return integration->run(positional.mid(1), std::move(finished));
    }
    if (command == QLatin1String("alerts") || command == QLatin1String("settings")) {
        auto* alerts = new AlertsCommand(*this, this);
        if (command == QLatin1String("alerts"))
            return alerts->runAlerts(positional.mid(1), std::move(finished));
        return alerts->runSettings(positional.mid(1), std::move(finished));
    }
    if (command == QLatin1String("completions"))
        return finished(CompletionsCommand(*this, nullptr).run(positional.mid(1)));
    if (command == QLatin1String("db"))
        return finished(DbCommand(*this, nullptr).run(positional.mid(1)));
    if (command == QLatin1String("send")) {
        auto* send = new SendCommand(*this, this);
        return send->run(positional.mid(1), std::move(finished));
    }
    if (command == QLatin1String("erase"))
        return finished(EraseCommand(*this).run(positional.mid(1)));
    if (command == QLatin1String("enqueue"))
        return finished(EnqueueCommand(*this, nullptr).run(positional.mid(1)));
    if (command == QLatin1String("validate"))
        return finished(ValidateCommand(*this, nullptr).run(positional.mid(1)));
    if (command == QLatin1String("worker")) {
        auto* worker = new WorkerCommand(*this, this);
        return worker->run(positional.mid(1), std::move(finished));
    }
    if (command == QLatin1String("check")) {
        auto* check = new CheckCommand(*this, this);
        return check->run(positional.mid(1), std::move(finished));
    }
    if (command == QLatin1String("sandbox")) {
        auto* sandbox = new SandboxCommand(*this, this);
        return sandbox->run(positional.mid(1), std::move(finished));
    }
    if (command == QLatin1String("queue")) {
        auto* queue = new QueueCommand(*this, this);
        return queue->run(positional.mid(1), std::move(finished));
    }
    m_output.error(QStringLiteral("unknown command “%1”. Commands: %2 (see xapi-courier --help).")
                       .arg(command, commands.join(QStringLiteral(", "))));
    finished(ExitCode::Usage);
}

SecretStore& Cli::secrets()
{
    return *m_secrets;
}

StoreLocation Cli::namedStore(const QString& databaseArgument) const
{
    return StoreLocation::resolve(databaseArgument.isEmpty() ? m_globalDatabase : databaseArgument);
}

StoreLocation Cli::storeLocation(const QString& databaseArgument) const
{
    return DatabasePassword::withKeychainPassword(namedStore(databaseArgument), *m_secrets);
}

bool Cli::openStore(const QString& databaseArgument, StoreUse use)
{
    const StoreLocation location = storeLocation(databaseArgument);
    if (use == StoreUse::Read && !location.exists()) {
        m_output.error(QStringLiteral("There is no store at %1 (nothing was created there: only commands that write "
                                      "make a store). Check --db or %2.")
                           .arg(location.displayName(), QLatin1String(StoreLocation::EnvironmentVariable)));
        return false;
    }
    Store::OpenResult opened = Store::open(location);
    if (!opened.store) {
        m_output.error(opened.error);
        return false;
    }
    m_store = std::move(opened.store);
    m_integrations = std::make_unique<IntegrationService>(*m_store, *m_secrets);
    m_deliveries = std::make_unique<DeliveryActions>(*m_store);
    return true;
}
