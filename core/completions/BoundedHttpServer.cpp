#include "completions/BoundedHttpServer.h"

#include "common/Logging.h"

#include <QJsonDocument>
#include <QTcpServer>
#include <QTcpSocket>

#include <sys/resource.h>
#include <sys/socket.h>

namespace {

constexpr qint64 ReadChunk = 64 * 1024; // the most a socket buffers before it is read
constexpr int LingerMs = 2000;          // a refused request's body is read into nothing this long at most
constexpr int MaxHeaders = 100;
constexpr int MaxChunkLine = 1024;
constexpr long ReservedDescriptors = 128; // left for the store, the keychain, outgoing deliveries and logs
constexpr int SweepMs = 250;
constexpr qint64 MaxUnreadAnswers = 256 * 1024; // answers a client has not read yet; past this its requests wait

QByteArray reason(int status)
{
    switch (status) {
    case 100:
        return "Continue";
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 413:
        return "Content Too Large";
    case 417:
        return "Expectation Failed";
    case 422:
        return "Unprocessable Content";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 503:
        return "Service Unavailable";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return "Status";
    }
}

HttpResponse problem(int status, const QString& message)
{
    return HttpResponse(
        QJsonObject{{QStringLiteral("success"), false},
                    {QStringLiteral("field"), status == 413 ? QStringLiteral("body") : QStringLiteral("request")},
                    {QStringLiteral("message"), message}},
        status);
}

bool isToken(const QByteArray& text)
{
    if (text.isEmpty())
        return false;
    for (const char c : text) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                        QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
        if (!ok)
            return false;
    }
    return true;
}

// A Content-Length: digits only; values too long to matter are taken as "more than any limit".
std::optional<qint64> contentLength(const QByteArray& value)
{
    const QByteArray digits = value.trimmed();
    if (digits.isEmpty())
        return std::nullopt;
    for (const char c : digits) {
        if (c < '0' || c > '9')
            return std::nullopt;
    }
    return digits.size() > 15 ? std::numeric_limits<qint64>::max() : digits.toLongLong();
}

} // namespace

