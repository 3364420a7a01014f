#include "cli/QueueCommand.h"

#include "cli/PruneCommand.h"
#include "cli/Terminal.h"
#include "common/Clock.h"
#include "delivery/DeliveryActions.h"
#include "delivery/LaneLeases.h"
#include "integrations/IntegrationService.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

namespace {

const QStringList actions = {QStringLiteral("status"), QStringLiteral("list"),    QStringLiteral("attempts"),
                             QStringLiteral("retry"),  QStringLiteral("discard"), QStringLiteral("resend"),
                             QStringLiteral("replay"), QStringLiteral("export"),  QStringLiteral("prune")};

QJsonValue timeValue(const QDateTime& time)
{
    return time.isValid() ? QJsonValue(time.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue();
}

QString age(const QDateTime& since)
{
    if (!since.isValid())
        return QStringLiteral("-");
    const qint64 seconds = since.secsTo(QDateTime::currentDateTimeUtc());
    if (seconds < 120)
        return QStringLiteral("%1s").arg(seconds);
    if (seconds < 7200)
        return QStringLiteral("%1m").arg(seconds / 60);
    return QStringLiteral("%1h").arg(seconds / 3600);
}

void printTable(QTextStream& out, const QList<QStringList>& rows)
{
    QList<qsizetype> widths;
    for (const QStringList& row : rows) {
        widths.resize(std::max(widths.size(), row.size()));
        for (qsizetype column = 0; column < row.size(); ++column)
            widths[column] = std::max(widths[column], row[column].size());
    }
    for (const QStringList& row : rows) {
        QStringList cells;
        for (qsizetype column = 0; column < row.size(); ++column)
            cells << (column + 1 < row.size() ? row[column].leftJustified(widths[column]) : row[column]);
        out << cells.join(QStringLiteral("  ")) << '\n';
    }
    out << Qt::flush;
}

} // namespace

QueueCommand::QueueCommand(Cli& cli, QObject* parent)
    : QObject(parent)
    , m_cli(cli)
    , m_output(cli.output())
{}

QString QueueCommand::helpText() const
{
    return QStringLiteral(
        "Usage: xapi-courier queue ACTION [options]\n"
        "\n"
        "Actions:\n"
        "  status [--json]                      per integration: health, queued, delivered, held, last error\n"
        "  list [--state S[,S]] [--integration N] [--search TEXT] [--limit N] [--json]\n"
        "  attempts DELIVERY_ID [--json]        every try of one delivery: request and response\n"
        "  retry --integration N                skip the wait: probe now, queued statements are due now\n"
        "  discard DELIVERY_ID... [--yes]       drop queued or held deliveries\n"
        "  resend DELIVERY_ID...                send delivered (or discarded) statements again, same ids\n"
        "  replay --integration N --from T --to T\n"
        "                                       queue every statement of a time range again, same ids\n"
        "  export [FILE|-] [--integration N]    failed deliveries as JSON lines, with their attempts\n"
        "  prune --delivered-before AGE|TIME [--integration N] [--yes]\n"
        "                                       remove delivered statements (bodies, attempts) older than that\n"
        "\n"
        "States: queued, sending, delivered, duplicate, held, discarded. Times are ISO 8601 (UTC if no offset).\n");
}

void QueueCommand::run(const QStringList& arguments, Cli::Finished finished)
{
    if (arguments.isEmpty() || arguments.first() == QLatin1String("--help") ||
        arguments.first() == QLatin1String("-h")) {
        m_output.out() << helpText() << Qt::flush;
        return finished(arguments.isEmpty() ? ExitCode::Usage : ExitCode::Success);
    }
    const QString action = arguments.first();
    if (!actions.contains(action)) {
        m_output.error(
            QStringLiteral("unknown action “%1”. Actions: %2.").arg(action, actions.join(QStringLiteral(", "))));
        return finished(ExitCode::Usage);
    }
    if (action == QLatin1String("prune"))
        return finished(PruneCommand(m_cli).run(arguments));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("xapi-courier queue %1").arg(action));
    parser.addOption(Cli::databaseOption());
    parser.addHelpOption();
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print JSON.")});
    parser.addOption(
        {QStringLiteral("integration"), QStringLiteral("The integration, by name or id."), QStringLiteral("NAME|ID")});
    parser.addOption(
        {QStringLiteral("state"), QStringLiteral("Only these states (comma separated)."), QStringLiteral("STATE")});
    parser.addOption(
        {QStringLiteral("search"), QStringLiteral("Statement id or error text contains."), QStringLiteral("TEXT")});
    parser.addOption({QStringLiteral("limit"), QStringLiteral("At most this many rows (default 100)."),
                      QStringLiteral("N"), QStringLiteral("100")});
    parser.addOption(
        {QStringLiteral("from"), QStringLiteral("Start of the time range (ISO 8601)."), QStringLiteral("T")});
    parser.addOption({QStringLiteral("to"), QStringLiteral("End of the time range (ISO 8601)."), QStringLiteral("T")});
    parser.addOption({QStringLiteral("yes"), QStringLiteral("Do it without asking.")});
    parser.addPositionalArgument(QStringLiteral("args"), QStringLiteral("Delivery ids, or the export file."));
    QStringList parserArguments = arguments;
    parserArguments[0] = QStringLiteral("xapi-courier queue ") + action;
    if (!parser.parse(parserArguments)) {
        m_output.error(parser.errorText() + QStringLiteral(" (see xapi-courier queue --help)"));
        return finished(ExitCode::Usage);
    }
    if (parser.isSet(QStringLiteral("help"))) {
        m_output.out() << helpText() << Qt::flush;
        return finished(ExitCode::Success);
    }
    if (!m_cli.openStore(parser.value(QStringLiteral("db"))))
        return finished(ExitCode::Refused);

