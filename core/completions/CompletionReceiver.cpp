#include "completions/CompletionReceiver.h"

#include "common/Clock.h"
#include "common/Logging.h"
#include "common/ProcessLimits.h"
#include "completions/CompletionStore.h"
#include "secrets/SecretStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpServer>
#include <QUrlQuery>

namespace {

enum HttpStatus {
    Ok = 200,
    BadRequest = 400,
    Unauthorized = 401,
    Forbidden = 403,
    NotFound = 404,
    MethodNotAllowed = 405,
    ContentTooLarge = 413,
    InternalServerError = 500,
    ServiceUnavailable = 503,
};

constexpr int DefaultRecordsLimit = 1000;
constexpr int MaxRecordsLimit = 10000;
constexpr int TokenRetryMs = 5000; // an unreadable keychain is asked again by a request this long after

HttpResponse failure(int status, const QString& field, const QString& message)
{
    QJsonObject json{{QStringLiteral("success"), false}, {QStringLiteral("message"), message}};
    if (!field.isEmpty())
        json.insert(QStringLiteral("field"), field);
    return HttpResponse(json, status);
}

QString cookie(const HttpRequest& request, const QByteArray& name)
{
    for (const QByteArray& part : request.header("Cookie").split(';')) {
        const QByteArray trimmed = part.trimmed();
        if (trimmed.startsWith(QByteArray(name + '=')))
            return QString::fromLatin1(trimmed.mid(name.size() + 1));
    }
    return {};
}

// The H5P player's fields, JSON or form-encoded, as a JSON object; nullopt when a JSON body does not parse.
std::optional<QJsonObject> playerFields(const HttpRequest& request, QString* parseError)
{
    const QByteArray& body = request.body;
    if (request.header("Content-Type").contains("json") || body.trimmed().startsWith('{')) {
        QJsonParseError error{};
        const QJsonDocument document = QJsonDocument::fromJson(body, &error);
        if (!document.isObject()) {
            *parseError = document.isNull() ? error.errorString() : QStringLiteral("not a JSON object");
            return std::nullopt;
        }
        return document.object();
    }
    QJsonObject json;
    QByteArray form = body;
    form.replace('+', ' '); // application/x-www-form-urlencoded writes spaces as '+'
    const QUrlQuery query(QString::fromUtf8(form));
    for (const auto& [key, value] : query.queryItems(QUrl::FullyDecoded))
        json.insert(key, value);
    return json;
}

QString outcomeName(CompletionStore::Outcome outcome)
{
    switch (outcome) {
    case CompletionStore::Outcome::Stored:
        return QStringLiteral("stored");
    case CompletionStore::Outcome::Replaced:
        return QStringLiteral("replaced");
    case CompletionStore::Outcome::Unchanged:
        return QStringLiteral("unchanged");
    case CompletionStore::Outcome::Older:
        return QStringLiteral("older");
    }
    return {};
}

enum class Route { Session, SetFinished, Webhook, ContentRecords, UserRecords, DeleteContent };

struct Match
{
    std::optional<Route> route;
    QString id;         // the {id} of /content/{id}/... and /users/{id}/...
    QByteArray allowed; // the methods of a known path, for 405
};

Match match(const HttpRequest& request)
{
    const QList<QByteArray>& path = request.path;
    const QByteArray& method = request.method;
    const auto one = [&](Route route, const QByteArray& wanted) {
        return method == wanted ? Match{route, {}, wanted} : Match{std::nullopt, {}, wanted};
    };
    if (path == QList<QByteArray>{"session"})
        return one(Route::Session, "GET");
    if (path == QList<QByteArray>{"setFinished"})
        return one(Route::SetFinished, "POST");
    if (path == QList<QByteArray>{"completions"})
        return one(Route::Webhook, "POST");
    if (path.size() == 3 && path.at(2) == "completions" && !path.at(1).isEmpty()) {
        Match found;
        found.id = QString::fromUtf8(path.at(1));
        if (path.at(0) == "content") {
            found.allowed = "GET, DELETE";
            if (method == "GET")
                found.route = Route::ContentRecords;
            else if (method == "DELETE")
                found.route = Route::DeleteContent;
            return found;
        }
        if (path.at(0) == "users") {
            found.allowed = "GET";
            if (method == "GET")
                found.route = Route::UserRecords;
            return found;
        }
    }
    return {};
}

} // namespace

