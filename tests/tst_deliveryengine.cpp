#include "InMemorySecretStore.h"
#include "StoreFixtures.h"
#include "TestClock.h"
#include "TestStore.h"

#include "delivery/DeliveryEngine.h"
#include "delivery/HttpTransport.h"
#include "delivery/LaneLeases.h"
#include "delivery/TokenClient.h"
#include "integrations/IntegrationRepository.h"
#include "sandbox/Sandbox.h"
#include "statements/StatementTemplates.h"

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTest>
#include <QUuid>

// The error policy end to end: a real SQLite queue, real HTTP to the sandbox LRS on 127.0.0.1 failing as its fault
// script says, and a test clock so the 60-second probe needs no sleeping.
class TestDeliveryEngine final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestStore> m_fixture;
    std::unique_ptr<Sandbox> m_receiver;
    TestClock m_clock;
    QNetworkAccessManager m_network;
    InMemorySecretStore m_secrets;
    std::unique_ptr<TokenClient> m_tokens;
    std::unique_ptr<HttpTransport> m_transport;
    std::unique_ptr<DeliveryEngine> m_engine;
    Integration m_integration;

    Integration stored()
    {
        QString error;
        return *IntegrationRepository(m_fixture->store()).byId(m_integration.id, &error);
    }
    // Saves the stored integration with `change` made to it (an edit, as a person would save it).
    void edit(const std::function<void(Integration&)>& change = {})
    {
        Integration integration = stored();
        if (change)
            change(integration);
        FieldIssues issues;
        QString error;
        QVERIFY2(IntegrationRepository(m_fixture->store()).update(integration, &issues, &error), qPrintable(error));
    }
    // A valid statement (the sandbox refuses others) with a stable id per prefix and number.
    static QString statementId(const QString& prefix, int i)
    {
        static const QUuid space(QStringLiteral("{6f1c9d2e-4b7a-4c1e-9a3d-2e8f5b7c1a90}"));
        return QUuid::createUuidV5(space, QStringLiteral("%1%2").arg(prefix).arg(i)).toString(QUuid::WithoutBraces);
    }
    static QJsonObject statement(const QString& id, double score = 80)
    {
        TemplateValues values;
        values.id = id;
        values.actorEmail = QStringLiteral("learner@example.com");
        values.objectId = QStringLiteral("https://example.com/courses/engine");
        values.scoreRaw = score;
        values.scoreMin = 0.0;
        values.scoreMax = 100.0;
        values.timestamp = QDateTime(QDate(2026, 11, 22), QTime(9, 0), Qt::UTC);
        return StatementTemplates::build(values);
    }
    void faults(const QString& spec)
    {
        QString error;
        QVERIFY2(m_receiver->setFaults(spec, &error), qPrintable(error));
    }
    void enqueue(int count, const QString& prefix = QStringLiteral("s"))
    {
        QList<QJsonObject> statements;
        for (int i = 0; i < count; ++i)
            statements << statement(statementId(prefix, i));
        QString error;
        QVERIFY(DeliveryQueue(m_fixture->store()).enqueue(statements, {m_integration.id}, m_clock.now(), &error));
        if (m_engine)
            m_engine->poke();
    }
    qint64 addIntegration(const QString& name)
    {
        Integration integration = m_integration;
        integration.id = 0;
        integration.uid = name;
        integration.name = name;
        integration.provider = name;
        FieldIssues issues;
        QString error;
        [&] {
            QVERIFY2(IntegrationRepository(m_fixture->store()).insert(integration, &issues, &error), qPrintable(error));
        }();
        return integration.id;
    }
    int count(Delivery::State state) { return StoreFixtures::countDeliveries(m_fixture->store(), state); }
    void advance(int seconds)
    {
        m_clock.advance(seconds * 1000LL);
        if (m_engine)
            m_engine->poke();
    }
    // Nothing more arrives while the engine keeps ticking.
    void expectQuiet(int requests)
    {
        QTest::qWait(600);
        QCOMPARE(m_receiver->requests().size(), requests);
    }
    QStringList ids(int count, const QString& prefix = QStringLiteral("s"))
    {
        QStringList result;
        for (int i = 0; i < count; ++i)
            result << statementId(prefix, i);
        return result;
    }

