#include "CliRunner.h"
#include "InMemorySecretStore.h"
#include "LocalReceiver.h"
#include "SmtpTestServer.h"
#include "TestClock.h"
#include "TestStore.h"

#include "alerts/Notifier.h"
#include "alerts/SmtpSettings.h"
#include "delivery/DeliveryEngine.h"
#include "runtime/CourierRuntime.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

// The 24-hour promise across processes: real `xapi-courier worker` processes (one after another and side by side) and
// a desktop app's runtime on one store (SQLite, and PostgreSQL as tst_alertprocesses_postgresql), a real SMTP server
// and a real receiver on 127.0.0.1.
class TestAlertProcesses final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestStore> m_fixture;
    std::unique_ptr<SmtpTestServer> m_smtp;
    std::unique_ptr<LocalReceiver> m_receiver;
    std::unique_ptr<CliRunner> m_cli;

    void configureSmtp()
    {
        SmtpSettings settings;
        settings.host = QStringLiteral("127.0.0.1");
        settings.port = m_smtp->port();
        settings.security = SmtpSettings::Security::None;
        settings.from = QStringLiteral("courier@example.com");
        QString error;
        QVERIFY2(settings.save(m_fixture->store(), &error), qPrintable(error));
    }
    void setReceiverStatus(int status)
    {
        m_receiver->setStatementReplies(
            {{status, status == 503 ? QByteArray(R"({"error":"maintenance until 04:00"})") : QByteArray(), {}, 0}});
    }
    // alerts list --json, oldest first
    QJsonArray alerts()
    {
        const CliResult listed = m_cli->run({QStringLiteral("alerts"), QStringLiteral("list"), QStringLiteral("--json")});
        QJsonArray newestFirst = QJsonDocument::fromJson(listed.out).array();
        QJsonArray oldestFirst;
        for (qsizetype i = newestFirst.size() - 1; i >= 0; --i)
            oldestFirst << newestFirst[i];
        return oldestFirst;
    }
    QStringList states()
    {
        QStringList names;
        for (const QJsonValue& alert : alerts())
            names << alert[QStringLiteral("kind")].toString() + QLatin1Char(':') +
                         alert[QStringLiteral("state")].toString();
        return names;
    }
    void runUntilIdle()
    {
        const CliResult worker = m_cli->runServing({QStringLiteral("worker"), QStringLiteral("--until-idle")});
        QVERIFY2(worker.exitCode == 0, qPrintable(worker.all()));
    }
    // Time for a mail that should not come to arrive anyway.
    void settle() { QTest::qWait(1500); }

