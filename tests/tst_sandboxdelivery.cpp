#include "InMemorySecretStore.h"
#include "StoreFixtures.h"
#include "TestClock.h"
#include "TestStore.h"

#include "delivery/CurlTransport.h"
#include "delivery/DeliveryEngine.h"
#include "delivery/TokenClient.h"
#include "integrations/IntegrationRepository.h"
#include "sandbox/Sandbox.h"
#include "statements/StatementTemplates.h"

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QTest>
#include <QUuid>

// The delivery policy, branch by branch, against the sandbox LRS and its fault script: the engine with its real
// transport (libcurl) and a real store, a test clock for the probe interval. Nothing here is a hand-written receiver.
class TestSandboxDelivery final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestStore> m_fixture;
    std::unique_ptr<Sandbox> m_sandbox;
    TestClock m_clock;
    QNetworkAccessManager m_network;
    InMemorySecretStore m_secrets;
    std::unique_ptr<TokenClient> m_tokens;
    std::unique_ptr<CurlTransport> m_transport;
    std::unique_ptr<DeliveryEngine> m_engine;
    Integration m_integration;
    QStringList m_ids;

    static QJsonObject statement(const QString& id, double score = 90)
    {
        TemplateValues values;
        values.id = id;
        values.actorBy = TemplateValues::ActorBy::Account;
        values.accountHomePage = QStringLiteral("https://lms.example.com");
        values.accountName = QStringLiteral("learner-7");
        values.objectId = QStringLiteral("https://example.com/lessons/fire-safety");
        values.objectKind = TemplateValues::ObjectKind::Lesson;
        values.scoreRaw = score;
        values.scoreMin = 0.0;
        values.scoreMax = 100.0;
        values.timestamp = QDateTime(QDate(2026, 11, 20), QTime(8, 0), Qt::UTC);
        return StatementTemplates::build(values);
    }
    Integration stored()
    {
        QString error;
        return *IntegrationRepository(m_fixture->store()).byId(m_integration.id, &error);
    }
    void enqueue(QList<QJsonObject> statements)
    {
        QString error;
        QVERIFY(DeliveryQueue(m_fixture->store()).enqueue(statements, {m_integration.id}, m_clock.now(), &error));
        m_engine->poke();
    }
    QStringList enqueueNew(int count)
    {
        QList<QJsonObject> statements;
        QStringList ids;
        for (int i = 0; i < count; ++i) {
            ids << QUuid::createUuid().toString(QUuid::WithoutBraces);
            statements << statement(ids.last());
        }
        enqueue(statements);
        return ids;
    }
    int count(Delivery::State state) { return StoreFixtures::countDeliveries(m_fixture->store(), state); }
    int storedInSandbox()
    {
        QString error;
        return m_sandbox->statements().count(&error);
    }
    void advance(int seconds)
    {
        m_clock.advance(seconds * 1000LL);
        m_engine->poke();
    }
    void faults(const QString& spec)
    {
        QString error;
        QVERIFY2(m_sandbox->setFaults(spec, &error), qPrintable(error));
    }
    QList<int> statuses() const
    {
        QList<int> result;
        for (const Sandbox::Request& request : m_sandbox->requests())
            result << request.status;
        return result;
    }

