#include "delivery/DeliveryEngine.h"

#include "common/Clock.h"
#include "common/Logging.h"
#include "store/Store.h"

namespace {
constexpr int ClaimAtMost = 1024; // deliveries a healthy lane claims at once (each claim is one transaction)

Delivery::State stateFor(TransportResult::Verdict verdict)
{
    switch (verdict) {
    case TransportResult::Verdict::Accepted:
        return Delivery::State::Delivered;
    case TransportResult::Verdict::Duplicate:
        return Delivery::State::Duplicate;
    case TransportResult::Verdict::Rejected:
        return Delivery::State::Held;
    case TransportResult::Verdict::Retryable:
        break;
    }
    return Delivery::State::Queued;
}

QByteArray requestBody(const QList<Delivery>& batch, bool asArray)
{
    if (!asArray)
        return batch.first().body;
    qsizetype size = batch.size() + 1; // brackets and commas
    for (const Delivery& delivery : batch)
        size += delivery.body.size();
    QByteArray body;
    body.reserve(size);
    body += '[';
    for (qsizetype i = 0; i < batch.size(); ++i) {
        if (i > 0)
            body += ',';
        body += batch[i].body;
    }
    body += ']';
    return body;
}
} // namespace

DeliveryEngine::DeliveryEngine(Store& store, DeliveryTransport& transport, Clock& clock, const QString& owner,
                               QObject* parent)
    : QObject(parent)
    , m_store(store)
    , m_transport(transport)
    , m_clock(clock)
    , m_queue(store)
    , m_integrations(store)
    , m_leases(store, owner)
{
    m_tick.setInterval(250);
    connect(&m_tick, &QTimer::timeout, this, &DeliveryEngine::tick);
    m_writer = std::make_unique<OutcomeWriter>(store.location());
    connect(m_writer.get(), &OutcomeWriter::written, this, &DeliveryEngine::collectWritten, Qt::QueuedConnection);
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(GroupCommitMs);
    connect(&m_flushTimer, &QTimer::timeout, this, &DeliveryEngine::flush);
}

DeliveryEngine::~DeliveryEngine()
{
    flushAndWait();
    if (!m_held.isEmpty())
        m_leases.releaseAll();
}

void DeliveryEngine::start()
{
    m_running = true;
    m_stopping = false;
    m_tick.start();
    poke();
}

void DeliveryEngine::stop()
{
    if (!m_running)
        return;
    m_stopping = true;
    for (auto it = m_lanes.begin(); it != m_lanes.end(); ++it)
        releaseBuffer(it.key());
    finishStopIfDrained();
}

void DeliveryEngine::poke()
{
    QTimer::singleShot(0, this, &DeliveryEngine::tick);
}

int DeliveryEngine::inFlight() const
{
    int total = 0;
    for (const Lane& lane : m_lanes)
        total += lane.inFlight;
    return total;
}

bool DeliveryEngine::isIdle() const
{
    return m_running && !m_dispatchedLastTick && !m_othersHaveWork && inFlight() == 0 && m_pending.isEmpty() &&
           m_writing == 0;
}

void DeliveryEngine::finishStopIfDrained()
{
    if (!m_stopping || inFlight() > 0)
        return;
    flushAndWait();
    m_tick.stop();
    m_running = false;
    m_stopping = false;
    m_leases.releaseAll();
    if (!std::exchange(m_held, {}).isEmpty())
        Q_EMIT activeChanged(false);
    qCInfo(lcDelivery) << "Delivery engine stopped";
    Q_EMIT stopped();
}