QByteArray HttpRequest::header(const QByteArray& name) const
{
    for (const auto& [key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QString HttpRequest::pathText() const
{
    QString text;
    for (const QByteArray& segment : path)
        text += QLatin1Char('/') + QString::fromUtf8(segment);
    return text.isEmpty() ? QStringLiteral("/") : text;
}

HttpResponse::HttpResponse(const QJsonObject& json, int status_)
    : status(status_)
    , body(QJsonDocument(json).toJson(QJsonDocument::Compact))
{}

HttpResponse::HttpResponse(const QJsonArray& json, int status_)
    : status(status_)
    , body(QJsonDocument(json).toJson(QJsonDocument::Compact))
{}

struct BoundedHttpServer::Connection
{
    enum class State { Head, Body, Chunks, Draining };
    enum class Chunk { Size, Data, DataEnd, Trailers };

    QTcpSocket* socket = nullptr;
    State state = State::Head;
    Chunk chunk = Chunk::Size;
    qint64 chunkLeft = 0;
    int trailerBytes = 0;
    QByteArray buffer;
    HttpRequest request;
    bool keepAlive = true;
    bool idle = false;     // between requests of a kept-alive connection
    bool shutDown = false; // our side of a refused connection is closed
    bool paused = false;   // answers wait to be read by the client: no more requests are read meanwhile
    bool dead = false;
    qint64 deadline = 0;     // when it is closed if it has not done what it waits for
    qint64 waitingSince = 0; // since when it has waited without a complete request
};

class BoundedHttpServer::Listener final : public QTcpServer
{
public:
    explicit Listener(BoundedHttpServer* server)
        : QTcpServer(server)
        , m_server(server)
    {}

protected:
    void incomingConnection(qintptr descriptor) override { m_server->accept(descriptor); }

private:
    BoundedHttpServer* m_server;
};

BoundedHttpServer::BoundedHttpServer(Screen screen, Handler handler, QObject* parent)
    : QObject(parent)
    , m_screen(std::move(screen))
    , m_handler(std::move(handler))
{
    m_clock.start();
    m_sweep.setInterval(SweepMs);
    connect(&m_sweep, &QTimer::timeout, this, &BoundedHttpServer::sweep);
}

BoundedHttpServer::~BoundedHttpServer()
{
    close();
}

bool BoundedHttpServer::listen(const QHostAddress& address, quint16 port, QString* error)
{
    close();
    auto* listener = new Listener(this);
    listener->setListenBacklogSize(m_limits.backlog);
    if (!listener->listen(address, port)) {
        *error = listener->errorString();
        delete listener;
        return false;
    }
    // Out of descriptors, QTcpServer stops accepting for good; a moment later one is free (a connection timed out,
    // or the oldest waiting one is closed now), so accepting goes on.
    connect(listener, &QTcpServer::acceptError, this, [this, listener](QAbstractSocket::SocketError socketError) {
        qCWarning(lcCompletions) << "The receiver could not accept a connection:" << socketError
                                 << "; closing the connection that waited longest";
        evictOne();
        QTimer::singleShot(50, listener, [listener] { listener->resumeAccepting(); });
    });
    m_listener = listener;
    m_sweep.start();
    return true;
}

void BoundedHttpServer::close()
{
    m_sweep.stop();
    delete m_listener.data();
    while (!m_connections.empty())
        drop(m_connections.back().get());
}

bool BoundedHttpServer::isListening() const
{
    return m_listener && m_listener->isListening();
}

quint16 BoundedHttpServer::port() const
{
    return m_listener ? m_listener->serverPort() : 0;
}

int BoundedHttpServer::connectionCap() const
{
    long cap = m_limits.maxConnections;
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY)
        cap = std::min(cap, std::max(8L, long(limit.rlim_cur) - ReservedDescriptors));
    return int(cap);
}

void BoundedHttpServer::accept(qintptr descriptor)
{
    auto* socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    socket->setReadBufferSize(ReadChunk);
    while (connectionCount() >= connectionCap() && evictOne()) {
    }
    auto owned = std::make_unique<Connection>();
    Connection* connection = owned.get();
    connection->socket = socket;
    connection->waitingSince = now();
    connection->deadline = now() + m_limits.requestTimeoutMs;
    m_connections.push_back(std::move(owned));
    connect(socket, &QTcpSocket::readyRead, this, [this, connection] { readFrom(connection); });
    connect(socket, &QTcpSocket::bytesWritten, this, [this, connection] {
        if (connection->state == Connection::State::Draining && !connection->shutDown &&
            connection->socket->bytesToWrite() == 0) {
            ::shutdown(int(connection->socket->socketDescriptor()), SHUT_WR);
            connection->shutDown = true;
        }
        if (connection->paused && connection->socket->bytesToWrite() <= MaxUnreadAnswers / 2) {
            connection->paused = false;
            process(connection);
            if (!connection->dead && !connection->paused && connection->socket->bytesAvailable() > 0)
                readFrom(connection);
        }
    });
    connect(socket, &QTcpSocket::disconnected, this, [this, connection] { drop(connection); });
    connect(socket, &QTcpSocket::errorOccurred, this, [this, connection] { drop(connection); });
    if (socket->bytesAvailable() > 0)
        readFrom(connection);
}

void BoundedHttpServer::drop(Connection* connection)
{
    if (connection->dead)
        return;
    connection->dead = true;
    connection->socket->disconnect(this);
    connection->socket->abort();
    connection->socket->deleteLater();
    for (auto it = m_connections.begin(); it != m_connections.end(); ++it) {
        if (it->get() == connection) {
            // Kept until the event loop is back, as the caller may still hold it.
            std::shared_ptr<Connection> grave(std::move(*it));
            m_connections.erase(it);
            QMetaObject::invokeMethod(
                this, [grave] {}, Qt::QueuedConnection);
            break;
        }
    }
}

bool BoundedHttpServer::evictOne()
{
    Connection* oldest = nullptr;
    for (const auto& connection : m_connections) {
        // Refused ones first (they are only waiting to be closed), then the one that has waited longest.
        const bool draining = connection->state == Connection::State::Draining;
        const bool oldestDraining = oldest && oldest->state == Connection::State::Draining;
        if (!oldest || (draining && !oldestDraining) ||
            (draining == oldestDraining && connection->waitingSince < oldest->waitingSince))
            oldest = connection.get();
    }
    if (!oldest)
        return false;
    drop(oldest);
    return true;
}

void BoundedHttpServer::sweep()
{
    const qint64 at = now();
    std::vector<Connection*> expired;
    for (const auto& connection : m_connections) {
        if (connection->deadline <= at)
            expired.push_back(connection.get());
    }
    for (Connection* connection : expired)
        drop(connection);
}

void BoundedHttpServer::readFrom(Connection* connection)
{
    if (connection->dead)
        return;
    if (connection->state == Connection::State::Draining) {
        connection->socket->skip(connection->socket->bytesAvailable()); // read into nothing
        return;
    }
    if (connection->paused)
        return; // the socket's buffer fills, then the kernel's, and the client has to wait
    const QByteArray incoming = connection->socket->read(ReadChunk);
    if (incoming.isEmpty())
        return;
    if (connection->idle) {
        connection->idle = false;
        connection->waitingSince = now();
        connection->deadline = now() + m_limits.requestTimeoutMs;
    }
    connection->buffer += incoming;
    process(connection);
    // More than one chunk may be waiting (the socket's buffer refills as it is read).
    if (!connection->dead && !connection->paused && connection->socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(
            this,
            [this, socket = QPointer<QTcpSocket>(connection->socket), connection] {
                if (socket)
                    readFrom(connection);
            },
            Qt::QueuedConnection);
}

void BoundedHttpServer::process(Connection* connection)
{
    for (;;) {
        if (connection->dead || connection->state == Connection::State::Draining)
            return;
        // A client that sends requests and never reads the answers does not make them pile up here.
        if (connection->socket->bytesToWrite() > MaxUnreadAnswers) {
            connection->paused = true;
            return;
        }
        if (connection->state == Connection::State::Head) {
            if (!readHead(connection))
                return;
            continue;
        }
        if (connection->state == Connection::State::Body) {
            HttpRequest& request = connection->request;
            const qint64 take =
                std::min<qint64>(request.contentLength - request.body.size(), connection->buffer.size());
            request.body += connection->buffer.left(take);
            connection->buffer.remove(0, take);
            if (request.body.size() < request.contentLength)
                return;
        } else if (!readChunks(connection)) {
            return;
        }
        dispatch(connection);
    }
}

bool BoundedHttpServer::readHead(Connection* connection)
{
    QByteArray& buffer = connection->buffer;
    while (buffer.startsWith("\r\n")) // empty lines before a request are allowed
        buffer.remove(0, 2);
    const qsizetype end = buffer.indexOf("\r\n\r\n");
    if (end < 0 ? buffer.size() > m_limits.maxHeaderBytes : end > m_limits.maxHeaderBytes) {
        refuse(connection, problem(431, QStringLiteral("The request line and headers are longer than %1 bytes.")
                                            .arg(m_limits.maxHeaderBytes)));
        return false;
    }
    if (end < 0)
        return false;
    const QList<QByteArray> lines = buffer.left(end).split('\n');
    buffer.remove(0, end + 4);
    HttpRequest request;
    const auto malformed = [&](const QString& what) {
        refuse(connection, problem(400, QStringLiteral("The request is not valid HTTP/1.1: %1.").arg(what)));
        return false;
    };
    for (qsizetype i = 0; i + 1 < lines.size(); ++i) {
        if (!lines.at(i).endsWith('\r'))
            return malformed(QStringLiteral("a line ends without CR LF"));
    }
    const QList<QByteArray> requestLine = lines.first().chopped(lines.size() > 1 ? 1 : 0).split(' ');
    if (requestLine.size() != 3 || !isToken(requestLine.at(0)) || !requestLine.at(1).startsWith('/'))
        return malformed(QStringLiteral("the request line must read METHOD /path HTTP/1.1"));
    const QByteArray version = requestLine.at(2);
    if (version != "HTTP/1.1" && version != "HTTP/1.0") {
        refuse(connection, problem(505, QStringLiteral("Only HTTP/1.1 and HTTP/1.0 are spoken here.")));
        return false;
    }
    request.method = requestLine.at(0);
    request.target = requestLine.at(1);
    if (lines.size() - 1 > MaxHeaders) {
        refuse(connection, problem(431, QStringLiteral("More than %1 headers.").arg(MaxHeaders)));
        return false;
    }
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = i + 1 < lines.size() ? lines.at(i).chopped(1) : lines.at(i);
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || !isToken(line.left(colon)))
            return malformed(QStringLiteral("a header line must read Name: value"));
        const QByteArray value = line.mid(colon + 1).trimmed();
        if (value.contains('\r') || value.contains('\0'))
            return malformed(QStringLiteral("a header value holds a control character"));
        request.headers.append({line.left(colon), value});
    }

    const qsizetype question = request.target.indexOf('?');
    const QByteArray rawPath = question < 0 ? request.target : request.target.left(question);
    for (const QByteArray& segment : rawPath.split('/')) {
        if (!segment.isEmpty())
            request.path << QByteArray::fromPercentEncoding(segment);
    }
    if (question >= 0)
        request.query = QUrlQuery(QString::fromUtf8(request.target.mid(question + 1)));

    const QByteArray connectionHeader = request.header("Connection").toLower();
    connection->keepAlive =
        version == "HTTP/1.1" ? !connectionHeader.contains("close") : connectionHeader.contains("keep-alive");
    const QByteArray transferEncoding = request.header("Transfer-Encoding").trimmed().toLower();
    bool chunked = false;
    qint64 length = 0;
    bool lengthSeen = false;
    for (const auto& [name, value] : std::as_const(request.headers)) {
        if (name.compare("Content-Length", Qt::CaseInsensitive) != 0)
            continue;
        const std::optional<qint64> parsed = contentLength(value);
        if (!parsed || (lengthSeen && *parsed != length))
            return malformed(QStringLiteral("Content-Length must be one whole number"));
        length = *parsed;
        lengthSeen = true;
    }
    if (!transferEncoding.isEmpty()) {
        if (transferEncoding != "chunked") {
            refuse(connection, problem(501, QStringLiteral("Transfer-Encoding “%1” is not supported; send "
                                                           "Content-Length or chunked.")
                                                .arg(QString::fromLatin1(transferEncoding))));
            return false;
        }
        if (lengthSeen)
            return malformed(QStringLiteral("Content-Length and Transfer-Encoding together"));
        chunked = true;
    }
    request.contentLength = chunked ? -1 : length;
    connection->request = std::move(request);

    // Credentials and routes first: a request refused here never has its body read.
    if (std::optional<HttpResponse> refusal = m_screen(connection->request)) {
        refuse(connection, *refusal);
        return false;
    }
    if (length > m_limits.maxBodyBytes) {
        refuse(connection, problem(413, QStringLiteral("The body is too large (%1 bytes; at most %2); send one "
                                                       "completion per request.")
                                            .arg(length)
                                            .arg(m_limits.maxBodyBytes)));
        return false;
    }
    const QByteArray expect = connection->request.header("Expect");
    if (!expect.isEmpty()) {
        if (expect.trimmed().compare("100-continue", Qt::CaseInsensitive) != 0) {
            refuse(connection, problem(417, QStringLiteral("Only Expect: 100-continue is understood.")));
            return false;
        }
        if ((chunked || length > 0) && connection->buffer.isEmpty())
            connection->socket->write("HTTP/1.1 100 Continue\r\n\r\n");
    }
    connection->state = chunked ? Connection::State::Chunks : Connection::State::Body;
    connection->chunk = Connection::Chunk::Size;
    connection->trailerBytes = 0;
    return true;
}

bool BoundedHttpServer::readChunks(Connection* connection)
{
    QByteArray& buffer = connection->buffer;
    HttpRequest& request = connection->request;
    for (;;) {
        switch (connection->chunk) {
        case Connection::Chunk::Size: {
            const qsizetype end = buffer.indexOf("\r\n");
            if (end < 0 ? buffer.size() > MaxChunkLine : end > MaxChunkLine) {
                refuse(connection, problem(400, QStringLiteral("A chunk size line is too long.")));
                return false;
            }
            if (end < 0)
                return false;
            QByteArray line = buffer.left(end);
            buffer.remove(0, end + 2);
            const qsizetype extension = line.indexOf(';');
            if (extension >= 0)
                line.truncate(extension);
            line = line.trimmed();
            bool ok = !line.isEmpty() && line.size() <= 15;
            const qint64 size = ok ? line.toLongLong(&ok, 16) : 0;
            if (!ok || size < 0) {
                if (line.size() > 15) // hexadecimal digits enough for more than any limit
                    refuse(connection, problem(413, QStringLiteral("The body is too large (at most %1 bytes).")
                                                        .arg(m_limits.maxBodyBytes)));
                else
                    refuse(connection, problem(400, QStringLiteral("A chunk size is not a hexadecimal number.")));
                return false;
            }
            if (size == 0) {
                connection->chunk = Connection::Chunk::Trailers;
                break;
            }
            if (request.body.size() + size > m_limits.maxBodyBytes) {
                refuse(connection, problem(413, QStringLiteral("The body is too large (more than %1 bytes); send "
                                                               "one completion per request.")
                                                    .arg(m_limits.maxBodyBytes)));
                return false;
            }
            connection->chunkLeft = size;
            connection->chunk = Connection::Chunk::Data;
            break;
        }
        case Connection::Chunk::Data: {
            const qint64 take = std::min<qint64>(connection->chunkLeft, buffer.size());
            request.body += buffer.left(take);
            buffer.remove(0, take);
            connection->chunkLeft -= take;
            if (connection->chunkLeft > 0)
                return false;
            connection->chunk = Connection::Chunk::DataEnd;
            break;
        }
        case Connection::Chunk::DataEnd:
            if (buffer.size() < 2)
                return false;
            if (!buffer.startsWith("\r\n")) {
                refuse(connection, problem(400, QStringLiteral("A chunk does not end with CR LF.")));
                return false;
            }
            buffer.remove(0, 2);
            connection->chunk = Connection::Chunk::Size;
            break;
        case Connection::Chunk::Trailers: {
            const qsizetype end = buffer.indexOf("\r\n");
            if ((end < 0 ? buffer.size() : end) + connection->trailerBytes > m_limits.maxHeaderBytes) {
                refuse(connection, problem(431, QStringLiteral("The trailers are too long.")));
                return false;
            }
            if (end < 0)
                return false;
            connection->trailerBytes += int(end + 2);
            buffer.remove(0, end + 2);
            if (end == 0)
                return true; // the empty line after the last chunk
            break;
        }
        }
    }
}

void BoundedHttpServer::dispatch(Connection* connection)
{
    const HttpResponse response = m_handler(connection->request);
    if (connection->dead)
        return;
    send(connection, response, !connection->keepAlive);
    if (connection->state == Connection::State::Draining)
        return;
    connection->state = Connection::State::Head;
    connection->request = HttpRequest();
    connection->idle = connection->buffer.isEmpty();
    connection->waitingSince = now();
    connection->deadline = now() + (connection->idle ? m_limits.idleTimeoutMs : m_limits.requestTimeoutMs);
}

void BoundedHttpServer::refuse(Connection* connection, const HttpResponse& response)
{
    send(connection, response, true);
}

void BoundedHttpServer::send(Connection* connection, const HttpResponse& response, bool close)
{
    QByteArray out = "HTTP/1.1 " + QByteArray::number(response.status) + ' ' + reason(response.status) + "\r\n";
    if (!response.contentType.isEmpty())
        out += "Content-Type: " + response.contentType + "\r\n";
    out += "Content-Length: " + QByteArray::number(response.body.size()) + "\r\n";
    out += close ? "Connection: close\r\n" : "Connection: keep-alive\r\n";
    for (const auto& [name, value] : response.headers)
        out += name + ": " + value + "\r\n";
    out += "X-Content-Type-Options: nosniff\r\n";
    out += "\r\n" + response.body;
    connection->socket->write(out);
    if (!close)
        return;
    // Closed our side once the answer is out (the bytesWritten handler); whatever the client still sends is read
    // into nothing until it closes, or for LingerMs at most, so that closing does not reset the answer away.
    connection->state = Connection::State::Draining;
    connection->buffer.clear();
    connection->request = HttpRequest();
    connection->deadline = now() + LingerMs;
    connection->socket->flush();
    if (!connection->shutDown && connection->socket->bytesToWrite() == 0) {
        ::shutdown(int(connection->socket->socketDescriptor()), SHUT_WR);
        connection->shutDown = true;
    }
    if (connection->socket->bytesAvailable() > 0)
        connection->socket->skip(connection->socket->bytesAvailable());
}
