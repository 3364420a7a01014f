#include "sandbox/Sandbox.h"

#include "statements/StatementComparison.h"
#include "statements/StatementValidator.h"

#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>
#include <QUrlQuery>
#include <QUuid>

#include <memory>

Q_LOGGING_CATEGORY(lcSandbox, "courier.sandbox")

namespace {

constexpr int PageSize = 100;

QByteArray methodName(QHttpServerRequest::Method method)
{
    switch (method) {
    case QHttpServerRequest::Method::Get:
        return "GET";
    case QHttpServerRequest::Method::Put:
        return "PUT";
    case QHttpServerRequest::Method::Post:
        return "POST";
    case QHttpServerRequest::Method::Delete:
        return "DELETE";
    case QHttpServerRequest::Method::Head:
        return "HEAD";
    case QHttpServerRequest::Method::Options:
        return "OPTIONS";
    case QHttpServerRequest::Method::Patch:
        return "PATCH";
    default:
        return "OTHER";
    }
}

QByteArray json(const QJsonValue& value)
{
    return value.isArray() ? QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact)
                           : QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
}

QString isoNow(const QDateTime& now)
{
    return now.toUTC().toString(Qt::ISODateWithMs);
}

bool acceptedVersion(const QByteArray& header)
{
    // 1.0.3 and the 1.0.x it is compatible with; 1.1.0 and up must be refused (Communication 3.3).
    const QByteArray value = header.trimmed();
    return value == "1.0" || (value.startsWith("1.0.") && value.size() > 4);
}

} // namespace