    int code = ExitCode::Usage;
    if (action == QLatin1String("status"))
        code = status(parser);
    else if (action == QLatin1String("list"))
        code = list(parser);
    else if (action == QLatin1String("attempts"))
        code = attempts(parser);
    else if (action == QLatin1String("retry"))
        code = retry(parser);
    else if (action == QLatin1String("discard") || action == QLatin1String("resend"))
        code = discardOrResend(parser, action == QLatin1String("discard"));
    else if (action == QLatin1String("replay"))
        code = replay(parser);
    else if (action == QLatin1String("export"))
        code = exportFailed(parser);
    finished(code);
}

qint64 QueueCommand::integrationOption(QCommandLineParser& parser, bool required)
{
    if (!parser.isSet(QStringLiteral("integration"))) {
        if (required)
            m_output.error(QStringLiteral("--integration NAME is required (see xapi-courier integration list)."));
        return required ? -1 : 0;
    }
    QString error;
    const QString name = parser.value(QStringLiteral("integration"));
    const auto found = m_cli.integrations().repository().find(name, &error);
    if (!found) {
        m_output.error(error.isEmpty() ? QStringLiteral("integration: no integration is named “%1” or has that id. "
                                                        "See xapi-courier integration list.")
                                             .arg(name)
                                       : error);
        return -1;
    }
    return found->id;
}

bool QueueCommand::deliveryIds(QCommandLineParser& parser, QList<qint64>* ids)
{
    for (const QString& text : parser.positionalArguments()) {
        bool ok = false;
        const qint64 id = text.toLongLong(&ok);
        if (!ok || id <= 0) {
            m_output.error(QStringLiteral("“%1” is not a delivery id (see xapi-courier queue list).").arg(text));
            return false;
        }
        *ids << id;
    }
    if (ids->isEmpty())
        m_output.error(QStringLiteral("name at least one delivery id (see xapi-courier queue list)."));
    return !ids->isEmpty();
}

bool QueueCommand::timeOption(QCommandLineParser& parser, const QString& name, QDateTime* time)
{
    const QString text = parser.value(name);
    *time = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (text.isEmpty())
        m_output.error(QStringLiteral("--%1 is required: a time such as 2026-11-01T00:00:00Z (UTC) or "
                                      "2026-11-01T08:00:00+08:00.")
                           .arg(name));
    else if (!time->isValid())
        m_output.error(
            QStringLiteral("--%1: “%2” is not a time; use ISO 8601, e.g. 2026-11-01T00:00:00Z.").arg(name, text));
    return time->isValid();
}

