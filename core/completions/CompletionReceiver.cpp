#include "completions/CompletionReceiver.h"

#include "common/Clock.h"
#include "common/Logging.h"
#include "completions/CompletionStore.h"
#include "secrets/SecretStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QUrlQuery>

namespace {

QByteArray header(const QHttpServerRequest& request, const QByteArray& name)
{
    for (const auto& [key, value] : request.headers()) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QHttpServerResponse failure(QHttpServerResponse::StatusCode status, const QString& field, const QString& message)
{
    QJsonObject json{{QStringLiteral("success"), false}, {QStringLiteral("message"), message}};
    if (!field.isEmpty())
        json.insert(QStringLiteral("field"), field);
    return QHttpServerResponse(json, status);
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

// The H5P player's fields, form-encoded or JSON, as a JSON object.
QJsonObject playerFields(const QHttpServerRequest& request)
{
    const QByteArray body = request.body();
    if (body.trimmed().startsWith('{'))
        return QJsonDocument::fromJson(body).object();
    QJsonObject json;
    const QUrlQuery form(QString::fromUtf8(body));
    for (const auto& [key, value] : form.queryItems(QUrl::FullyDecoded))
        json.insert(key, value);
    return json;
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

bool CompletionReceiver::listen(const QHostAddress& address, quint16 port, QString* error)
{
    if (m_webhookToken.isEmpty()) {
        // The keychain answers asynchronously; webhook requests wait for it with a 503 (retry) meanwhile.
        m_tokenPending = true;
        m_secrets.read(webhookTokenKey(), this, [this](const SecretResult& result) {
            if (result.ok())
                m_webhookToken = result.value;
            else if (result.status != SecretResult::Status::NotFound)
                qCWarning(lcStore) << "Webhook token:" << result.message;
            m_tokenPending = false;
        });
    }
    m_port = m_server.listen(address, port);
    if (m_port == 0) {
        *error = QStringLiteral("The completion receiver cannot listen on %1:%2 (in use, or not allowed). Choose "
                                "another port.")
                     .arg(address.toString())
                     .arg(port);
        return false;
    }
    qCInfo(lcStore) << "Completion receiver listening on" << address.toString() << m_port;
    return true;
}

QHttpServerResponse CompletionReceiver::session(const QHttpServerRequest& request)
{
    const QString user = m_trustedHeader.isEmpty() ? request.query().queryItemValue(QStringLiteral("user"))
                                                   : QString::fromUtf8(header(request, m_trustedHeader));
    if (user.trimmed().isEmpty())
        return failure(QHttpServerResponse::StatusCode::BadRequest, QStringLiteral("user"),
                       QStringLiteral("user is missing: GET /session?user=ID from the embedding page."));
    const SessionTokens::Session session = m_sessions.issue(user.trimmed(), m_clock.now(), m_sessionLifetime);
    QHttpServerResponse response(
        QJsonObject{{QStringLiteral("session"), session.token},
                    {QStringLiteral("csrf"), session.csrf},
                    {QStringLiteral("expiresAt"), session.expiresAt.toString(Qt::ISODate)},
                    {QStringLiteral("setFinishedUrl"), QString(QStringLiteral("/setFinished?_csrf=") + session.csrf)}});
    response.addHeader("Set-Cookie", QByteArray("courier_session=" + session.token.toLatin1() +
                                                "; HttpOnly; SameSite=Strict; Path=/"));
    return response;
}

QHttpServerResponse CompletionReceiver::setFinished(const QHttpServerRequest& request)
{
    QString token = cookie(request, "courier_session");
    if (token.isEmpty())
        token = QString::fromLatin1(header(request, "X-Session-Token"));
    const QString user = m_sessions.userOf(token, m_clock.now());
    if (user.isEmpty())
        return failure(QHttpServerResponse::StatusCode::Forbidden, {},
                       QStringLiteral("No valid session: get one from GET /session first (sessions expire)."));
    QString csrf = request.query().queryItemValue(QStringLiteral("_csrf"));
    if (csrf.isEmpty())
        csrf = QString::fromLatin1(header(request, "X-CSRF-Token"));
    if (!m_sessions.csrfMatches(token, csrf))
        return failure(QHttpServerResponse::StatusCode::Forbidden, QStringLiteral("_csrf"),
                       QStringLiteral("The CSRF token is missing or does not belong to this session; nothing was "
                                      "stored."));
    if (request.body().size() > MaxBodyBytes)
        return failure(QHttpServerResponse::StatusCode::BadRequest, QStringLiteral("body"),
                       QStringLiteral("The body is too large (more than %1 bytes).").arg(MaxBodyBytes));
    const QJsonObject fields = playerFields(request);
    // The player's names, mapped onto the record's.
    const QJsonObject record{{QStringLiteral("contentId"), fields.value(QStringLiteral("contentId"))},
                             {QStringLiteral("userId"), user},
                             {QStringLiteral("score"), fields.value(QStringLiteral("score"))},
                             {QStringLiteral("maxScore"), fields.value(QStringLiteral("maxScore"))},
                             {QStringLiteral("openedTimestamp"), fields.value(QStringLiteral("opened"))},
                             {QStringLiteral("finishedTimestamp"), fields.value(QStringLiteral("finished"))},
                             {QStringLiteral("completionTime"), fields.value(QStringLiteral("time"))}};
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
        return failure(QHttpServerResponse::StatusCode::BadRequest, field, issues.first().message);
    }
    parsed.source = QStringLiteral("setFinished");
    return save(parsed);
}

bool CompletionReceiver::bearerOk(const QHttpServerRequest& request) const
{
    return !m_webhookToken.isEmpty() && header(request, "Authorization") == "Bearer " + m_webhookToken.toUtf8();
}

QHttpServerResponse CompletionReceiver::webhook(const QHttpServerRequest& request)
{
    if (m_tokenPending)
        return failure(QHttpServerResponse::StatusCode::ServiceUnavailable, {},
                       QStringLiteral("The receiver is starting; try again in a moment."));
    if (!bearerOk(request))
        return failure(QHttpServerResponse::StatusCode::Unauthorized, {},
                       m_webhookToken.isEmpty()
                           ? QStringLiteral("No webhook token is set: set one with xapi-courier settings receiver "
                                            "--webhook-token-stdin.")
                           : QStringLiteral("Wrong or missing bearer token."));
    if (request.body().size() > MaxBodyBytes)
        return failure(QHttpServerResponse::StatusCode::BadRequest, QStringLiteral("body"),
                       QStringLiteral("The body is too large (more than %1 bytes).").arg(MaxBodyBytes));
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(request.body(), &parseError);
    if (!document.isObject())
        return failure(QHttpServerResponse::StatusCode::BadRequest, QStringLiteral("body"),
                       QStringLiteral("The body is not a JSON object: %1.").arg(parseError.errorString()));
    FieldIssues issues;
    CompletionRecord record = CompletionRecord::fromWebhookJson(document.object(), &issues);
    if (issues.isEmpty())
        issues = record.check();
    if (!issues.isEmpty())
        return failure(QHttpServerResponse::StatusCode::BadRequest, issues.first().field, issues.first().message);
    record.source = QStringLiteral("webhook");
    return save(record);
}

QHttpServerResponse CompletionReceiver::save(CompletionRecord record)
{
    QString error;
    const auto outcome = CompletionStore(m_store).save(record, &error);
    if (!outcome)
        return failure(QHttpServerResponse::StatusCode::InternalServerError, {}, error);
    Q_EMIT stored(record);
    return QHttpServerResponse(QJsonObject{{QStringLiteral("success"), true}});
}

QHttpServerResponse CompletionReceiver::records(const QHttpServerRequest& request, const QString& contentId,
                                                const QString& userId)
{
    if (!bearerOk(request))
        return failure(QHttpServerResponse::StatusCode::Unauthorized, {},
                       QStringLiteral("Wrong or missing bearer token."));
    CompletionFilter filter;
    filter.contentId = contentId;
    filter.userId = userId;
    QString error;
    QJsonArray array;
    for (const CompletionRecord& record :
         CompletionStore(m_store).page(filter, CompletionStore::Sort::Finished, true, 10000, 0, &error))
        array << record.toJson();
    return QHttpServerResponse(array);
}

QHttpServerResponse CompletionReceiver::removeContent(const QHttpServerRequest& request, const QString& contentId)
{
    if (!bearerOk(request))
        return failure(QHttpServerResponse::StatusCode::Unauthorized, {},
                       QStringLiteral("Wrong or missing bearer token."));
    QString error;
    const int removed = CompletionStore(m_store).removeContent(contentId, &error);
    if (removed < 0)
        return failure(QHttpServerResponse::StatusCode::InternalServerError, {}, error);
    return QHttpServerResponse(QJsonObject{{QStringLiteral("success"), true}, {QStringLiteral("deleted"), removed}});
}