private Q_SLOTS:
    void init()
    {
        m_fixture = std::make_unique<TestStore>();
        QVERIFY(m_fixture->isValid());
        m_sandbox = std::make_unique<Sandbox>();
        QString error;
        QVERIFY2(m_sandbox->listen(0, &error), qPrintable(error));
        m_integration = Integration();
        m_integration.uid = QStringLiteral("sandbox");
        m_integration.name = QStringLiteral("Sandbox");
        m_integration.provider = QStringLiteral("sandbox");
        m_integration.statementUrl = m_sandbox->statementsUrl();
        m_integration.auth = Integration::Auth::None;
        m_integration.concurrency = 1;
        FieldIssues issues;
        QVERIFY(IntegrationRepository(m_fixture->store()).insert(m_integration, &issues, &error));
        m_tokens = std::make_unique<TokenClient>(m_network, m_secrets, m_clock);
        m_transport = std::make_unique<CurlTransport>(*m_tokens, m_clock);
        m_engine = std::make_unique<DeliveryEngine>(m_fixture->store(), *m_transport, m_clock, QStringLiteral("test"));
        m_engine->setTickInterval(50);
        m_engine->start();
    }
    void cleanup()
    {
        m_engine.reset();
        m_transport.reset();
        m_tokens.reset();
        m_sandbox.reset();
        m_fixture.reset();
    }

    void acceptedStatementsArriveInOrder()
    {
        const QStringList ids = enqueueNew(5);
        QTRY_COMPARE_WITH_TIMEOUT(count(Delivery::State::Delivered), 5, 20000);
        QCOMPARE(m_sandbox->receivedIds(), ids);
        QCOMPARE(storedInSandbox(), 5);
        QCOMPARE(stored().health(), Integration::Health::Healthy);
    }

    // 5xx: retrying, one statement probed per interval, the backlog flushed after the first success.
    void outageIsProbedThenFlushed_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<int>("status");
        QTest::newRow("503*2") << QStringLiteral("503*2") << 503;
        QTest::newRow("500*2") << QStringLiteral("500*2") << 500;
        QTest::newRow("drop*2") << QStringLiteral("drop*2") << 0;
    }
    void outageIsProbedThenFlushed()
    {
        QFETCH(QString, spec);
        QFETCH(int, status);
        faults(spec);
        const QStringList ids = enqueueNew(4);
        QTRY_COMPARE_WITH_TIMEOUT(stored().health(), Integration::Health::Retrying, 20000);
        QCOMPARE(stored().nextProbeAt, m_clock.now().addSecs(60));
        QTest::qWait(300);
        QCOMPARE(m_sandbox->requests().size(), 1); // nothing else is sent while retrying
        advance(60);                                 // the probe: the second fault
        QTRY_COMPARE_WITH_TIMEOUT(m_sandbox->requests().size(), 2, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(stored().nextProbeAt, m_clock.now().addSecs(60), 20000);
        QCOMPARE(stored().health(), Integration::Health::Retrying);
        advance(60); // the probe is accepted and the backlog goes
        QTRY_COMPARE_WITH_TIMEOUT(count(Delivery::State::Delivered), 4, 20000);
        QCOMPARE(stored().health(), Integration::Health::Healthy);
        QCOMPARE(statuses().mid(0, 3), (QList<int>{status, status, 200}));
        QCOMPARE(m_sandbox->receivedIds().mid(2), ids);
        QCOMPARE(storedInSandbox(), 4);
    }

    void retryAfterOf429IsHonoured()
    {
        faults(QStringLiteral("429*1:retry-after=120"));
        enqueueNew(1);
        QTRY_COMPARE_WITH_TIMEOUT(stored().health(), Integration::Health::Retrying, 20000);
        QCOMPARE(stored().nextProbeAt, m_clock.now().addSecs(120));
        advance(61);
        QTest::qWait(300);
        QCOMPARE(m_sandbox->requests().size(), 1);
        advance(60);
        QTRY_COMPARE_WITH_TIMEOUT(count(Delivery::State::Delivered), 1, 20000);
    }

    void slowAnswerTimesOutAndIsRetried()
    {
        m_transport->setTimeout(300);
        faults(QStringLiteral("delay=1500"));
        enqueueNew(1);
        QTRY_COMPARE_WITH_TIMEOUT(stored().health(), Integration::Health::Retrying, 20000);
        QVERIFY(stored().holdReason.contains(QLatin1String("timeout")));
        faults(QString());
        advance(60);
        QTRY_COMPARE_WITH_TIMEOUT(count(Delivery::State::Delivered), 1, 20000);
        QCOMPARE(storedInSandbox(), 1); // the timed-out request was stored too: the resend was identical
    }

    // 4xx: held with the receiver's answer until the integration is saved again.
    void rejectionHoldsUntilEdited_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("reason");
        QTest::newRow("400*1") << QStringLiteral("400*1") << QStringLiteral("HTTP 400");
        QTest::newRow("401*1") << QStringLiteral("401*1") << QStringLiteral("HTTP 401");
    }
    void rejectionHoldsUntilEdited()
    {
        QFETCH(QString, spec);
        QFETCH(QString, reason);
        faults(spec);
        const QStringList ids = enqueueNew(3);
        QTRY_COMPARE_WITH_TIMEOUT(stored().health(), Integration::Health::Held, 20000);
        QVERIFY2(stored().holdReason.contains(reason), qPrintable(stored().holdReason));
        advance(3600);
        QTest::qWait(300);
        QCOMPARE(m_sandbox->requests().size(), 1);
        Integration edited = stored();
        FieldIssues issues;
        QString error;
        QVERIFY(IntegrationRepository(m_fixture->store()).update(edited, &issues, &error));
        m_engine->poke();
        QTRY_COMPARE_WITH_TIMEOUT(count(Delivery::State::Delivered), 3, 20000);
        QCOMPARE(m_sandbox->receivedIds(), QStringList{ids.first()} + ids);
    }

    // An invalid statement: the sandbox answers 400 with the validator's findings, which the hold reason relays.
    void invalidStatementHoldsWithTheFindings()
    {
        QJsonObject invalid = statement(QUuid::createUuid().toString(QUuid::WithoutBraces));
        invalid.insert(QStringLiteral("verb"), QJsonObject{{QStringLiteral("id"), QStringLiteral("completed")}});
        enqueue({invalid});
        QTRY_COMPARE_WITH_TIMEOUT(stored().health(), Integration::Health::Held, 20000);
        QVERIFY2(stored().holdReason.contains(QLatin1String("verb.id")), qPrintable(stored().holdReason));
        QCOMPARE(storedInSandbox(), 0);
    }

    // 409: an id the sandbox holds with other content is a duplicate, delivered; the same content is a plain 200.
    void conflictingIdIsADuplicateIdenticalIsDelivered()
    {
        const QString conflicting = QUuid::createUuid().toString(QUuid::WithoutBraces);
        const QString identical = QUuid::createUuid().toString(QUuid::WithoutBraces);
        QString error;
        QVERIFY(m_sandbox->statements().insert({statement(conflicting, 10), statement(identical)},
                                               QDateTime::currentDateTimeUtc(), &error));
        enqueue({statement(conflicting, 99), statement(identical)});
        QTRY_COMPARE_WITH_TIMEOUT(count(Delivery::State::Duplicate) + count(Delivery::State::Delivered), 2, 20000);
        QCOMPARE(count(Delivery::State::Duplicate), 1);
        QCOMPARE(count(Delivery::State::Delivered), 1);
        QCOMPARE(statuses(), (QList<int>{409, 200}));
        QCOMPARE(stored().health(), Integration::Health::Healthy);
        QCOMPARE(m_sandbox->statements().find(conflicting, &error)->statement.value(QStringLiteral("result"))
                     .toObject()
                     .value(QStringLiteral("score"))
                     .toObject()
                     .value(QStringLiteral("raw"))
                     .toDouble(),
                 10.0); // kept, not overwritten
    }

    // Batches: one POST per batch; a batch with a conflicting statement is refused whole (409) and counts as
    // duplicate for all of it, as the policy has it.
    void batchesArePostedAsArrays()
    {
        Integration batched = stored();
        batched.batchSize = 3;
        FieldIssues issues;
        QString error;
        QVERIFY(IntegrationRepository(m_fixture->store()).update(batched, &issues, &error));
        const QStringList ids = enqueueNew(6);
        QTRY_COMPARE_WITH_TIMEOUT(count(Delivery::State::Delivered), 6, 20000);
        QCOMPARE(m_sandbox->requests().size(), 2);
        QCOMPARE(m_sandbox->receivedIds(), ids);
        QCOMPARE(storedInSandbox(), 6);
    }
};

QTEST_GUILESS_MAIN(TestSandboxDelivery)
#include "tst_sandboxdelivery.moc"
