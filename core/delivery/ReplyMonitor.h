#pragma once

#include "delivery/DeliveryTransport.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

class QNetworkReply;

// Watches one QNetworkReply for the transport and the token client alike: a connect timeout (until the request is
// written, TLS handshake included) and a total timeout, either of which aborts the reply; TLS errors, recorded and
// never ignored; the time to the first byte and the total. A child of the reply, so it lives exactly as long.
class ReplyMonitor final : public QObject
{
    Q_OBJECT

public:
    // Starts watching at once; reply must not have finished yet.
    static ReplyMonitor* watch(QNetworkReply* reply, int connectTimeoutMs, int totalTimeoutMs);

    qint64 elapsedMs() const { return m_elapsed.elapsed(); }
    qint64 firstByteMs() const { return m_firstByteMs; } // 0 when no response header arrived
    bool requestWentOut() const { return m_wentOut; }    // the request (or part of its body) was written

    // For a reply that finished without an HTTP status: what kind of failure, and a sentence for a person.
    TransportResult::ErrorKind failureKind() const;
    QString failureText() const;

private:
    enum class TimedOut { No, Connect, Total };

    ReplyMonitor(QNetworkReply* reply, int connectTimeoutMs, int totalTimeoutMs);
    void expire(TimedOut which);

    QNetworkReply* m_reply; // our parent
    QElapsedTimer m_elapsed;
    QTimer m_connectTimer;
    QTimer m_totalTimer;
    int m_connectTimeoutMs;
    int m_totalTimeoutMs;
    qint64 m_firstByteMs = 0;
    bool m_wentOut = false;
    TimedOut m_timedOut = TimedOut::No;
    QStringList m_tlsErrors;
};