bool QueueCommand::statesOption(QCommandLineParser& parser, QList<Delivery::State>* states)
{
    if (!parser.isSet(QStringLiteral("state")))
        return true;
    for (const QString& name : parser.value(QStringLiteral("state")).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const auto state = Delivery::stateFromName(name.trimmed().toLower());
        if (!state) {
            m_output.error(QStringLiteral("--state: “%1” is not a state; use queued, sending, delivered, duplicate, "
                                          "held or discarded.")
                               .arg(name));
            return false;
        }
        *states << *state;
    }
    return true;
}

int QueueCommand::status(QCommandLineParser& parser)
{
    QString error;
    const QList<Integration> integrations = m_cli.integrations().list(&error);
    const QHash<qint64, LaneStats> stats = m_cli.deliveries().queue().stats(&error);
    if (!error.isEmpty()) {
        m_output.error(error);
        return ExitCode::Refused;
    }
    // Which worker or desktop app delivers each integration now (a team runs several on one store).
    QHash<qint64, QString> deliveredBy;
    for (const Integration& integration : integrations)
        deliveredBy.insert(integration.id, LaneLeases::holderOf(m_cli.store(), integration.id, Clock::system().now()));
    if (parser.isSet(QStringLiteral("json"))) {
        QJsonArray array;
        for (const Integration& integration : integrations) {
            const LaneStats lane = stats.value(integration.id);
            const QString holder = deliveredBy.value(integration.id);
            array << QJsonObject{
                {QStringLiteral("id"), integration.id},
                {QStringLiteral("name"), integration.name},
                {QStringLiteral("health"), Integration::healthName(integration.health())},
                {QStringLiteral("holdReason"), integration.holdReason},
                {QStringLiteral("queued"), lane.queued},
                {QStringLiteral("delivered"), lane.delivered},
                {QStringLiteral("duplicates"), lane.duplicates},
                {QStringLiteral("held"), lane.held},
                {QStringLiteral("discarded"), lane.discarded},
                {QStringLiteral("oldestQueuedAt"), timeValue(lane.oldestQueuedAt)},
                {QStringLiteral("lastStatus"), lane.lastStatus ? QJsonValue(*lane.lastStatus) : QJsonValue()},
                {QStringLiteral("lastError"), lane.lastError},
                {QStringLiteral("nextProbeAt"), integration.health() == Integration::Health::Retrying
                                                    ? timeValue(integration.nextProbeAt)
                                                    : QJsonValue()},
                {QStringLiteral("deliveredBy"), holder.isEmpty() ? QJsonValue() : QJsonValue(holder)},
            };
        }
        m_output.out() << QJsonDocument(array).toJson(QJsonDocument::Indented) << Qt::flush;
        return ExitCode::Success;
    }
    if (integrations.isEmpty()) {
        m_output.info(QStringLiteral("No integrations yet: add one with xapi-courier integration add."));
        return ExitCode::Success;
    }
    QList<QStringList> rows{{QStringLiteral("NAME"), QStringLiteral("HEALTH"), QStringLiteral("QUEUED"),
                             QStringLiteral("OLDEST"), QStringLiteral("DELIVERED"), QStringLiteral("DUPLICATES"),
                             QStringLiteral("HELD"), QStringLiteral("LAST"), QStringLiteral("NEXT / REASON")}};
    for (const Integration& integration : integrations) {
        const LaneStats lane = stats.value(integration.id);
        QString next;
        if (integration.health() == Integration::Health::Retrying)
            next = QStringLiteral("probe at ") +
                   integration.nextProbeAt.toLocalTime().toString(QStringLiteral("HH:mm:ss"));
        else if (integration.health() == Integration::Health::Held)
            next = integration.holdReason;
        rows << QStringList{integration.name,
                            Integration::healthName(integration.health()),
                            QString::number(lane.queued),
                            age(lane.oldestQueuedAt),
                            QString::number(lane.delivered),
                            QString::number(lane.duplicates),
                            QString::number(lane.held),
                            lane.lastStatus
                                ? QString::number(*lane.lastStatus)
                                : (lane.lastError.isEmpty() ? QStringLiteral("-") : QStringLiteral("error")),
                            next};
    }
    printTable(m_output.out(), rows);
    QMap<QString, QStringList> lanesByHolder;
    for (const Integration& integration : integrations) {
        if (const QString holder = deliveredBy.value(integration.id); !holder.isEmpty())
            lanesByHolder[holder] << integration.name;
    }
    QTextStream& out = m_output.out();
    out << '\n';
    if (lanesByHolder.isEmpty()) {
        int waiting = 0;
        for (const LaneStats& lane : stats)
            waiting += lane.queued;
        if (waiting > 0)
            out << "Nobody delivers now, and " << waiting
                << " statement(s) wait: start xapi-courier worker (or the desktop app) on this store.\n";
        else
            out << "Nobody delivers now, and nothing waits.\n";
    }
    for (auto it = lanesByHolder.cbegin(); it != lanesByHolder.cend(); ++it)
        out << "Delivered by " << it.key() << ": " << it.value().join(QStringLiteral(", ")) << '\n';
    out << Qt::flush;
    return ExitCode::Success;
}

