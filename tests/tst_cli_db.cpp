#include "CliRunner.h"
#include "StoreFixtures.h"
#include "TestStore.h"

#include "delivery/DeliveryQueue.h"
#include "store/Migrations.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QTest>

// `xapi-courier db status|migrate|copy` against real stores: the engine under test (SQLite, or PostgreSQL with
// COURIER_TEST_DB=postgresql), and a real SQLite file as the source of a copy.
class TestCliDb final : public QObject
{
    Q_OBJECT

private:
    const QDateTime m_now = QDateTime(QDate(2026, 11, 22), QTime(12, 0), Qt::UTC);

    static QJsonObject json(const CliResult& result) { return QJsonDocument::fromJson(result.out).object(); }
    static qint64 scalar(Store& store, const QString& sql)
    {
        QSqlQuery query(store.database());
        if (!query.exec(sql) || !query.next())
            return -1;
        return query.value(0).toLongLong();
    }
    static QMap<QString, qint64> tableRows(const QJsonObject& copied)
    {
        QMap<QString, qint64> rows;
        for (const QJsonValue& table : copied.value(QStringLiteral("tables")).toArray())
            rows.insert(table[QStringLiteral("table")].toString(), table[QStringLiteral("rows")].toInteger());
        return rows;
    }

    // A single-desktop store with rows in every kind of table: two integrations, deliveries in several states with
    // their attempts, a setting, a test send, an alert and a completion record.
    void fillSource(Store& store)
    {
        const qint64 first = StoreFixtures::addOpenIntegration(store, QStringLiteral("Acme LRS"));
        const qint64 second = StoreFixtures::addOpenIntegration(store, QStringLiteral("Globex LRS"));
        DeliveryQueue queue(store);
        QList<QJsonObject> statements;
        for (int i = 0; i < 6; ++i)
            statements << QJsonObject{
                {QStringLiteral("id"), QStringLiteral("00000000-0000-4000-8000-00000000000%1").arg(i)},
                {QStringLiteral("verb"), QJsonObject{{QStringLiteral("id"), QStringLiteral("v")}}}};
        QString error;
        QVERIFY2(queue.enqueue(statements, {first, second}, m_now, &error), qPrintable(error));
        const QList<Delivery> claimed = queue.claim(first, 3, m_now, &error);
        QCOMPARE(claimed.size(), 3);
        QList<DeliveryQueue::Outcome> outcomes;
        for (const Delivery& delivery : claimed) {
            DeliveryQueue::Outcome outcome = StoreFixtures::acceptedOutcome(delivery.id, first, m_now);
            outcome.attempt.requestLine = QStringLiteral("POST https://lrs.example.com/Acme LRS");
            outcome.attempt.responseBody = QStringLiteral("[\"ok\"] – ünïcode");
            outcomes << outcome;
        }
        QVERIFY2(queue.record(outcomes, m_now, &error), qPrintable(error));
        QSqlQuery insert(store.database());
        QVERIFY(
            insert.exec(QStringLiteral("INSERT INTO settings (key, value) VALUES ('smtp/host', 'mail.example.com')")));
        QVERIFY(insert.exec(QStringLiteral("INSERT INTO test_sends (integration_id, integration_name, sent_at, "
                                           "statement, status) VALUES (%1, 'Acme LRS', 1, '{}', 204)")
                                .arg(first)));
        QVERIFY(insert.exec(QStringLiteral("INSERT INTO alerts (integration_id, integration_name, created_at, kind, "
                                           "recipients, subject, body_text, body_html, state) VALUES (%1, 'Globex "
                                           "LRS', 2, 'held', 'ops@example.com', 'Held', 'text', '<p>html</p>', "
                                           "'sent')")
                                .arg(second)));
        QVERIFY(insert.exec(QStringLiteral(
            "INSERT INTO completions (content_id, user_id, score, max_score, ratio, opened_ts, finished_ts, "
            "completion_time, received_at, statement_id) VALUES ('c1', 'u1', 7.5, 10, 0.75, 1, 2, 1, 3, 's')")));
    }

private Q_SLOTS:
    void statusAndMigrateAnOlderStore()
    {
        TestStore fixture(2);
        QVERIFY2(fixture.isValid(), qPrintable(fixture.error()));
        fixture.close();
        const CliRunner cli(fixture.location());
        const QString engine = TestStore::usesPostgres() ? QStringLiteral("postgresql") : QStringLiteral("sqlite");

        const CliResult status = cli.run({QStringLiteral("db"), QStringLiteral("status"), QStringLiteral("--json")});
        QVERIFY2(status.exitCode == 0, qPrintable(status.all()));
        QCOMPARE(json(status).value(QStringLiteral("engine")).toString(), engine);
        QCOMPARE(json(status).value(QStringLiteral("location")).toString(), fixture.location());
        QCOMPARE(json(status).value(QStringLiteral("schemaVersion")).toInt(), 2);
        QCOMPARE(json(status).value(QStringLiteral("latestVersion")).toInt(), Migrations::latestVersion());
        // Every migration after version 2 (their numbers may have gaps where another branch's migration goes).
        const qsizetype after2 = std::count_if(Migrations::all().cbegin(), Migrations::all().cend(),
                                               [](const Migration& migration) { return migration.version > 2; });
        QCOMPARE(json(status).value(QStringLiteral("pending")).toArray().size(), after2);
        QCOMPARE(json(status).value(QStringLiteral("pending")).toArray().first()[QStringLiteral("version")].toInt(), 3);

        // status changed nothing: migrate still has everything to do.
        const CliResult migrated = cli.run({QStringLiteral("db"), QStringLiteral("migrate")});
        QVERIFY2(migrated.exitCode == 0, qPrintable(migrated.all()));
        QVERIFY2(migrated.out.contains(QStringLiteral("applied %1 migrations").arg(after2).toUtf8()),
                 migrated.out.constData());
        QVERIFY(migrated.out.contains(Migrations::all().constLast().description.toUtf8()));

        const CliResult text = cli.run({QStringLiteral("db"), QStringLiteral("status")});
        QCOMPARE(text.exitCode, 0);
        QVERIFY2(text.out.contains("Pending:         none"), text.out.constData());
        QVERIFY(text.out.contains(TestStore::usesPostgres() ? "PostgreSQL" : "SQLite"));
        const CliResult again = cli.run({QStringLiteral("db"), QStringLiteral("migrate"), QStringLiteral("--json")});
        QCOMPARE(again.exitCode, 0);
        QCOMPARE(json(again).value(QStringLiteral("applied")).toArray().size(), 0);
        QCOMPARE(json(again).value(QStringLiteral("schemaVersion")).toInt(), Migrations::latestVersion());
    }

