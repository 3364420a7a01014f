#include "cli/SandboxCommand.h"

#include "cli/ArgumentCheck.h"
#include "cli/SignalWatcher.h"
#include "sandbox/Sandbox.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>

namespace {

QCommandLineOption basicOption()
{
    return {QStringLiteral("basic"),
            QStringLiteral("Require HTTP Basic with these (test) credentials; without it, no authentication."),
            QStringLiteral("USER:PASS")};
}

bool splitBasic(const QString& value, QString* user, QString* password)
{
    const qsizetype colon = value.indexOf(QLatin1Char(':'));
    if (colon <= 0)
        return false;
    *user = value.left(colon);
    *password = value.mid(colon + 1);
    return true;
}

} // namespace

SandboxCommand::SandboxCommand(Cli& cli, QObject* parent)
    : QObject(parent)
    , m_cli(cli)
    , m_output(cli.output())
{}

QString SandboxCommand::terminalSafe(const QString& text)
{
    QString safe;
    safe.reserve(text.size());
    for (const QChar c : text) {
        if (c.category() == QChar::Other_Control || c.category() == QChar::Other_Format)
            safe += QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
        else
            safe += c;
    }
    return safe;
}

void SandboxCommand::run(const QStringList& arguments, Cli::Finished finished)
{
    m_finished = std::move(finished);
    if (!arguments.isEmpty() && arguments.first() == QLatin1String("list"))
        return list(arguments.mid(1));
    serve(arguments);
}

void SandboxCommand::serve(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "A local LRS on 127.0.0.1 that behaves as xAPI 1.0.3 asks for statements (POST, PUT, GET "
        "/xapi/statements; GET /xapi/about; 200/204 for identical resends, 409 for an id reused with other content, "
        "400 with the validator's findings) and fails on purpose when told to. Runs until SIGTERM or Ctrl+C.\n\n"
        "  xapi-courier sandbox list [--port P | --db PATH] [--requests] [--json]   what it received"));
    parser.addHelpOption();
    parser.addOption(
        {QStringLiteral("port"), QStringLiteral("The port on 127.0.0.1 (0: any free one)."), QStringLiteral("P")});
    parser.addOption(
        {QStringLiteral("faults"),
         QStringLiteral("Fail the next requests on purpose, in order: %1.").arg(SandboxFaults::syntaxHelp()),
         QStringLiteral("SPEC")});
    parser.addOption({QStringLiteral("db"),
                      QStringLiteral("Keep the statements in this SQLite file (its own, not the Courier store) "
                                     "instead of in memory."),
                      QStringLiteral("PATH")});
    parser.addOption(basicOption());
    parser.addOption(ArgumentCheck::verboseOption());
    if (const std::optional<int> stop =
            ArgumentCheck::parse(m_output, parser, QStringLiteral("xapi-courier sandbox"), arguments, 0))
        return m_finished(*stop);
    bool ok = false;
    const uint port = parser.value(QStringLiteral("port")).toUInt(&ok);
    if (!parser.isSet(QStringLiteral("port")) || !ok || port > 65535) {
        m_output.error(QStringLiteral("--port: give the port to listen on, 0 to 65535 (0: any free one)."));
        return m_finished(ExitCode::Usage);
    }
    QString user;
    QString password;
    if (parser.isSet(QStringLiteral("basic")) && !splitBasic(parser.value(QStringLiteral("basic")), &user, &password)) {
        m_output.error(QStringLiteral("--basic: give USER:PASS."));
        return m_finished(ExitCode::Usage);
    }
    m_sandbox = new Sandbox(this);
    QString error;
    if (!m_sandbox->setFaults(parser.value(QStringLiteral("faults")), &error)) {
        m_output.error(error);
        return m_finished(ExitCode::Usage);
    }
    m_sandbox->setBasicAuth(user, password);
    const QString database = parser.value(QStringLiteral("db"));
    if (!m_sandbox->open(database, &error) || !m_sandbox->listen(quint16(port), &error)) {
        m_output.error(error);
        return m_finished(ExitCode::Refused);
    }
    connect(m_sandbox, &Sandbox::requestLogged, this, [this](const Sandbox::Request& request) {
        m_output.info(terminalSafe(
            QStringLiteral("%1 %2 %3 -> %4 %5")
                .arg(request.at.toString(Qt::ISODate), QString::fromLatin1(request.method), request.target.left(200),
                     request.status ? QString::number(request.status) : QStringLiteral("dropped"),
                     request.outcome.left(300))));
    });
    auto* signals_ = new SignalWatcher(this);
    connect(signals_, &SignalWatcher::terminationRequested, this, [this](int) {
        m_output.info(QStringLiteral("Sandbox stopped."));
        if (m_finished)
            std::exchange(m_finished, nullptr)(ExitCode::Success);
    });
    // The URL on stdout (first line), for scripts; the rest on stderr.
    m_output.out() << m_sandbox->statementsUrl().toString() << Qt::endl;
    m_output.info(QStringLiteral("Sandbox LRS on %1 (about: %2); statements %3; %4; faults: %5. Ctrl+C stops it.")
                      .arg(m_sandbox->statementsUrl().toString(), m_sandbox->aboutUrl().toString(),
                           database.isEmpty()
                               ? QStringLiteral("in memory")
                               : QStringLiteral("kept in %1").arg(QFileInfo(database).absoluteFilePath()),
                           user.isEmpty() ? QStringLiteral("no authentication")
                                          : QStringLiteral("HTTP Basic required (user %1)").arg(terminalSafe(user)),
                           m_sandbox->faults().spec().isEmpty() ? QStringLiteral("none") : m_sandbox->faults().spec()));
}

