#include "StoreFixtures.h"
#include "TestStore.h"

#include "delivery/BulkAction.h"
#include "delivery/DeliveryQueue.h"
#include "integrations/IntegrationRepository.h"

#include "store/Transaction.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTest>

class TestDeliveryQueue final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestStore> m_fixture;
    std::unique_ptr<DeliveryQueue> m_queue;
    qint64 m_first = 0;
    qint64 m_second = 0;
    const QDateTime m_now = QDateTime(QDate(2026, 11, 22), QTime(12, 0), Qt::UTC);

    qint64 addIntegration(const QString& name) { return StoreFixtures::addOpenIntegration(m_fixture->store(), name); }
    static QList<QJsonObject> statements(int count, const QString& prefix = QStringLiteral("s"))
    {
        QList<QJsonObject> list;
        for (int i = 0; i < count; ++i)
            list << QJsonObject{{QStringLiteral("id"), QStringLiteral("%1-%2").arg(prefix).arg(i)},
                                {QStringLiteral("verb"), QJsonObject{{QStringLiteral("id"), QStringLiteral("v")}}}};
        return list;
    }
    static QStringList ids(const QList<Delivery>& deliveries)
    {
        QStringList result;
        for (const Delivery& delivery : deliveries)
            result << delivery.statementId;
        return result;
    }
    DeliveryQueue::Outcome outcome(const Delivery& delivery, Delivery::State state, int status)
    {
        DeliveryQueue::Outcome result;
        result.deliveryId = delivery.id;
        result.state = state;
        result.status = status;
        result.attempt.startedAt = m_now;
        result.attempt.integrationId = delivery.integrationId;
        result.attempt.requestLine = QStringLiteral("POST https://lrs.example.com/x");
        result.attempt.requestHeaders = QStringLiteral("Authorization: Bearer •••");
        result.attempt.status = status;
        result.attempt.responseBody = QString(AttemptLog::ResponseBodyCap + 100, QLatin1Char('x'));
        return result;
    }

