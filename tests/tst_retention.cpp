#include "StoreFixtures.h"
#include "TestClock.h"
#include "TestStore.h"

#include "delivery/DeliveryQueue.h"
#include "retention/DeliveryPruner.h"
#include "retention/RetentionPolicies.h"
#include "retention/RetentionScheduler.h"

#include <QFileInfo>
#include <QSqlQuery>
#include <QTest>

// Retention against real stores (SQLite files, and PostgreSQL with the _postgresql run): what is pruned, what never
// is, the counts that keep counting, the bodies erased apart, the hourly pass, and the space given back.
class TestRetention final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestStore> m_fixture;
    std::unique_ptr<DeliveryQueue> m_queue;
    qint64 m_first = 0;
    qint64 m_second = 0;
    const QDateTime m_now = QDateTime(QDate(2026, 11, 22), QTime(12, 0), Qt::UTC);

    Store& store() { return m_fixture->store(); }

    qint64 scalar(const QString& sql)
    {
        QSqlQuery query(store().database());
        if (!query.exec(sql) || !query.next())
            qFatal("%s failed", qPrintable(sql));
        return query.value(0).toLongLong();
    }

    // Queues `count` statements to the integration and claims them (in enqueue order).
    QList<Delivery> queue(qint64 integrationId, int count, const QString& prefix, int bodyBytes = 40)
    {
        QList<QJsonObject> statements;
        for (int i = 0; i < count; ++i)
            statements << QJsonObject{{QStringLiteral("id"), QStringLiteral("%1-%2").arg(prefix).arg(i)},
                                      {QStringLiteral("pad"), QString(bodyBytes, QLatin1Char('p'))}};
        QString error;
        if (!m_queue->enqueue(statements, {integrationId}, m_now.addDays(-60), &error))
            qFatal("enqueue failed: %s", qPrintable(error));
        return m_queue->claim(integrationId, count, m_now.addDays(-60), &error);
    }

    // Records their answer at `when`, one request each, or one request for all of them (a batch).
    void answer(const QList<Delivery>& deliveries, Delivery::State state, int status, const QDateTime& when,
                bool asOneBatch = false)
    {
        QList<DeliveryQueue::Outcome> outcomes;
        for (const Delivery& delivery : deliveries) {
            DeliveryQueue::Outcome outcome;
            outcome.deliveryId = delivery.id;
            outcome.state = state;
            outcome.status = status;
            outcome.attempt.startedAt = when;
            outcome.attempt.integrationId = delivery.integrationId;
            outcome.attempt.requestLine = QStringLiteral("POST https://lrs.example.com/x");
            outcome.attempt.status = status;
            outcome.attempt.durationMs = 12;
            outcome.attempt.responseBody = QStringLiteral("receiver said: stored ") + delivery.statementId;
            outcome.request = asOneBatch ? 1 : 0;
            outcomes << outcome;
        }
        QString error;
        if (!m_queue->record(outcomes, when, &error))
            qFatal("record failed: %s", qPrintable(error));
    }