QByteArray Sandbox::Request::header(const QByteArray& name) const
{
    for (const auto& [key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QJsonObject Sandbox::Request::toJson() const
{
    QJsonObject entry{{QStringLiteral("number"), number},
                      {QStringLiteral("at"), isoNow(at)},
                      {QStringLiteral("method"), QString::fromLatin1(method)},
                      {QStringLiteral("target"), target},
                      {QStringLiteral("status"), status == 0 ? QJsonValue() : QJsonValue(status)},
                      {QStringLiteral("outcome"), outcome},
                      {QStringLiteral("statementIds"), QJsonArray::fromStringList(statementIds)}};
    if (!fault.isEmpty())
        entry.insert(QStringLiteral("fault"), fault);
    return entry;
}

Sandbox::Sandbox(QObject* parent)
    : QAbstractHttpServer(parent)
{}

Sandbox::~Sandbox() = default;

bool Sandbox::open(const QString& databasePath, QString* error)
{
    return m_statements.open(databasePath, error);
}

bool Sandbox::listen(quint16 port, QString* error)
{
    if (!m_statements.isOpen() && !open(QString(), error))
        return false;
    m_port = QAbstractHttpServer::listen(QHostAddress::LocalHost, port);
    if (m_port == 0) {
        *error = QStringLiteral("port: cannot listen on 127.0.0.1:%1 (in use, or not allowed); choose another port.")
                     .arg(port);
        return false;
    }
    qCInfo(lcSandbox) << "Sandbox LRS listening on" << statementsUrl().toString();
    return true;
}

QUrl Sandbox::statementsUrl() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1/xapi/statements").arg(m_port));
}

QUrl Sandbox::aboutUrl() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1/xapi/about").arg(m_port));
}

bool Sandbox::setFaults(const QString& spec, QString* error)
{
    SandboxFaults faults;
    if (!faults.parse(spec, error))
        return false;
    m_faults = faults;
    return true;
}

void Sandbox::setBasicAuth(const QString& user, const QString& password)
{
    m_basicUser = user;
    m_basicPassword = password;
}

QStringList Sandbox::receivedIds() const
{
    QStringList ids;
    for (const Request& request : m_requests) {
        if (!request.target.startsWith(QLatin1String("/xapi/statements")) || request.method == "GET")
            continue;
        // From the body as sent: faulted and refused requests carry their ids too.
        const QJsonDocument document = QJsonDocument::fromJson(request.body);
        const QJsonArray statements = document.isArray() ? document.array() : QJsonArray{document.object()};
        for (const QJsonValue& statement : statements)
            ids << statement.toObject().value(QStringLiteral("id")).toString();
    }
    return ids;
}

Sandbox::Answer Sandbox::error(int status, const QString& message, const QJsonArray& findings)
{
    QJsonObject body{{QStringLiteral("error"), message}};
    if (!findings.isEmpty())
        body.insert(QStringLiteral("findings"), findings);
    Answer answer;
    answer.status = status;
    answer.body = json(body);
    answer.headers = {{"Content-Type", "application/json"}};
    answer.outcome = message;
    return answer;
}

bool Sandbox::authorized(const QHttpServerRequest& request) const
{
    if (m_basicUser.isEmpty())
        return true;
    const QByteArray expected =
        "Basic " + QByteArray(m_basicUser.toUtf8() + ':' + m_basicPassword.toUtf8()).toBase64();
    return request.value("Authorization") == expected;
}

QJsonObject Sandbox::authority() const
{
    return QJsonObject{
        {QStringLiteral("objectType"), QStringLiteral("Agent")},
        {QStringLiteral("name"), QStringLiteral("xAPI Courier sandbox")},
        {QStringLiteral("account"),
         QJsonObject{{QStringLiteral("homePage"), QStringLiteral("http://127.0.0.1:%1").arg(m_port)},
                     {QStringLiteral("name"), m_basicUser.isEmpty() ? QStringLiteral("anonymous") : m_basicUser}}}};
}

bool Sandbox::handleRequest(const QHttpServerRequest& request, QTcpSocket* socket)
{
    Request entry;
    entry.number = ++m_requestCount;
    entry.at = QDateTime::currentDateTimeUtc();
    entry.method = methodName(request.method());
    entry.target = request.url().path();
    if (request.url().hasQuery())
        entry.target += QLatin1Char('?') + request.url().query();
    entry.headers = request.headers();
    entry.body = request.body();

    const QString path = request.url().path();
    if (path == QLatin1String("/sandbox/received")) {
        // For `sandbox list` and people: never faulted, but behind the same credentials.
        const Answer answer = authorized(request) ? received() : error(401, QStringLiteral("Credentials required."));
        respond(request, socket, answer);
        return true;
    }

    const SandboxFaults::Fault fault = path.startsWith(QLatin1String("/xapi/")) ? m_faults.next()
                                                                                 : SandboxFaults::Fault();
    const int delay = m_faults.delayMs();
    if (fault.kind == SandboxFaults::Fault::Kind::Drop) {
        entry.fault = fault.describe();
        entry.outcome = QStringLiteral("dropped the connection without an answer (fault %1)").arg(entry.fault);
        log(entry);
        QPointer<QTcpSocket> guard(socket);
        QTimer::singleShot(delay, this, [guard] {
            if (guard)
                guard->abort();
        });
        return true;
    }
    Answer answer;
    if (fault.kind == SandboxFaults::Fault::Kind::Status) {
        entry.fault = fault.describe();
        answer = error(fault.status, QStringLiteral("Sandbox fault %1, as scripted.").arg(entry.fault));
        if (fault.status == 401)
            answer.headers << std::pair<QByteArray, QByteArray>{"WWW-Authenticate", "Basic realm=\"xAPI Courier sandbox\""};
        if (fault.retryAfterSeconds >= 0)
            answer.headers << std::pair<QByteArray, QByteArray>{"Retry-After", QByteArray::number(fault.retryAfterSeconds)};
    } else {
        answer = route(request);
    }
    entry.status = answer.status;
    entry.outcome = answer.outcome;
    entry.statementIds = answer.ids;
    log(entry);
    if (answer.changed)
        Q_EMIT statementsChanged();
    if (delay <= 0) {
        respond(request, socket, answer);
        return true;
    }
    auto responder = std::make_shared<QHttpServerResponder>(makeResponder(request, socket));
    QPointer<QTcpSocket> guard(socket);
    QTimer::singleShot(delay, this, [responder, guard, answer] {
        if (!guard)
            return;
        responder->writeStatusLine(QHttpServerResponder::StatusCode(answer.status));
        for (const auto& [name, value] : answer.headers)
            responder->writeHeader(name, value);
        responder->writeHeader("X-Experience-API-Version", "1.0.3");
        responder->writeHeader("Content-Length", QByteArray::number(answer.body.size()));
        responder->writeBody(answer.body);
    });
    return true;
}

void Sandbox::missingHandler(const QHttpServerRequest& request, QTcpSocket* socket)
{
    respond(request, socket, error(404, QStringLiteral("Not found.")));
}

void Sandbox::respond(const QHttpServerRequest& request, QTcpSocket* socket, const Answer& answer)
{
    QHttpServerResponder responder = makeResponder(request, socket);
    responder.writeStatusLine(QHttpServerResponder::StatusCode(answer.status));
    for (const auto& [name, value] : answer.headers)
        responder.writeHeader(name, value);
    responder.writeHeader("X-Experience-API-Version", "1.0.3");
    responder.writeHeader("Content-Length", QByteArray::number(answer.body.size()));
    responder.writeBody(answer.body);
}

void Sandbox::log(Request entry)
{
    qCInfo(lcSandbox).noquote() << entry.method << entry.target << "->"
                                << (entry.status ? QString::number(entry.status) : QStringLiteral("dropped"))
                                << entry.outcome;
    m_requests << entry;
    if (m_requests.size() > RequestLogSize)
        m_requests.remove(0, m_requests.size() - RequestLogSize);
    Q_EMIT requestLogged(m_requests.constLast());
}

Sandbox::Answer Sandbox::route(const QHttpServerRequest& request)
{
    const QString path = request.url().path();
    if (path == QLatin1String("/xapi/about")) {
        if (request.method() != QHttpServerRequest::Method::Get)
            return error(405, QStringLiteral("The about resource takes GET only."));
        Answer answer;
        answer.body = json(QJsonObject{{QStringLiteral("version"), QJsonArray{QStringLiteral("1.0.3")}}});
        answer.headers = {{"Content-Type", "application/json"}};
        answer.outcome = QStringLiteral("about");
        return answer;
    }
    if (path == QLatin1String("/xapi/statements") || path == QLatin1String("/xapi/statements/")) {
        if (!authorized(request)) {
            Answer answer = error(401, m_basicUser.isEmpty() ? QString()
                                                            : QStringLiteral("HTTP Basic credentials required."));
            answer.headers << std::pair<QByteArray, QByteArray>{"WWW-Authenticate",
                                                                "Basic realm=\"xAPI Courier sandbox\""};
            return answer;
        }
        const QByteArray version = request.value("X-Experience-API-Version");
        if (version.isEmpty())
            return error(400, QStringLiteral("The X-Experience-API-Version header is missing; send 1.0.3."));
        if (!acceptedVersion(version))
            return error(400, QStringLiteral("X-Experience-API-Version %1 is not spoken here; send 1.0.3.")
                                  .arg(QString::fromLatin1(version.left(20))));
        return statementsResource(request);
    }
    return error(404, QStringLiteral("The sandbox has /xapi/statements and /xapi/about only."));
}

Sandbox::Answer Sandbox::statementsResource(const QHttpServerRequest& request)
{
    switch (request.method()) {
    case QHttpServerRequest::Method::Post:
        return post(request.body());
    case QHttpServerRequest::Method::Put: {
        const QString id = request.query().queryItemValue(QStringLiteral("statementId"));
        if (id.isEmpty())
            return error(400, QStringLiteral("PUT needs ?statementId=."));
        return put(id, request.body());
    }
    case QHttpServerRequest::Method::Get:
        return get(request);
    default:
        break;
    }
    return error(405, QStringLiteral("The statements resource takes POST, PUT and GET."));
}

bool Sandbox::accept(QList<QJsonObject>& statements, const QStringList& prefixes, QList<QJsonObject>* fresh,
                     Answer* refusal)
{
    QJsonArray findings;
    for (qsizetype i = 0; i < statements.size(); ++i) {
        for (const Finding& finding : StatementValidator::validate(statements[i], int(i), prefixes.value(i))) {
            findings << QJsonObject{{QStringLiteral("path"), finding.path},
                                    {QStringLiteral("message"), finding.message}};
        }
    }
    if (!findings.isEmpty()) {
        *refusal = error(400, QStringLiteral("The statement is not valid xAPI 1.0.3 (%1 finding%2).")
                                  .arg(findings.size())
                                  .arg(findings.size() == 1 ? QString() : QStringLiteral("s")),
                         findings);
        return false;
    }
    QHash<QString, qsizetype> seen;
    for (qsizetype i = 0; i < statements.size(); ++i) {
        const QString id = statements[i].value(QStringLiteral("id")).toString().toLower();
        if (id.isEmpty())
            continue;
        if (seen.contains(id)) {
            *refusal = error(400, QStringLiteral("The batch has statement id %1 twice ([%2] and [%3]).")
                                      .arg(id)
                                      .arg(seen.value(id))
                                      .arg(i));
            return false;
        }
        seen.insert(id, i);
    }
    QJsonArray conflicts;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (QJsonObject& statement : statements) {
        QString id = statement.value(QStringLiteral("id")).toString();
        if (id.isEmpty()) {
            id = QUuid::createUuid().toString(QUuid::WithoutBraces);
            statement.insert(QStringLiteral("id"), id);
        }
        QString dbError;
        const std::optional<SandboxStatements::Stored> existing = m_statements.find(id, &dbError);
        if (!dbError.isEmpty()) {
            *refusal = error(500, QStringLiteral("The sandbox cannot read its statements: %1").arg(dbError));
            return false;
        }
        if (existing) {
            const QList<StatementComparison::Difference> differences =
                StatementComparison::differences(statement, existing->statement);
            if (!differences.isEmpty()) {
                QJsonArray paths;
                for (const StatementComparison::Difference& difference : differences)
                    paths << difference.toJson();
                conflicts << QJsonObject{{QStringLiteral("id"), id}, {QStringLiteral("differences"), paths}};
            }
            continue; // identical: nothing changes
        }
        QJsonObject stored = statement;
        stored.insert(QStringLiteral("stored"), isoNow(now));
        if (!stored.contains(QStringLiteral("timestamp")))
            stored.insert(QStringLiteral("timestamp"), isoNow(now));
        if (!stored.contains(QStringLiteral("authority")))
            stored.insert(QStringLiteral("authority"), authority());
        if (!stored.contains(QStringLiteral("version")))
            stored.insert(QStringLiteral("version"), QStringLiteral("1.0.3"));
        *fresh << stored;
    }
    if (!conflicts.isEmpty()) {
        QJsonObject body{{QStringLiteral("error"),
                          QStringLiteral("Statement id %1 is already stored with other content; nothing was stored.")
                              .arg(conflicts.first().toObject().value(QStringLiteral("id")).toString())},
                         {QStringLiteral("conflicts"), conflicts}};
        refusal->status = 409;
        refusal->body = json(body);
        refusal->headers = {{"Content-Type", "application/json"}};
        refusal->outcome = body.value(QStringLiteral("error")).toString();
        return false;
    }
    return true;
}

Sandbox::Answer Sandbox::post(const QByteArray& body)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (document.isNull())
        return error(400, QStringLiteral("The body is not JSON (%1 at offset %2).")
                              .arg(parseError.errorString())
                              .arg(parseError.offset));
    QList<QJsonObject> statements;
    QStringList prefixes;
    if (document.isObject()) {
        statements << document.object();
        prefixes << QString();
    } else {
        const QJsonArray array = document.array();
        for (qsizetype i = 0; i < array.size(); ++i) {
            if (!array.at(i).isObject())
                return error(400, QStringLiteral("[%1] is not a statement (a JSON object).").arg(i));
            statements << array.at(i).toObject();
            prefixes << QStringLiteral("[%1]").arg(i);
        }
    }
    Answer answer;
    QList<QJsonObject> fresh;
    if (!accept(statements, prefixes, &fresh, &answer)) {
        for (const QJsonObject& statement : std::as_const(statements))
            answer.ids << statement.value(QStringLiteral("id")).toString();
        return answer;
    }
    QString dbError;
    if (!fresh.isEmpty() && !m_statements.insert(fresh, QDateTime::currentDateTimeUtc(), &dbError))
        return error(500, QStringLiteral("The sandbox cannot store: %1").arg(dbError));
    QJsonArray ids;
    for (const QJsonObject& statement : std::as_const(statements)) {
        ids << statement.value(QStringLiteral("id"));
        answer.ids << statement.value(QStringLiteral("id")).toString();
    }
    answer.status = 200;
    answer.body = json(ids);
    answer.headers = {{"Content-Type", "application/json"}};
    answer.changed = !fresh.isEmpty();
    const qsizetype resent = statements.size() - fresh.size();
    answer.outcome = resent == 0 ? QStringLiteral("stored %1").arg(fresh.size())
                                 : QStringLiteral("stored %1, %2 identical resend%3 (nothing changed)")
                                       .arg(fresh.size())
                                       .arg(resent)
                                       .arg(resent == 1 ? QString() : QStringLiteral("s"));
    return answer;
}

