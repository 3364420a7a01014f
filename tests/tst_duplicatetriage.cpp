#include "InMemorySecretStore.h"
#include "LocalReceiver.h"
#include "StoreFixtures.h"
#include "TestClock.h"
#include "TestStore.h"

#include "delivery/DeliveryEngine.h"
#include "delivery/DuplicateTriage.h"
#include "integrations/IntegrationRepository.h"
#include "runtime/CourierRuntime.h"
#include "sandbox/Sandbox.h"
#include "statements/StatementTemplates.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>
#include <QUuid>

// 409 triage: the engine's duplicates are read back from the receiver and compared with what was sent. Against the
// sandbox (identical and conflicting 409s, and one it does not have), a receiver that refuses reads, and one whose
// reads keep failing.
class TestDuplicateTriage final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestStore> m_fixture;
    TestClock m_clock;
    InMemorySecretStore m_secrets;
    std::unique_ptr<CourierRuntime> m_service;
    qint64 m_integrationId = 0;

    static QString newId() { return QUuid::createUuid().toString(QUuid::WithoutBraces); }
    static QJsonObject statement(const QString& id, double score = 90)
    {
        TemplateValues values;
        values.id = id;
        values.actorEmail = QStringLiteral("learner@example.com");
        values.objectId = QStringLiteral("https://example.com/courses/triage");
        values.scoreRaw = score;
        values.scoreMin = 0.0;
        values.scoreMax = 100.0;
        values.timestamp = QDateTime(QDate(2026, 11, 20), QTime(8, 0), Qt::UTC);
        return StatementTemplates::build(values);
    }
    void startService(const QUrl& url, int batchSize = 1)
    {
        Integration integration;
        integration.uid = QStringLiteral("triage");
        integration.name = QStringLiteral("Triage");
        integration.provider = QStringLiteral("triage");
        integration.statementUrl = url;
        integration.auth = Integration::Auth::None;
        integration.concurrency = 1;
        integration.batchSize = batchSize;
        FieldIssues issues;
        QString error;
        QVERIFY(IntegrationRepository(m_fixture->store()).insert(integration, &issues, &error));
        m_integrationId = integration.id;
        m_service = std::make_unique<CourierRuntime>(m_fixture->store(), m_secrets, m_clock, QStringLiteral("test"));
        m_service->engine().setTickInterval(50);
        m_service->triage().setPollInterval(100);
        m_service->start();
    }
    void enqueue(QList<QJsonObject> statements)
    {
        QString error;
        QVERIFY(DeliveryQueue(m_fixture->store()).enqueue(statements, {m_integrationId}, m_clock.now(), &error));
        m_service->engine().poke();
    }
    Delivery delivery(const QString& statementId)
    {
        DeliveryFilter filter;
        filter.statementId = statementId;
        QString error;
        const QList<Delivery> found = DeliveryQueue(m_fixture->store()).list(filter, 1, 0, &error);
        return found.isEmpty() ? Delivery() : found.first();
    }
    int triaged()
    {
        QString error;
        const LaneStats lane = DeliveryQueue(m_fixture->store()).stats(&error).value(m_integrationId);
        return lane.duplicatesIdentical + lane.duplicatesConflicting + lane.duplicatesUnverified;
    }

