#pragma once

#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <functional>

class Clock;
class QNetworkAccessManager;
class Store;
class TokenClient;
struct Delivery;
struct Integration;

// 409 triage. A 409 counts as delivered (the policy stays), but support must know which kind it was: the same
// statement arriving twice is harmless, an id reused for other content is a data bug upstream. For each duplicate not
// triaged yet, the statement the receiver stored is fetched (GET ?statementId=, with the integration's credentials)
// and compared with what was sent by the spec's statement comparison rules (StatementComparison), and the delivery
// records its duplicate kind:
//   identical    the receiver holds this very statement
//   conflicting  it holds other content under this id (the differing JSON paths, with both values, are kept)
//   unverified   it could not be read: the credentials may not read (401/403), the receiver does not have it (404:
//                a batch's 409 was about another of its statements), or it kept failing (5xx, network)
// One request at a time, never in the way of delivery; only for the lanes the caller says it works.
class DuplicateTriage final : public QObject
{
    Q_OBJECT

public:
    static constexpr int TransientTries = 3; // a 5xx or network failure is tried this often before "unverified"

    DuplicateTriage(Store& store, TokenClient& tokens, QNetworkAccessManager& network, QObject* parent = nullptr);

    // Which integrations to triage for (the lanes this process delivers); all enabled ones when not set.
    void setLanes(std::function<QList<qint64>()> lanes) { m_lanes = std::move(lanes); }
    void setTimeout(int milliseconds) { m_timeoutMs = milliseconds; }
    void setPollInterval(int milliseconds) { m_poll.setInterval(milliseconds); }
    // Look for untriaged duplicates soon (after outcomes were recorded); also looks every few seconds once started.
    void poke();
    void start();
    // No new reads (one in flight is recorded when it answers).
    void stop();
    bool isBusy() const { return m_busy; }

    // The kind and the JSON detail for a sent statement and what a GET answered (status 0: no answer).
    static QString kindFor(int status, const QByteArray& sent, const QByteArray& fetched, QByteArray* detail);

Q_SIGNALS:
    // A delivery was triaged (the Delivery Queue reloads).
    void triaged(qint64 deliveryId, const QString& kind);

private:
    void next();
    void fetch(const Integration& integration, const Delivery& delivery);
    void finish(qint64 deliveryId, const QString& kind, const QByteArray& detail);

    Store& m_store;
    TokenClient& m_tokens;
    QNetworkAccessManager& m_network;
    std::function<QList<qint64>()> m_lanes;
    QTimer m_poll;
    QTimer m_soon;
    QHash<qint64, int> m_transientFailures; // delivery -> failed tries in this process
    int m_timeoutMs = 15000;
    bool m_busy = false;
    bool m_running = false;
};