Sandbox::Answer Sandbox::put(const QString& statementId, const QByteArray& body)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (!document.isObject())
        return error(400, QStringLiteral("PUT takes one statement (a JSON object)."));
    QJsonObject statement = document.object();
    const QString id = statement.value(QStringLiteral("id")).toString();
    if (!id.isEmpty() && id.compare(statementId, Qt::CaseInsensitive) != 0)
        return error(400, QStringLiteral("id: the statement's id %1 is not the statementId %2 of the request.")
                              .arg(id, statementId));
    if (id.isEmpty())
        statement.insert(QStringLiteral("id"), statementId);
    QList<QJsonObject> statements{statement};
    Answer answer;
    QList<QJsonObject> fresh;
    answer.ids << statementId;
    if (!accept(statements, {QString()}, &fresh, &answer)) {
        answer.ids = QStringList{statementId};
        return answer;
    }
    QString dbError;
    if (!fresh.isEmpty() && !m_statements.insert(fresh, QDateTime::currentDateTimeUtc(), &dbError))
        return error(500, QStringLiteral("The sandbox cannot store: %1").arg(dbError));
    answer.status = 204;
    answer.changed = !fresh.isEmpty();
    answer.outcome = fresh.isEmpty() ? QStringLiteral("identical resend (nothing changed)") : QStringLiteral("stored 1");
    return answer;
}