QString CompletionReceiver::webhookTokenKey()
{
    return QStringLiteral("receiver/webhook-token");
}

CompletionReceiver::CompletionReceiver(Store& store, SecretStore& secrets, Clock& clock, QObject* parent)
    : QObject(parent)
    , m_store(store)
    , m_secrets(secrets)
    , m_clock(clock)
    , m_server([this](const HttpRequest& head) { return screen(head); },
               [this](const HttpRequest& request) { return handle(request); })
{
    BoundedHttpServer::Limits limits;
    limits.maxBodyBytes = MaxBodyBytes;
    m_server.setLimits(limits);
}

CompletionReceiver::~CompletionReceiver()
{
    stop();
}

void CompletionReceiver::setConnectionLimits(const BoundedHttpServer::Limits& limits)
{
    BoundedHttpServer::Limits kept = limits;
    kept.maxBodyBytes = MaxBodyBytes;
    m_server.setLimits(kept);
}

void CompletionReceiver::readToken()
{
    // The keychain answers asynchronously; webhook requests get a 503 (try again) meanwhile.
    m_tokenState = TokenState::Pending;
    m_tokenReadAt.start();
    m_secrets.read(webhookTokenKey(), this, [this](const SecretResult& result) {
        if (result.ok() && !result.value.isEmpty()) {
            m_webhookToken = result.value;
            m_tokenState = TokenState::Set;
        } else if (result.ok() || result.status == SecretResult::Status::NotFound) {
            qCInfo(lcCompletions) << "No webhook token is set; POST /completions answers 401 until one is";
            m_tokenState = TokenState::Missing;
        } else {
            qCWarning(lcCompletions) << "The webhook token cannot be read:" << result.message;
            m_tokenProblem = result.message;
            m_tokenState = TokenState::Unreadable;
        }
    });
}

bool CompletionReceiver::start(quint16 port, QString* error, const QHostAddress& address)
{
    stop();
    const std::optional<QByteArray> key = SessionTokens::storedKey(m_store, error);
    if (!key) {
        *error =
            QStringLiteral("The completion receiver cannot read or make its session key in the store: %1").arg(*error);
        return false;
    }
    m_sessions.setKey(*key);
    // A connection costs a descriptor: the soft limit (1024 on many systems) goes up to the hard one, once.
    static const bool raised = [] {
        QString report;
        ProcessLimits::raiseDescriptorLimit(&report);
        if (!report.isEmpty())
            qCInfo(lcCompletions).noquote() << report;
        return true;
    }();
    Q_UNUSED(raised);
    if (m_webhookToken.isEmpty() && m_tokenState != TokenState::Pending)
        readToken();
    QString listenError;
    if (!m_server.listen(address, port, &listenError)) {
        *error = QStringLiteral("The completion receiver cannot listen on %1:%2 (%3). Choose another port, or stop "
                                "what uses it.")
                     .arg(address.toString())
                     .arg(port)
                     .arg(listenError);
        return false;
    }
    m_port = m_server.port();
    qCInfo(lcCompletions) << "Completion receiver listening on" << address.toString() << m_port << "(at most"
                          << m_server.connectionCap() << "connections)";
    return true;
}

void CompletionReceiver::stop()
{
    if (!m_server.isListening())
        return;
    qCInfo(lcCompletions) << "Completion receiver on port" << m_port << "stopped";
    m_server.close(); // and the connections it accepted
    m_port = 0;
}

bool CompletionReceiver::isListening() const
{
    return m_server.isListening();
}

