#include "completions/CompletionReceiver.h"

#include "common/Clock.h"
#include "common/Logging.h"
#include "completions/CompletionStore.h"
#include "secrets/SecretStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpServer>
#include <QUrlQuery>

namespace {

using Status = QHttpServerResponse::StatusCode;

constexpr int DefaultRecordsLimit = 1000;
constexpr int MaxRecordsLimit = 10000;

QByteArray header(const QHttpServerRequest& request, const QByteArray& name)
{
    for (const auto& [key, value] : request.headers()) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QHttpServerResponse failure(Status status, const QString& field, const QString& message)
{
    QJsonObject json{{QStringLiteral("success"), false}, {QStringLiteral("message"), message}};
    if (!field.isEmpty())
        json.insert(QStringLiteral("field"), field);
    return QHttpServerResponse(json, status);
}

QHttpServerResponse tooLarge()
{
    return failure(Status::BadRequest, QStringLiteral("body"),
                   QStringLiteral("The body is too large (more than %1 bytes); send one completion per request.")
                       .arg(CompletionReceiver::MaxBodyBytes));
}

QString cookie(const QHttpServerRequest& request, const QByteArray& name)
{
    for (const QByteArray& part : header(request, "Cookie").split(';')) {
        const QByteArray trimmed = part.trimmed();
        if (trimmed.startsWith(QByteArray(name + '=')))
            return QString::fromLatin1(trimmed.mid(name.size() + 1));
    }
    return {};
}

// The H5P player's fields, JSON or form-encoded, as a JSON object; nullopt when a JSON body does not parse.
std::optional<QJsonObject> playerFields(const QHttpServerRequest& request, QString* parseError)
{
    const QByteArray body = request.body();
    if (header(request, "Content-Type").contains("json") || body.trimmed().startsWith('{')) {
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
{
    using Method = QHttpServerRequest::Method;
    m_server.route(QStringLiteral("/session"), Method::Get,
                   [this](const QHttpServerRequest& request) { return session(request); });
    m_server.route(QStringLiteral("/setFinished"), Method::Post,
                   [this](const QHttpServerRequest& request) { return setFinished(request); });
    m_server.route(QStringLiteral("/completions"), Method::Post,
                   [this](const QHttpServerRequest& request) { return webhook(request); });
    m_server.route(QStringLiteral("/content/<arg>/completions"), Method::Get,
                   [this](const QString& id, const QHttpServerRequest& request) { return records(request, id, {}); });
    m_server.route(QStringLiteral("/content/<arg>/completions"), Method::Delete,
                   [this](const QString& id, const QHttpServerRequest& request) { return removeContent(request, id); });
    m_server.route(QStringLiteral("/users/<arg>/completions"), Method::Get,
                   [this](const QString& id, const QHttpServerRequest& request) { return records(request, {}, id); });
}

CompletionReceiver::~CompletionReceiver()
{
    stop();
}

bool CompletionReceiver::start(quint16 port, QString* error, const QHostAddress& address)
{
    stop();
    if (m_webhookToken.isEmpty() && !m_tokenPending) {
        // The keychain answers asynchronously; webhook requests get a 503 (try again) meanwhile.
        m_tokenPending = true;
        m_secrets.read(webhookTokenKey(), this, [this](const SecretResult& result) {
            if (result.ok())
                m_webhookToken = result.value;
            else if (result.status == SecretResult::Status::NotFound)
                qCInfo(lcCompletions) << "No webhook token is set; POST /completions answers 401 until one is";
            else
                qCWarning(lcCompletions) << "The webhook token cannot be read:" << result.message;
            m_tokenPending = false;
        });
    }
    auto* tcp = new QTcpServer(&m_server);
    if (!tcp->listen(address, port)) {
        *error = QStringLiteral("The completion receiver cannot listen on %1:%2 (%3). Choose another port, or stop "
                                "what uses it.")
                     .arg(address.toString())
                     .arg(port)
                     .arg(tcp->errorString());
        delete tcp;
        return false;
    }
    m_server.bind(tcp);
    m_tcp = tcp;
    m_port = tcp->serverPort();
    qCInfo(lcCompletions) << "Completion receiver listening on" << address.toString() << m_port;
    return true;
}

void CompletionReceiver::stop()
{
    if (!m_tcp)
        return;
    qCInfo(lcCompletions) << "Completion receiver on port" << m_port << "stopped";
    m_tcp->close();
    delete m_tcp.data(); // and the connections it accepted
    m_port = 0;
}

bool CompletionReceiver::isListening() const
{
    return m_tcp && m_tcp->isListening();
}

QHttpServerResponse CompletionReceiver::session(const QHttpServerRequest& request)
{
    const QString user =
        (m_trustedHeader.isEmpty() ? request.query().queryItemValue(QStringLiteral("user"), QUrl::FullyDecoded)
                                   : QString::fromUtf8(header(request, m_trustedHeader)))
            .trimmed();
    if (user.isEmpty())
        return failure(Status::BadRequest, QStringLiteral("user"),
                       m_trustedHeader.isEmpty()
                           ? QStringLiteral("user is missing: the embedding page asks GET /session?user=ID.")
                           : QStringLiteral("user is missing: the proxy in front of the receiver sets the %1 header.")
                                 .arg(QString::fromLatin1(m_trustedHeader)));
    if (user.size() > CompletionRecord::MaxIdLength)
        return failure(Status::BadRequest, QStringLiteral("user"),
                       QStringLiteral("user is longer than %1 characters.").arg(CompletionRecord::MaxIdLength));
    const SessionTokens::Session session = m_sessions.issue(user, m_clock.now(), m_sessionLifetime);
    QHttpServerResponse response(
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

QHttpServerResponse CompletionReceiver::setFinished(const QHttpServerRequest& request)
{
    QString token = cookie(request, "courier_session");
    if (token.isEmpty())
        token = QString::fromLatin1(header(request, "X-Session-Token"));
    const QString user = m_sessions.userOf(token, m_clock.now());
    if (user.isEmpty())
        return failure(Status::Forbidden, QStringLiteral("session"),
                       token.isEmpty() ? QStringLiteral("No session: get one from GET /session first; nothing was "
                                                        "stored.")
                                       : QStringLiteral("The session is not valid or has expired: get a new one from "
                                                        "GET /session; nothing was stored."));
    QString csrf = request.query().queryItemValue(QStringLiteral("_csrf"), QUrl::FullyDecoded);
    if (csrf.isEmpty())
        csrf = QString::fromLatin1(header(request, "X-CSRF-Token"));
    if (!m_sessions.csrfMatches(token, csrf))
        return failure(Status::Forbidden, QStringLiteral("_csrf"),
                       csrf.isEmpty() ? QStringLiteral("The CSRF token is missing: append ?_csrf= with the csrf that "
                                                       "GET /session returned to setFinishedUrl; nothing was stored.")
                                      : QStringLiteral("The CSRF token does not belong to this session: use the csrf "
                                                       "returned with it; nothing was stored."));
    if (request.body().size() > MaxBodyBytes)
        return tooLarge();
    QString parseError;
    const std::optional<QJsonObject> fields = playerFields(request, &parseError);
    if (!fields)
        return failure(Status::BadRequest, QStringLiteral("body"),
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
        return failure(Status::BadRequest, field, message);
    }
    parsed.source = QStringLiteral("setFinished");
    return save(parsed, true);
}

std::optional<QHttpServerResponse> CompletionReceiver::refuseBearer(const QHttpServerRequest& request) const
{
    if (m_tokenPending)
        return failure(Status::ServiceUnavailable, {},
                       QStringLiteral("The receiver is reading its token from the keychain; try again in a moment."));
    if (m_webhookToken.isEmpty())
        return failure(Status::Unauthorized, QStringLiteral("Authorization"),
                       QStringLiteral("No webhook token is set: set one with xapi-courier settings receiver "
                                      "--webhook-token-stdin, then restart the receiver."));
    if (!SessionTokens::sameSecret(header(request, "Authorization"), "Bearer " + m_webhookToken.toUtf8()))
        return failure(Status::Unauthorized, QStringLiteral("Authorization"),
                       QStringLiteral("Wrong or missing bearer token: send Authorization: Bearer <the webhook "
                                      "token>."));
    return std::nullopt;
}

QHttpServerResponse CompletionReceiver::webhook(const QHttpServerRequest& request)
{
    if (auto refused = refuseBearer(request))
        return std::move(*refused);
    if (request.body().size() > MaxBodyBytes)
        return tooLarge();
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(request.body(), &parseError);
    if (!document.isObject())
        return failure(Status::BadRequest, QStringLiteral("body"),
                       QStringLiteral("The body is not a JSON object (%1): send contentId, userId, score, maxScore, "
                                      "openedTimestamp, finishedTimestamp and completionTime.")
                           .arg(document.isNull() ? parseError.errorString() : QStringLiteral("an array")));
    FieldIssues issues;
    CompletionRecord record = CompletionRecord::fromWebhookJson(document.object(), &issues);
    if (issues.isEmpty())
        issues = record.check();
    if (!issues.isEmpty())
        return failure(Status::BadRequest, issues.first().field, issues.first().message);
    record.source = QStringLiteral("webhook");
    return save(record, false);
}

QHttpServerResponse CompletionReceiver::save(CompletionRecord record, bool playerAnswer)
{
    record.receivedAt = m_clock.now();
    QString error;
    const auto result = CompletionStore(m_store).save(record, &error);
    if (!result) {
        qCWarning(lcCompletions) << "A completion of content" << record.contentId << "was not stored:" << error;
        return failure(Status::InternalServerError, {}, error);
    }
    if (result->outcome != CompletionStore::Outcome::Unchanged)
        Q_EMIT stored(record);
    if (playerAnswer)
        return QHttpServerResponse(QJsonObject{{QStringLiteral("success"), true}});
    return QHttpServerResponse(QJsonObject{{QStringLiteral("success"), true},
                                           {QStringLiteral("outcome"), outcomeName(result->outcome)},
                                           {QStringLiteral("queued"), result->queued}});
}

QHttpServerResponse CompletionReceiver::records(const QHttpServerRequest& request, const QString& contentId,
                                                const QString& userId)
{
    if (auto refused = refuseBearer(request))
        return std::move(*refused);
    const QUrlQuery query = request.query();
    bool limitOk = true;
    bool offsetOk = true;
    const int limit = query.hasQueryItem(QStringLiteral("limit"))
                          ? query.queryItemValue(QStringLiteral("limit")).toInt(&limitOk)
                          : DefaultRecordsLimit;
    const int offset = query.hasQueryItem(QStringLiteral("offset"))
                           ? query.queryItemValue(QStringLiteral("offset")).toInt(&offsetOk)
                           : 0;
    if (!limitOk || limit < 1 || limit > MaxRecordsLimit)
        return failure(Status::BadRequest, QStringLiteral("limit"),
                       QStringLiteral("limit must be a whole number from 1 to %1.").arg(MaxRecordsLimit));
    if (!offsetOk || offset < 0)
        return failure(Status::BadRequest, QStringLiteral("offset"),
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
        return failure(Status::InternalServerError, {}, error);
    QJsonArray array;
    for (const CompletionRecord& record : page)
        array << record.toJson();
    QHttpServerResponse response(array);
    response.addHeader("X-Total-Count", QByteArray::number(total));
    return response;
}

QHttpServerResponse CompletionReceiver::removeContent(const QHttpServerRequest& request, const QString& contentId)
{
    if (auto refused = refuseBearer(request))
        return std::move(*refused);
    QString error;
    const int removed = CompletionStore(m_store).removeContent(contentId, &error);
    if (removed < 0)
        return failure(Status::InternalServerError, {}, error);
    return QHttpServerResponse(QJsonObject{{QStringLiteral("success"), true}, {QStringLiteral("deleted"), removed}});
}