private Q_SLOTS:
    void init()
    {
        m_fixture = std::make_unique<TestStore>();
        QVERIFY(m_fixture->isValid());
        m_receiver = std::make_unique<Sandbox>();
        QString listenError;
        QVERIFY2(m_receiver->listen(0, &listenError), qPrintable(listenError));
        m_integration = Integration();
        m_integration.uid = QStringLiteral("u");
        m_integration.name = QStringLiteral("Local LRS");
        m_integration.provider = QStringLiteral("local");
        m_integration.statementUrl = m_receiver->statementsUrl();
        m_integration.auth = Integration::Auth::None;
        m_integration.concurrency = 1;
        FieldIssues issues;
        QString error;
        QVERIFY(IntegrationRepository(m_fixture->store()).insert(m_integration, &issues, &error));
        m_tokens = std::make_unique<TokenClient>(m_network, m_secrets, m_clock);
        m_transport = std::make_unique<HttpTransport>(m_network, *m_tokens, m_clock);
        m_engine = std::make_unique<DeliveryEngine>(m_fixture->store(), *m_transport, m_clock, QStringLiteral("test"));
        m_engine->setTickInterval(50);
        m_engine->start();
    }
    void cleanup()
    {
        m_engine.reset();
        m_transport.reset();
        m_tokens.reset();
        m_receiver.reset();
        m_fixture.reset();
    }

    // A store that cannot be written (here the engine's own connection made read-only, as a read-only disk makes
    // it): one log line per try, tries backed off (1 s, 2 s, ...), storeFailed() after the grace, and delivery goes
    // on by itself once the store can be written again. Before, it logged and tried again on every tick.
    void aStoreThatCannotBeWrittenIsRetriedWithBackoffAndRecovers()
    {
        const bool sqlite = m_fixture->store().dialect() == Migrations::Dialect::Sqlite;
        const auto readOnly = [&](bool on) {
            QSqlQuery query(m_fixture->store().database());
            return query.exec(sqlite ? QStringLiteral("PRAGMA query_only = %1").arg(on ? 1 : 0)
                                     : QStringLiteral("SET default_transaction_read_only = %1")
                                           .arg(on ? QLatin1String("on") : QLatin1String("off")));
        };
        m_engine.reset();
        enqueue(3);
        QVERIFY(readOnly(true));
        static QStringList warnings;
        warnings.clear();
        const QtMessageHandler previous =
            qInstallMessageHandler([](QtMsgType type, const QMessageLogContext&, const QString& message) {
                if (type == QtWarningMsg && message.contains(QLatin1String("Cannot renew the lane leases")))
                    warnings << message;
            });
        m_engine = std::make_unique<DeliveryEngine>(m_fixture->store(), *m_transport, m_clock, QStringLiteral("test"));
        m_engine->setTickInterval(50);
        m_engine->setStoreFailureGrace(2500);
        QSignalSpy failed(m_engine.get(), &DeliveryEngine::storeFailed);
        m_engine->start();
        QTest::qWait(600); // a dozen ticks
        const int first = int(warnings.size());
        advance(1); // the first try again
        QTest::qWait(200);
        const int second = int(warnings.size());
        advance(2);
        QTest::qWait(200);
        const int third = int(warnings.size());
        qInstallMessageHandler(previous);
        QCOMPARE(first, 1);
        QCOMPARE(second, 2);
        QCOMPARE(third, 3);
        QVERIFY(warnings.first().contains(QLatin1String("trying again in 1 s")));
        QCOMPARE(failed.size(), 1);
        QVERIFY(failed.first().first().toString().startsWith(QLatin1String("Cannot renew the lane leases: ")));
        QVERIFY(!m_engine->storeError().isEmpty());
        QCOMPARE(m_receiver->requests().size(), 0);

        QVERIFY(readOnly(false));
        advance(4);
        QTRY_COMPARE_WITH_TIMEOUT(count(Delivery::State::Delivered), 3, 20000);
        QVERIFY(m_engine->storeError().isEmpty());
    }

    void acceptedInOrder()
    {
        enqueue(20);
        QTRY_COMPARE_WITH_TIMEOUT(count(Delivery::State::Delivered), 20, 20000);
        QCOMPARE(m_receiver->receivedIds(), ids(20));
        QCOMPARE(stored().health(), Integration::Health::Healthy);
        QTRY_VERIFY(m_engine->isIdle());
    }

    void conflictIsADuplicateAndCountsAsDelivered()
    {
        // The sandbox already holds these ids with other content: 409.
        QString error;
        QVERIFY(m_receiver->statements().insert(
            {statement(statementId(QStringLiteral("s"), 0), 1), statement(statementId(QStringLiteral("s"), 1), 1)},
            QDateTime::currentDateTimeUtc(), &error));
        enqueue(2);
        QTRY_COMPARE_WITH_TIMEOUT(count(Delivery::State::Duplicate), 2, 20000);
        QCOMPARE(stored().health(), Integration::Health::Healthy);
    }

    void serverErrorsProbeOneStatementPerIntervalThenFlush()
    {
        faults(QStringLiteral("503*2")); // the first request and the first probe
        enqueue(6);
        QTRY_COMPARE_WITH_TIMEOUT(stored().health(), Integration::Health::Retrying, 20000);
        QVERIFY(stored().holdReason.contains(QLatin1String("HTTP 503")));
        QCOMPARE(stored().nextProbeAt, m_clock.now().addSecs(60));
        QCOMPARE(stored().healthSince, m_clock.now()); // the engine's clock, as the delivery charts shade it
        QCOMPARE(stored().failingSince, m_clock.now());
        expectQuiet(1);

        advance(30); // not yet
        expectQuiet(1);
        advance(30); // the interval has passed: exactly one probe
        QTRY_COMPARE(m_receiver->requests().size(), 2);
        expectQuiet(2);
        QCOMPARE(m_receiver->receivedIds(), ids(1) + ids(1));

        advance(60); // the script is used up: the probe is accepted
        QTRY_COMPARE_WITH_TIMEOUT(count(Delivery::State::Delivered), 6, 20000);
        QCOMPARE(stored().health(), Integration::Health::Healthy);
        QCOMPARE(m_receiver->receivedIds(), ids(1) + ids(1) + ids(6));
    }

    void clientErrorsHoldUntilTheIntegrationIsUpdated()
    {
        faults(QStringLiteral("400*1"));
        enqueue(3);
        QTRY_COMPARE_WITH_TIMEOUT(stored().health(), Integration::Health::Held, 20000);
        QVERIFY(stored().holdReason.contains(QLatin1String("HTTP 400")));
        QVERIFY(stored().holdReason.contains(QLatin1String("Sandbox fault 400"))); // the receiver's words
        QTRY_COMPARE(count(Delivery::State::Held), 1);
        advance(3600);
        expectQuiet(1);

        edit();
        m_engine->poke();
        QTRY_COMPARE_WITH_TIMEOUT(count(Delivery::State::Delivered), 3, 20000);
        QCOMPARE(m_receiver->receivedIds(), ids(1) + ids(3));
        QCOMPARE(stored().health(), Integration::Health::Healthy);
    }

    void disablingStopsProbing()
    {
        faults(QStringLiteral("500*1000"));
        enqueue(2);
        QTRY_COMPARE_WITH_TIMEOUT(stored().health(), Integration::Health::Retrying, 20000);
        QString error;
        QVERIFY(IntegrationRepository(m_fixture->store()).setEnabled(m_integration.id, false, &error));
        advance(600);
        expectQuiet(1);
        enqueue(1, QStringLiteral("late")); // still queued while disabled
        QCOMPARE(count(Delivery::State::Queued), 3);
        QVERIFY(IntegrationRepository(m_fixture->store()).setEnabled(m_integration.id, true, &error));
        m_engine->poke();
        QTRY_COMPARE(m_receiver->requests().size(), 2);
    }

    void retryAfterIsHonoured()
    {
        faults(QStringLiteral("429*1:retry-after=120"));
        enqueue(1);
        QTRY_COMPARE_WITH_TIMEOUT(stored().health(), Integration::Health::Retrying, 20000);
        QCOMPARE(stored().nextProbeAt, m_clock.now().addSecs(120));
        advance(61);
        expectQuiet(1);
        advance(60);
        QTRY_COMPARE_WITH_TIMEOUT(count(Delivery::State::Delivered), 1, 20000);
    }

    void attemptsAreLogged()
    {
        faults(QStringLiteral("500*1"));
        enqueue(1);
        QTRY_COMPARE_WITH_TIMEOUT(stored().health(), Integration::Health::Retrying, 20000);
        advance(60);
        QTRY_COMPARE_WITH_TIMEOUT(count(Delivery::State::Delivered), 1, 20000);
        QString error;
        const Delivery delivery = DeliveryQueue(m_fixture->store()).list({}, 1, 0, &error).first();
        QCOMPARE(delivery.attempts, 2);
        const QList<AttemptRecord> attempts = AttemptLog(m_fixture->store()).forDelivery(delivery.id, &error);
        QCOMPARE(attempts.size(), 2);
        QCOMPARE(attempts[0].status.value_or(0), 500);
        QVERIFY(attempts[0].responseBody.contains(QLatin1String("Sandbox fault 500 (1 of 1)")));
        QCOMPARE(attempts[1].status.value_or(0), 200);
        QVERIFY(attempts[1].requestHeaders.contains(QLatin1String("X-Experience-API-Version: 1.0.3")));
    }

    void concurrencySendsSeveralAtOnce()
    {
        edit([](Integration& integration) { integration.concurrency = 4; });
        faults(QStringLiteral("delay=100"));
        enqueue(8);
        QTRY_COMPARE_WITH_TIMEOUT(count(Delivery::State::Delivered), 8, 20000);
        // Several in flight: all arrive, though the receiver may see them in any order (strict order needs
        // concurrency 1, proven by acceptedInOrder).
        QStringList received = m_receiver->receivedIds();
        received.sort();
        QStringList expected = ids(8);
        expected.sort();
        QCOMPARE(received, expected);
        QVERIFY(m_receiver->requests().size() == 8);
    }

    // A request that hangs shows as 'sending' once it has been in flight MarkSendingAfterMs; the answer then records
    // it as usual. Answered sooner, a statement is never marked.
    void aHangingRequestShowsAsSending()
    {
        enqueue(1, QStringLiteral("quick"));
        QTRY_COMPARE_WITH_TIMEOUT(count(Delivery::State::Delivered), 1, 20000);
        faults(QStringLiteral("delay=1500"));
        enqueue(1, QStringLiteral("slow"));
        QTRY_COMPARE_WITH_TIMEOUT(m_receiver->requests().size(), 2, 20000);
        QTest::qWait(200); // several ticks and commits, the clock standing still
        QCOMPARE(count(Delivery::State::Sending), 0);
        QCOMPARE(count(Delivery::State::Queued), 1);
        QSignalSpy recorded(m_engine.get(), &DeliveryEngine::recorded);
        m_clock.advance(DeliveryEngine::MarkSendingAfterMs);
        QTRY_COMPARE_WITH_TIMEOUT(count(Delivery::State::Sending), 1, 1000);
        QTRY_VERIFY(!recorded.isEmpty()); // told (once the writer's commit is back), so a window reloads
        QCOMPARE(recorded.first().first().toInt(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(count(Delivery::State::Delivered), 2, 20000);
        QCOMPARE(count(Delivery::State::Sending), 0);
    }

    void batchesPostArrays()
    {
        edit([](Integration& integration) { integration.batchSize = 5; });
        enqueue(10);
        QTRY_COMPARE_WITH_TIMEOUT(count(Delivery::State::Delivered), 10, 20000);
        QCOMPARE(m_receiver->requests().size(), 2);
        QVERIFY(m_receiver->requests().first().body.startsWith('['));
        QCOMPARE(m_receiver->receivedIds(), ids(10));
    }

    // While every request of a lane is out, the engine reads the next statements ahead (more than one read's worth
    // here, several times over): each statement goes once, and each batch carries statements next to each other in
    // the queue's order, sent in that order.
    void readingAheadTakesNoStatementTwice()
    {
        edit([](Integration& integration) {
            integration.concurrency = 2;
            integration.batchSize = 5;
        });
        faults(QStringLiteral("delay=5"));
        enqueue(500);
        QTRY_COMPARE_WITH_TIMEOUT(count(Delivery::State::Delivered), 500, 30000);
        QCOMPARE(m_receiver->requests().size(), 100);
        const QStringList expected = ids(500);
        QStringList received = m_receiver->receivedIds();
        QCOMPARE(received.size(), 500);
        qsizetype previous = 0;
        for (const auto& request : m_receiver->requests()) {
            const QStringList& batch = request.statementIds;
            QCOMPARE(batch.size(), 5);
            const qsizetype first = expected.indexOf(batch.first());
            QCOMPARE(expected.mid(first, 5), batch);
            // Sent in order; with two in flight, one may overtake the other.
            QVERIFY2(first >= previous - 5,
                     qPrintable(QStringLiteral("statement %1 after %2").arg(first).arg(previous)));
            previous = first;
        }
        received.sort();
        QStringList sorted = expected;
        sorted.sort();
        QCOMPARE(received, sorted);
    }

    // Two engines on one store (two connections, as a desktop app and a worker would have): they share the lanes
    // out, no integration is worked by both, and each integration's statements arrive in order.
    void enginesShareTheLanesAndKeepEachInOrder()
    {
        QList<qint64> lanes{m_integration.id};
        for (const QString& name : {QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("d")})
            lanes << addIntegration(name);
        m_engine->poke();
        QTRY_COMPARE(m_engine->heldLanes().size(), 4); // alone, it takes every lane

        Store::OpenResult second = Store::open(m_fixture->store().location());
        QVERIFY2(second.store, qPrintable(second.error));
        HttpTransport otherTransport(m_network, *m_tokens, m_clock);
        DeliveryEngine other(*second.store, otherTransport, m_clock, QStringLiteral("other"));
        other.setTickInterval(50);
        other.start();
        QTest::qWait(300);
        QVERIFY(other.heldLanes().isEmpty()); // nothing free yet
        advance(6);                           // past the first engine's renewal: it gives back what is over its share
        other.poke();
        QTRY_COMPARE(other.heldLanes().size(), 2);
        QCOMPARE(m_engine->heldLanes().size(), 2);
        QVERIFY(!m_engine->heldLanes().intersects(other.heldLanes()));

        const QStringList prefixes{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("d")};
        QString error;
        for (int lane = 0; lane < 4; ++lane) {
            QList<QJsonObject> statements;
            for (int i = 0; i < 30; ++i)
                statements << statement(statementId(prefixes[lane], i));
            QVERIFY(DeliveryQueue(m_fixture->store()).enqueue(statements, {lanes[lane]}, m_clock.now(), &error));
        }
        m_engine->poke();
        other.poke();
        QTRY_COMPARE_WITH_TIMEOUT(count(Delivery::State::Delivered), 120, 20000);
        QCOMPARE(m_receiver->requests().size(), 120); // nothing sent twice
        const QStringList received = m_receiver->receivedIds();
        for (const QString& prefix : prefixes) {
            const QStringList expected = ids(30, prefix);
            QStringList ofLane;
            for (const QString& id : received) {
                if (expected.contains(id))
                    ofLane << id;
            }
            QCOMPARE(ofLane, expected);
        }
        other.stop();
        QTRY_VERIFY(!other.isRunning());
    }

    // Lanes that do not divide evenly: 4 among 3 engines go 2, 1, 1 (the first by owner taking the one more), so
    // every lane has a holder and none waits on an engine that already has its share.
    void lanesAreSharedAsEvenlyAsWholeLanesAllow()
    {
        m_engine.reset();
        QList<qint64> wanted{m_integration.id, addIntegration(QStringLiteral("b")), addIntegration(QStringLiteral("c")),
                             addIntegration(QStringLiteral("d"))};
        LaneLeases first(m_fixture->store(), QStringLiteral("engine a"));
        LaneLeases second(m_fixture->store(), QStringLiteral("engine b"));
        LaneLeases third(m_fixture->store(), QStringLiteral("engine c"));
        LaneLeases::Renewal renewal;
        QString error;
        for (LaneLeases* leases : {&first, &second, &third}) // all three alive before anyone takes a lane
            QVERIFY2(leases->renew({}, m_clock.now(), &renewal, &error), qPrintable(error));
        QList<int> held;
        QSet<qint64> all;
        for (LaneLeases* leases : {&third, &first, &second}) {
            QVERIFY2(leases->renew(wanted, m_clock.now(), &renewal, &error), qPrintable(error));
            QCOMPARE(renewal.engines, 3);
            QCOMPARE(renewal.held.size(), renewal.share);
            held << renewal.share;
            all += renewal.held;
        }
        QCOMPARE(held, QList<int>({1, 2, 1})); // engine c, a, b
        QCOMPARE(all.size(), 4);
        QCOMPARE(LaneLeases::fairShare(5, 3, 1), 2);
        QCOMPARE(LaneLeases::fairShare(5, 3, 2), 1);
        QCOMPARE(LaneLeases::fairShare(2, 3, 2), 0);
    }

    // A dead engine's lane waits until its lease runs out; then another engine takes it, queues again what the dead
    // one left in flight, and delivers everything in order.
    void aDeadEnginesLaneIsTakenOverWhenItsLeaseRunsOut()
    {
        m_engine.reset();
        LaneLeases dead(m_fixture->store(), QStringLiteral("dead worker"));
        LaneLeases::Renewal renewal;
        QString error;
        QVERIFY2(dead.renew({m_integration.id}, m_clock.now(), &renewal, &error), qPrintable(error));
        QCOMPARE(renewal.held, QSet<qint64>{m_integration.id});
        enqueue(5);
        QCOMPARE(DeliveryQueue(m_fixture->store()).claim(m_integration.id, 2, m_clock.now(), &error).size(), 2);

        m_engine = std::make_unique<DeliveryEngine>(m_fixture->store(), *m_transport, m_clock, QStringLiteral("test"));
        m_engine->setTickInterval(50);
        m_engine->start();
        expectQuiet(0);
        QVERIFY(!m_engine->isIdle()); // the dead one's lane has work: not idle (a worker --until-idle waits)
        QCOMPARE(LaneLeases::holders(m_fixture->store(), m_clock.now()), QStringList{QStringLiteral("dead worker")});

        advance(LaneLeases::DefaultSeconds + 1);
        QTRY_COMPARE_WITH_TIMEOUT(count(Delivery::State::Delivered), 5, 20000);
        QCOMPARE(m_receiver->receivedIds(), ids(5));
        QCOMPARE(LaneLeases::holders(m_fixture->store(), m_clock.now()), QStringList{QStringLiteral("test")});
        QTRY_VERIFY(m_engine->isIdle());
    }

    // A batch is one request: its attempt is logged once, and every statement it carried shows it among its own
    // attempts, beside those that carried it alone (the probe).
    void batchAttemptIsLoggedOnceForEveryStatement()
    {
        edit([](Integration& integration) { integration.batchSize = 5; });
        faults(QStringLiteral("503*1"));
        enqueue(10);
        QTRY_COMPARE_WITH_TIMEOUT(stored().health(), Integration::Health::Retrying, 20000);
        advance(60); // the probe carries s0 alone; then [s1..s5] and [s6..s9]
        QTRY_COMPARE_WITH_TIMEOUT(count(Delivery::State::Delivered), 10, 20000);
        QCOMPARE(m_receiver->requests().size(), 4);

        const auto scalar = [this](const QString& sql) {
            QSqlQuery query(m_fixture->store().database());
            return query.exec(sql) && query.next() ? query.value(0).toInt() : -1;
        };
        QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM attempts")), 4);
        // The failed batch is linked by a row per statement; the two that delivered, by the deliveries themselves.
        QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM attempt_deliveries")), 5);
        QCOMPARE(scalar(QStringLiteral("SELECT COUNT(DISTINCT batch_attempt_id) FROM deliveries")), 2);
        QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM attempt_links")), 5 + 5 + 4);

        QString error;
        QHash<QString, QList<AttemptRecord>> byStatement;
        for (const Delivery& delivery : DeliveryQueue(m_fixture->store()).list({}, 100, 0, &error)) {
            QCOMPARE(delivery.attempts, AttemptLog(m_fixture->store()).forDelivery(delivery.id, &error).size());
            byStatement.insert(delivery.statementId, AttemptLog(m_fixture->store()).forDelivery(delivery.id, &error));
            for (const AttemptRecord& attempt : byStatement.value(delivery.statementId))
                QCOMPARE(attempt.deliveryId, delivery.id);
        }
        const QList<AttemptRecord> first = byStatement.value(statementId(QStringLiteral("s"), 0));
        QCOMPARE(first.size(), 2);
        QCOMPARE(first[0].status.value_or(0), 503);
        QCOMPARE(first[0].statements, 5);
        QVERIFY(first[0].responseBody.contains(QLatin1String("Sandbox fault 503")));
        QCOMPARE(first[1].status.value_or(0), 200);
        QCOMPARE(first[1].statements, 1);
        const QList<AttemptRecord> fourth = byStatement.value(statementId(QStringLiteral("s"), 3));
        QCOMPARE(fourth.size(), 2);
        QCOMPARE(fourth[0].id, first[0].id); // the same row
        QCOMPARE(fourth[1].statements, 5);
        QCOMPARE(fourth[1].status.value_or(0), 200);
        QVERIFY(fourth[1].requestBodySize > 0);
        const QList<AttemptRecord> last = byStatement.value(statementId(QStringLiteral("s"), 9));
        QCOMPARE(last.size(), 1);
        QCOMPARE(last[0].statements, 4);
        QCOMPARE(last[0].toJson().value(QStringLiteral("statements")).toInt(), 4);

        // Sent again and delivered alone, it keeps the batch that delivered it first in its history.
        DeliveryFilter which;
        which.statementId = statementId(QStringLiteral("s"), 9);
        const QList<Delivery> found = DeliveryQueue(m_fixture->store()).list(which, 1, 0, &error);
        QCOMPARE(found.size(), 1);
        QCOMPARE(DeliveryQueue(m_fixture->store()).resend({found.first().id}, &error), 1);
        m_engine->poke();
        QTRY_COMPARE_WITH_TIMEOUT(m_receiver->requests().size(), 5, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(count(Delivery::State::Delivered), 10, 20000);
        const QList<AttemptRecord> again = AttemptLog(m_fixture->store()).forDelivery(found.first().id, &error);
        QCOMPARE(again.size(), 2);
        QCOMPARE(again[0].id, last[0].id);
        QCOMPARE(again[1].statements, 1);
    }
};

QTEST_GUILESS_MAIN(TestDeliveryEngine)
#include "tst_deliveryengine.moc"
