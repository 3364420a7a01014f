#include "CliRunner.h"
#include "InMemorySecretStore.h"
#include "LocalReceiver.h"
#include "StoreFixtures.h"
#include "TestStore.h"

#include "common/Clock.h"
#include "delivery/DeliveryEngine.h"
#include "delivery/DeliveryQueue.h"
#include "erasure/LearnerErasure.h"
#include "runtime/CourierRuntime.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTest>

// Erasing one learner, on real stores (SQLite files, and PostgreSQL with the _postgresql run): which statements name
// them, what goes, what stays, the voiding statements, and (SQLite, through the real binary) no byte of them left in
// the files.
class TestErasure final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestStore> m_fixture;
    qint64 m_first = 0;
    qint64 m_second = 0;
    const QDateTime m_now = QDateTime(QDate(2026, 11, 22), QTime(12, 0), Qt::UTC);
    const QString m_sha1 =
        QString::fromLatin1(QCryptographicHash::hash("mailto:ada@example.com", QCryptographicHash::Sha1).toHex());

    Store& store() { return m_fixture->store(); }

    static QJsonObject mbox(const QString& address)
    {
        return {{QStringLiteral("mbox"), QString(QStringLiteral("mailto:") + address)}};
    }
    static QJsonObject statement(const QString& id, const QJsonObject& actor, const QJsonObject& context = {})
    {
        QJsonObject s{{QStringLiteral("id"), id},
                      {QStringLiteral("actor"), actor},
                      {QStringLiteral("verb"), QJsonObject{{QStringLiteral("id"), QStringLiteral("http://v/done")}}},
                      {QStringLiteral("object"), QJsonObject{{QStringLiteral("id"), QStringLiteral("http://a/1")}}}};
        if (!context.isEmpty())
            s.insert(QStringLiteral("context"), context);
        return s;
    }

    qint64 scalar(const QString& sql)
    {
        QSqlQuery query(store().database());
        if (!query.exec(sql) || !query.next())
            qFatal("%s failed", qPrintable(sql));
        return query.value(0).toLongLong();
    }

    // Queues them to the integrations and records each one's answer: state per statement id.
    void deliver(const QList<QJsonObject>& statements, const QList<qint64>& integrations,
                 const QHash<QString, Delivery::State>& states)
    {
        DeliveryQueue queue(store());
        QList<QJsonObject> copy = statements;
        QString error;
        QVERIFY2(queue.enqueue(copy, integrations, m_now, &error), qPrintable(error));
        for (qint64 integration : integrations) {
            QList<DeliveryQueue::Outcome> outcomes;
            for (const Delivery& delivery : queue.claim(integration, 100, m_now, &error)) {
                const Delivery::State state = states.value(delivery.statementId, Delivery::State::Queued);
                DeliveryQueue::Outcome outcome;
                outcome.deliveryId = delivery.id;
                outcome.state = state;
                outcome.status = state == Delivery::State::Held ? 400 : state == Delivery::State::Queued ? 503 : 200;
                outcome.attempt.startedAt = m_now;
                outcome.attempt.integrationId = integration;
                outcome.attempt.status = outcome.status;
                outcome.attempt.responseBody = QStringLiteral("{\"echo\":\"%1\"}").arg(delivery.statementId);
                outcomes << outcome;
            }
            QVERIFY2(queue.record(outcomes, m_now, &error), qPrintable(error));
        }
    }

    void addCompletion(const QString& userId, const QString& statementId)
    {
        QSqlQuery insert(store().database());
        insert.prepare(QStringLiteral("INSERT INTO completions (content_id, user_id, score, max_score, ratio, "
                                      "opened_ts, finished_ts, completion_time, received_at, source, statement_id) "
                                      "VALUES ('c1', ?, 1, 2, 0.5, 1, 2, 1, 3, 'test', ?)"));
        insert.addBindValue(userId);
        insert.addBindValue(statementId);
        QVERIFY(insert.exec());
    }

    // Ada in every place a statement can name her, Bob beside her, and a completion and a test send of hers.
    void addAdaAndBob()
    {
        const QJsonObject ada = mbox(QStringLiteral("ada@example.com"));
        const QJsonObject bob = mbox(QStringLiteral("bob@example.com"));
        const QJsonObject group{{QStringLiteral("objectType"), QStringLiteral("Group")},
                                {QStringLiteral("member"), QJsonArray{bob, ada}}};
        deliver(
            {statement(QStringLiteral("ada-actor"), ada),
             statement(QStringLiteral("ada-instructor"), bob,
                       {{QStringLiteral("instructor"), QJsonObject{{QStringLiteral("mbox_sha1sum"), m_sha1}}}}),
             statement(QStringLiteral("ada-context-agent"), bob,
                       {{QStringLiteral("contextAgents"),
                         QJsonArray{QJsonObject{{QStringLiteral("objectType"), QStringLiteral("contextAgent")},
                                                {QStringLiteral("agent"), mbox(QStringLiteral("ADA@example.com"))}}}}}),
             statement(QStringLiteral("ada-team"), bob, {{QStringLiteral("team"), group}}),
             statement(QStringLiteral("bob"), bob)},
            {m_first},
            {{QStringLiteral("ada-actor"), Delivery::State::Delivered},
             {QStringLiteral("ada-instructor"), Delivery::State::Held},
             {QStringLiteral("ada-team"), Delivery::State::Duplicate},
             {QStringLiteral("bob"), Delivery::State::Delivered}});
        // The same statement of Ada's, still queued to the second integration; a group of hers, discarded there.
        deliver({statement(QStringLiteral("ada-actor"), ada), statement(QStringLiteral("ada-group"), group)},
                {m_second}, {});
        DeliveryFilter groupFilter;
        groupFilter.statementId = QStringLiteral("ada-group");
        QString error;
        QCOMPARE(DeliveryQueue(store()).discard(DeliveryQueue(store()).ids(groupFilter, &error), &error), 1);
        addCompletion(QStringLiteral("ada@example.com"), QStringLiteral("ada-h5p"));
        addCompletion(QStringLiteral("bob@example.com"), QStringLiteral("bob-h5p"));
        QSqlQuery send(store().database());
        QVERIFY(
            send.exec(QStringLiteral("INSERT INTO test_sends (integration_name, sent_at, statement) VALUES ('first', "
                                     "1, '%1')")
                          .arg(QString::fromUtf8(
                              QJsonDocument(statement(QStringLiteral("t"), ada)).toJson(QJsonDocument::Compact)))));
    }

