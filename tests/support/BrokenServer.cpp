#include "BrokenServer.h"

#include <QTcpSocket>

BrokenServer::BrokenServer(Mode mode, QObject* parent)
    : QObject(parent)
    , m_mode(mode)
{
    connect(&m_server, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket* socket = m_server.nextPendingConnection()) {
            ++m_connections;
            if (m_mode == Mode::Drop)
                socket->abort(); // the socket stays a child of the server until it goes
            if (m_mode == Mode::Hostile) {
                connect(socket, &QTcpSocket::readyRead, socket, [socket] {
                    socket->readAll();
                    socket->write(hostileAnswer());
                    socket->disconnectFromHost();
                });
            }
        }
    });
}

QByteArray BrokenServer::hostileAnswer()
{
    const QByteArray body = "{\"error\":\"bad \x1b]0;pwned-body\x07 \x1b[2J\x1b[H \xc2\x9b"
                            "31m end\"}";
    return "HTTP/1.1 400 Bad\x1b]0;pwned-reason\x07Request\r\nContent-Type: text/plain\r\nX-Evil: \x1b[2J\x1b[H\r\n"
           "Content-Length: " +
           QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

bool BrokenServer::start()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

QUrl BrokenServer::url(const QString& scheme) const
{
    return QUrl(QStringLiteral("%1://127.0.0.1:%2/xapi/statements").arg(scheme).arg(m_server.serverPort()));
}
