#include "cli/DbCommand.h"

#include "cli/ArgumentCheck.h"
#include "cli/Terminal.h"
#include "retention/StoreSize.h"
#include "store/DatabasePassword.h"
#include "store/SqlDialect.h"
#include "store/Store.h"
#include "store/StoreCopy.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

namespace {

const QString usage = QStringLiteral("Usage: xapi-courier [--db PATH|URL] db status [--json]\n"
                                     "       xapi-courier [--db PATH|URL] db migrate [--json]\n"
                                     "       xapi-courier db copy --from PATH|URL --to PATH|URL [--json]\n"
                                     "       xapi-courier [--db URL] db password [--password-stdin | --forget]\n");

QString engineKey(const Store& store)
{
    return store.dialect() == Migrations::Dialect::Sqlite ? QStringLiteral("sqlite") : QStringLiteral("postgresql");
}

QJsonArray migrationsJson(const QList<int>& versions)
{
    QJsonArray array;
    for (const Migration& migration : Migrations::all()) {
        if (versions.contains(migration.version)) {
            array << QJsonObject{{QStringLiteral("version"), migration.version},
                                 {QStringLiteral("description"), migration.description}};
        }
    }
    return array;
}

QString migrationsText(const QList<int>& versions)
{
    QStringList lines;
    for (const Migration& migration : Migrations::all()) {
        if (versions.contains(migration.version))
            lines << QStringLiteral("  %1  %2").arg(migration.version).arg(migration.description);
    }
    return lines.join(QLatin1Char('\n'));
}

QString sizeText(qint64 bytes)
{
    return QLocale::c().formattedDataSize(bytes, 1, QLocale::DataSizeSIFormat);
}

QJsonArray countsJson(const QList<StoreCopy::TableCount>& counts)
{
    QJsonArray array;
    for (const StoreCopy::TableCount& count : counts)
        array << QJsonObject{{QStringLiteral("table"), count.table}, {QStringLiteral("rows"), count.rows}};
    return array;
}

} // namespace

DbCommand::DbCommand(Cli& cli, QObject* parent)
    : QObject(parent)
    , m_cli(cli)
    , m_output(cli.output())
{}

int DbCommand::run(const QStringList& arguments)
{
    const QString action = arguments.value(0);
    const QStringList actions{QStringLiteral("status"), QStringLiteral("migrate"), QStringLiteral("copy"),
                              QStringLiteral("password")};
    if (!actions.contains(action)) {
        if (action == QLatin1String("--help") || action == QLatin1String("-h")) {
            m_output.out() << usage << Qt::flush;
            return ExitCode::Success;
        }
        m_output.error(action.isEmpty()
                           ? QStringLiteral("name an action: status, migrate, copy or password.")
                           : QStringLiteral("unknown action “%1”: status, migrate, copy or password.").arg(action));
        m_output.info(usage.trimmed());
        return ExitCode::Usage;
    }
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption(ArgumentCheck::verboseOption());
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print JSON.")});
    if (action == QLatin1String("copy")) {
        parser.setApplicationDescription(
            QStringLiteral("Copy every row of one store into a new, empty one (typically an SQLite file into a "
                           "PostgreSQL database), in one transaction, and count the rows of both afterwards. Both are "
                           "migrated to the latest schema first. Secrets stay in the OS keychain, keyed by "
                           "integration, so a desktop using the new store finds them."));
        parser.addOption(
            {QStringLiteral("from"), QStringLiteral("The store to copy from."), QStringLiteral("PATH|URL")});
        parser.addOption(
            {QStringLiteral("to"), QStringLiteral("The new, empty store to copy into."), QStringLiteral("PATH|URL")});
    } else if (action == QLatin1String("password")) {
        parser.addOption(Cli::databaseOption());
        parser.setApplicationDescription(
            QStringLiteral("Keep the password of a PostgreSQL store's role in the OS keychain, after checking that "
                           "the server accepts it; the desktop app, the worker and every command on this machine then "
                           "use it for that store. Asked for without echo, or read from standard input with "
                           "--password-stdin; never taken from the command line or the URL. Without an entry here, "
                           "libpq's PGPASSFILE or ~/.pgpass serve."));
        parser.addOption({QStringLiteral("password-stdin"), QStringLiteral("Read the password from standard input.")});
        parser.addOption({QStringLiteral("forget"), QStringLiteral("Remove the password kept for this store.")});
    } else {
        parser.addOption(Cli::databaseOption());
        parser.setApplicationDescription(
            action == QLatin1String("status")
                ? QStringLiteral("The store's engine, location (never a password), schema version and the migrations "
                                 "this version of xAPI Courier would apply. Changes nothing.")
                : QStringLiteral("Apply the pending migrations, in one transaction. Every command does this when it "
                                 "opens the store; run it on its own to upgrade a shared store once, on purpose."));
    }
    if (const std::optional<int> stop = ArgumentCheck::parse(
            m_output, parser, QStringLiteral("xapi-courier db ") + action, arguments.mid(1), ArgumentCheck::AnyNumber))
        return *stop;
    if (!parser.positionalArguments().isEmpty()) {
        m_output.error(
            QStringLiteral("db %1 takes no arguments, only options (see xapi-courier db %1 --help).").arg(action));
        return ExitCode::Usage;
    }
    if (action == QLatin1String("status"))
        return runStatus(parser);
    if (action == QLatin1String("migrate"))
        return runMigrate(parser);
    if (action == QLatin1String("password"))
        return runPassword(parser);
    return runCopy(parser);
}