Sandbox::Answer Sandbox::get(const QHttpServerRequest& request)
{
    const QUrlQuery query = request.query();
    static const QStringList filters{QStringLiteral("agent"),         QStringLiteral("verb"),
                                     QStringLiteral("activity"),      QStringLiteral("registration"),
                                     QStringLiteral("related_activities"), QStringLiteral("related_agents")};
    for (const QString& filter : filters) {
        if (query.hasQueryItem(filter))
            return error(400, QStringLiteral("The sandbox does not filter by %1; it keeps since, until, limit, "
                                             "ascending and more.")
                                  .arg(filter));
    }
    const QString statementId = query.queryItemValue(QStringLiteral("statementId"));
    const QString voidedId = query.queryItemValue(QStringLiteral("voidedStatementId"));
    if (!statementId.isEmpty() && !voidedId.isEmpty())
        return error(400, QStringLiteral("Give statementId or voidedStatementId, not both."));
    if (!statementId.isEmpty() || !voidedId.isEmpty()) {
        const QString id = statementId.isEmpty() ? voidedId : statementId;
        QString dbError;
        const std::optional<SandboxStatements::Stored> stored = m_statements.find(id, &dbError);
        // A voided statement is only found by voidedStatementId, and the other way round.
        if (!stored || stored->voided != !voidedId.isEmpty())
            return error(404, QStringLiteral("No statement %1 here.").arg(id));
        Answer answer;
        answer.body = json(stored->statement);
        answer.headers = {{"Content-Type", "application/json"},
                          {"Last-Modified", stored->stored.toString(Qt::RFC2822Date).toLatin1()}};
        answer.outcome = QStringLiteral("read %1").arg(id);
        answer.ids << id;
        return answer;
    }
    SandboxStatements::Query list;
    const auto time = [&query](const QString& name, QDateTime* out) {
        const QString text = query.queryItemValue(name);
        if (text.isEmpty())
            return true;
        *out = QDateTime::fromString(text, Qt::ISODateWithMs);
        return out->isValid();
    };
    if (!time(QStringLiteral("since"), &list.since) || !time(QStringLiteral("until"), &list.until))
        return error(400, QStringLiteral("since and until are ISO 8601 timestamps."));
    bool ok = true;
    const int limit = query.hasQueryItem(QStringLiteral("limit"))
                          ? query.queryItemValue(QStringLiteral("limit")).toInt(&ok)
                          : 0;
    if (!ok || limit < 0)
        return error(400, QStringLiteral("limit is a whole number (0: the server's page size)."));
    const int page = limit == 0 || limit > PageSize ? PageSize : limit;
    list.limit = page + 1;
    list.ascending = query.queryItemValue(QStringLiteral("ascending")) == QLatin1String("true");
    list.after = query.queryItemValue(QStringLiteral("more")).toLongLong();
    QString dbError;
    QList<SandboxStatements::Stored> rows = m_statements.list(list, &dbError);
    if (!dbError.isEmpty())
        return error(500, dbError);
    QString more;
    if (rows.size() > page) {
        rows.resize(page);
        QUrlQuery next(query);
        next.removeAllQueryItems(QStringLiteral("more"));
        next.addQueryItem(QStringLiteral("more"), QString::number(rows.constLast().sequence));
        more = QStringLiteral("/xapi/statements?") + next.toString(QUrl::FullyEncoded);
    }
    QJsonArray statements;
    for (const SandboxStatements::Stored& row : std::as_const(rows))
        statements << row.statement;
    Answer answer;
    answer.body = json(QJsonObject{{QStringLiteral("statements"), statements}, {QStringLiteral("more"), more}});
    answer.headers = {{"Content-Type", "application/json"},
                      {"X-Experience-API-Consistent-Through", isoNow(QDateTime::currentDateTimeUtc()).toLatin1()}};
    answer.outcome = QStringLiteral("listed %1").arg(rows.size());
    return answer;
}

Sandbox::Answer Sandbox::received() const
{
    SandboxStatements::Query query;
    query.withVoided = true;
    query.ascending = true;
    QString dbError;
    QJsonArray statements;
    for (const SandboxStatements::Stored& row : m_statements.list(query, &dbError)) {
        statements << QJsonObject{{QStringLiteral("id"), row.id},
                                  {QStringLiteral("stored"), isoNow(row.stored)},
                                  {QStringLiteral("voided"), row.voided},
                                  {QStringLiteral("statement"), row.statement}};
    }
    QJsonArray requests;
    for (const Request& request : m_requests)
        requests << request.toJson();
    Answer answer;
    answer.body = json(QJsonObject{{QStringLiteral("statements"), statements}, {QStringLiteral("requests"), requests}});
    answer.headers = {{"Content-Type", "application/json"}};
    return answer;
}