private Q_SLOTS:
    void init()
    {
        m_fixture = std::make_unique<TestStore>();
        QVERIFY2(m_fixture->isValid(), qPrintable(m_fixture->error()));
        m_queue = std::make_unique<DeliveryQueue>(store());
        m_first = StoreFixtures::addOpenIntegration(store(), QStringLiteral("first"));
        m_second = StoreFixtures::addOpenIntegration(store(), QStringLiteral("second"));
    }
    void cleanup()
    {
        m_queue.reset();
        m_fixture.reset();
    }

    void pruneRemovesOldDeliveredWithBodiesAndAttemptsAndKeepsCounting()
    {
        const QList<Delivery> first = queue(m_first, 8, QStringLiteral("a"));
        answer(first.mid(0, 3), Delivery::State::Delivered, 200, m_now.addDays(-40));
        answer(first.mid(3, 1), Delivery::State::Duplicate, 409, m_now.addDays(-40));
        answer(first.mid(4, 1), Delivery::State::Delivered, 200, m_now.addDays(-1)); // too young
        answer(first.mid(5, 1), Delivery::State::Held, 400, m_now.addDays(-40));     // held: never pruned
        QString error;
        answer(first.mid(6, 1), Delivery::State::Queued, 503, m_now.addDays(-40)); // waiting
        QCOMPARE(m_queue->discard({first[6].id}, &error), 1);                      // discarded: never pruned
        // first[7] stays in flight (sending).
        const QList<Delivery> second = queue(m_second, 3, QStringLiteral("b"));
        answer(second, Delivery::State::Delivered, 200, m_now.addDays(-40), true); // one batch request

        DeliveryPruner pruner(store());
        const QDateTime limit = m_now.addDays(-30);
        QCOMPARE(pruner.countPrunable(limit, m_first, &error), 4);
        QCOMPARE(pruner.countPrunable(limit, 0, &error), 7);
        const qint64 attemptsBefore = scalar(QStringLiteral("SELECT COUNT(*) FROM attempts"));
        QCOMPARE(attemptsBefore, 8); // 7 alone (held and 503 included) + 1 batch

        PruneCounts counts;
        int steps = 0;
        for (qint64 last = -1; counts.statements() != last; ++steps) {
            last = counts.statements();
            QVERIFY2(pruner.pruneChunk(limit, 0, 2, &counts, &error), qPrintable(error));
        }
        QCOMPARE(steps, 5); // 2 + 2 + 2 + 1, then an empty step
        QCOMPARE(counts.delivered, 6);
        QCOMPARE(counts.duplicates, 1);
        QCOMPARE(counts.attempts, 5); // the four alone and the batch's one

        // What was not delivered long enough ago is all still there.
        QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM deliveries")), 4);
        QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM delivery_bodies")), 4);
        QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM attempts")), 3);
        QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM attempt_deliveries")), 0);
        QCOMPARE(StoreFixtures::countDeliveries(store(), Delivery::State::Held), 1);
        QCOMPARE(StoreFixtures::countDeliveries(store(), Delivery::State::Discarded), 1);
        QCOMPARE(StoreFixtures::countDeliveries(store(), Delivery::State::Sending), 1);
        QCOMPARE(StoreFixtures::countDeliveries(store(), Delivery::State::Delivered), 1);

        // queue status keeps counting what went.
        const QHash<qint64, LaneStats> stats = m_queue->stats(&error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(stats.value(m_first).delivered, 4);
        QCOMPARE(stats.value(m_first).duplicates, 1);
        QCOMPARE(stats.value(m_first).pruned, 4);
        QCOMPARE(stats.value(m_second).delivered, 3);
        QCOMPARE(stats.value(m_first).held, 1);
        QCOMPARE(stats.value(m_first).discarded, 1);

        // A second prune adds to the counts.
        answer(first.mid(7, 1), Delivery::State::Delivered, 200, m_now.addDays(-35));
        PruneCounts again;
        QVERIFY(pruner.pruneChunk(limit, m_first, 100, &again, &error));
        QCOMPARE(again.delivered, 1);
        QCOMPARE(m_queue->stats(&error).value(m_first).delivered, 5);
    }

    void pruneOfOneIntegrationLeavesTheOthers()
    {
        answer(queue(m_first, 2, QStringLiteral("a")), Delivery::State::Delivered, 200, m_now.addDays(-40));
        answer(queue(m_second, 2, QStringLiteral("b")), Delivery::State::Delivered, 200, m_now.addDays(-40));
        DeliveryPruner pruner(store());
        PruneCounts counts;
        QString error;
        QVERIFY(pruner.pruneChunk(m_now.addDays(-30), m_second, 100, &counts, &error));
        QCOMPARE(counts.delivered, 2);
        QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM deliveries WHERE integration_id = %1").arg(m_first)), 2);
        QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM deliveries WHERE integration_id = %1").arg(m_second)), 0);
    }

    void keepBodiesErasesBodiesButKeepsTheAttemptMetadata()
    {
        const QList<Delivery> old = queue(m_first, 3, QStringLiteral("a"));
        answer(old.mid(0, 2), Delivery::State::Delivered, 200, m_now.addDays(-10));
        answer(old.mid(2, 1), Delivery::State::Delivered, 200, m_now.addDays(-2));
        DeliveryPruner pruner(store());
        QString error;
        const QDateTime limit = m_now.addDays(-7);
        QCOMPARE(pruner.countBodies(limit, m_first, &error), 2);
        QCOMPARE(pruner.eraseBodiesChunk(limit, m_first, 100, &error), 2);
        QCOMPARE(pruner.eraseBodiesChunk(limit, m_first, 100, &error), 0);
        QCOMPARE(pruner.countBodies(limit, m_first, &error), 0);

        QVERIFY(m_queue->byId(old[0].id, &error)->body.isEmpty());
        QVERIFY(!m_queue->byId(old[2].id, &error)->body.isEmpty());
        const QList<AttemptRecord> attempts = AttemptLog(store()).forDelivery(old[0].id, &error);
        QCOMPARE(attempts.size(), 1);
        QCOMPARE(attempts[0].status.value(), 200);
        QCOMPARE(attempts[0].durationMs, 12);
        QCOMPARE(attempts[0].startedAt, m_now.addDays(-10));
        QVERIFY(attempts[0].responseBody.isEmpty());
        QVERIFY(!AttemptLog(store()).forDelivery(old[2].id, &error)[0].responseBody.isEmpty());
        // Still listed and counted as delivered.
        QCOMPARE(StoreFixtures::countDeliveries(store(), Delivery::State::Delivered), 3);
        // A statement without its body cannot be sent again; the one that has it can.
        QCOMPARE(m_queue->resend({old[0].id, old[2].id}, &error), 1);
        QCOMPARE(m_queue->byId(old[0].id, &error)->state, Delivery::State::Delivered);
    }

    void hourlyPassAppliesEachIntegrationsPolicy()
    {
        answer(queue(m_first, 4, QStringLiteral("a")), Delivery::State::Delivered, 200, m_now.addDays(-40));
        answer(queue(m_second, 3, QStringLiteral("b")), Delivery::State::Delivered, 200, m_now.addDays(-10));
        const QList<Delivery> held = queue(m_second, 1, QStringLiteral("h"));
        answer(held, Delivery::State::Held, 403, m_now.addDays(-100));
        QString error;
        RetentionPolicies policies(store());
        QVERIFY(policies.set(m_first, RetentionPolicy{30, std::nullopt}, &error));
        QVERIFY(policies.set(m_second, RetentionPolicy{std::nullopt, 7}, &error));
        QCOMPARE(policies.get(m_second, &error), (RetentionPolicy{std::nullopt, 7}));

        TestClock clock(m_now);
        RetentionScheduler scheduler(store(), clock);
        PruneCounts pruned;
        qint64 erased = -1;
        connect(&scheduler, &RetentionScheduler::passFinished, this,
                [&](const PruneCounts& counts, qint64 bodies, const QString& failure) {
                    QVERIFY2(failure.isEmpty(), qPrintable(failure));
                    pruned = counts;
                    erased = bodies;
                });
        scheduler.beginPass();
        int steps = 0;
        while (scheduler.step())
            QVERIFY(++steps < 100);
        QCOMPARE(pruned.delivered, 4);
        QCOMPARE(erased, 3);
        QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM deliveries WHERE integration_id = %1").arg(m_first)), 0);
        QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM deliveries WHERE integration_id = %1").arg(m_second)), 4);
        QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM delivery_bodies WHERE body = ''")), 3);
        QCOMPARE(StoreFixtures::countDeliveries(store(), Delivery::State::Held), 1);
        QVERIFY(!m_queue->byId(held[0].id, &error)->body.isEmpty());

        // An hour later nothing more is due; a policy back to "keep" prunes nothing.
        QVERIFY(policies.set(m_first, RetentionPolicy{}, &error));
        answer(queue(m_first, 1, QStringLiteral("c")), Delivery::State::Delivered, 200, m_now.addDays(-50));
        clock.advance(RetentionScheduler::IntervalMs);
        scheduler.beginPass();
        while (scheduler.step()) {
        }
        QCOMPARE(pruned.statements(), 0);
        QCOMPARE(erased, 0);
        QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM deliveries WHERE integration_id = %1").arg(m_first)), 1);
    }

    void daysAreWholeNumbersOrKeep()
    {
        std::optional<int> days = 5;
        QString error;
        QVERIFY(RetentionPolicies::parseDays(QStringLiteral("retention-days"), QStringLiteral("keep"), &days, &error));
        QVERIFY(!days);
        QVERIFY(RetentionPolicies::parseDays(QStringLiteral("retention-days"), QStringLiteral("90"), &days, &error));
        QCOMPARE(days.value(), 90);
        QVERIFY(!RetentionPolicies::parseDays(QStringLiteral("retention-days"), QStringLiteral("-3"), &days, &error));
        QCOMPARE(error, QStringLiteral("--retention-days: “-3” is not a number of days; give a whole number from 1 to "
                                       "36500, or keep (keep everything)."));
    }

    // A new SQLite store gives what pruning frees back to the file system; PostgreSQL's autovacuum reuses it.
    void pruningGivesTheSpaceBack()
    {
        COURIER_SQLITE_ONLY("PostgreSQL's autovacuum reuses the space in place");
        QCOMPARE(scalar(QStringLiteral("PRAGMA auto_vacuum")), 2); // incremental
        answer(queue(m_first, 1200, QStringLiteral("big"), 8000), Delivery::State::Delivered, 200, m_now.addDays(-40));
        QSqlQuery(store().database()).exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));
        const qint64 fileBefore = QFileInfo(m_fixture->path()).size();
        QVERIFY(fileBefore > 1200 * 8000);

        DeliveryPruner pruner(store());
        PruneCounts counts;
        QString error;
        while (pruner.pruneChunk(m_now.addDays(-30), 0, 100, &counts, &error) && counts.statements() < 1200) {
        }
        QCOMPARE(counts.delivered, 1200);
        DeliveryPruner::Space space;
        // More pages than one step gives back: several transactions, with the caller's pause between them.
        QVERIFY(1200 * 8000 / 4096 > DeliveryPruner::VacuumPagesPerStep);
        int pauses = 0;
        QVERIFY2(pruner.giveSpaceBack(false, &space, &error, [&pauses](qint64) { ++pauses; }), qPrintable(error));
        QVERIFY(pauses >= 1);
        QCOMPARE(scalar(QStringLiteral("PRAGMA freelist_count")), 0);
        QVERIFY(space.givenBack);
        QVERIFY(!space.converted);
        // At least 90% of the bodies' 9.6 MB went back.
        QVERIFY2(space.bytesBefore - space.bytesAfter > 1200 * 8000 * 9 / 10,
                 qPrintable(QStringLiteral("%1 -> %2").arg(space.bytesBefore).arg(space.bytesAfter)));
        QSqlQuery(store().database()).exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));
        QVERIFY(QFileInfo(m_fixture->path()).size() * 10 < fileBefore);
    }

    // A store made before retention (auto_vacuum off) is rebuilt once when asked to convert, and gives space back.
    void anOlderStoreIsConvertedOnce()
    {
        COURIER_SQLITE_ONLY("about the SQLite file");
        {
            QSqlQuery off(store().database());
            QVERIFY(off.exec(QStringLiteral("PRAGMA auto_vacuum = NONE")));
            QVERIFY(off.exec(QStringLiteral("VACUUM")));
        }
        QCOMPARE(scalar(QStringLiteral("PRAGMA auto_vacuum")), 0);
        answer(queue(m_first, 100, QStringLiteral("big"), 8000), Delivery::State::Delivered, 200, m_now.addDays(-40));
        DeliveryPruner pruner(store());
        PruneCounts counts;
        QString error;
        QVERIFY(pruner.pruneChunk(m_now.addDays(-30), 0, 100, &counts, &error));
        DeliveryPruner::Space space;
        QVERIFY(pruner.giveSpaceBack(false, &space, &error));
        QVERIFY(!space.givenBack);
        QVERIFY(pruner.giveSpaceBack(true, &space, &error));
        QVERIFY(space.converted);
        QVERIFY2(space.bytesBefore - space.bytesAfter > 100 * 8000 * 9 / 10,
                 qPrintable(QStringLiteral("%1 -> %2").arg(space.bytesBefore).arg(space.bytesAfter)));
        QCOMPARE(scalar(QStringLiteral("PRAGMA auto_vacuum")), 2);
    }
};

QTEST_GUILESS_MAIN(TestRetention)
#include "tst_retention.moc"
