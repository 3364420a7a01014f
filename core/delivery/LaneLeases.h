#pragma once

#include <QDateTime>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

class Store;

// Which delivery engine works which integration's lane. Every engine on a store (desktop apps, workers, on one
// machine or several) renews its own presence and the lanes it holds; one engine owns a lane at a time, so the
// statements of an integration go out in order and its policy (one probe per interval, a hold) is kept by one.
// Free lanes are shared out fairly among the engines alive; a dead engine's leases expire and others take its lanes.
class LaneLeases final
{
public:
    static constexpr int DefaultSeconds = 15;

    struct Renewal
    {
        QSet<qint64> held; // the lanes this engine holds now
        int engines = 1;   // engines alive on the store, this one included
        int share = 0;     // how many of the wanted lanes this engine should hold (fairShare)
    };

    LaneLeases(Store& store, QString owner);

    void setSeconds(int seconds) { m_seconds = seconds; }
    int seconds() const { return m_seconds; }
    const QString& owner() const { return m_owner; }

    // One transaction: renews this engine and the lanes it holds, then takes free or expired lanes among `wanted`
    // until it holds its fair share of them.
    bool renew(const QList<qint64>& wanted, const QDateTime& now, Renewal* renewal, QString* error);
    // Read only: whether one of `lanes` has no live holder (so renew() would take it).
    bool anyFree(const QList<qint64>& lanes, const QDateTime& now) const;
    void release(qint64 integrationId);
    void releaseAll();

    // The engines holding lanes now, for status bars ("worker pid 1234 on host").
    static QStringList holders(Store& store, const QDateTime& now);
    // Who delivers for this integration now, or empty.
    static QString holderOf(Store& store, qint64 integrationId, const QDateTime& now);
    static QString describeThisProcess(const QString& role);
    // The lanes the engine ranked `rank` (0-based, by owner) of `engines` should hold: as even as whole lanes allow,
    // the first ones by rank taking one more, so that the shares add up to every lane (4 among 3: 2, 1, 1).
    static int fairShare(qsizetype lanes, int engines, int rank);

private:
    Store& m_store;
    QString m_owner;
    int m_seconds = DefaultSeconds;
};