int QueueCommand::filterOptions(QCommandLineParser& parser, DeliveryFilter* filter)
{
    filter->integrationId = integrationOption(parser, false);
    if (filter->integrationId < 0)
        return ExitCode::Refused;
    if (!statesOption(parser, &filter->states))
        return ExitCode::Usage;
    return ExitCode::Success;
}

int QueueCommand::list(QCommandLineParser& parser)
{
    DeliveryFilter filter;
    if (const int code = filterOptions(parser, &filter); code != ExitCode::Success)
        return code;
    filter.search = parser.value(QStringLiteral("search"));
    const int limit = parser.value(QStringLiteral("limit")).toInt();
    QString error;
    const QList<Delivery> deliveries = m_cli.deliveries().queue().list(filter, limit > 0 ? limit : 100, 0, &error);
    if (!error.isEmpty()) {
        m_output.error(error);
        return ExitCode::Refused;
    }
    if (parser.isSet(QStringLiteral("json"))) {
        QJsonArray array;
        for (const Delivery& delivery : deliveries)
            array << delivery.toJson(false);
        m_output.out() << QJsonDocument(array).toJson(QJsonDocument::Indented) << Qt::flush;
        return ExitCode::Success;
    }
    QList<QStringList> rows{{QStringLiteral("ID"), QStringLiteral("INTEGRATION"), QStringLiteral("STATEMENT"),
                             QStringLiteral("STATE"), QStringLiteral("TRIES"), QStringLiteral("LAST"),
                             QStringLiteral("ERROR")}};
    QHash<qint64, QString> names;
    for (const Integration& integration : m_cli.integrations().list(&error))
        names.insert(integration.id, integration.name);
    for (const Delivery& delivery : deliveries) {
        rows << QStringList{QString::number(delivery.id),
                            names.value(delivery.integrationId),
                            delivery.statementId,
                            Delivery::stateName(delivery.state),
                            QString::number(delivery.attempts),
                            delivery.lastStatus ? QString::number(*delivery.lastStatus) : QStringLiteral("-"),
                            delivery.lastError.left(80)};
    }
    printTable(m_output.out(), rows);
    return ExitCode::Success;
}

int QueueCommand::attempts(QCommandLineParser& parser)
{
    QList<qint64> ids;
    if (!deliveryIds(parser, &ids))
        return ExitCode::Usage;
    QString error;
    if (!m_cli.deliveries().queue().byId(ids.first(), &error)) {
        m_output.error(error.isEmpty()
                           ? QStringLiteral("There is no delivery %1 (see xapi-courier queue list).").arg(ids.first())
                           : error);
        return ExitCode::Refused;
    }
    const QList<AttemptRecord> attempts = AttemptLog(m_cli.store()).forDelivery(ids.first(), &error);
    if (!error.isEmpty()) {
        m_output.error(error);
        return ExitCode::Refused;
    }
    if (parser.isSet(QStringLiteral("json"))) {
        QJsonArray array;
        for (const AttemptRecord& attempt : attempts)
            array << attempt.toJson();
        m_output.out() << QJsonDocument(array).toJson(QJsonDocument::Indented) << Qt::flush;
        return ExitCode::Success;
    }
    if (attempts.isEmpty())
        m_output.info(QStringLiteral("Delivery %1 has no attempts yet.").arg(ids.first()));
    for (const AttemptRecord& attempt : attempts) {
        QTextStream& out = m_output.out();
        out << "== " << attempt.startedAt.toLocalTime().toString(Qt::ISODateWithMs) << "  "
            << (attempt.status ? QString::number(*attempt.status) : QStringLiteral("no response")) << "  "
            << AttemptRecord::durationText(attempt.durationMs) << '\n'
            << attempt.requestLine << '\n'
            << attempt.requestHeaders << '\n';
        if (attempt.statements > 1)
            out << "(one request carrying " << attempt.statements << " statements)\n";
        if (!attempt.error.isEmpty())
            out << "error: " << attempt.error << '\n';
        out << "-- response\n" << attempt.responseHeaders << '\n' << attempt.responseBody << "\n\n";
    }
    m_output.out() << Qt::flush;
    return ExitCode::Success;
}

