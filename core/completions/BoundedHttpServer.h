#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>
#include <QUrlQuery>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

class QTcpServer;
class QTcpSocket;

// One HTTP/1.1 request as the server read it. Before the body is read (see BoundedHttpServer::Screen) body is empty.
struct HttpRequest
{
    QByteArray method;
    QByteArray target;      // as sent: path and query
    QList<QByteArray> path; // the path's segments, percent-decoded ("/a/b%2Fc" is {"a", "b/c"})
    QUrlQuery query;        // decode values with QUrl::FullyDecoded
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;
    qint64 contentLength = -1; // -1 when chunked or absent

    QByteArray header(const QByteArray& name) const; // the first of that name (case-insensitive), or empty
    QString pathText() const;                        // "/" + the segments
};

struct HttpResponse
{
    int status = 200;
    QByteArray contentType = "application/json";
    QByteArray body;
    QList<std::pair<QByteArray, QByteArray>> headers;

    HttpResponse() = default;
    HttpResponse(const QJsonObject& json, int status = 200);
    HttpResponse(const QJsonArray& json, int status = 200);
    void addHeader(const QByteArray& name, const QByteArray& value) { headers.append({name, value}); }
};

// A small HTTP/1.1 server for endpoints that take small bodies and listen where anyone may connect. Unlike a general
// server, it never holds more than it allows:
//   - a request's line and headers (at most maxHeaderBytes) are read first and shown to the Screen, which checks
//     credentials and may refuse before a byte of the body is read; a Content-Length over maxBodyBytes is refused
//     with 413 at once, a chunked body as soon as it passes the limit; a refused body is read into nothing (never
//     kept) for a moment so the client sees the answer, then the connection is closed;
//   - a request must be complete within requestTimeoutMs of its first byte, and a kept-alive connection is closed
//     after idleTimeoutMs without one, so connections that never finish their headers cannot pile up;
//   - at most maxConnections are open at once (fewer when the descriptor limit is lower): a new one closes the
//     connection that has waited longest without completing a request; when the process runs out of descriptors
//     all the same, accepting resumes as soon as one is free instead of stopping for good;
//   - the listen backlog is backlog, so a burst of connections is queued by the kernel rather than reset.
// Requests on one connection are answered in order (keep-alive and pipelining); handlers run on this thread.
class BoundedHttpServer final : public QObject
{
    Q_OBJECT

public:
    struct Limits
    {
        int maxHeaderBytes = 16 * 1024;
        int maxBodyBytes = 64 * 1024;
        int requestTimeoutMs = 10 * 1000;
        int idleTimeoutMs = 30 * 1000;
        int maxConnections = 1000;
        int backlog = 4096;
    };

    // Sees each request once its headers are in, before its body is read: a response refuses the request (its body
    // is never read and the connection is closed); nullopt lets it through.
    using Screen = std::function<std::optional<HttpResponse>(const HttpRequest& head)>;
    // Answers a complete request.
    using Handler = std::function<HttpResponse(const HttpRequest& request)>;

    BoundedHttpServer(Screen screen, Handler handler, QObject* parent = nullptr);
    ~BoundedHttpServer() override;

    // Takes effect for connections accepted from now on (the backlog at the next listen()).
    void setLimits(const Limits& limits) { m_limits = limits; }
    const Limits& limits() const { return m_limits; }

    bool listen(const QHostAddress& address, quint16 port, QString* error);
    void close(); // stops listening and drops every connection
    bool isListening() const;
    quint16 port() const;

    int connectionCount() const { return int(m_connections.size()); }
    // maxConnections, lowered to leave descriptors for the rest of the process when the limit is lower.
    int connectionCap() const;

private:
    struct Connection;
    class Listener;

    void accept(qintptr descriptor);
    void readFrom(Connection* connection);
    void process(Connection* connection);
    bool readHead(Connection* connection);
    bool readChunks(Connection* connection);
    void dispatch(Connection* connection);
    void refuse(Connection* connection, const HttpResponse& response);
    void send(Connection* connection, const HttpResponse& response, bool close);
    void drop(Connection* connection);
    void sweep();
    bool evictOne();
    qint64 now() const { return m_clock.elapsed(); }

    Screen m_screen;
    Handler m_handler;
    Limits m_limits;
    QPointer<Listener> m_listener;
    std::vector<std::unique_ptr<Connection>> m_connections;
    QTimer m_sweep;
    QElapsedTimer m_clock;
};