void SandboxCommand::list(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "The statements a sandbox received: from a running one (--port, with its requests) or from its file (--db)."));
    parser.addHelpOption();
    parser.addOption(
        {QStringLiteral("port"), QStringLiteral("A sandbox running on 127.0.0.1:P."), QStringLiteral("P")});
    parser.addOption({QStringLiteral("db"), QStringLiteral("A sandbox's statements file."), QStringLiteral("PATH")});
    parser.addOption(basicOption());
    parser.addOption({QStringLiteral("requests"),
                      QStringLiteral("Also every request it answered, with the status and any fault (--port).")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print JSON.")});
    parser.addOption(ArgumentCheck::verboseOption());
    if (const std::optional<int> stop =
            ArgumentCheck::parse(m_output, parser, QStringLiteral("xapi-courier sandbox list"), arguments, 0))
        return m_finished(*stop);
    const bool json = parser.isSet(QStringLiteral("json"));
    const bool requests = parser.isSet(QStringLiteral("requests"));
    if (parser.isSet(QStringLiteral("port")) == parser.isSet(QStringLiteral("db"))) {
        m_output.error(QStringLiteral("give --port P (a running sandbox) or --db PATH (its statements file)."));
        return m_finished(ExitCode::Usage);
    }
    if (parser.isSet(QStringLiteral("db"))) {
        const QString path = parser.value(QStringLiteral("db"));
        if (!QFileInfo::exists(path)) {
            m_output.error(QStringLiteral("db: %1 does not exist.").arg(path));
            return m_finished(ExitCode::Refused);
        }
        SandboxStatements statements;
        QString error;
        if (!statements.open(path, &error)) {
            m_output.error(error);
            return m_finished(ExitCode::Refused);
        }
        SandboxStatements::Query query;
        query.withVoided = true;
        query.ascending = true;
        QJsonArray rows;
        for (const SandboxStatements::Stored& row : statements.list(query, &error)) {
            rows << QJsonObject{{QStringLiteral("id"), row.id},
                                {QStringLiteral("stored"), row.stored.toString(Qt::ISODateWithMs)},
                                {QStringLiteral("voided"), row.voided},
                                {QStringLiteral("statement"), row.statement}};
        }
        if (!error.isEmpty()) {
            m_output.error(error);
            return m_finished(ExitCode::Refused);
        }
        print(QJsonObject{{QStringLiteral("statements"), rows}}, json, false);
        return m_finished(ExitCode::Success);
    }
    bool ok = false;
    const uint port = parser.value(QStringLiteral("port")).toUInt(&ok);
    if (!ok || port == 0 || port > 65535) {
        m_output.error(QStringLiteral("--port: give the sandbox's port, 1 to 65535."));
        return m_finished(ExitCode::Usage);
    }
    QString user;
    QString password;
    if (parser.isSet(QStringLiteral("basic")) && !splitBasic(parser.value(QStringLiteral("basic")), &user, &password)) {
        m_output.error(QStringLiteral("--basic: give USER:PASS."));
        return m_finished(ExitCode::Usage);
    }
    auto* network = new QNetworkAccessManager(this);
    QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1/sandbox/received").arg(port)));
    request.setTransferTimeout(10000);
    if (!user.isEmpty())
        request.setRawHeader("Authorization",
                             "Basic " + QByteArray(user.toUtf8() + ':' + password.toUtf8()).toBase64());
    QNetworkReply* reply = network->get(request);
    connect(reply, &QNetworkReply::finished, this, [this, reply, port, json, requests] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QJsonDocument document = QJsonDocument::fromJson(reply->readAll());
        if (status != 200 || !document.isObject()) {
            m_output.error(status == 401 ? QStringLiteral("port: the sandbox wants its --basic credentials.")
                                         : QStringLiteral("port: no sandbox answered on 127.0.0.1:%1 (%2).")
                                               .arg(port)
                                               .arg(status ? QStringLiteral("HTTP %1").arg(status)
                                                           : terminalSafe(reply->errorString())));
            return m_finished(ExitCode::Refused);
        }
        print(document.object(), json, requests);
        m_finished(ExitCode::Success);
    });
}

