#include "retention/RetentionScheduler.h"

#include "common/Clock.h"
#include "metrics/DeliveryAggregates.h"
#include "retention/RetentionPolicies.h"

#include <QElapsedTimer>

RetentionScheduler::RetentionScheduler(Store& store, Clock& clock, QObject* parent)
    : QObject(parent)
    , m_store(store)
    , m_clock(clock)
    , m_pruner(store)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        m_timer.start(IntervalMs);
        m_stepping = true;
        beginPass();
        scheduleStep();
    });
}

void RetentionScheduler::start()
{
    m_timer.start(FirstPassDelayMs);
}

void RetentionScheduler::stop()
{
    m_timer.stop();
    m_stepping = false;
    if (m_running)
        finishPass(QString());
}

void RetentionScheduler::beginPass()
{
    if (m_running)
        return;
    QString error;
    const QHash<qint64, RetentionPolicy> policies = RetentionPolicies(m_store).all(&error);
    if (!error.isEmpty()) {
        qCWarning(lcRetention) << "Cannot read the retention policies:" << error;
        return;
    }
    m_jobs.clear();
    const QDateTime now = m_clock.now();
    for (auto it = policies.cbegin(); it != policies.cend(); ++it) {
        if (it->retentionDays)
            m_jobs << Job{it.key(), now.addDays(-*it->retentionDays), Job::Kind::Statements};
        if (it->keepBodiesDays && (!it->retentionDays || *it->keepBodiesDays < *it->retentionDays))
            m_jobs << Job{it.key(), now.addDays(-*it->keepBodiesDays), Job::Kind::Bodies};
    }
    m_jobs << Job{0, now.addDays(-DeliveryAggregates::KeepDays), Job::Kind::Charts};
    m_pruned = {};
    m_bodiesErased = 0;
    m_running = true;
}

bool RetentionScheduler::step()
{
    if (!m_running)
        return false;
    QString error;
    if (m_jobs.isEmpty()) {
        // What the pass freed goes back to the file system a step at a time too (finishPass gives back the rest).
        if ((m_pruned.statements() > 0 || m_bodiesErased > 0) && m_pruner.vacuumStep(&error) > 0)
            return true;
        finishPass(QString());
        return false;
    }
    const Job job = m_jobs.constFirst();
    bool jobDone = false;
    switch (job.kind) {
    case Job::Kind::Bodies: {
        const int erased = m_pruner.eraseBodiesChunk(job.before, job.integrationId, DeliveryPruner::ChunkSize, &error);
        if (erased < 0) {
            finishPass(error);
            return false;
        }
        m_bodiesErased += erased;
        jobDone = erased == 0;
        break;
    }
    case Job::Kind::Statements: {
        PruneCounts counts;
        if (!m_pruner.pruneChunk(job.before, job.integrationId, DeliveryPruner::ChunkSize, &counts, &error)) {
            finishPass(error);
            return false;
        }
        m_pruned += counts;
        jobDone = counts.statements() == 0;
        break;
    }
    case Job::Kind::Charts: {
        const int removed = DeliveryAggregates(m_store).pruneChunk(job.before, DeliveryPruner::ChunkSize, &error);
        if (removed < 0) {
            finishPass(error);
            return false;
        }
        jobDone = removed < DeliveryPruner::ChunkSize;
        break;
    }
    }
    if (jobDone)
        m_jobs.removeFirst();
    return true;
}

void RetentionScheduler::scheduleStep()
{
    if (!m_stepping || !m_running)
        return;
    // Deliveries and the GUI run between two transactions, and other processes' writers get their turn.
    QTimer::singleShot(m_pauseMs, this, [this] {
        QElapsedTimer took;
        took.start();
        if (step()) {
            m_pauseMs = DeliveryPruner::pauseAfterMs(took.elapsed());
            scheduleStep();
        }
    });
}

void RetentionScheduler::finishPass(const QString& error)
{
    m_running = false;
    m_jobs.clear();
    if (error.isEmpty() && (m_pruned.statements() > 0 || m_bodiesErased > 0)) {
        DeliveryPruner::Space space;
        QString spaceError;
        if (!m_pruner.giveSpaceBack(false, &space, &spaceError))
            qCWarning(lcRetention) << "Pruned, but the space was not given back:" << spaceError;
        qCInfo(lcRetention) << "Retention pruned" << m_pruned.statements() << "delivered statements with"
                            << m_pruned.attempts << "attempts and erased the bodies of" << m_bodiesErased;
    }
    if (!error.isEmpty())
        qCWarning(lcRetention) << "Retention stopped, to be tried again in an hour:" << error;
    Q_EMIT passFinished(m_pruned, m_bodiesErased, error);
}
