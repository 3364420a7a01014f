#include "cli/QueueCommand.h"

#include "cli/ArgumentCheck.h"
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

// "5 (2 conflicting, 1 unverified)": the duplicates, and those 409 triage found to be more than a resend.
QString duplicatesText(const LaneStats& lane)
{
    QStringList parts;
    if (lane.duplicatesConflicting > 0)
        parts << QStringLiteral("%1 conflicting").arg(lane.duplicatesConflicting);
    if (lane.duplicatesUnverified > 0)
        parts << QStringLiteral("%1 unverified").arg(lane.duplicatesUnverified);
    const int pending = lane.duplicates - lane.duplicatesIdentical - lane.duplicatesConflicting -
                        lane.duplicatesUnverified;
    if (pending > 0)
        parts << QStringLiteral("%1 not triaged").arg(pending);
    return parts.isEmpty() ? QString::number(lane.duplicates)
                           : QStringLiteral("%1 (%2)").arg(lane.duplicates).arg(parts.join(QStringLiteral(", ")));
}

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

// One action's description, options and positional arguments, for its parser and its --help. Returns how many
// positional arguments it takes.
qsizetype describeAction(QCommandLineParser& parser, const QString& action)
{
    const auto option = [](const QString& name) -> QCommandLineOption {
        if (name == QLatin1String("integration"))
            return {name, QStringLiteral("The integration, by name or id."), QStringLiteral("NAME|ID")};
        if (name == QLatin1String("state"))
            return {name,
                    QStringLiteral("Only these states (comma separated): queued, sending, delivered, duplicate, "
                                   "held, discarded."),
                    QStringLiteral("STATE")};
        if (name == QLatin1String("search"))
            return {name, QStringLiteral("Statement id or error text contains."), QStringLiteral("TEXT")};
        if (name == QLatin1String("limit"))
            return {name, QStringLiteral("At most this many rows (default 100)."), QStringLiteral("N"),
                    QStringLiteral("100")};
        if (name == QLatin1String("from"))
            return {name, QStringLiteral("Start of the time range (ISO 8601, UTC if no offset)."), QStringLiteral("T")};
        if (name == QLatin1String("to"))
            return {name, QStringLiteral("End of the time range (ISO 8601, UTC if no offset)."), QStringLiteral("T")};
        if (name == QLatin1String("yes"))
            return {name, QStringLiteral("Do it without asking.")};
        if (name == QLatin1String("duplicate-kind"))
            return {name, QStringLiteral("Only duplicates (409) that triage found identical, conflicting or unverified."),
                    QStringLiteral("KIND")};
        return {name, QStringLiteral("Print JSON.")};
    };
    struct Action
    {
        const char* description;
        QStringList options;
        const char* positional = nullptr; // name, help
        const char* positionalHelp = nullptr;
        qsizetype count = 0;
    };
    static const QHash<QString, Action> described{
        {QStringLiteral("status"),
         {"Per integration: health, queued, delivered, held, the last answer, and who delivers it.",
          {QStringLiteral("json")}}},
        {QStringLiteral("list"),
         {"Deliveries, the newest first.",
          {QStringLiteral("state"), QStringLiteral("integration"), QStringLiteral("search"), QStringLiteral("limit"),
           QStringLiteral("duplicate-kind"), QStringLiteral("json")}}},
        {QStringLiteral("attempts"),
         {"Every try of one delivery: the request as sent (Authorization hidden) and the response.",
          {QStringLiteral("json")},
          "DELIVERY_ID",
          "The delivery (see xapi-courier queue list).",
          1}},
        {QStringLiteral("retry"),
         {"Skip the wait: the integration's queued statements are due now (a running worker probes at once).",
          {QStringLiteral("integration")}}},
        {QStringLiteral("discard"),
         {"Drop queued or held deliveries: they are not sent.",
          {QStringLiteral("yes")},
          "DELIVERY_ID...",
          "The deliveries (see xapi-courier queue list).",
          ArgumentCheck::AnyNumber}},
        {QStringLiteral("resend"),
         {"Send delivered (or discarded) statements again, with the same ids.",
          {QStringLiteral("yes")},
          "DELIVERY_ID...",
          "The deliveries (see xapi-courier queue list).",
          ArgumentCheck::AnyNumber}},
        {QStringLiteral("replay"),
         {"Queue every statement of a time range to the integration again, with the same ids.",
          {QStringLiteral("integration"), QStringLiteral("from"), QStringLiteral("to")}}},
        {QStringLiteral("export"),
         {"Failed deliveries as JSON lines, with their attempts.",
          {QStringLiteral("integration"), QStringLiteral("state")},
          "FILE",
          "Where to write them (default -: standard output).",
          1}},
    };
    const Action spec = described.value(action);
    parser.setApplicationDescription(QString::fromUtf8(spec.description));
    for (const QString& name : spec.options)
        parser.addOption(option(name));
    if (spec.positional)
        parser.addPositionalArgument(QString::fromUtf8(spec.positional), QString::fromUtf8(spec.positionalHelp));
    return spec.count;
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
        "       [--duplicate-kind identical|conflicting|unverified]   duplicates (409) of one kind\n"
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
    parser.addOption(Cli::databaseOption());
    parser.addHelpOption();
    parser.addOption(ArgumentCheck::verboseOption());
    const qsizetype positional = describeAction(parser, action);
    if (const std::optional<int> stop = ArgumentCheck::parse(
            m_output, parser, QStringLiteral("xapi-courier queue ") + action, arguments.mid(1), positional))
        return finished(*stop);
    const bool reads = QStringList{QStringLiteral("status"), QStringLiteral("list"), QStringLiteral("attempts"),
                                   QStringLiteral("export")}
                           .contains(action);
    if (!m_cli.openStore(parser.value(QStringLiteral("db")), reads ? Cli::StoreUse::Read : Cli::StoreUse::Write))
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
                {QStringLiteral("duplicatesIdentical"), lane.duplicatesIdentical},
                {QStringLiteral("duplicatesConflicting"), lane.duplicatesConflicting},
                {QStringLiteral("duplicatesUnverified"), lane.duplicatesUnverified},
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
    constexpr qsizetype ReasonWidth = 100; // one line per integration: the reason folded, and cut if long
    bool elided = false;
    for (const Integration& integration : integrations) {
        const LaneStats lane = stats.value(integration.id);
        QString next;
        if (integration.health() == Integration::Health::Retrying) {
            next = QStringLiteral("probe at ") +
                   integration.nextProbeAt.toLocalTime().toString(QStringLiteral("HH:mm:ss"));
        } else if (integration.health() == Integration::Health::Held) {
            next = CliOutput::oneLine(integration.holdReason, ReasonWidth);
            elided = elided || next != integration.holdReason.simplified();
        }
        rows << QStringList{integration.name,
                            Integration::healthName(integration.health()),
                            QString::number(lane.queued),
                            age(lane.oldestQueuedAt),
                            QString::number(lane.delivered),
                            duplicatesText(lane),
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
    if (elided)
        out << "(A reason that ends in … is whole in xapi-courier integration show NAME.)\n";
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
    filter.duplicateKind = parser.value(QStringLiteral("duplicate-kind")).trimmed().toLower();
    if (!filter.duplicateKind.isEmpty() &&
        !QStringList{QStringLiteral("identical"), QStringLiteral("conflicting"), QStringLiteral("unverified")}.contains(
            filter.duplicateKind)) {
        m_output.error(QStringLiteral("--duplicate-kind is identical, conflicting or unverified."));
        return ExitCode::Usage;
    }
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
                            delivery.state == Delivery::State::Duplicate && !delivery.duplicateKind.isEmpty()
                                ? QStringLiteral("duplicate (%1)").arg(delivery.duplicateKind)
                                : Delivery::stateName(delivery.state),
                            QString::number(delivery.attempts),
                            delivery.lastStatus ? QString::number(*delivery.lastStatus) : QStringLiteral("-"),
                            CliOutput::oneLine(delivery.lastError, 80)};
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
    if (integrationId < 0) // not given: usage; unknown: refused, as everywhere
        return parser.isSet(QStringLiteral("integration")) ? ExitCode::Refused : ExitCode::Usage;
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
        return parser.isSet(QStringLiteral("integration")) ? ExitCode::Refused : ExitCode::Usage;
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