int DbCommand::runStatus(const QCommandLineParser& parser)
{
    const Store::OpenResult opened = Store::inspect(m_cli.storeLocation(parser.value(QStringLiteral("db"))));
    if (!opened.store) {
        m_output.error(opened.error);
        return ExitCode::Refused;
    }
    const Store& store = *opened.store;
    QList<int> pending;
    for (const Migration& migration : Migrations::all()) {
        if (migration.version > store.schemaVersion())
            pending << migration.version;
    }
    // The size, and what each integration keeps (from the schema that keeps bodies apart on).
    constexpr int BodiesApart = 8;
    StoreSize size;
    QString sizeError;
    const bool measured = store.schemaVersion() >= BodiesApart && StoreSize::measure(store, &size, &sizeError);
    if (parser.isSet(QStringLiteral("json"))) {
        QJsonObject status{{QStringLiteral("engine"), engineKey(store)},
                           {QStringLiteral("location"), store.location().displayName()},
                           {QStringLiteral("schemaVersion"), store.schemaVersion()},
                           {QStringLiteral("latestVersion"), Migrations::latestVersion()},
                           {QStringLiteral("pending"), migrationsJson(pending)}};
        if (measured)
            status.insert(QStringLiteral("size"), size.toJson());
        m_output.out() << QJsonDocument(status).toJson(QJsonDocument::Indented) << Qt::flush;
        return ExitCode::Success;
    }
    QTextStream& out = m_output.out();
    out << "Engine:          " << SqlDialect::displayName(store.dialect()) << '\n'
        << "Store:           " << store.location().displayName() << '\n'
        << "Schema version:  " << store.schemaVersion() << " (this xAPI Courier: " << Migrations::latestVersion()
        << ")\n";
    if (pending.isEmpty())
        out << "Pending:         none, the store is up to date.\n";
    else
        out << "Pending:         " << pending.size() << " (run xapi-courier db migrate)\n"
            << migrationsText(pending) << '\n';
    if (measured) {
        out << "Size:            " << sizeText(size.bytes);
        if (size.freeBytes >= 0)
            out << " (free inside: " << sizeText(size.freeBytes) << ", write-ahead log: " << sizeText(size.walBytes)
                << ")";
        out << '\n';
        for (const StoreSize::Integration& lane : size.integrations) {
            out << "  " << lane.name << ": " << lane.statements << " statement(s), " << sizeText(lane.statementBytes)
                << "; " << lane.attempts << " attempt(s), " << sizeText(lane.attemptBytes) << '\n';
        }
    } else if (!sizeError.isEmpty()) {
        out << "Size:            cannot be read: " << sizeError << '\n';
    }
    out << Qt::flush;
    return ExitCode::Success;
}

int DbCommand::runMigrate(const QCommandLineParser& parser)
{
    const Store::OpenResult opened = Store::open(m_cli.storeLocation(parser.value(QStringLiteral("db"))));
    if (!opened.store) {
        m_output.error(opened.error);
        return ExitCode::Refused;
    }
    const Store& store = *opened.store;
    const QList<int> applied = store.appliedMigrations();
    if (parser.isSet(QStringLiteral("json"))) {
        const QJsonObject result{{QStringLiteral("engine"), engineKey(store)},
                                 {QStringLiteral("location"), store.location().displayName()},
                                 {QStringLiteral("schemaVersion"), store.schemaVersion()},
                                 {QStringLiteral("applied"), migrationsJson(applied)}};
        m_output.out() << QJsonDocument(result).toJson(QJsonDocument::Indented) << Qt::flush;
        return ExitCode::Success;
    }
    if (applied.isEmpty()) {
        m_output.out() << store.location().displayName() << ": already at schema version " << store.schemaVersion()
                       << ", nothing to do." << Qt::endl;
    } else {
        m_output.out() << store.location().displayName() << ": applied " << applied.size()
                       << (applied.size() == 1 ? " migration" : " migrations") << ", now at schema version "
                       << store.schemaVersion() << ".\n"
                       << migrationsText(applied) << Qt::endl;
    }
    return ExitCode::Success;
}