void DeliveryEngine::storeFailure(const QString& message, const QDateTime& now)
{
    const bool first = !m_storeFailingSince.isValid();
    const bool retried = !first && (!m_storeRetryAt.isValid() || now >= m_storeRetryAt);
    if (first) {
        m_storeFailingSince = now;
        m_storeBackoffMs = 1000;
    } else if (retried) {
        m_storeBackoffMs = std::min(m_storeBackoffMs * 2, StoreRetryAtMostMs);
    }
    m_storeRetryAt = now.addMSecs(m_storeBackoffMs);
    if (first || retried || message != m_storeError)
        qCWarning(lcDelivery).noquote() << message
                                        << QStringLiteral("(trying again in %1 s)").arg(m_storeBackoffMs / 1000);
    m_storeError = message;
    if (m_storeGraceMs > 0 && !m_storeGaveUp && m_storeFailingSince.msecsTo(now) >= m_storeGraceMs) {
        m_storeGaveUp = true;
        Q_EMIT storeFailed(message);
    }
}

void DeliveryEngine::storeWorks(const QDateTime& now)
{
    if (!m_storeFailingSince.isValid())
        return;
    qCWarning(lcDelivery).noquote()
        << QStringLiteral("The store works again after %1 s; delivering.").arg(m_storeFailingSince.secsTo(now));
    m_storeFailingSince = {};
    m_storeRetryAt = {};
    m_storeError.clear();
    m_storeBackoffMs = 0;
    m_storeGaveUp = false;
}

bool DeliveryEngine::holdLanes(const QList<Integration>& integrations, const QDateTime& now, QString* renewError)
{
    QList<qint64> wanted;
    for (const Integration& integration : integrations) {
        if (integration.enabled)
            wanted << integration.id;
    }
    // Renewed a third into the lease; in between, only a read: is a lane free that this engine should take?
    const int renewMs = m_leases.seconds() * 1000 / 3;
    const bool due =
        !m_leasesRenewedAt.isValid() || m_leasesRenewedAt > now || m_leasesRenewedAt.msecsTo(now) >= renewMs;
    if (!due) {
        QList<qint64> unheld;
        for (qint64 id : std::as_const(wanted)) {
            if (!m_held.contains(id))
                unheld << id;
        }
        if (!m_leases.anyFree(unheld, now))
            return true;
    }
    LaneLeases::Renewal renewal;
    QString error;
    if (!m_leases.renew(wanted, now, &renewal, &error)) {
        // Keep working what is held: the leases run some seconds yet, and the store is tried again after a while.
        *renewError = QStringLiteral("Cannot renew the lane leases: %1").arg(error);
        return false;
    }
    m_leasesRenewedAt = now;
    const bool wasActive = !m_held.isEmpty();
    for (qint64 id : std::as_const(m_held)) {
        if (!renewal.held.contains(id)) {
            qCWarning(lcDelivery) << "Lost the lane of integration" << id << "to another engine";
            releaseBuffer(id);
        }
    }
    for (qint64 id : std::as_const(renewal.held)) {
        if (m_held.contains(id))
            continue;
        // Whoever worked this lane before is gone: what it left in flight is queued again, and taken from the oldest.
        m_queue.requeueInFlight(id, &error);
        Lane& lane = m_lanes[id];
        lane.buffer.clear();
        lane.cursor = 0;
        qCInfo(lcDelivery) << "Delivering for integration" << id << "as" << m_leases.owner();
    }
    m_held = renewal.held;
    // Lanes beyond a fair share (more engines than when they were taken) and lanes of integrations no longer enabled
    // are given back once nothing of theirs is in flight, so another engine takes them.
    const int share = renewal.share;
    int keep = 0;
    m_givingBack.clear();
    for (qint64 id : std::as_const(wanted)) {
        if (m_held.contains(id) && ++keep > share)
            m_givingBack.insert(id);
    }
    for (qint64 id : std::as_const(m_held)) {
        if (!wanted.contains(id))
            m_givingBack.insert(id);
    }
    giveBackDrained();
    if (wasActive != !m_held.isEmpty())
        Q_EMIT activeChanged(!m_held.isEmpty());
    return true;
}

