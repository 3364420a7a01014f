#include "LocalReceiver.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSslCertificate>
#include <QSslKey>
#include <QTimer>

#include <memory>

QByteArray LocalReceiver::Request::header(const QByteArray& name) const
{
    for (const auto& [key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QStringList LocalReceiver::Request::statementIds() const
{
    const QJsonDocument document = QJsonDocument::fromJson(body);
    QStringList ids;
    if (document.isArray()) {
        for (const QJsonValue& value : document.array())
            ids << value.toObject().value(QStringLiteral("id")).toString();
    } else {
        ids << document.object().value(QStringLiteral("id")).toString();
    }
    return ids;
}

LocalReceiver::LocalReceiver(QObject* parent)
    : QObject(parent)
{
    m_server.route(QStringLiteral("/xapi/statements"),
                   [this](const QHttpServerRequest& request, QHttpServerResponder&& responder) {
                       answer(request, std::move(responder), m_statementReplies, statementRequests);
                   });
    // The about resource goes by the same script (and log): a receiver that answers everything alike; unless
    // setAboutVersions gave it its own answer.
    m_server.route(QStringLiteral("/xapi/about"),
                   [this](const QHttpServerRequest& request, QHttpServerResponder&& responder) {
                       if (!m_aboutVersions)
                           return answer(request, std::move(responder), m_statementReplies, statementRequests);
                       QList<Reply> script{m_aboutVersions->isEmpty()
                                               ? Reply{404, "Not Found", {}, 0}
                                               : Reply{200,
                                                       QJsonDocument(QJsonObject{{QStringLiteral("version"),
                                                                                  QJsonArray::fromStringList(
                                                                                      *m_aboutVersions)}})
                                                           .toJson(QJsonDocument::Compact),
                                                       {{"Content-Type", "application/json"}},
                                                       0}};
                       answer(request, std::move(responder), script, aboutRequests);
                   });
    m_server.route(QStringLiteral("/token"),
                   [this](const QHttpServerRequest& request, QHttpServerResponder&& responder) {
                       answer(request, std::move(responder), m_tokenReplies, tokenRequests);
                   });
}

bool LocalReceiver::start()
{
    m_port = m_server.listen(QHostAddress::LocalHost, 0);
    return m_port != 0;
}

bool LocalReceiver::startTls()
{
    QFile certificateFile(QStringLiteral(COURIER_SAMPLES_DIR "/tls/selfsigned-test-only.crt"));
    QFile keyFile(QStringLiteral(COURIER_SAMPLES_DIR "/tls/selfsigned-test-only.key"));
    if (!certificateFile.open(QIODevice::ReadOnly) || !keyFile.open(QIODevice::ReadOnly))
        return false;
    const QSslCertificate certificate(&certificateFile, QSsl::Pem);
    const QSslKey key(&keyFile, QSsl::Rsa, QSsl::Pem);
    if (certificate.isNull() || key.isNull())
        return false;
    m_server.sslSetup(certificate, key);
    m_tls = true;
    return start();
}

QUrl LocalReceiver::statementsUrl() const
{
    return QUrl(QStringLiteral("%1://127.0.0.1:%2/xapi/statements")
                    .arg(m_tls ? QStringLiteral("https") : QStringLiteral("http"))
                    .arg(m_port));
}

QUrl LocalReceiver::tokenUrl() const
{
    return QUrl(QStringLiteral("%1://127.0.0.1:%2/token")
                    .arg(m_tls ? QStringLiteral("https") : QStringLiteral("http"))
                    .arg(m_port));
}

LocalReceiver::Reply LocalReceiver::token(const QByteArray& accessToken, int expiresIn)
{
    const QJsonObject json{{QStringLiteral("access_token"), QString::fromLatin1(accessToken)},
                           {QStringLiteral("token_type"), QStringLiteral("Bearer")},
                           {QStringLiteral("expires_in"), expiresIn}};
    return {200, QJsonDocument(json).toJson(QJsonDocument::Compact), {{"Content-Type", "application/json"}}, 0};
}

QStringList LocalReceiver::receivedIds() const
{
    QStringList ids;
    for (const Request& request : statementRequests)
        ids << request.statementIds();
    return ids;
}

void LocalReceiver::answer(const QHttpServerRequest& request, QHttpServerResponder&& responder, QList<Reply>& script,
                           QList<Request>& log)
{
    Request received;
    received.method = request.method() == QHttpServerRequest::Method::Put   ? "PUT"
                      : request.method() == QHttpServerRequest::Method::Get ? "GET"
                                                                            : "POST";
    received.path = request.url().path();
    received.query = request.url().query();
    received.headers = request.headers();
    received.body = request.body();
    received.at = QDateTime::currentDateTimeUtc();
    log << received;

    Reply reply;
    if (m_replier && &log == &statementRequests)
        reply = m_replier(received);
    else if (!script.isEmpty())
        reply = script.size() > 1 ? script.takeFirst() : script.first();
    if (reply.body.isEmpty() && reply.status == 200 && &log == &statementRequests)
        reply.body = QJsonDocument(QJsonArray::fromStringList(received.statementIds())).toJson(QJsonDocument::Compact);

    auto respond = [reply](QHttpServerResponder& out) {
        out.writeStatusLine(QHttpServerResponder::StatusCode(reply.status));
        for (const auto& [name, value] : reply.headers)
            out.writeHeader(name, value);
        out.writeHeader("Content-Length", QByteArray::number(reply.body.size()));
        out.writeBody(reply.body);
    };
    if (reply.delayMs <= 0)
        return respond(responder);
    auto later = std::make_shared<QHttpServerResponder>(std::move(responder));
    QTimer::singleShot(reply.delayMs, this, [later, respond] { respond(*later); });
}