private Q_SLOTS:
    void init()
    {
        m_fixture = std::make_unique<TestStore>();
        QVERIFY2(m_fixture->isValid(), qPrintable(m_fixture->error()));
        m_smtp = std::make_unique<SmtpTestServer>();
        QVERIFY2(m_smtp->start(), qPrintable(m_smtp->error()));
        m_receiver = std::make_unique<LocalReceiver>();
        QVERIFY(m_receiver->start());
        setReceiverStatus(503);
        m_cli = std::make_unique<CliRunner>(m_fixture->location());
        const CliResult added = m_cli->run(
            {QStringLiteral("integration"), QStringLiteral("add"), QStringLiteral("--name"), QStringLiteral("Down"),
             QStringLiteral("--provider"), QStringLiteral("down"), QStringLiteral("--statement-url"),
             m_receiver->statementsUrl().toString(), QStringLiteral("--auth"), QStringLiteral("none"),
             QStringLiteral("--emails"), QStringLiteral("oncall@example.com"), QStringLiteral("--retry-interval"),
             QStringLiteral("1")});
        QVERIFY2(added.exitCode == 0, qPrintable(added.all()));
        const CliResult queued = m_cli->run(
            {QStringLiteral("enqueue"), QStringLiteral("--integration"), QStringLiteral("Down"),
             QStringLiteral(COURIER_SAMPLES_DIR "/vendor-completed.json")});
        QVERIFY2(queued.exitCode == 0, qPrintable(queued.all()));
    }
    void cleanup()
    {
        m_cli.reset();
        m_receiver.reset();
        m_smtp.reset();
        m_fixture.reset();
    }

    void oneFailureMailWhateverRuns()
    {
        configureSmtp();
        // Three `worker --until-idle` runs in a row: the first sends the alert and records it before it exits.
        for (int run = 0; run < 3; ++run) {
            runUntilIdle();
            QCOMPARE(m_smtp->messages().size(), 1);
        }
        QCOMPARE(states(), QStringList{QStringLiteral("retrying:sent")});
        const QString text = SmtpTestServer::decodedText(m_smtp->messages().first());
        QVERIFY2(text.contains(QLatin1String("deliveries to Down are failing and being retried")), qPrintable(text));
        QVERIFY(text.contains(QLatin1String("HTTP 503")));                    // the receiver's status line
        QVERIFY(text.contains(QLatin1String("maintenance until 04:00")));     // and its own words
        QVERIFY(text.contains(QLatin1String("Statements waiting: 1")));
        QVERIFY(text.contains(QLatin1String("First failure: ")));
        QVERIFY(text.contains(QLatin1String("What to do: Nothing: delivery recovers by itself")));

        // Two workers side by side for several seconds, probing every second.
        auto first = m_cli->start({QStringLiteral("worker")});
        auto second = m_cli->start({QStringLiteral("worker")});
        QVERIFY(first->waitForStarted() && second->waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(m_receiver->statementRequests.size() >= 6, 20000);
        for (QProcess* worker : {first.get(), second.get()}) {
            worker->terminate();
            QSignalSpy finished(worker, &QProcess::finished);
            QVERIFY(worker->state() == QProcess::NotRunning || finished.wait(30000));
            QCOMPARE(worker->exitCode(), 0);
        }
        settle();
        QCOMPARE(m_smtp->messages().size(), 1);

        // The desktop app's runtime, on a clock that can move.
        InMemorySecretStore secrets;
        TestClock clock(QDateTime::currentDateTimeUtc());
        CourierRuntime desktop(m_fixture->store(), secrets, clock, QStringLiteral("desktop app (test)"));
        desktop.start();
        QTRY_VERIFY_WITH_TIMEOUT(desktop.engine().isActive(), 20000);
        desktop.notifier().check();
        settle();
        QCOMPARE(m_smtp->messages().size(), 1);
        QCOMPARE(states(), QStringList{QStringLiteral("retrying:sent")});

        // A whole window later, still failing: the second e-mail, and only one.
        clock.advance((AlertLog::WindowHours * 3600 + 60) * 1000LL);
        desktop.notifier().check();
        desktop.notifier().check();
        QTRY_COMPARE_WITH_TIMEOUT(m_smtp->messages().size(), 2, 15000);
        QVERIFY(SmtpTestServer::decodedText(m_smtp->messages().last()).contains(QLatin1String("still: deliveries")));
        QSignalSpy stopped(&desktop, &CourierRuntime::stopped);
        desktop.stop();
        QVERIFY(stopped.count() == 1 || stopped.wait(60000));
        settle();
        QCOMPARE(m_smtp->messages().size(), 2);
        QCOMPARE(states(), (QStringList{QStringLiteral("retrying:sent"), QStringLiteral("unhealthy:sent")}));
    }

    void staleAlertIsSupersededNotSent()
    {
        runUntilIdle(); // fails; SMTP is not configured
        QJsonArray listed = alerts();
        QCOMPARE(listed.size(), 1);
        QCOMPARE(listed[0][QStringLiteral("state")].toString(), QStringLiteral("failed"));
        QVERIFY2(listed[0][QStringLiteral("error")].toString().contains(QLatin1String("SMTP is not configured")),
                 qPrintable(listed[0][QStringLiteral("error")].toString()));
        QVERIFY(!listed[0][QStringLiteral("nextAttemptAt")].isNull()); // retried with backoff

        setReceiverStatus(200);
        QTest::qWait(1100); // the next probe is due
        runUntilIdle();     // recovers: the failure alert is stale news
        configureSmtp();
        runUntilIdle();
        settle();
        QCOMPARE(m_smtp->messages().size(), 0);
        listed = alerts();
        QCOMPARE(listed.size(), 1); // no "works again" note: nobody was told it failed
        QCOMPARE(listed[0][QStringLiteral("state")].toString(), QStringLiteral("superseded"));
        QVERIFY2(listed[0][QStringLiteral("error")].toString().contains(QLatin1String("recovered")),
                 qPrintable(listed[0][QStringLiteral("error")].toString()));
    }

    void worksAgainNoteOnceAfterASentFailure()
    {
        configureSmtp();
        runUntilIdle();
        QTRY_COMPARE_WITH_TIMEOUT(m_smtp->messages().size(), 1, 15000);
        setReceiverStatus(200);
        QTest::qWait(1100);
        // Two workers see the recovery at once; then more runs.
        auto first = m_cli->start({QStringLiteral("worker"), QStringLiteral("--until-idle")});
        auto second = m_cli->start({QStringLiteral("worker"), QStringLiteral("--until-idle")});
        for (QProcess* worker : {first.get(), second.get()}) {
            QSignalSpy finished(worker, &QProcess::finished);
            QVERIFY(worker->state() == QProcess::NotRunning || finished.wait(60000));
            QCOMPARE(worker->exitCode(), 0);
        }
        runUntilIdle();
        settle();
        QCOMPARE(m_smtp->messages().size(), 2);
        const QString note = SmtpTestServer::decodedText(m_smtp->messages().last());
        QVERIFY2(note.contains(QLatin1String("deliveries to Down work again")), qPrintable(note));
        QCOMPARE(states(), (QStringList{QStringLiteral("retrying:sent"), QStringLiteral("recovered:sent")}));

        // A new failure within 24 hours of the first e-mail: recorded, not sent, though a "works again" note went
        // out since (the note does not count against the window).
        setReceiverStatus(503);
        const CliResult queued = m_cli->run(
            {QStringLiteral("enqueue"), QStringLiteral("--integration"), QStringLiteral("Down"),
             QStringLiteral(COURIER_SAMPLES_DIR "/vendor-progressed.json")});
        QVERIFY2(queued.exitCode == 0, qPrintable(queued.all()));
        runUntilIdle();
        settle();
        QCOMPARE(m_smtp->messages().size(), 2);
        QCOMPARE(states().last(), QStringLiteral("retrying:suppressed"));
    }
};

QTEST_GUILESS_MAIN(TestAlertProcesses)
#include "tst_alertprocesses.moc"
