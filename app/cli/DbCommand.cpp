#include "cli/DbCommand.h"

#include "store/SqlDialect.h"
#include "store/Store.h"
#include "store/StoreCopy.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace {

const QString usage = QStringLiteral("Usage: xapi-courier [--db PATH|URL] db status [--json]\n"
                                     "       xapi-courier [--db PATH|URL] db migrate [--json]\n"
                                     "       xapi-courier db copy --from PATH|URL --to PATH|URL [--json]\n");

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
    if (action != QLatin1String("status") && action != QLatin1String("migrate") && action != QLatin1String("copy")) {
        if (action == QLatin1String("--help") || action == QLatin1String("-h")) {
            m_output.out() << usage << Qt::flush;
            return ExitCode::Success;
        }
        m_output.error(action.isEmpty() ? QStringLiteral("name an action: status, migrate or copy.")
                                        : QStringLiteral("unknown action “%1”: status, migrate or copy.").arg(action));
        m_output.info(usage.trimmed());
        return ExitCode::Usage;
    }
    QCommandLineParser parser;
    parser.addHelpOption();
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
    } else {
        parser.addOption(Cli::databaseOption());
        parser.setApplicationDescription(
            action == QLatin1String("status")
                ? QStringLiteral("The store's engine, location (never a password), schema version and the migrations "
                                 "this version of xAPI Courier would apply. Changes nothing.")
                : QStringLiteral("Apply the pending migrations, in one transaction. Every command does this when it "
                                 "opens the store; run it on its own to upgrade a shared store once, on purpose."));
    }
    QStringList parserArguments = arguments;
    parserArguments[0] = QStringLiteral("xapi-courier db ") + action;
    if (!parser.parse(parserArguments)) {
        m_output.error(parser.errorText() + QStringLiteral(" (see xapi-courier db %1 --help)").arg(action));
        return ExitCode::Usage;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        m_output.out() << parser.helpText() << Qt::flush;
        return ExitCode::Success;
    }
    if (!parser.positionalArguments().isEmpty()) {
        m_output.error(
            QStringLiteral("db %1 takes no arguments, only options (see xapi-courier db %1 --help).").arg(action));
        return ExitCode::Usage;
    }
    if (action == QLatin1String("status"))
        return runStatus(parser);
    if (action == QLatin1String("migrate"))
        return runMigrate(parser);
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
    if (parser.isSet(QStringLiteral("json"))) {
        const QJsonObject status{{QStringLiteral("engine"), engineKey(store)},
                                 {QStringLiteral("location"), store.location().displayName()},
                                 {QStringLiteral("schemaVersion"), store.schemaVersion()},
                                 {QStringLiteral("latestVersion"), Migrations::latestVersion()},
                                 {QStringLiteral("pending"), migrationsJson(pending)}};
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
    const StoreLocation source = StoreLocation::fromString(from);
    const StoreLocation target = StoreLocation::fromString(to);
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