    void copyMovesEveryRowOfAnSqliteFile()
    {
        QTemporaryDir dir;
        const QString sourcePath = dir.filePath(QStringLiteral("desktop.sqlite"));
        {
            Store::OpenResult source = Store::open(StoreLocation::fromString(sourcePath));
            QVERIFY2(source.store, qPrintable(source.error));
            fillSource(*source.store);
            if (QTest::currentTestFailed())
                return;
        }
        TestStore target;
        QVERIFY2(target.isValid(), qPrintable(target.error()));
        target.close();

        const CliResult copied =
            CliRunner().run({QStringLiteral("db"), QStringLiteral("copy"), QStringLiteral("--from"), sourcePath,
                             QStringLiteral("--to"), target.location(), QStringLiteral("--json")});
        QVERIFY2(copied.exitCode == 0, qPrintable(copied.all()));
        const QMap<QString, qint64> rows = tableRows(json(copied));
        QCOMPARE(rows.keys().size(), Migrations::tables().size());
        QCOMPARE(rows.value(QStringLiteral("integrations")), 2);
        QCOMPARE(rows.value(QStringLiteral("deliveries")), 12);
        QCOMPARE(rows.value(QStringLiteral("attempts")), 3);
        QCOMPARE(rows.value(QStringLiteral("settings")), 1);
        QCOMPARE(rows.value(QStringLiteral("test_sends")), 1);
        QCOMPARE(rows.value(QStringLiteral("alerts")), 1);
        QCOMPARE(rows.value(QStringLiteral("completions")), 1);

        QVERIFY(target.reopen());
        Store& store = target.store();
        QCOMPARE(StoreFixtures::countDeliveries(store, Delivery::State::Delivered), 3);
        QCOMPARE(StoreFixtures::countDeliveries(store, Delivery::State::Queued), 9);
        QCOMPARE(scalar(store, QStringLiteral("SELECT COUNT(*) FROM attempts a JOIN deliveries d ON d.id = "
                                              "a.delivery_id WHERE d.state = 'delivered'")),
                 3);
        QSqlQuery body(store.database());
        QVERIFY(body.exec(QStringLiteral("SELECT response_body FROM attempts ORDER BY id LIMIT 1")) && body.next());
        QCOMPARE(body.value(0).toString(), QStringLiteral("[\"ok\"] – ünïcode"));
        QCOMPARE(scalar(store, QStringLiteral("SELECT COUNT(*) FROM completions WHERE score = 7.5")), 1);
        // New rows get new ids after the copied ones.
        const qint64 added = StoreFixtures::addOpenIntegration(store, QStringLiteral("Initech LRS"));
        QCOMPARE(added, 3);
    }

