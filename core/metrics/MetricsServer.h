#pragma once

#include <QHostAddress>
#include <QHttpServer>
#include <QObject>

#include <functional>

// GET /metrics over HTTP for Prometheus (Qt HttpServer); anything else is 404. Listens on 127.0.0.1 unless told.
class MetricsServer final : public QObject
{
    Q_OBJECT

public:
    using Page = std::function<QByteArray()>;

    explicit MetricsServer(Page page, QObject* parent = nullptr);

    // false with *error ("cannot listen on ADDRESS:PORT (why). Choose another port, …") when it cannot be bound.
    bool listen(const QHostAddress& address, quint16 port, QString* error);
    quint16 port() const { return m_port; }

    // "9464", "127.0.0.1:9464", "[::1]:9464", "0.0.0.0:9464"; false with *error ("“…” is not ADDRESS:PORT or PORT,
    // e.g. 127.0.0.1:9464.") otherwise. The errors name no option: the caller says which option or field it was.
    static bool parseAddress(const QString& text, QHostAddress* address, quint16* port, QString* error);

private:
    Page m_page;
    QHttpServer m_server;
    quint16 m_port = 0;
};
