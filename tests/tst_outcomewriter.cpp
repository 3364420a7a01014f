#include "StoreFixtures.h"
#include "TestStore.h"

#include "delivery/OutcomeWriter.h"
#include "store/Transaction.h"

#include <QSqlQuery>
#include <QTest>
#include <QThread>
#include <QUuid>

// The delivery engine's writer on its own thread and connection (on SQLite, and on PostgreSQL as
// tst_outcomewriter_postgresql): groups handed in while the store is busy join the one waiting and are committed in
// order, each caller's answer reported once; an answer to a statement erased meanwhile is left out and the rest
// recorded.
class TestOutcomeWriter final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestStore> m_fixture;
    qint64 m_integration = 0;

    // Queues `count` statements and takes them as the engine does (state sending).
    QList<Delivery> queued(int count)
    {
        DeliveryQueue queue(m_fixture->store());
        QList<QJsonObject> statements;
        for (int i = 0; i < count; ++i)
            statements << QJsonObject{{QStringLiteral("id"), QUuid::createUuid().toString(QUuid::WithoutBraces)}};
        QString error;
        if (!queue.enqueue(statements, {m_integration}, QDateTime::currentDateTimeUtc(), &error))
            qFatal("enqueue failed: %s", qPrintable(error));
        return queue.claim(m_integration, count, QDateTime::currentDateTimeUtc(), &error);
    }

    OutcomeWriter::Group delivered(const Delivery& delivery)
    {
        DeliveryQueue::Outcome outcome =
            StoreFixtures::acceptedOutcome(delivery.id, m_integration, QDateTime::currentDateTimeUtc());
        outcome.attempt.requestLine = QStringLiteral("POST https://lrs.example.com/xapi/statements");
        return {{outcome}, {}, QDateTime::currentDateTimeUtc(), {}};
    }

    QString stateOf(qint64 deliveryId)
    {
        QSqlQuery query(m_fixture->store().database());
        query.prepare(QStringLiteral("SELECT state FROM deliveries WHERE id = ?"));
        query.addBindValue(deliveryId);
        return query.exec() && query.next() ? query.value(0).toString() : QString();
    }

    int attemptsOf(qint64 deliveryId)
    {
        QSqlQuery query(m_fixture->store().database());
        query.prepare(QStringLiteral("SELECT COUNT(*) FROM attempts WHERE delivery_id = ?"));
        query.addBindValue(deliveryId);
        return query.exec() && query.next() ? query.value(0).toInt() : -1;
    }

private Q_SLOTS:
    void init()
    {
        m_fixture = std::make_unique<TestStore>();
        QVERIFY2(m_fixture->isValid(), qPrintable(m_fixture->error()));
        m_integration = StoreFixtures::addOpenIntegration(m_fixture->store(), QStringLiteral("acme"));
    }

    void cleanup() { m_fixture.reset(); }

    void groupsHandedInWhileTheStoreIsBusyJoinTheWaitingOne()
    {
        const QList<Delivery> taken = queued(3);
        QCOMPARE(taken.size(), 3);
        OutcomeWriter writer(m_fixture->store().location());
        int signalled = 0;
        connect(&writer, &OutcomeWriter::written, this, [&signalled] { ++signalled; });
        {
            // Another connection writes the same rows and keeps its transaction open: the writer waits for it.
            Transaction busy(m_fixture->store());
            QVERIFY(busy.isActive());
            QSqlQuery lock(m_fixture->store().database());
            QVERIFY(lock.exec(QStringLiteral("UPDATE deliveries SET updated_at = updated_at")));
            writer.write(delivered(taken[0]));
            QThread::msleep(200); // the writer took the first group and waits for the store
            writer.write(delivered(taken[1]));
            writer.write(delivered(taken[2]));
            QCOMPARE(stateOf(taken[0].id), QStringLiteral("sending")); // nothing committed while the store is busy
            QVERIFY(busy.commit());
        }
        writer.waitIdle();
        const QList<OutcomeWriter::Group> written = writer.takeWritten();
        QVERIFY(written.size() <= 2);
        int handedIn = 0;
        int largest = 0;
        QList<qint64> order;
        for (const OutcomeWriter::Group& group : written) {
            QVERIFY2(group.error.isEmpty(), qPrintable(group.error));
            handedIn += group.handedIn;
            largest = std::max(largest, group.handedIn);
            for (const DeliveryQueue::Outcome& outcome : group.outcomes)
                order << outcome.deliveryId;
        }
        QCOMPARE(handedIn, 3);
        QVERIFY(largest >= 2); // the second and third joined one commit
        QCOMPARE(order, QList<qint64>({taken[0].id, taken[1].id, taken[2].id}));
        for (const Delivery& delivery : taken) {
            QCOMPARE(stateOf(delivery.id), QStringLiteral("delivered"));
            QCOMPARE(attemptsOf(delivery.id), 1);
        }
        QTRY_COMPARE(signalled, int(written.size())); // written() reaches this thread once per group
        QVERIFY(writer.takeWritten().isEmpty());
    }

    void anAnswerToAStatementErasedMeanwhileIsLeftOut()
    {
        const QList<Delivery> taken = queued(2);
        QCOMPARE(taken.size(), 2);
        QSqlQuery erase(m_fixture->store().database());
        erase.prepare(QStringLiteral("DELETE FROM deliveries WHERE id = ?"));
        erase.addBindValue(taken[0].id);
        QVERIFY(erase.exec());

        OutcomeWriter writer(m_fixture->store().location());
        OutcomeWriter::Group group = delivered(taken[0]);
        group.outcomes << delivered(taken[1]).outcomes;
        writer.write(group);
        writer.waitIdle();
        const QList<OutcomeWriter::Group> written = writer.takeWritten();
        QCOMPARE(written.size(), 1);
        QVERIFY2(written[0].error.isEmpty(), qPrintable(written[0].error));
        QCOMPARE(written[0].outcomes.size(), 1);
        QCOMPARE(written[0].outcomes[0].deliveryId, taken[1].id);
        QCOMPARE(stateOf(taken[1].id), QStringLiteral("delivered"));
        QCOMPARE(attemptsOf(taken[0].id), 0); // no attempt points at what was erased
        QCOMPARE(attemptsOf(taken[1].id), 1);
    }

    void whatWasHandedInIsWrittenBeforeTheWriterGoes()
    {
        const QList<Delivery> taken = queued(1);
        {
            OutcomeWriter writer(m_fixture->store().location());
            writer.write(delivered(taken[0]));
        }
        QCOMPARE(stateOf(taken[0].id), QStringLiteral("delivered"));
    }
};

QTEST_GUILESS_MAIN(TestOutcomeWriter)
#include "tst_outcomewriter.moc"