void DeliveryEngine::giveBackDrained()
{
    for (auto it = m_givingBack.begin(); it != m_givingBack.end();) {
        if (m_lanes.value(*it).inFlight > 0) {
            ++it;
            continue;
        }
        flushAndWait(); // what was answered is recorded before another engine takes the lane
        releaseBuffer(*it);
        m_leases.release(*it);
        m_held.remove(*it);
        qCInfo(lcDelivery) << "Left the lane of integration" << *it << "to another engine";
        it = m_givingBack.erase(it);
    }
}

bool DeliveryEngine::othersHaveWork(const QList<Integration>& integrations, const QDateTime& now) const
{
    QList<qint64> others;
    for (const Integration& integration : integrations) {
        if (integration.enabled && integration.storedHealth == Integration::Health::Healthy &&
            !m_held.contains(integration.id))
            others << integration.id;
    }
    QString error;
    return m_queue.hasDue(others, now, &error) || !error.isEmpty();
}

void DeliveryEngine::tick()
{
    if (!m_running || m_stopping)
        return;
    flush();
    const QDateTime now = m_clock.now();
    if (m_storeRetryAt.isValid() && now < m_storeRetryAt && m_storeRetryAt.msecsTo(now) > -StoreRetryAtMostMs)
        return; // the store failed: left alone until its next try
    QString error;
    const QList<Integration> integrations = m_integrations.all(&error);
    if (!error.isEmpty()) {
        storeFailure(QStringLiteral("Cannot read integrations: %1").arg(error), now);
        return;
    }
    if (!holdLanes(integrations, now, &error)) {
        storeFailure(error, now);
        if (m_held.isEmpty())
            return;
    } else {
        storeWorks(now);
    }
    QHash<qint64, Integration> known;
    bool dispatched = false;
    for (Integration integration : integrations) {
        if (m_held.contains(integration.id) && !m_givingBack.contains(integration.id))
            dispatched |= runLane(integration, now);
        else
            releaseBuffer(integration.id);
        known.insert(integration.id, integration);
    }
    for (auto it = m_lanes.begin(); it != m_lanes.end();) {
        if (!known.contains(it.key()) && it->inFlight == 0)
            it = m_lanes.erase(it); // deleted: its rows went with it
        else
            ++it;
    }
    m_known = known;
    m_dispatchedLastTick = dispatched || !m_pending.isEmpty();
    m_othersHaveWork = !dispatched && inFlight() == 0 && othersHaveWork(integrations, now);
    const bool idleNow = isIdle();
    if (idleNow && !m_wasIdle)
        Q_EMIT idle();
    m_wasIdle = idleNow;
}

bool DeliveryEngine::runLane(Integration& integration, const QDateTime& now)
{
    Lane& lane = m_lanes[integration.id];
    if (!integration.enabled) {
        releaseBuffer(integration.id);
        return false;
    }
    m_known.insert(integration.id, integration);
    QString error;
    switch (integration.storedHealth) {
    case Integration::Health::Held:
        if (integration.revision == integration.heldRevision || lane.inFlight > 0)
            return false;
        // Updated since it was held: everything that waited goes again.
        m_queue.releaseHeld(integration.id, &error);
        qCInfo(lcDelivery) << "Integration" << integration.name << "was updated; resuming after hold";
        setHealth(integration, Integration::Health::Healthy, {}, {});
        return fill(integration, lane, now);
    case Integration::Health::Healthy:
    case Integration::Health::Disabled:
        return fill(integration, lane, now);
    case Integration::Health::Retrying: {
        if (lane.inFlight > 0 || (integration.nextProbeAt.isValid() && now < integration.nextProbeAt))
            return false;
        const QList<Delivery> probe = m_queue.claim(integration.id, 1, now, &error);
        if (probe.isEmpty()) {
            // Nothing left to probe with (discarded meanwhile): nothing is failing any more.
            setHealth(integration, Integration::Health::Healthy, {}, {});
            return false;
        }
        qCInfo(lcDelivery) << "Probing" << integration.name << "with statement" << probe.first().statementId;
        send(integration, probe, true);
        return true;
    }
    }
    return false;
}