int DbCommand::runCopy(const QCommandLineParser& parser)
{
    const QString from = parser.value(QStringLiteral("from"));
    const QString to = parser.value(QStringLiteral("to"));
    if (from.isEmpty() || to.isEmpty()) {
        m_output.error(QStringLiteral("db copy needs both --from (the store to copy) and --to (a new, empty store)."));
        m_output.info(usage.trimmed());
        return ExitCode::Usage;
    }
    const StoreLocation source =
        DatabasePassword::withKeychainPassword(StoreLocation::fromString(from), m_cli.secrets());
    const StoreLocation target = DatabasePassword::withKeychainPassword(StoreLocation::fromString(to), m_cli.secrets());
    if (source.displayName() == target.displayName()) {
        m_output.error(QStringLiteral("--from and --to name the same store (%1); copy into a new, empty one.")
                           .arg(source.displayName()));
        return ExitCode::Refused;
    }
    Store::OpenResult sourceStore = Store::open(source);
    if (!sourceStore.store) {
        m_output.error(sourceStore.error);
        return ExitCode::Refused;
    }
    Store::OpenResult targetStore = Store::open(target);
    if (!targetStore.store) {
        m_output.error(targetStore.error);
        return ExitCode::Refused;
    }
    const StoreCopy::Result result = StoreCopy(*sourceStore.store, *targetStore.store).run();
    if (!result.ok) {
        m_output.error(result.error);
        return ExitCode::Refused;
    }
    if (parser.isSet(QStringLiteral("json"))) {
        const QJsonObject json{{QStringLiteral("from"), source.displayName()},
                               {QStringLiteral("to"), target.displayName()},
                               {QStringLiteral("tables"), countsJson(result.tables)}};
        m_output.out() << QJsonDocument(json).toJson(QJsonDocument::Indented) << Qt::flush;
        return ExitCode::Success;
    }
    QTextStream& out = m_output.out();
    qint64 total = 0;
    for (const StoreCopy::TableCount& count : result.tables) {
        out << QStringLiteral("  %1 %2\n").arg(count.table, -14).arg(count.rows);
        total += count.rows;
    }
    out << "Copied " << total << " rows from " << source.displayName() << " to " << target.displayName()
        << "; counted again, the target holds exactly these rows." << Qt::endl;
    return ExitCode::Success;
}

int DbCommand::runPassword(const QCommandLineParser& parser)
{
    StoreLocation location = m_cli.namedStore(parser.value(QStringLiteral("db")));
    if (location.kind() != StoreLocation::Kind::PostgreSql) {
        m_output.error(QStringLiteral("%1 is an SQLite file, which has no password; db password is for a "
                                      "postgresql:// store (--db URL or XAPI_COURIER_DB).")
                           .arg(location.displayName()));
        return ExitCode::Refused;
    }
    if (const QString problem = location.problem(); !problem.isEmpty()) {
        m_output.error(problem);
        return ExitCode::Refused;
    }
    const QString key = DatabasePassword::key(location);
    SecretStore& secrets = m_cli.secrets();
    if (parser.isSet(QStringLiteral("forget"))) {
        const SecretResult removed = DatabasePassword::waitFor(
            [&](QObject* context, SecretCallback done) { secrets.remove(key, context, std::move(done)); });
        if (!removed.ok() && removed.status != SecretResult::Status::NotFound) {
            m_output.error(removed.message);
            return ExitCode::Refused;
        }
        m_output.out() << location.displayName() << ": no password kept in the OS keychain any more; libpq's "
                       << "PGPASSFILE or ~/.pgpass serve." << Qt::endl;
        return ExitCode::Success;
    }
    QString password;
    if (parser.isSet(QStringLiteral("password-stdin"))) {
        password = Terminal::readAllStdin();
    } else if (Terminal::stdinIsTerminal()) {
        password = Terminal::readHidden(QStringLiteral("Password of %1: ").arg(location.displayName()));
    } else {
        m_output.error(QStringLiteral("No terminal to ask on: pipe the password in with --password-stdin."));
        return ExitCode::Usage;
    }
    if (password.isEmpty()) {
        m_output.error(QStringLiteral("The password is empty; nothing was kept."));
        return ExitCode::Refused;
    }
    location.setPassword(password);
    if (const Store::OpenResult tried = Store::inspect(location); !tried.store) {
        m_output.error(QStringLiteral("Nothing was kept: %1").arg(tried.error));
        return ExitCode::Refused;
    }
    const SecretResult written = DatabasePassword::waitFor(
        [&](QObject* context, SecretCallback done) { secrets.write(key, password, context, std::move(done)); });
    if (!written.ok()) {
        m_output.error(QStringLiteral("The server accepts the password, but it was not kept: %1").arg(written.message));
        return ExitCode::Refused;
    }
    m_output.out() << location.displayName() << ": the server accepts the password, now kept in the OS keychain; "
                   << "the desktop app, the worker and every command on this machine use it for this store."
                   << Qt::endl;
    return ExitCode::Success;
}
