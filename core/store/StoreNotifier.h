#pragma once

#include <QObject>
#include <QString>
#include <QTimer>

class Store;

// Tells this process that another process changed the store, so several desktops and workers on one store see each
// other's work within a second. On PostgreSQL it listens on the channel courier_changes, to which triggers on the
// tables send the table's name when a change commits; on SQLite it polls PRAGMA data_version every 500 ms, which
// moves when another connection commits (SQLite cannot say which table: the name is then empty). Changes made through
// this process's own connection are not reported: the process knows them already.
class StoreNotifier final : public QObject
{
    Q_OBJECT

public:
    static constexpr const char* Channel = "courier_changes";
    static constexpr int PollIntervalMs = 500;

    explicit StoreNotifier(Store& store, QObject* parent = nullptr);
    ~StoreNotifier() override;

    // Starts listening or polling; false with a sentence in *error when the store cannot.
    bool start(QString* error);
    void stop();

Q_SIGNALS:
    // table: the table that changed, or empty when the engine cannot tell.
    void changed(const QString& table);

private:
    void poll();

    Store& m_store;
    QTimer m_pollTimer;
    qint64 m_dataVersion = -1;
    bool m_subscribed = false;
};
