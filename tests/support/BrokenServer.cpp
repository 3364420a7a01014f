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
        }
    });
}

bool BrokenServer::start()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

QUrl BrokenServer::url(const QString& scheme) const
{
    return QUrl(QStringLiteral("%1://127.0.0.1:%2/xapi/statements").arg(scheme).arg(m_server.serverPort()));
}