    void copyRefusesATargetWithRows()
    {
        QTemporaryDir dir;
        const QString sourcePath = dir.filePath(QStringLiteral("desktop.sqlite"));
        {
            Store::OpenResult source = Store::open(StoreLocation::fromString(sourcePath));
            QVERIFY2(source.store, qPrintable(source.error));
            StoreFixtures::addOpenIntegration(*source.store, QStringLiteral("Acme LRS"));
        }
        TestStore target;
        QVERIFY(target.isValid());
        StoreFixtures::addOpenIntegration(target.store(), QStringLiteral("Already here"));
        target.close();
        const QStringList arguments = {QStringLiteral("db"), QStringLiteral("copy"), QStringLiteral("--from"),
                                       sourcePath,           QStringLiteral("--to"), target.location()};
        const CliResult refused = CliRunner().run(arguments);
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.err.contains("is not empty (integrations: 1)"), refused.err.constData());
        QVERIFY(target.reopen());
        QCOMPARE(scalar(target.store(), QStringLiteral("SELECT COUNT(*) FROM integrations")), 1);

        QCOMPARE(CliRunner()
                     .run({QStringLiteral("db"), QStringLiteral("copy"), QStringLiteral("--from"), sourcePath})
                     .exitCode,
                 2);
        QCOMPARE(CliRunner().run({QStringLiteral("db"), QStringLiteral("rebuild")}).exitCode, 2);
    }

    void passwordsInUrlsAndUnreachableServersAreSentences()
    {
        const CliResult withPassword = CliRunner(QStringLiteral("postgresql://courier:hunter2-secret@127.0.0.1:1/team"))
                                           .run({QStringLiteral("db"), QStringLiteral("status")});
        QCOMPARE(withPassword.exitCode, 1);
        QVERIFY2(withPassword.err.contains(".pgpass"), withPassword.err.constData());
        QVERIFY(!withPassword.all().contains(QLatin1String("hunter2-secret")));

        const CliResult unreachable = CliRunner(QStringLiteral("postgresql://courier@127.0.0.1:1/team"))
                                          .run({QStringLiteral("db"), QStringLiteral("migrate")});
        QCOMPARE(unreachable.exitCode, 1);
        QVERIFY2(unreachable.err.contains("postgresql://courier@127.0.0.1:1/team: cannot reach the PostgreSQL server"),
                 unreachable.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestCliDb)
#include "tst_cli_db.moc"
