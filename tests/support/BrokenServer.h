#pragma once

#include <QTcpServer>
#include <QUrl>

// A TCP server on 127.0.0.1 that is no HTTP server: it either accepts and never answers (for timeouts, and for a TLS
// handshake that never completes) or closes every connection at once (a dropped connection), or (Hostile) answers
// every request with a 400 whose reason phrase, headers and body carry terminal escape sequences (window title,
// clear screen, the one-byte CSI).
class BrokenServer final : public QObject
{
    Q_OBJECT

public:
    enum class Mode { Silent, Drop, Hostile };
    static QByteArray hostileAnswer();

    explicit BrokenServer(Mode mode, QObject* parent = nullptr);
    bool start();

    QUrl url(const QString& scheme = QStringLiteral("http")) const;
    int connections() const { return m_connections; }

private:
    QTcpServer m_server;
    Mode m_mode;
    int m_connections = 0;
};
