#include "metrics/MetricsServer.h"

#include "common/Logging.h"

#include <QHttpServerResponse>
#include <QTcpServer>

MetricsServer::MetricsServer(Page page, QObject* parent)
    : QObject(parent)
    , m_page(std::move(page))
{
    m_server.route(QStringLiteral("/metrics"), QHttpServerRequest::Method::Get, [this] {
        QHttpServerResponse response("text/plain; version=0.0.4; charset=utf-8", m_page());
        return response;
    });
}

bool MetricsServer::listen(const QHostAddress& address, quint16 port, QString* error)
{
    auto* tcp = new QTcpServer(&m_server);
    if (!tcp->listen(address, port)) {
        *error = QStringLiteral("cannot listen on %1:%2 (%3). Choose another port, or stop what uses it.")
                     .arg(address.toString())
                     .arg(port)
                     .arg(tcp->errorString());
        delete tcp;
        return false;
    }
    m_server.bind(tcp);
    m_port = tcp->serverPort();
    qCInfo(lcDelivery) << "Metrics served on" << address.toString() << m_port << "at /metrics";
    return true;
}

bool MetricsServer::parseAddress(const QString& text, QHostAddress* address, quint16* port, QString* error)
{
    QString host = QStringLiteral("127.0.0.1");
    QString portText = text.trimmed();
    if (const qsizetype colon = portText.lastIndexOf(QLatin1Char(':')); colon >= 0) {
        host = portText.left(colon);
        portText = portText.mid(colon + 1);
        if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
            host = host.mid(1, host.size() - 2);
    }
    bool ok = false;
    const uint number = portText.toUInt(&ok);
    if (!ok || number > 65535 || !address->setAddress(host)) {
        *error = QStringLiteral("“%1” is not ADDRESS:PORT or PORT, e.g. 127.0.0.1:9464.").arg(text);
        return false;
    }
    *port = quint16(number);
    return true;
}