std::optional<HttpResponse> CompletionReceiver::screen(const HttpRequest& head)
{
    const Match found = match(head);
    if (!found.route) {
        if (found.allowed.isEmpty())
            return failure(NotFound, QStringLiteral("path"),
                           QStringLiteral("No such endpoint: %1.").arg(head.pathText()));
        HttpResponse refused =
            failure(MethodNotAllowed, QStringLiteral("method"),
                    QStringLiteral("%1 takes %2.").arg(head.pathText(), QString::fromLatin1(found.allowed)));
        refused.addHeader("Allow", found.allowed);
        return refused;
    }
    switch (*found.route) {
    case Route::Session:
        return std::nullopt;
    case Route::SetFinished: {
        QString user;
        return refuseSession(head, &user);
    }
    default:
        return refuseBearer(head);
    }
}

HttpResponse CompletionReceiver::handle(const HttpRequest& request)
{
    const Match found = match(request);
    switch (found.route.value_or(Route::Session)) {
    case Route::Session:
        return session(request);
    case Route::SetFinished:
        return setFinished(request);
    case Route::Webhook:
        return webhook(request);
    case Route::ContentRecords:
        return records(request, found.id, {});
    case Route::UserRecords:
        return records(request, {}, found.id);
    case Route::DeleteContent:
        return removeContent(found.id);
    }
    return failure(NotFound, {}, {});
}

HttpResponse CompletionReceiver::session(const HttpRequest& request)
{
    const QString user =
        (m_trustedHeader.isEmpty() ? request.query.queryItemValue(QStringLiteral("user"), QUrl::FullyDecoded)
                                   : QString::fromUtf8(request.header(m_trustedHeader)))
            .trimmed();
    if (user.isEmpty())
        return failure(BadRequest, QStringLiteral("user"),
                       m_trustedHeader.isEmpty()
                           ? QStringLiteral("user is missing: the embedding page asks GET /session?user=ID.")
                           : QStringLiteral("user is missing: the proxy in front of the receiver sets the %1 header.")
                                 .arg(QString::fromLatin1(m_trustedHeader)));
    if (user.size() > CompletionRecord::MaxIdLength)
        return failure(BadRequest, QStringLiteral("user"),
                       QStringLiteral("user is longer than %1 characters.").arg(CompletionRecord::MaxIdLength));
    const SessionTokens::Session session = m_sessions.issue(user, m_clock.now(), m_sessionLifetime);
    HttpResponse response(
        QJsonObject{{QStringLiteral("session"), session.token},
                    {QStringLiteral("csrf"), session.csrf},
                    {QStringLiteral("expiresAt"), session.expiresAt.toString(Qt::ISODate)},
                    {QStringLiteral("setFinishedUrl"), QString(QStringLiteral("/setFinished?_csrf=") + session.csrf)}});
    response.addHeader("Set-Cookie", QByteArray("courier_session=" + session.token.toLatin1() +
                                                "; HttpOnly; SameSite=Strict; Path=/; Max-Age=" +
                                                QByteArray::number(m_sessionLifetime)));
    response.addHeader("Cache-Control", "no-store");
    return response;
}

std::optional<HttpResponse> CompletionReceiver::refuseSession(const HttpRequest& request, QString* user) const
{
    QString token = cookie(request, "courier_session");
    if (token.isEmpty())
        token = QString::fromLatin1(request.header("X-Session-Token"));
    *user = m_sessions.userOf(token, m_clock.now());
    if (user->isEmpty())
        return failure(Forbidden, QStringLiteral("session"),
                       token.isEmpty() ? QStringLiteral("No session: get one from GET /session first; nothing was "
                                                        "stored.")
                                       : QStringLiteral("The session is not valid or has expired: get a new one from "
                                                        "GET /session; nothing was stored."));
    QString csrf = request.query.queryItemValue(QStringLiteral("_csrf"), QUrl::FullyDecoded);
    if (csrf.isEmpty())
        csrf = QString::fromLatin1(request.header("X-CSRF-Token"));
    if (!m_sessions.csrfMatches(token, csrf))
        return failure(Forbidden, QStringLiteral("_csrf"),
                       csrf.isEmpty() ? QStringLiteral("The CSRF token is missing: append ?_csrf= with the csrf that "
                                                       "GET /session returned to setFinishedUrl; nothing was stored.")
                                      : QStringLiteral("The CSRF token does not belong to this session: use the csrf "
                                                       "returned with it; nothing was stored."));
    return std::nullopt;
}

