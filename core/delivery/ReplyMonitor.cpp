#include "delivery/ReplyMonitor.h"

#include <QNetworkReply>
#include <QSslError>

ReplyMonitor* ReplyMonitor::watch(QNetworkReply* reply, int connectTimeoutMs, int totalTimeoutMs)
{
    return new ReplyMonitor(reply, connectTimeoutMs, totalTimeoutMs);
}

ReplyMonitor::ReplyMonitor(QNetworkReply* reply, int connectTimeoutMs, int totalTimeoutMs)
    : QObject(reply)
    , m_reply(reply)
    , m_connectTimeoutMs(connectTimeoutMs)
    , m_totalTimeoutMs(totalTimeoutMs)
{
    m_elapsed.start();
    m_connectTimer.setSingleShot(true);
    m_totalTimer.setSingleShot(true);
    connect(&m_connectTimer, &QTimer::timeout, this, [this] { expire(TimedOut::Connect); });
    connect(&m_totalTimer, &QTimer::timeout, this, [this] { expire(TimedOut::Total); });
    if (connectTimeoutMs > 0 && (totalTimeoutMs <= 0 || connectTimeoutMs < totalTimeoutMs))
        m_connectTimer.start(connectTimeoutMs);
    if (totalTimeoutMs > 0)
        m_totalTimer.start(totalTimeoutMs);

    // Connected (and, for https, the handshake done) once the request has gone out.
    connect(reply, &QNetworkReply::requestSent, &m_connectTimer, &QTimer::stop);
    connect(reply, &QNetworkReply::uploadProgress, &m_connectTimer, &QTimer::stop);
    connect(reply, &QNetworkReply::requestSent, this, [this] { m_wentOut = true; });
    connect(reply, &QNetworkReply::uploadProgress, this, [this](qint64 sent) { m_wentOut |= sent > 0; });
    connect(reply, &QNetworkReply::metaDataChanged, this, [this] {
        m_wentOut = true;
        m_connectTimer.stop();
        if (m_firstByteMs == 0)
            m_firstByteMs = std::max<qint64>(1, m_elapsed.elapsed());
    });
    // Reported, never ignored: without ignoreSslErrors() the reply fails with SslHandshakeFailedError.
    connect(reply, &QNetworkReply::sslErrors, this, [this](const QList<QSslError>& errors) {
        for (const QSslError& error : errors)
            m_tlsErrors << error.errorString();
    });
    connect(reply, &QNetworkReply::finished, this, [this] {
        m_connectTimer.stop();
        m_totalTimer.stop();
    });
}

void ReplyMonitor::expire(TimedOut which)
{
    if (m_reply->isFinished())
        return;
    m_timedOut = which;
    m_reply->abort();
}

TransportResult::ErrorKind ReplyMonitor::failureKind() const
{
    using Kind = TransportResult::ErrorKind;
    if (!m_tlsErrors.isEmpty())
        return Kind::Tls;
    switch (m_reply->error()) {
    case QNetworkReply::NoError:
        return Kind::None;
    case QNetworkReply::TimeoutError:
    case QNetworkReply::OperationCanceledError: // our timers, or the transfer timeout of the request
        return Kind::Timeout;
    case QNetworkReply::SslHandshakeFailedError:
        return Kind::Tls;
    default:
        return Kind::Network;
    }
}

QString ReplyMonitor::failureText() const
{
    switch (failureKind()) {
    case TransportResult::ErrorKind::Timeout:
        if (m_timedOut == TimedOut::Connect)
            return connectTimeoutError(m_connectTimeoutMs);
        return totalTimeoutError(m_totalTimeoutMs);
    case TransportResult::ErrorKind::Tls:
        return QStringLiteral("TLS error: %1.")
            .arg(m_tlsErrors.isEmpty() ? m_reply->errorString() : m_tlsErrors.join(QStringLiteral("; ")));
    default:
        return m_reply->errorString() + QLatin1Char('.');
    }
}