int QueueCommand::retry(QCommandLineParser& parser)
{
    const qint64 integrationId = integrationOption(parser, true);
    if (integrationId < 0)
        return ExitCode::Usage;
    QString error;
    const int count = m_cli.deliveries().retryNow(integrationId, &error);
    if (count < 0) {
        m_output.error(error);
        return ExitCode::Refused;
    }
    m_output.info(QStringLiteral("%1 queued statements are due now; a running worker sends them at once.").arg(count));
    return ExitCode::Success;
}

int QueueCommand::discardOrResend(QCommandLineParser& parser, bool discard)
{
    QList<qint64> ids;
    if (!deliveryIds(parser, &ids))
        return ExitCode::Usage;
    if (discard && !parser.isSet(QStringLiteral("yes"))) {
        if (!Terminal::stdinIsTerminal()) {
            m_output.error(QStringLiteral("discarding needs confirmation: add --yes when not running on a terminal."));
            return ExitCode::Usage;
        }
        if (!Terminal::confirm(QStringLiteral("Discard %1 deliveries? They will not be sent.").arg(ids.size())))
            return ExitCode::Refused;
    }
    QString error;
    const int count = discard ? m_cli.deliveries().discard(ids, &error) : m_cli.deliveries().resend(ids, &error);
    if (count < 0) {
        m_output.error(error);
        return ExitCode::Refused;
    }
    if (count < ids.size()) {
        QStringList missing;
        for (qint64 id : std::as_const(ids)) {
            if (!m_cli.deliveries().queue().byId(id, &error) && error.isEmpty())
                missing << QString::number(id);
        }
        if (!missing.isEmpty())
            m_output.error(QStringLiteral("There is no delivery %1 (see xapi-courier queue list).")
                               .arg(missing.join(QStringLiteral(", "))));
    }
    m_output.info(discard ? QStringLiteral("Discarded %1 of %2 deliveries (only queued or held ones can be).")
                                .arg(count)
                                .arg(ids.size())
                          : QStringLiteral("Queued %1 of %2 deliveries again (only finished ones can be).")
                                .arg(count)
                                .arg(ids.size()));
    return count == ids.size() ? ExitCode::Success : ExitCode::Refused;
}

int QueueCommand::replay(QCommandLineParser& parser)
{
    const qint64 integrationId = integrationOption(parser, true);
    if (integrationId < 0)
        return ExitCode::Usage;
    QDateTime from;
    QDateTime to;
    if (!timeOption(parser, QStringLiteral("from"), &from) || !timeOption(parser, QStringLiteral("to"), &to))
        return ExitCode::Usage;
    QString error;
    const int count = m_cli.deliveries().replay(integrationId, from, to, &error);
    if (count < 0) {
        m_output.error(error);
        return ExitCode::Refused;
    }
    m_output.info(QStringLiteral("Queued %1 statements again, with their original ids.").arg(count));
    return ExitCode::Success;
}

int QueueCommand::exportFailed(QCommandLineParser& parser)
{
    DeliveryFilter filter;
    if (const int code = filterOptions(parser, &filter); code != ExitCode::Success)
        return code;
    const QString target = parser.positionalArguments().value(0, QStringLiteral("-"));
    QFile file;
    const bool opened = target == QLatin1String("-") ? file.open(stdout, QIODevice::WriteOnly)
                                                     : (file.setFileName(target), file.open(QIODevice::WriteOnly));
    if (!opened) {
        m_output.error(QStringLiteral("%1: cannot write (%2).").arg(target, file.errorString()));
        return ExitCode::Refused;
    }
    QString error;
    const int count = m_cli.deliveries().exportFailed(filter, &file, &error);
    if (count < 0) {
        m_output.error(error);
        return ExitCode::Refused;
    }
    m_output.info(QStringLiteral("Exported %1 failed deliveries.").arg(count));
    return ExitCode::Success;
}