private Q_SLOTS:
    void init()
    {
        m_fixture = std::make_unique<TestStore>();
        QVERIFY2(m_fixture->isValid(), qPrintable(m_fixture->error()));
        m_first = StoreFixtures::addOpenIntegration(store(), QStringLiteral("first"));
        m_second = StoreFixtures::addOpenIntegration(store(), QStringLiteral("second"));
        // Receivers of xAPI 2.0.0: the statement naming Ada in contextAgents is kept as it is (a 1.0.3 receiver gets
        // it converted, without contextAgents).
        QSqlQuery speakTwo(store().database());
        QVERIFY(speakTwo.exec(QStringLiteral("UPDATE integrations SET xapi_version = '2.0.0'")));
    }
    void cleanup() { m_fixture.reset(); }

    void learnerIdsAreParsedOrRefusedByName()
    {
        QString error;
        QCOMPARE(LearnerId::parse(QStringLiteral("mailto:Ada@Example.com"), &error)->display(),
                 QStringLiteral("mailto:ada@example.com"));
        QCOMPARE(LearnerId::parse(QStringLiteral("https://sso.example.com::ada"), &error)->kind(),
                 LearnerId::Kind::Account);
        QCOMPARE(LearnerId::parse(QStringLiteral("mbox_sha1sum:") + m_sha1.toUpper(), &error)->display(),
                 QStringLiteral("mbox_sha1sum:") + m_sha1);
        QVERIFY(!LearnerId::parse(QStringLiteral("mailto:nobody"), &error));
        QCOMPARE(error, QStringLiteral("--actor: “mailto:nobody” is not an e-mail address; write "
                                       "mailto:learner@example.com."));
        QVERIFY(!LearnerId::parse(QStringLiteral("mbox_sha1sum:abc"), &error));
        QVERIFY(error.contains(QLatin1String("40 hexadecimal digits")));
        QVERIFY(!LearnerId::parse(QStringLiteral("ada"), &error));
        QVERIFY(error.contains(QLatin1String("none of mailto:ADDRESS, ACCOUNT_HOMEPAGE::NAME or mbox_sha1sum:HASH")));

        const auto account = LearnerId::parse(QStringLiteral("https://sso.example.com::ada"), &error);
        const QJsonObject byAccount{
            {QStringLiteral("account"),
             QJsonObject{{QStringLiteral("homePage"), QStringLiteral("https://sso.example.com")},
                         {QStringLiteral("name"), QStringLiteral("ada")}}}};
        QVERIFY(account->matchesStatement(statement(QStringLiteral("x"), byAccount)));
        QVERIFY(!account->matchesStatement(statement(QStringLiteral("x"), mbox(QStringLiteral("ada@example.com")))));
        QVERIFY(account->matchesUserId(QStringLiteral("ada")));
        const auto hash = LearnerId::parse(QStringLiteral("mbox_sha1sum:") + m_sha1, &error);
        QVERIFY(hash->matchesStatement(statement(QStringLiteral("x"), mbox(QStringLiteral("ada@example.com")))));
        QVERIFY(hash->matchesUserId(QStringLiteral("ada@example.com")));
    }

    void eraseRemovesEveryStatementNamingTheLearnerAndCountsThem()
    {
        addAdaAndBob();
        QString error;
        const auto ada = LearnerId::parse(QStringLiteral("mailto:ada@example.com"), &error);
        LearnerErasure erasure(store());
        ErasureCounts before;
        QVERIFY2(erasure.count(*ada, &before, &error), qPrintable(error));
        QCOMPARE(before.delivered, 2); // ada-actor to first, ada-team (duplicate)
        QCOMPARE(before.held, 1);      // ada-instructor, named by the hash of her mbox
        QCOMPARE(before.queued, 2);    // ada-context-agent (503, waiting), ada-actor to second
        QCOMPARE(before.discarded, 1); // ada-group
        QCOMPARE(before.attempts, 6);  // one per answer recorded: 4 at first (Bob's aside), 2 at second
        QCOMPARE(before.completions, 1);
        QCOMPARE(before.testSends, 1);
        QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM deliveries")), 7); // counting changed nothing

        ErasureCounts erased;
        QString warning;
        QVERIFY2(erasure.erase(*ada, true, m_now, &erased, &warning, &error), qPrintable(error));
        QVERIFY2(warning.isEmpty(), qPrintable(warning));
        QCOMPARE(erased.statements(), 6);
        QCOMPARE(erased.attempts, 6);
        QCOMPARE(erased.completions, 1);
        QCOMPARE(erased.testSends, 1);
        QCOMPARE(erased.voiding, 2); // ada-actor and ada-team, both received by first

        // Bob's statement and completion stay; the voiding statements wait for the first integration.
        QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM deliveries WHERE statement_id = 'bob'")), 1);
        QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM deliveries WHERE statement_id LIKE 'ada%'")), 0);
        QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM completions")), 1);
        QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM test_sends")), 0);
        QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM attempts")), 1);
        DeliveryFilter queued;
        queued.states = {Delivery::State::Queued};
        const QList<Delivery> voiding = DeliveryQueue(store()).list(queued, 10, 0, &error);
        QCOMPARE(voiding.size(), 2);
        QStringList voided;
        for (const Delivery& delivery : voiding) {
            QCOMPARE(delivery.integrationId, m_first);
            const QJsonObject body = QJsonDocument::fromJson(delivery.body).object();
            QCOMPARE(body.value(QStringLiteral("verb")).toObject().value(QStringLiteral("id")).toString(),
                     QStringLiteral("http://adlnet.gov/expapi/verbs/voided"));
            QCOMPARE(body.value(QStringLiteral("actor")).toObject(), LearnerErasure::voidingActor());
            voided << body.value(QStringLiteral("object")).toObject().value(QStringLiteral("id")).toString();
        }
        voided.sort();
        QCOMPARE(voided, (QStringList{QStringLiteral("ada-actor"), QStringLiteral("ada-team")}));
        // Nothing of hers is left in any row (on PostgreSQL: every row of every table).
        const QByteArray rows = m_fixture->storedBytes();
        QVERIFY(!rows.toLower().contains("ada@example.com"));
        QVERIFY(!rows.contains(m_sha1.toLatin1()));

        // A second erase finds nothing.
        ErasureCounts again;
        QVERIFY(erasure.count(*ada, &again, &error));
        QVERIFY(again.isEmpty());
    }

    // A statement erased while its request is in flight: its answer is left out and the others' are recorded (the
    // attempt of the erased one would point at nothing and fail the whole commit: the others were sent again).
    void erasedWhileInFlight()
    {
        LocalReceiver receiver;
        QVERIFY(receiver.start());
        receiver.setStatementReplies({{200, {}, {}, 400}});
        const qint64 lrs = StoreFixtures::addOpenIntegration(store(), QStringLiteral("lrs"), receiver.statementsUrl());
        QList<QJsonObject> statements{statement(QStringLiteral("ada-1"), mbox(QStringLiteral("ada@example.com"))),
                                      statement(QStringLiteral("bob-1"), mbox(QStringLiteral("bob@example.com"))),
                                      statement(QStringLiteral("bob-2"), mbox(QStringLiteral("bob@example.com")))};
        QString error;
        QVERIFY(DeliveryQueue(store()).enqueue(statements, {lrs}, QDateTime::currentDateTimeUtc(), &error));
        InMemorySecretStore secrets;
        CourierRuntime runtime(store(), secrets, Clock::system(), QStringLiteral("erasure test"));
        runtime.start();
        QTRY_COMPARE_WITH_TIMEOUT(receiver.statementRequests.size(), 3, 20000);
        ErasureCounts erased;
        QString warning;
        QVERIFY2(LearnerErasure(store()).erase(*LearnerId::parse(QStringLiteral("mailto:ada@example.com"), &error),
                                               false, m_now, &erased, &warning, &error),
                 qPrintable(error));
        QCOMPARE(erased.queued, 1);
        QTRY_COMPARE_WITH_TIMEOUT(StoreFixtures::countDeliveries(store(), Delivery::State::Delivered), 2, 20000);
        QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM deliveries")), 2);
        QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM attempts")), 2);
        QCOMPARE(receiver.statementRequests.size(), 3); // Bob's were not sent a second time for want of a record
        QSignalSpy stopped(&runtime, &CourierRuntime::stopped);
        runtime.stop();
        QVERIFY(stopped.count() == 1 || stopped.wait(30000));
    }

    // Through the real binary: afterwards not one byte of her address (nor its hash) is in the SQLite files.
    void noTraceLeftInTheSqliteFiles()
    {
        COURIER_SQLITE_ONLY("the bytes of the SQLite files");
        addAdaAndBob();
        m_fixture->close();
        QVERIFY(m_fixture->fileBytes().contains("ada@example.com"));
        CliRunner cli(m_fixture->path());
        const CliResult refused =
            cli.run({QStringLiteral("erase"), QStringLiteral("--actor"), QStringLiteral("mailto:ada@example.com")});
        QCOMPARE(refused.exitCode, 2);
        QVERIFY2(refused.err.contains("add --yes when not running on a terminal"), refused.err.constData());
        const CliResult wrong = cli.run({QStringLiteral("erase"), QStringLiteral("--actor"), QStringLiteral("ada")});
        QCOMPARE(wrong.exitCode, 2);

        const CliResult erased = cli.run({QStringLiteral("erase"), QStringLiteral("--actor"),
                                          QStringLiteral("mailto:ada@example.com"), QStringLiteral("--yes")});
        QCOMPARE(erased.exitCode, 0);
        QVERIFY2(erased.out.contains("Erased mailto:ada@example.com:\n"
                                     "  statements: 2 queued, 1 held, 2 delivered, 1 discarded\n"
                                     "  attempts: 6\n"
                                     "  completion records: 1\n"),
                 erased.out.constData());
        QVERIFY2(erased.err.isEmpty(), erased.err.constData());
        const QByteArray files = m_fixture->fileBytes().toLower();
        QVERIFY(!files.contains("ada@example.com"));
        QVERIFY(!files.contains(m_sha1.toLatin1()));
        QVERIFY(files.contains("bob@example.com"));

        const CliResult nothing = cli.run({QStringLiteral("erase"), QStringLiteral("--actor"),
                                           QStringLiteral("mailto:ada@example.com"), QStringLiteral("--json")});
        QCOMPARE(nothing.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(nothing.out).object().value(QStringLiteral("delivered")).toInt(), 0);
    }
};

QTEST_GUILESS_MAIN(TestErasure)
#include "tst_erasure.moc"
