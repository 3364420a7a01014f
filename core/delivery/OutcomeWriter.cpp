#include "delivery/OutcomeWriter.h"

#include "common/Logging.h"
#include "store/Store.h"

#include <QSet>
#include <QThread>

OutcomeWriter::OutcomeWriter(StoreLocation location, QObject* parent)
    : QObject(parent)
    , m_location(std::move(location))
{
    m_thread = QThread::create([this] { run(); });
    m_thread->setParent(this);
    m_thread->setObjectName(QStringLiteral("OutcomeWriter"));
    m_thread->start();
}

OutcomeWriter::~OutcomeWriter()
{
    {
        QMutexLocker lock(&m_mutex);
        m_stopping = true;
        m_changed.wakeAll();
    }
    m_thread->wait();
}

void OutcomeWriter::write(Group group)
{
    QMutexLocker lock(&m_mutex);
    if (!m_waiting.empty() && m_waiting.back().outcomes.size() + group.outcomes.size() <= MergeAtMost) {
        Group& last = m_waiting.back();
        last.outcomes.append(std::move(group.outcomes));
        last.hanging.append(std::move(group.hanging));
        last.now = group.now;
        last.handedIn += group.handedIn;
        return;
    }
    while (m_waiting.size() >= QueueAtMost)
        m_changed.wait(&m_mutex);
    m_waiting.push_back(std::move(group));
    m_changed.wakeAll();
}

void OutcomeWriter::waitIdle()
{
    QMutexLocker lock(&m_mutex);
    while (!m_waiting.empty() || m_busy)
        m_changed.wait(&m_mutex);
}

QList<OutcomeWriter::Group> OutcomeWriter::takeWritten()
{
    QMutexLocker lock(&m_mutex);
    return std::exchange(m_written, {});
}

void OutcomeWriter::run()
{
    std::unique_ptr<Store> store; // opened on this thread, used and closed here only
    QMutexLocker lock(&m_mutex);
    for (;;) {
        while (m_waiting.empty() && !m_stopping)
            m_changed.wait(&m_mutex);
        if (m_waiting.empty())
            break;
        Group group = std::move(m_waiting.front());
        m_waiting.pop_front();
        m_busy = true;
        m_changed.wakeAll(); // a write() waiting for room goes on
        lock.unlock();
        if (!store) {
            Store::OpenResult opened = Store::open(m_location);
            store = std::move(opened.store);
            if (!store)
                group.error = QStringLiteral("Cannot open the store to record outcomes: %1").arg(opened.error);
        }
        if (store)
            writeGroup(store.get(), group);
        if (!group.error.isEmpty() && store && !store->database().isOpen())
            store.reset(); // opened again for the next group
        lock.relock();
        m_written << std::move(group);
        m_busy = false;
        m_changed.wakeAll();
        lock.unlock();
        Q_EMIT written();
        lock.relock();
    }
}

void OutcomeWriter::writeGroup(Store* store, Group& group)
{
    DeliveryQueue queue(*store);
    QString error;
    if (queue.record(group.outcomes, group.hanging, group.now, &error))
        return;
    // The deliveries erased meanwhile (LearnerErasure) are dropped from the outcomes, whose attempts would point at
    // nothing, and the rest recorded again.
    QList<qint64> ids;
    ids.reserve(group.outcomes.size() + group.hanging.size());
    for (const DeliveryQueue::Outcome& outcome : std::as_const(group.outcomes))
        ids << outcome.deliveryId;
    ids << group.hanging;
    QString lookupError;
    const QSet<qint64> existing = queue.existing(ids, &lookupError);
    if (!lookupError.isEmpty() || existing.size() == ids.size()) {
        group.error = error;
        return;
    }
    const qsizetype before = group.outcomes.size();
    group.outcomes.removeIf(
        [&existing](const DeliveryQueue::Outcome& outcome) { return !existing.contains(outcome.deliveryId); });
    group.hanging.removeIf([&existing](qint64 id) { return !existing.contains(id); });
    qCInfo(lcDelivery) << "Left out" << before - group.outcomes.size() << "answers to statements erased meanwhile";
    error.clear();
    if (!queue.record(group.outcomes, group.hanging, group.now, &error))
        group.error = error;
}