private Q_SLOTS:
    void init()
    {
        m_fixture = std::make_unique<TestStore>();
        QVERIFY(m_fixture->isValid());
    }
    void cleanup()
    {
        m_service.reset();
        m_fixture.reset();
    }

    void kindsFromWhatCameBack_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("fetched");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("detailKey");
        const QString id = QStringLiteral("0b8e3a1c-3f5b-4d7e-9c2a-6f1e8d4b2a10");
        QJsonObject stored = statement(id);
        stored.insert(QStringLiteral("stored"), QStringLiteral("2026-11-21T00:00:00Z"));
        stored.insert(QStringLiteral("version"), QStringLiteral("1.0.0"));
        QTest::newRow("identical") << 200 << QJsonDocument(stored).toJson() << QStringLiteral("identical")
                                   << QStringLiteral("differences");
        QTest::newRow("conflicting") << 200 << QJsonDocument(statement(id, 10)).toJson()
                                     << QStringLiteral("conflicting") << QStringLiteral("differences");
        QTest::newRow("may not read") << 403 << QByteArray() << QStringLiteral("unverified") << QStringLiteral("reason");
        QTest::newRow("unauthorized") << 401 << QByteArray() << QStringLiteral("unverified") << QStringLiteral("reason");
        QTest::newRow("not there") << 404 << QByteArray() << QStringLiteral("unverified") << QStringLiteral("reason");
        QTest::newRow("another statement") << 200 << QJsonDocument(statement(newId())).toJson()
                                           << QStringLiteral("unverified") << QStringLiteral("reason");
        QTest::newRow("not JSON") << 200 << QByteArray("ok") << QStringLiteral("unverified") << QStringLiteral("reason");
    }
    void kindsFromWhatCameBack()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, fetched);
        QFETCH(QString, kind);
        QFETCH(QString, detailKey);
        const QByteArray sent =
            QJsonDocument(statement(QStringLiteral("0B8E3A1C-3F5B-4D7E-9C2A-6F1E8D4B2A10"))).toJson(QJsonDocument::Compact);
        QByteArray detail;
        QCOMPARE(DuplicateTriage::kindFor(status, sent, fetched, &detail), kind);
        QVERIFY(QJsonDocument::fromJson(detail).object().contains(detailKey));
    }

    void identicalConflictingAndMissingAgainstTheSandbox()
    {
        Sandbox sandbox;
        QString error;
        QVERIFY(sandbox.listen(0, &error));
        const QString same = newId();
        const QString reused = newId();
        QVERIFY(sandbox.statements().insert({statement(same), statement(reused, 10)}, QDateTime::currentDateTimeUtc(),
                                            &error));
        startService(sandbox.statementsUrl());
        enqueue({statement(same), statement(reused, 99)});
        // The identical resend is a 200 (delivered); send it by PUT-less POST again as a batch member below.
        QTRY_COMPARE_WITH_TIMEOUT(triaged(), 1, 20000);
        QCOMPARE(delivery(same).state, Delivery::State::Delivered);
        const Delivery conflicting = delivery(reused);
        QCOMPARE(conflicting.state, Delivery::State::Duplicate);
        QCOMPARE(conflicting.duplicateKind, QStringLiteral("conflicting"));
        const QJsonArray differences =
            QJsonDocument::fromJson(conflicting.duplicateDetail).object().value(QStringLiteral("differences")).toArray();
        QVERIFY(!differences.isEmpty());
        const QJsonObject first = differences.first().toObject();
        QCOMPARE(first.value(QStringLiteral("path")).toString(), QStringLiteral("result.score.raw"));
        QCOMPARE(first.value(QStringLiteral("sent")).toDouble(), 99.0);
        QCOMPARE(first.value(QStringLiteral("stored")).toDouble(), 10.0);
        const QJsonObject json = conflicting.toJson(false);
        QCOMPARE(json.value(QStringLiteral("duplicateKind")).toString(), QStringLiteral("conflicting"));

        DeliveryFilter onlyConflicting;
        onlyConflicting.duplicateKind = QStringLiteral("conflicting");
        QCOMPARE(DeliveryQueue(m_fixture->store()).count(onlyConflicting, &error), 1);
        const LaneStats lane = DeliveryQueue(m_fixture->store()).stats(&error).value(m_integrationId);
        QCOMPARE(lane.duplicates, 1);
        QCOMPARE(lane.duplicatesConflicting, 1);

        // A batch refused whole (409) for one statement: the sandbox has the one it conflicts on, and its identical
        // twin, but not the new one, which is recorded as duplicate too (the policy) and triaged unverified.
        Integration batched = *IntegrationRepository(m_fixture->store()).byId(m_integrationId, &error);
        batched.batchSize = 3;
        FieldIssues issues;
        QVERIFY(IntegrationRepository(m_fixture->store()).update(batched, &issues, &error));
        const QString fresh = newId();
        enqueue({statement(same), statement(reused, 50), statement(fresh)});
        QTRY_COMPARE_WITH_TIMEOUT(triaged(), 4, 20000);
        QCOMPARE(delivery(fresh).duplicateKind, QStringLiteral("unverified"));
        QVERIFY(QJsonDocument::fromJson(delivery(fresh).duplicateDetail)
                    .object()
                    .value(QStringLiteral("reason"))
                    .toString()
                    .contains(QLatin1String("404")));
        DeliveryFilter identical;
        identical.duplicateKind = QStringLiteral("identical");
        QCOMPARE(DeliveryQueue(m_fixture->store()).count(identical, &error), 1);
        QCOMPARE(DeliveryQueue(m_fixture->store()).count(onlyConflicting, &error), 2);

        // The CLI carries the kind, and counts them apart.
        QProcess cli;
        cli.start(QStringLiteral(COURIER_BINARY),
                  {QStringLiteral("--db"), m_fixture->location(), QStringLiteral("queue"), QStringLiteral("list"),
                   QStringLiteral("--duplicate-kind"), QStringLiteral("conflicting"), QStringLiteral("--json")});
        QSignalSpy listed(&cli, &QProcess::finished);
        QVERIFY(listed.wait(30000));
        const QJsonArray rows = QJsonDocument::fromJson(cli.readAllStandardOutput()).array();
        QCOMPARE(rows.size(), 2);
        QCOMPARE(rows.first().toObject().value(QStringLiteral("duplicateKind")).toString(),
                 QStringLiteral("conflicting"));
        QProcess status;
        status.start(QStringLiteral(COURIER_BINARY), {QStringLiteral("--db"), m_fixture->location(),
                                                      QStringLiteral("queue"), QStringLiteral("status")});
        QSignalSpy shown(&status, &QProcess::finished);
        QVERIFY(shown.wait(30000));
        const QString text = QString::fromUtf8(status.readAllStandardOutput());
        QVERIFY2(text.contains(QLatin1String("4 (2 conflicting, 1 unverified)")), qPrintable(text));
    }

    void receiverThatRefusesReads()
    {
        LocalReceiver receiver;
        QVERIFY(receiver.start());
        receiver.setStatementReplier([](const LocalReceiver::Request& request) -> LocalReceiver::Reply {
            if (request.method == "GET")
                return {403, R"({"error":"write-only key"})", {}, 0};
            return {409, "already have it", {}, 0};
        });
        startService(receiver.statementsUrl());
        const QString id = newId();
        enqueue({statement(id)});
        QTRY_COMPARE_WITH_TIMEOUT(triaged(), 1, 20000);
        const Delivery duplicate = delivery(id);
        QCOMPARE(duplicate.duplicateKind, QStringLiteral("unverified"));
        QVERIFY(QJsonDocument::fromJson(duplicate.duplicateDetail)
                    .object()
                    .value(QStringLiteral("reason"))
                    .toString()
                    .contains(QLatin1String("may not read")));
        QCOMPARE(receiver.statementRequests.last().query, QStringLiteral("statementId=") + id);
        QCOMPARE(receiver.statementRequests.last().header("X-Experience-API-Version"), QByteArray("1.0.3"));
    }

    void readsThatKeepFailingEndUnverified()
    {
        LocalReceiver receiver;
        QVERIFY(receiver.start());
        receiver.setStatementReplier([](const LocalReceiver::Request& request) -> LocalReceiver::Reply {
            return request.method == "GET" ? LocalReceiver::Reply{503, "busy", {}, 0}
                                           : LocalReceiver::Reply{409, "duplicate", {}, 0};
        });
        startService(receiver.statementsUrl());
        const QString id = newId();
        enqueue({statement(id)});
        QTRY_COMPARE_WITH_TIMEOUT(triaged(), 1, 20000);
        QCOMPARE(delivery(id).duplicateKind, QStringLiteral("unverified"));
        int reads = 0;
        for (const LocalReceiver::Request& request : receiver.statementRequests)
            reads += request.method == "GET" ? 1 : 0;
        QCOMPARE(reads, DuplicateTriage::TransientTries);
    }

    // A 409 answered again later (a resend) forgets the earlier triage, which runs again.
    void aNewAnswerIsTriagedAgain()
    {
        Sandbox sandbox;
        QString error;
        QVERIFY(sandbox.listen(0, &error));
        const QString id = newId();
        QVERIFY(sandbox.statements().insert({statement(id, 1)}, QDateTime::currentDateTimeUtc(), &error));
        startService(sandbox.statementsUrl());
        enqueue({statement(id)});
        QTRY_COMPARE_WITH_TIMEOUT(delivery(id).duplicateKind, QStringLiteral("conflicting"), 20000);
        QCOMPARE(DeliveryQueue(m_fixture->store()).resend({delivery(id).id}, &error), 1);
        QCOMPARE(delivery(id).state, Delivery::State::Queued);
        m_service->engine().poke();
        QTRY_COMPARE_WITH_TIMEOUT(sandbox.requests().size(), 4, 20000); // POST, GET, POST again, GET again
        QTRY_COMPARE_WITH_TIMEOUT(delivery(id).duplicateKind, QStringLiteral("conflicting"), 20000);
    }
};

QTEST_GUILESS_MAIN(TestDuplicateTriage)
#include "tst_duplicatetriage.moc"