void SandboxCommand::print(const QJsonObject& received, bool json, bool requests)
{
    QTextStream& out = m_output.out();
    if (json) {
        QJsonObject shown{{QStringLiteral("statements"), received.value(QStringLiteral("statements"))}};
        if (requests)
            shown.insert(QStringLiteral("requests"), received.value(QStringLiteral("requests")));
        out << QJsonDocument(shown).toJson(QJsonDocument::Indented) << Qt::flush;
        return;
    }
    const QJsonArray statements = received.value(QStringLiteral("statements")).toArray();
    out << statements.size() << (statements.size() == 1 ? " statement" : " statements") << " received\n";
    for (const QJsonValue& value : statements) {
        const QJsonObject row = value.toObject();
        const QJsonObject statement = row.value(QStringLiteral("statement")).toObject();
        const QJsonObject actor = statement.value(QStringLiteral("actor")).toObject();
        const QString who =
            actor.contains(QStringLiteral("mbox"))
                ? actor.value(QStringLiteral("mbox")).toString()
                : actor.value(QStringLiteral("account")).toObject().value(QStringLiteral("name")).toString();
        const QString verb = statement.value(QStringLiteral("verb")).toObject().value(QStringLiteral("id")).toString();
        const QString what =
            statement.value(QStringLiteral("object")).toObject().value(QStringLiteral("id")).toString();
        out << terminalSafe(
                   QStringLiteral("%1  %2  %3  %4  %5%6")
                       .arg(row.value(QStringLiteral("stored")).toString(), row.value(QStringLiteral("id")).toString(),
                            who, verb.section(QLatin1Char('/'), -1), what,
                            row.value(QStringLiteral("voided")).toBool() ? QStringLiteral("  (voided)") : QString()))
            << '\n';
    }
    if (requests) {
        const QJsonArray log = received.value(QStringLiteral("requests")).toArray();
        out << '\n' << log.size() << (log.size() == 1 ? " request" : " requests") << " answered\n";
        for (const QJsonValue& value : log) {
            const QJsonObject request = value.toObject();
            const QJsonValue status = request.value(QStringLiteral("status"));
            out << terminalSafe(QStringLiteral("#%1 %2 %3 %4 -> %5 %6")
                                    .arg(request.value(QStringLiteral("number")).toInt())
                                    .arg(request.value(QStringLiteral("at")).toString(),
                                         request.value(QStringLiteral("method")).toString(),
                                         request.value(QStringLiteral("target")).toString().left(200),
                                         status.isNull() ? QStringLiteral("dropped") : QString::number(status.toInt()),
                                         request.value(QStringLiteral("outcome")).toString().left(300)))
                << '\n';
        }
    }
    out << Qt::flush;
}
