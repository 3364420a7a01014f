#include "store/StoreNotifier.h"

#include "common/Logging.h"
#include "store/Store.h"

#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>

StoreNotifier::StoreNotifier(Store& store, QObject* parent)
    : QObject(parent)
    , m_store(store)
{
    m_pollTimer.setInterval(PollIntervalMs);
    connect(&m_pollTimer, &QTimer::timeout, this, &StoreNotifier::poll);
}

StoreNotifier::~StoreNotifier()
{
    stop();
}

bool StoreNotifier::start(QString* error)
{
    if (m_store.dialect() == Migrations::Dialect::Sqlite) {
        m_dataVersion = -1;
        poll(); // the starting point
        if (m_dataVersion < 0) {
            *error = QStringLiteral("%1: cannot watch the store for changes.").arg(m_store.location().displayName());
            return false;
        }
        m_pollTimer.start();
        return true;
    }
    QSqlDriver* driver = m_store.database().driver();
    if (!driver->subscribeToNotification(QString::fromLatin1(Channel))) {
        *error = QStringLiteral("%1: cannot listen for changes: %2")
                     .arg(m_store.location().displayName(), driver->lastError().text());
        return false;
    }
    m_subscribed = true;
    connect(driver, &QSqlDriver::notification, this,
            [this](const QString& name, QSqlDriver::NotificationSource source, const QVariant& payload) {
                if (name == QLatin1String(Channel) && source == QSqlDriver::OtherSource)
                    Q_EMIT changed(payload.toString());
            });
    return true;
}

void StoreNotifier::stop()
{
    m_pollTimer.stop();
    if (!m_subscribed)
        return;
    m_subscribed = false;
    if (QSqlDriver* driver = m_store.database().driver()) {
        disconnect(driver, &QSqlDriver::notification, this, nullptr);
        driver->unsubscribeFromNotification(QString::fromLatin1(Channel));
    }
}

void StoreNotifier::poll()
{
    QSqlQuery query(m_store.database());
    if (!query.exec(QStringLiteral("PRAGMA data_version")) || !query.next()) {
        qCWarning(lcStore) << "Watching the store for changes failed:" << query.lastError().text();
        return;
    }
    const qint64 version = query.value(0).toLongLong();
    const bool moved = m_dataVersion >= 0 && version != m_dataVersion;
    m_dataVersion = version;
    if (moved)
        Q_EMIT changed(QString());
}