bool DeliveryEngine::fill(const Integration& integration, Lane& lane, const QDateTime& now)
{
    const int batchSize = std::max(1, integration.batchSize);
    const int concurrency = std::max(1, integration.concurrency);
    const int readAtMost = std::min(ClaimAtMost, concurrency * batchSize * 16);
    const auto read = [&] {
        QString error;
        const QList<Delivery> more = m_queue.pending(integration.id, lane.cursor, readAtMost, now, &error);
        lane.moreAfterCursor = more.size() == readAtMost;
        if (more.isEmpty())
            return false;
        lane.cursor = more.last().id;
        lane.buffer << more;
        return true;
    };
    bool dispatched = false;
    while (lane.inFlight < concurrency) {
        if (lane.buffer.isEmpty()) {
            if (lane.inFlight == 0) {
                // Nothing taken is outstanding: start again from the oldest, so statements queued again since
                // (resent, released, retried) go in their order.
                flushAndWait();
                lane.cursor = 0;
            }
            if (!read())
                break;
        }
        const QList<Delivery> batch = lane.buffer.mid(0, batchSize);
        lane.buffer.remove(0, batch.size());
        send(integration, batch, false);
        dispatched = true;
    }
    // Every request of the lane is out: read on now, while the receiver works, so that the next answers find their
    // statements here rather than wait for the read with a request fewer in flight.
    if (lane.inFlight >= concurrency && lane.buffer.size() < concurrency * batchSize && lane.moreAfterCursor)
        read();
    return dispatched;
}

void DeliveryEngine::send(const Integration& integration, QList<Delivery> batch, bool probe)
{
    ++m_lanes[integration.id].inFlight;
    const qint64 sentAt = m_clock.now().toMSecsSinceEpoch();
    for (const Delivery& delivery : std::as_const(batch))
        m_unmarked.insert(delivery.id, sentAt);
    const QByteArray body = requestBody(batch, integration.batchSize > 1);
    const qint64 integrationId = integration.id;
    m_transport.deliver(integration, body, this, [this, integrationId, batch, probe](const TransportResult& result) {
        onResult(integrationId, batch, probe, result);
    });
}

void DeliveryEngine::onResult(qint64 integrationId, const QList<Delivery>& batch, bool probe,
                              const TransportResult& result)
{
    Lane& lane = m_lanes[integrationId];
    lane.inFlight = std::max(0, lane.inFlight - 1);
    const QDateTime now = m_clock.now();
    const qint64 request = ++m_requests; // one attempt in the log for the whole batch
    for (const Delivery& delivery : batch) {
        m_unmarked.remove(delivery.id);
        DeliveryQueue::Outcome& outcome = m_pending.emplace_back();
        outcome.request = request;
        outcome.deliveryId = delivery.id;
        outcome.state = stateFor(result.verdict);
        outcome.status = result.status;
        outcome.error = result.error;
        outcome.attempt = result.attempt;
        outcome.attempt.integrationId = integrationId;
    }
    // When the lane's health changes, the store shows the outcome that changed it first (so nobody reads "held"
    // next to a delivery still "sending"); otherwise outcomes are recorded together.
    const bool changesHealth = probe || result.verdict == TransportResult::Verdict::Retryable ||
                               result.verdict == TransportResult::Verdict::Rejected;
    if (changesHealth)
        flushAndWait();
    else if (!m_flushTimer.isActive())
        m_flushTimer.start();

    auto known = m_known.find(integrationId);
    if (known != m_known.end()) {
        Integration& integration = *known;
        const int waitSeconds = std::max(integration.retryIntervalSeconds, result.retryAfterSeconds);
        switch (result.verdict) {
        case TransportResult::Verdict::Accepted:
        case TransportResult::Verdict::Duplicate:
            if (probe) {
                qCInfo(lcDelivery) << "Probe accepted by" << integration.name << "; sending the backlog";
                setHealth(integration, Integration::Health::Healthy, {}, {});
            }
            break;
        case TransportResult::Verdict::Retryable:
            if (probe || integration.storedHealth != Integration::Health::Retrying) {
                releaseBuffer(integrationId);
                setHealth(integration, Integration::Health::Retrying, result.error, now.addSecs(waitSeconds));
            }
            break;
        case TransportResult::Verdict::Rejected:
            releaseBuffer(integrationId);
            if (integration.storedHealth != Integration::Health::Held)
                setHealth(integration, Integration::Health::Held, result.error, {});
            break;
        }
    }
    if (m_stopping) {
        finishStopIfDrained();
        return;
    }
    if (m_givingBack.contains(integrationId)) {
        releaseBuffer(integrationId);
        giveBackDrained();
        return;
    }
    // A healthy lane goes on at once from what it claimed; everything else waits for the next tick.
    if (known != m_known.end() && known->enabled && known->storedHealth == Integration::Health::Healthy &&
        m_held.contains(integrationId)) {
        if (!fill(*known, lane, now))
            poke();
    } else {
        poke();
    }
    // Recorded after the lane's next requests went out: the receiver works on them meanwhile.
    if (m_pending.size() >= GroupCommitAtMost)
        flush();
}