HttpResponse CompletionReceiver::setFinished(const HttpRequest& request)
{
    QString user;
    if (auto refused = refuseSession(request, &user)) // checked from the headers already; the session may expire
        return std::move(*refused);                   // while the body comes in
    QString parseError;
    const std::optional<QJsonObject> fields = playerFields(request, &parseError);
    if (!fields)
        return failure(BadRequest, QStringLiteral("body"),
                       QStringLiteral("The body is not valid JSON (%1): send contentId, score, maxScore, opened, "
                                      "finished and time, form-encoded or as a JSON object.")
                           .arg(parseError));
    // The player's names, mapped onto the record's; issues are reported under the player's names.
    const QJsonObject record{{QStringLiteral("contentId"), fields->value(QStringLiteral("contentId"))},
                             {QStringLiteral("userId"), user},
                             {QStringLiteral("score"), fields->value(QStringLiteral("score"))},
                             {QStringLiteral("maxScore"), fields->value(QStringLiteral("maxScore"))},
                             {QStringLiteral("openedTimestamp"), fields->value(QStringLiteral("opened"))},
                             {QStringLiteral("finishedTimestamp"), fields->value(QStringLiteral("finished"))},
                             {QStringLiteral("completionTime"), fields->value(QStringLiteral("time"))}};
    FieldIssues issues;
    CompletionRecord parsed = CompletionRecord::fromWebhookJson(record, &issues);
    if (issues.isEmpty())
        issues = parsed.check();
    if (!issues.isEmpty()) {
        static const QHash<QString, QString> playerNames = {
            {QStringLiteral("openedTimestamp"), QStringLiteral("opened")},
            {QStringLiteral("finishedTimestamp"), QStringLiteral("finished")},
            {QStringLiteral("completionTime"), QStringLiteral("time")}};
        const QString field = playerNames.value(issues.first().field, issues.first().field);
        QString message = issues.first().message;
        for (auto it = playerNames.cbegin(); it != playerNames.cend(); ++it)
            message.replace(it.key(), it.value());
        return failure(BadRequest, field, message);
    }
    parsed.source = QStringLiteral("setFinished");
    return save(parsed, true);
}

std::optional<HttpResponse> CompletionReceiver::refuseBearer(const HttpRequest& request)
{
    if (m_tokenState == TokenState::Unreadable && m_tokenReadAt.hasExpired(TokenRetryMs))
        readToken(); // the keychain may be back; this request is answered from what is known now
    switch (m_tokenState) {
    case TokenState::Pending:
        return failure(ServiceUnavailable, {},
                       QStringLiteral("The receiver is reading its token from the keychain; try again in a moment."));
    case TokenState::Unreadable:
        // Not "no token": one may well be set, and nobody should rotate a token that is fine.
        return failure(ServiceUnavailable, QStringLiteral("Authorization"),
                       QStringLiteral("The keychain cannot be read (%1), so the receiver cannot check the webhook "
                                      "token; the token itself may be fine. Start or unlock the keychain of the user "
                                      "running the receiver; it is asked again on the next request.")
                           .arg(m_tokenProblem));
    case TokenState::Missing:
        return failure(Unauthorized, QStringLiteral("Authorization"),
                       QStringLiteral("No webhook token is set: set one with xapi-courier settings receiver "
                                      "--webhook-token-stdin, then restart the receiver."));
    case TokenState::Set:
        break;
    }
    if (!SessionTokens::sameSecret(request.header("Authorization"), "Bearer " + m_webhookToken.toUtf8()))
        return failure(Unauthorized, QStringLiteral("Authorization"),
                       QStringLiteral("Wrong or missing bearer token: send Authorization: Bearer <the webhook "
                                      "token>."));
    return std::nullopt;
}