private Q_SLOTS:
    void init()
    {
        m_fixture = std::make_unique<TestStore>();
        QVERIFY(m_fixture->isValid());
        m_queue = std::make_unique<DeliveryQueue>(m_fixture->store());
        m_first = addIntegration(QStringLiteral("first"));
        m_second = addIntegration(QStringLiteral("second"));
    }
    void cleanup()
    {
        m_queue.reset();
        m_fixture.reset();
    }

    // Loopback answers come back within the first millisecond: "<1 ms", not a "0 ms" that looks like no answer.
    void attemptDurationsReadAsTimes()
    {
        QCOMPARE(AttemptRecord::durationText(0), QStringLiteral("<1 ms"));
        QCOMPARE(AttemptRecord::durationText(1), QStringLiteral("1 ms"));
        QCOMPARE(AttemptRecord::durationText(1250), QStringLiteral("1250 ms"));
    }

    void enqueueGivesEveryStatementAnIdAndARowPerIntegration()
    {
        QList<QJsonObject> batch = {QJsonObject{{QStringLiteral("verb"), QJsonObject()}}, statements(1).first()};
        QString error;
        QVERIFY2(m_queue->enqueue(batch, {m_first, m_second}, m_now, &error), qPrintable(error));
        const QString assigned = batch.first().value(QStringLiteral("id")).toString();
        QCOMPARE(assigned.size(), 36);
        QCOMPARE(m_queue->count({}, &error), 4);
        const QList<Delivery> claimed = m_queue->claim(m_second, 10, m_now, &error);
        QCOMPARE(ids(claimed), (QStringList{assigned, QStringLiteral("s-0")}));
        QCOMPARE(QJsonDocument::fromJson(claimed.first().body).object().value(QStringLiteral("id")).toString(),
                 assigned);
    }

    void claimTakesTheOldestDueInOrder()
    {
        QList<QJsonObject> batch = statements(5);
        QString error;
        QVERIFY(m_queue->enqueue(batch, {m_first}, m_now, &error));
        QList<Delivery> first = m_queue->claim(m_first, 2, m_now, &error);
        QCOMPARE(ids(first), (QStringList{QStringLiteral("s-0"), QStringLiteral("s-1")}));
        QCOMPARE(first.first().state, Delivery::State::Sending);
        // In flight ones are not claimed twice.
        QCOMPARE(ids(m_queue->claim(m_first, 2, m_now, &error)),
                 (QStringList{QStringLiteral("s-2"), QStringLiteral("s-3")}));
        // A retry that waits is not due yet.
        DeliveryQueue::Outcome retry = outcome(first.first(), Delivery::State::Queued, 503);
        retry.nextAttemptAt = m_now.addSecs(60);
        QVERIFY(m_queue->record({retry}, m_now, &error));
        QCOMPARE(ids(m_queue->claim(m_first, 5, m_now, &error)), QStringList{QStringLiteral("s-4")});
        QCOMPARE(ids(m_queue->claim(m_first, 5, m_now.addSecs(61), &error)), QStringList{QStringLiteral("s-0")});
        QCOMPARE(m_queue->claim(m_second, 5, m_now, &error).size(), 0);
    }

    // The newest attempts only, newest first, counting those it carried alone and those of batches it was in.
    void newestAttemptsOfADelivery()
    {
        QList<QJsonObject> batch = statements(2);
        QString error;
        QVERIFY(m_queue->enqueue(batch, {m_first}, m_now, &error));
        const QList<Delivery> claimed = m_queue->claim(m_first, 2, m_now, &error);
        for (int status : {500, 502, 503}) {
            DeliveryQueue::Outcome alone = outcome(claimed[0], Delivery::State::Queued, status);
            QVERIFY2(m_queue->record({alone}, m_now, &error), qPrintable(error));
        }
        QList<DeliveryQueue::Outcome> both; // one request carrying the two: one attempt, linked to each
        for (const Delivery& delivery : claimed) {
            both << outcome(delivery, Delivery::State::Queued, 504);
            both.last().request = 9;
        }
        QVERIFY2(m_queue->record(both, m_now, &error), qPrintable(error));

        AttemptLog log(m_fixture->store());
        int total = 0;
        const QList<AttemptRecord> newest = log.newestForDelivery(claimed[0].id, 2, &total, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(total, 4);
        QCOMPARE(newest.size(), 2);
        QCOMPARE(newest[0].status.value(), 504);
        QCOMPARE(newest[0].statements, 2);
        QCOMPARE(newest[1].status.value(), 503);
        QCOMPARE(log.forDelivery(claimed[0].id, &error).size(), 4);
        QCOMPARE(log.newestForDelivery(claimed[1].id, 2, &total, &error).size(), 1);
        QCOMPARE(total, 1);
    }

    void outcomesAndAttemptsAreRecordedTogether()
    {
        QList<QJsonObject> batch = statements(3);
        QString error;
        QVERIFY(m_queue->enqueue(batch, {m_first}, m_now, &error));
        const QList<Delivery> claimed = m_queue->claim(m_first, 3, m_now, &error);
        QVERIFY(m_queue->record({outcome(claimed[0], Delivery::State::Delivered, 200),
                                 outcome(claimed[1], Delivery::State::Duplicate, 409),
                                 outcome(claimed[2], Delivery::State::Held, 400)},
                                m_now, &error));
        QCOMPARE(m_queue->byId(claimed[0].id, &error)->state, Delivery::State::Delivered);
        QVERIFY(m_queue->byId(claimed[0].id, &error)->deliveredAt.isValid());
        QCOMPARE(m_queue->byId(claimed[1].id, &error)->state, Delivery::State::Duplicate);
        const Delivery held = *m_queue->byId(claimed[2].id, &error);
        QCOMPARE(held.state, Delivery::State::Held);
        QCOMPARE(held.attempts, 1);
        QCOMPARE(held.lastStatus.value(), 400);

        AttemptLog log(m_fixture->store());
        const QList<AttemptRecord> attempts = log.forDelivery(claimed[2].id, &error);
        QCOMPARE(attempts.size(), 1);
        QCOMPARE(attempts.first().status.value(), 400);
        QCOMPARE(attempts.first().responseBody.size(), AttemptLog::ResponseBodyCap);

        const LaneStats lane = m_queue->stats(&error).value(m_first);
        QCOMPARE(lane.delivered, 1);
        QCOMPARE(lane.duplicates, 1);
        QCOMPARE(lane.held, 1);
        QCOMPARE(lane.queued, 0);
        QCOMPARE(m_queue->undelivered(m_first, &error), 1);

        // Updating the integration releases what was held.
        QCOMPARE(m_queue->releaseHeld(m_first, &error), 1);
        QCOMPARE(ids(m_queue->claim(m_first, 5, m_now, &error)), QStringList{QStringLiteral("s-2")});
    }

    void crashRecoveryQueuesInFlightAgain()
    {
        QList<QJsonObject> batch = statements(4);
        QString error;
        QVERIFY(m_queue->enqueue(batch, {m_first, m_second}, m_now, &error));
        QCOMPARE(m_queue->claim(m_first, 3, m_now, &error).size(), 3);
        QCOMPARE(m_queue->claim(m_second, 2, m_now, &error).size(), 2);
        // Only the lane taken over: the other one's engine may be alive and waiting for its answers.
        QCOMPARE(m_queue->requeueInFlight(m_first, &error), 3);
        QCOMPARE(m_queue->stats(&error).value(m_second).sending, 2);
        QCOMPARE(ids(m_queue->claim(m_first, 10, m_now, &error)).first(), QStringLiteral("s-0"));
    }

    void discardResendAndRetryNow()
    {
        QList<QJsonObject> batch = statements(3);
        QString error;
        QVERIFY(m_queue->enqueue(batch, {m_first}, m_now, &error));
        QList<Delivery> claimed = m_queue->claim(m_first, 1, m_now, &error);
        DeliveryQueue::Outcome later = outcome(claimed[0], Delivery::State::Queued, 500);
        later.nextAttemptAt = m_now.addSecs(3600);
        QVERIFY(m_queue->record({later}, m_now, &error));
        QCOMPARE(m_queue->retryNow(m_first, &error), 3);
        QCOMPARE(m_queue->claim(m_first, 1, m_now, &error).first().statementId, QStringLiteral("s-0"));

        const QList<Delivery> all = m_queue->list({}, 10, 0, &error);
        QCOMPARE(m_queue->discard({all[1].id, all[2].id}, &error), 2);
        QCOMPARE(m_queue->discard({all[0].id}, &error), 0); // in flight: not discarded
        DeliveryFilter discarded;
        discarded.states = {Delivery::State::Discarded};
        QCOMPARE(m_queue->count(discarded, &error), 2);
        QCOMPARE(m_queue->resend({all[1].id}, &error), 1);
        QCOMPARE(m_queue->count(discarded, &error), 1);
    }

    void replaySendsTheSameIdsAgain()
    {
        QList<QJsonObject> early = statements(2, QStringLiteral("early"));
        QList<QJsonObject> late = statements(2, QStringLiteral("late"));
        QString error;
        QVERIFY(m_queue->enqueue(early, {m_first, m_second}, m_now.addDays(-2), &error));
        QVERIFY(m_queue->enqueue(late, {m_first}, m_now, &error));
        const QList<qint64> sources = m_queue->replaySources(m_now.addDays(-3), m_now.addDays(-1), &error);
        const int replayed = m_queue->replay(m_second, sources, m_now, &error);
        QCOMPARE(replayed, 2);
        DeliveryFilter second;
        second.integrationId = m_second;
        const QList<Delivery> rows = m_queue->list(second, 10, 0, &error);
        QCOMPARE(ids(rows), (QStringList{QStringLiteral("early-0"), QStringLiteral("early-1"),
                                         QStringLiteral("early-0"), QStringLiteral("early-1")}));
        QCOMPARE(rows[2].body, rows[0].body);
    }

    void bulkActionsGoInChunksAndCanBeCancelled()
    {
        QList<QJsonObject> batch = statements(1200);
        QString error;
        QVERIFY(m_queue->enqueue(batch, {m_first}, m_now, &error));
        QList<qint64> all;
        for (const Delivery& delivery : m_queue->list({}, 2000, 0, &error))
            all << delivery.id;
        const auto discard = [this](const QList<qint64>& chunk, QString* stepError) {
            return m_queue->discard(chunk, stepError);
        };

        BulkAction whole(all, discard);
        QSignalSpy progress(&whole, &BulkAction::progress);
        QSignalSpy finished(&whole, &BulkAction::finished);
        whole.start();
        QVERIFY(finished.wait(10000));
        QCOMPARE(progress.size(), 3); // 500, 1000, 1200: one transaction each
        QCOMPARE(progress.last().at(0).toInt(), 1200);
        QCOMPARE(finished.first().at(0).toInt(), 1200);
        QVERIFY(!finished.first().at(2).toBool());

        BulkAction resend(
            all, [this](const QList<qint64>& chunk, QString* stepError) { return m_queue->resend(chunk, stepError); });
        QSignalSpy resent(&resend, &BulkAction::finished);
        connect(&resend, &BulkAction::progress, &resend, &BulkAction::cancel); // stop after the first chunk
        resend.start();
        QVERIFY(resent.wait(10000));
        QCOMPARE(resent.first().at(0).toInt(), BulkAction::ChunkSize);
        QVERIFY(resent.first().at(2).toBool());
        DeliveryFilter queued;
        queued.states = {Delivery::State::Queued};
        QCOMPARE(m_queue->count(queued, &error), BulkAction::ChunkSize);
    }

    void listFiltersAndSearch()
    {
        QList<QJsonObject> batch = statements(30);
        QString error;
        QVERIFY(m_queue->enqueue(batch, {m_first}, m_now, &error));
        DeliveryFilter filter;
        filter.search = QStringLiteral("s-2");
        QCOMPARE(m_queue->count(filter, &error), 11); // s-2, s-20..s-29
        QCOMPARE(m_queue->list(filter, 5, 10, &error).size(), 1);
        filter.search = QStringLiteral("S-2"); // case does not matter, on either engine
        QCOMPARE(m_queue->count(filter, &error), 11);
        filter = {};
        filter.createdFrom = m_now.addSecs(1);
        QCOMPARE(m_queue->count(filter, &error), 0);
    }

    // Two workers on one PostgreSQL store: a claim skips the rows another transaction holds instead of waiting.
    void claimSkipsRowsLockedByAnotherWorker()
    {
        if (!TestStore::usesPostgres())
            QSKIP("row locks are PostgreSQL's; on SQLite a write transaction excludes every other writer");
        QList<QJsonObject> batch = statements(5);
        QString error;
        QVERIFY(m_queue->enqueue(batch, {m_first}, m_now, &error));
        // Should a claim wait after all, fail after 5 s instead of hanging the test.
        QVERIFY(QSqlQuery(m_fixture->store().database()).exec(QStringLiteral("SET lock_timeout = '5s'")));

        Store::OpenResult other = Store::open(m_fixture->store().location());
        QVERIFY2(other.store, qPrintable(other.error));
        auto otherWorker = std::make_unique<Transaction>(*other.store);
        QVERIFY(otherWorker->isActive());
        QSqlQuery lock(other.store->database());
        QVERIFY(lock.exec(QStringLiteral("SELECT id FROM deliveries ORDER BY id LIMIT 2 FOR UPDATE")));

        QElapsedTimer timer;
        timer.start();
        QCOMPARE(ids(m_queue->claim(m_first, 10, m_now, &error)),
                 (QStringList{QStringLiteral("s-2"), QStringLiteral("s-3"), QStringLiteral("s-4")}));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(timer.elapsed() < 4000);

        otherWorker.reset(); // rolled back: its rows are free again
        QCOMPARE(ids(m_queue->claim(m_first, 10, m_now, &error)),
                 (QStringList{QStringLiteral("s-0"), QStringLiteral("s-1")}));
    }

    void deletingAnIntegrationDropsItsDeliveries()
    {
        QList<QJsonObject> batch = statements(3);
        QString error;
        QVERIFY(m_queue->enqueue(batch, {m_first, m_second}, m_now, &error));
        IntegrationRepository repository(m_fixture->store());
        QVERIFY(repository.remove(m_first, &error));
        QCOMPARE(m_queue->count({}, &error), 3);
    }
};

QTEST_GUILESS_MAIN(TestDeliveryQueue)
#include "tst_deliveryqueue.moc"