void DeliveryEngine::setHealth(Integration& integration, Integration::Health health, const QString& reason,
                               const QDateTime& nextProbeAt)
{
    const bool changed = integration.storedHealth != health || integration.holdReason != reason;
    integration.storedHealth = health;
    integration.holdReason = reason;
    integration.nextProbeAt = nextProbeAt;
    if (health == Integration::Health::Held)
        integration.heldRevision = integration.revision;
    IntegrationRepository::HealthChange change{health, reason, nextProbeAt, integration.heldRevision};
    QString error;
    if (!m_integrations.setHealth(integration.id, change, &error, m_clock.now()))
        qCWarning(lcDelivery) << "Cannot record the health of" << integration.name << ":" << error;
    m_known.insert(integration.id, integration);
    if (changed) {
        qCInfo(lcDelivery) << "Integration" << integration.name << "is now" << Integration::healthName(health)
                           << reason;
        Q_EMIT healthChanged(integration.id, health, reason);
    }
}

void DeliveryEngine::releaseBuffer(qint64 integrationId)
{
    auto lane = m_lanes.find(integrationId);
    if (lane == m_lanes.end() || lane->buffer.isEmpty())
        return;
    // Never sent: they stay queued in the store, and are taken again from the first of them.
    lane->cursor = lane->buffer.first().id - 1;
    lane->buffer.clear();
}

void DeliveryEngine::flush()
{
    m_flushTimer.stop();
    const QDateTime now = m_clock.now();
    const qint64 markBefore = now.toMSecsSinceEpoch() - MarkSendingAfterMs;
    QList<qint64> hanging;
    for (auto it = m_unmarked.begin(); it != m_unmarked.end();) {
        if (it.value() > markBefore) {
            ++it;
            continue;
        }
        hanging << it.key();
        it = m_unmarked.erase(it);
    }
    if (m_pending.isEmpty() && hanging.isEmpty())
        return;
    ++m_writing;
    m_writer->write({std::exchange(m_pending, {}), hanging, now, {}});
}

void DeliveryEngine::flushAndWait()
{
    flush();
    if (m_writing == 0)
        return;
    m_writer->waitIdle();
    collectWritten();
}

void DeliveryEngine::collectWritten()
{
    for (const OutcomeWriter::Group& group : m_writer->takeWritten()) {
        m_writing -= group.handedIn;
        if (!group.error.isEmpty()) {
            // Left 'sending': sent again after a restart, never lost.
            storeFailure(QStringLiteral("Could not record %1 outcomes: %2").arg(group.outcomes.size()).arg(group.error),
                         m_clock.now());
            continue;
        }
        if (!group.outcomes.isEmpty())
            Q_EMIT outcomesRecorded(group.outcomes);
        Q_EMIT recorded(int(group.outcomes.size()));
    }
}