HttpResponse CompletionReceiver::webhook(const HttpRequest& request)
{
    if (auto refused = refuseBearer(request))
        return std::move(*refused);
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(request.body, &parseError);
    if (!document.isObject())
        return failure(BadRequest, QStringLiteral("body"),
                       QStringLiteral("The body is not a JSON object (%1): send contentId, userId, score, maxScore, "
                                      "openedTimestamp, finishedTimestamp and completionTime.")
                           .arg(document.isNull() ? parseError.errorString() : QStringLiteral("an array")));
    FieldIssues issues;
    CompletionRecord record = CompletionRecord::fromWebhookJson(document.object(), &issues);
    if (issues.isEmpty())
        issues = record.check();
    if (!issues.isEmpty())
        return failure(BadRequest, issues.first().field, issues.first().message);
    record.source = QStringLiteral("webhook");
    return save(record, false);
}

HttpResponse CompletionReceiver::save(CompletionRecord record, bool playerAnswer)
{
    record.receivedAt = m_clock.now();
    QString error;
    const auto result = CompletionStore(m_store).save(record, &error);
    if (!result) {
        qCWarning(lcCompletions) << "A completion of content" << record.contentId << "was not stored:" << error;
        return failure(InternalServerError, {}, error);
    }
    if (result->outcome != CompletionStore::Outcome::Unchanged)
        Q_EMIT stored(record);
    if (!result->skipped.isEmpty()) {
        // Kept, but an enabled integration has no statement of it: never answered as if all were well.
        return failure(InternalServerError, QStringLiteral("statement"),
                       QStringLiteral("The completion was stored, but no statement could be made from it: %1")
                           .arg(result->skipped.first().reason));
    }
    if (playerAnswer)
        return HttpResponse(QJsonObject{{QStringLiteral("success"), true}});
    return HttpResponse(QJsonObject{{QStringLiteral("success"), true},
                                    {QStringLiteral("outcome"), outcomeName(result->outcome)},
                                    {QStringLiteral("queued"), result->queued}});
}

HttpResponse CompletionReceiver::records(const HttpRequest& request, const QString& contentId, const QString& userId)
{
    if (auto refused = refuseBearer(request))
        return std::move(*refused);
    const QUrlQuery query = request.query;
    bool limitOk = true;
    bool offsetOk = true;
    const int limit = query.hasQueryItem(QStringLiteral("limit"))
                          ? query.queryItemValue(QStringLiteral("limit")).toInt(&limitOk)
                          : DefaultRecordsLimit;
    const int offset = query.hasQueryItem(QStringLiteral("offset"))
                           ? query.queryItemValue(QStringLiteral("offset")).toInt(&offsetOk)
                           : 0;
    if (!limitOk || limit < 1 || limit > MaxRecordsLimit)
        return failure(BadRequest, QStringLiteral("limit"),
                       QStringLiteral("limit must be a whole number from 1 to %1.").arg(MaxRecordsLimit));
    if (!offsetOk || offset < 0)
        return failure(BadRequest, QStringLiteral("offset"),
                       QStringLiteral("offset must be a whole number, 0 or more."));
    CompletionFilter filter;
    filter.contentId = contentId;
    filter.userId = userId;
    CompletionStore completions(m_store);
    QString error;
    const int total = completions.count(filter, &error);
    const QList<CompletionRecord> page =
        total < 0 ? QList<CompletionRecord>()
                  : completions.page(filter, CompletionStore::Sort::Finished, true, limit, offset, &error);
    if (!error.isEmpty())
        return failure(InternalServerError, {}, error);
    QJsonArray array;
    for (const CompletionRecord& record : page)
        array << record.toJson();
    HttpResponse response(array);
    response.addHeader("X-Total-Count", QByteArray::number(total));
    return response;
}

HttpResponse CompletionReceiver::removeContent(const QString& contentId)
{
    QString error;
    const int removed = CompletionStore(m_store).removeContent(contentId, &error);
    if (removed < 0)
        return failure(InternalServerError, {}, error);
    return HttpResponse(QJsonObject{{QStringLiteral("success"), true}, {QStringLiteral("deleted"), removed}});
}
