#include "delivery/BulkAction.h"

#include <QTimer>

BulkAction::BulkAction(QList<qint64> ids, Step step, QObject* parent)
    : QObject(parent)
    , m_ids(std::move(ids))
    , m_step(std::move(step))
{}

void BulkAction::start()
{
    QTimer::singleShot(0, this, &BulkAction::next);
}

void BulkAction::next()
{
    if (m_cancelled || m_done >= m_ids.size()) {
        Q_EMIT finished(m_changed, {}, m_cancelled && m_done < m_ids.size());
        return;
    }
    const QList<qint64> chunk = m_ids.mid(m_done, ChunkSize);
    QString error;
    const int changed = m_step(chunk, &error);
    if (changed < 0) {
        Q_EMIT finished(m_changed, error, false);
        return;
    }
    m_changed += changed;
    m_done += chunk.size();
    Q_EMIT progress(int(m_done), total());
    QTimer::singleShot(0, this, &BulkAction::next);
}
