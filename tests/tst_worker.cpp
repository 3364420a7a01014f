#include "CliRunner.h"
#include "LocalReceiver.h"
#include "StoreFixtures.h"
#include "TestStore.h"

#include "delivery/DeliveryEngine.h"
#include "delivery/DeliveryQueue.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QSet>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTest>
#include <QTimer>

#include <csignal>
#include <unistd.h>

// The headless worker as a real process against a receiver in this process: delivery, clean SIGTERM, a SIGKILL in
// the middle of thousands of statements, and three workers sharing one store.
class TestWorker final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestStore> m_fixture;
    std::unique_ptr<LocalReceiver> m_receiver;
    QString m_path;

    QByteArray statements(int count, const QString& prefix)
    {
        QByteArray lines;
        for (int i = 0; i < count; ++i) {
            const QJsonObject statement{
                {QStringLiteral("id"),
                 QStringLiteral("%1-0000-4000-8000-%2").arg(prefix).arg(i, 12, 10, QLatin1Char('0'))},
                {QStringLiteral("actor"),
                 QJsonObject{{QStringLiteral("mbox"), QStringLiteral("mailto:a@example.com")}}},
                {QStringLiteral("verb"),
                 QJsonObject{{QStringLiteral("id"), QStringLiteral("http://adlnet.gov/expapi/verbs/completed")}}},
                {QStringLiteral("object"),
                 QJsonObject{{QStringLiteral("id"), QStringLiteral("http://example.com/a/%1").arg(i)}}}};
            lines += QJsonDocument(statement).toJson(QJsonDocument::Compact) + '\n';
        }
        return lines;
    }
    // Runs the CLI without blocking this event loop (the receiver lives in it).
    int runCli(const QStringList& arguments, const QByteArray& input = QByteArray(), QByteArray* output = nullptr)
    {
        QProcess process;
        process.start(QStringLiteral(COURIER_BINARY), QStringList{QStringLiteral("--db"), m_path} + arguments);
        process.write(input);
        process.closeWriteChannel();
        QSignalSpy finished(&process, &QProcess::finished);
        if (!finished.wait(60000)) {
            // Say which it was (never started, or started and did not end) and what it printed so far.
            qWarning("xapi-courier %s: %s after 60 s (%s); it printed:\n%s%s", qPrintable(arguments.join(u' ')),
                     process.state() == QProcess::NotRunning ? "not running" : "still running",
                     qPrintable(process.errorString()), process.readAllStandardOutput().constData(),
                     process.readAllStandardError().constData());
            return -1;
        }
        if (output)
            *output = process.readAllStandardOutput();
        return process.exitCode();
    }
    std::unique_ptr<QProcess> startWorker(const QStringList& extra = {})
    {
        auto worker = std::make_unique<QProcess>();
        worker->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        worker->start(QStringLiteral(COURIER_BINARY),
                      QStringList{QStringLiteral("--db"), m_path, QStringLiteral("worker")} + extra);
        worker->waitForStarted();
        return worker;
    }
    int count(Delivery::State state) { return StoreFixtures::countDeliveries(m_fixture->store(), state); }
    // Waits in a real event loop: QTRY_* sleeps between batches of events, which would throttle the receiver that
    // lives in this process to a few hundred requests a second.
    // A check may itself wait in an event loop (runCli): the timer does not start another one meanwhile, and the
    // answer is the check that ended the wait, not a fresh one (what it looks at may have changed since).
    static bool waitUntil(const std::function<bool()>& done, int timeoutMs)
    {
        QEventLoop loop;
        QTimer check;
        QElapsedTimer elapsed;
        elapsed.start();
        bool met = done();
        bool checking = false;
        QObject::connect(&check, &QTimer::timeout, &loop, [&] {
            if (checking || met)
                return;
            checking = true;
            met = done();
            checking = false;
            if (met || elapsed.elapsed() > timeoutMs)
                loop.quit();
        });
        check.start(20);
        if (!met)
            loop.exec();
        return met;
    }

private Q_SLOTS:
    void init()
    {
        m_fixture = std::make_unique<TestStore>();
        QVERIFY(m_fixture->isValid());
        m_path = m_fixture->location();
        m_receiver = std::make_unique<LocalReceiver>();
        QVERIFY(m_receiver->start());
        QCOMPARE(
            runCli({QStringLiteral("integration"), QStringLiteral("add"), QStringLiteral("--name"),
                    QStringLiteral("Local"), QStringLiteral("--provider"), QStringLiteral("local"),
                    QStringLiteral("--statement-url"), m_receiver->statementsUrl().toString(), QStringLiteral("--auth"),
                    QStringLiteral("none"), QStringLiteral("--emails"), QStringLiteral("ops@example.com")}),
            0);
    }
    void cleanup()
    {
        m_receiver.reset();
        m_fixture.reset();
    }

    void enqueueRefusesInvalidBatches()
    {
        QByteArray input = statements(3, QStringLiteral("aaaaaaaa"));
        input += R"({"actor":{"mbox":"nobody"},"verb":{"id":"x"},"object":{"id":"http://e.com/a"}})"
                 "\n";
        QCOMPARE(runCli({QStringLiteral("enqueue"), QStringLiteral("--all"), QStringLiteral("-")}, input), 1);
        QCOMPARE(count(Delivery::State::Queued), 0);
        QCOMPARE(runCli({QStringLiteral("enqueue"), QStringLiteral("--all"), QStringLiteral("--skip-invalid"),
                         QStringLiteral("-")},
                        input),
                 0);
        QCOMPARE(count(Delivery::State::Queued), 3);
    }

    // A store the worker may read but not write (the file is root's, the worker runs as nobody): under --until-idle
    // it says why and exits 1 after a short grace, with a handful of log lines, not four a second forever.
    void untilIdleOnAReadOnlyStoreFailsAndSaysWhy()
    {
        COURIER_SQLITE_ONLY("a store file the worker's user may not write");
        if (geteuid() != 0 || QStandardPaths::findExecutable(QStringLiteral("setpriv")).isEmpty())
            QSKIP("needs root and setpriv(1) to run the worker as a user that cannot write the store");
        QCOMPARE(runCli({QStringLiteral("enqueue"), QStringLiteral("--integration"), QStringLiteral("Local"),
                         QStringLiteral("-")},
                        statements(5, QStringLiteral("eeeeeeee"))),
                 0);
        m_fixture->close();
        // nobody may enter the folder and make the store's -shm there, but not write the store itself.
        QVERIFY(QFile::setPermissions(m_fixture->dirPath(), QFileDevice::Permissions(0x7777)));
        QProcess worker;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("HOME"), m_fixture->dirPath());
        worker.setProcessEnvironment(environment);
        worker.start(QStringLiteral("setpriv"),
                     {QStringLiteral("--reuid=65534"), QStringLiteral("--regid=65534"),
                      QStringLiteral("--clear-groups"), QStringLiteral(COURIER_BINARY), QStringLiteral("--db"), m_path,
                      QStringLiteral("worker"), QStringLiteral("--until-idle")});
        QSignalSpy finished(&worker, &QProcess::finished);
        QVERIFY2(finished.wait(40000), "the worker kept going on a store it cannot write");
        const QString err = QString::fromUtf8(worker.readAllStandardError());
        QCOMPARE(worker.exitCode(), 1);
        QVERIFY2(err.contains(QLatin1String("error: Cannot renew the lane leases: the store is read-only")),
                 qPrintable(err));
        QVERIFY2(err.count(QLatin1String("Cannot renew")) <= 6, qPrintable(err));
        QCOMPARE(m_receiver->statementRequests.size(), 0);
    }

    void untilIdleDeliversEverythingAndExits()
    {
        QCOMPARE(runCli({QStringLiteral("enqueue"), QStringLiteral("--integration"), QStringLiteral("Local"),
                         QStringLiteral("-")},
                        statements(200, QStringLiteral("bbbbbbbb"))),
                 0);
        QByteArray status;
        QCOMPARE(runCli({QStringLiteral("queue"), QStringLiteral("status")}, {}, &status), 0);
        QVERIFY2(status.contains("Nobody delivers now, and 200 statement(s) wait: start xapi-courier worker"),
                 status.constData());
        auto worker = startWorker({QStringLiteral("--until-idle")});
        QSignalSpy finished(worker.get(), &QProcess::finished);
        QVERIFY(finished.wait(60000));
        QCOMPARE(worker->exitCode(), 0);
        QCOMPARE(count(Delivery::State::Delivered), 200);
        QCOMPARE(runCli({QStringLiteral("queue"), QStringLiteral("status")}, {}, &status), 0);
        QVERIFY2(status.contains("Nobody delivers now, and nothing waits."), status.constData());
        const QStringList ids = m_receiver->receivedIds();
        QCOMPARE(QSet<QString>(ids.cbegin(), ids.cend()).size(), 200);
    }

    void sigtermStopsCleanly()
    {
        m_receiver->setStatementReplies({{200, {}, {}, 20}});
        QCOMPARE(runCli({QStringLiteral("enqueue"), QStringLiteral("--all"), QStringLiteral("-")},
                        statements(2000, QStringLiteral("cccccccc"))),
                 0);
        auto worker = startWorker();
        QVERIFY(waitUntil([&] { return m_receiver->statementRequests.size() > 50; }, 30000));
        ::kill(pid_t(worker->processId()), SIGTERM);
        QSignalSpy finished(worker.get(), &QProcess::finished);
        QVERIFY(finished.wait(30000));
        QCOMPARE(worker->exitStatus(), QProcess::NormalExit);
        QCOMPARE(worker->exitCode(), 0);
        QCOMPARE(count(Delivery::State::Sending), 0); // everything in flight answered and was recorded
        QCOMPARE(count(Delivery::State::Delivered), m_receiver->statementRequests.size());
    }

    void sigkillLosesNothing()
    {
        constexpr int total = 6000;
        QCOMPARE(runCli({QStringLiteral("enqueue"), QStringLiteral("--all"), QStringLiteral("-")},
                        statements(total, QStringLiteral("dddddddd"))),
                 0);
        const QStringList shortLease{QStringLiteral("--lease-seconds"), QStringLiteral("3")};
        auto worker = startWorker(shortLease);
        // Killed once more arrived than a crash may send again, so the bound below says something.
        QVERIFY(waitUntil([&] { return m_receiver->statementRequests.size() > DeliveryEngine::UnrecordedAtMost + 500; },
                          60000));
        ::kill(pid_t(worker->processId()), SIGKILL);
        QSignalSpy killed(worker.get(), &QProcess::finished);
        QVERIFY(killed.wait(10000));
        QVERIFY(count(Delivery::State::Delivered) < total);

        // A new worker takes over once the dead one's lease has expired, and finishes.
        auto second = startWorker(shortLease + QStringList{QStringLiteral("--until-idle")});
        QSignalSpy finished(second.get(), &QProcess::finished);
        QVERIFY(finished.wait(120000));
        QCOMPARE(second->exitCode(), 0);
        QCOMPARE(count(Delivery::State::Delivered), total);
        const QStringList ids = m_receiver->receivedIds();
        const QSet<QString> unique(ids.cbegin(), ids.cend());
        QCOMPARE(unique.size(), total); // every statement arrived
        const qsizetype duplicates = ids.size() - unique.size();
        qInfo("re-sent after SIGKILL: %lld (in flight or not yet recorded)", qlonglong(duplicates));
        QVERIFY(duplicates <=
                DeliveryEngine::UnrecordedAtMost + 4); // what the engine and its writer held + what was in flight
    }

    // Three workers on one PostgreSQL store, as a team runs them, deliver 20,000 statements of five integrations
    // (concurrency 1, so each integration's statements must be accepted in their order). One integration's receiver
    // is down at first (503): all workers together probe it once per interval. Then one worker that holds lanes is
    // killed; the others take its lanes over when its leases run out, and finish.
    void threeWorkersShareOneStore()
    {
        if (!TestStore::usesPostgres())
            QSKIP("several workers are tested on the team store, PostgreSQL (tst_worker_postgresql)");
        constexpr int lanes = 5;
        constexpr int perLane = 4000;
        constexpr int outageLane = 4;
        const QString base = m_receiver->statementsUrl().toString();
        for (int lane = 0; lane < lanes; ++lane) {
            const QString url = QStringLiteral("%1?lane=%2").arg(base).arg(lane);
            const QStringList settings{QStringLiteral("--statement-url"),  url,
                                       QStringLiteral("--concurrency"),    QStringLiteral("1"),
                                       QStringLiteral("--retry-interval"), QStringLiteral("1")};
            if (lane == 0) {
                QCOMPARE(
                    runCli(QStringList{QStringLiteral("integration"), QStringLiteral("edit"), QStringLiteral("Local")} +
                           settings),
                    0);
            } else {
                QCOMPARE(runCli(QStringList{QStringLiteral("integration"), QStringLiteral("add"),
                                            QStringLiteral("--name"), QStringLiteral("Lane %1").arg(lane),
                                            QStringLiteral("--provider"), QStringLiteral("lane%1").arg(lane),
                                            QStringLiteral("--auth"), QStringLiteral("none"),
                                            QStringLiteral("--emails"), QStringLiteral("ops@example.com")} +
                                settings),
                         0);
            }
            const QString name = lane == 0 ? QStringLiteral("Local") : QStringLiteral("Lane %1").arg(lane);
            QCOMPARE(runCli({QStringLiteral("enqueue"), QStringLiteral("--integration"), name, QStringLiteral("-")},
                            statements(perLane, QStringLiteral("%1eeeeeee").arg(lane))),
                     0);
        }

        // The receiver: what each lane accepted, in order, and when the outage lane was asked.
        bool outage = true;
        QList<QStringList> accepted(lanes);
        QList<QDateTime> outageRequests;
        m_receiver->setStatementReplier([&](const LocalReceiver::Request& request) {
            const int lane = request.query.section(QLatin1Char('='), 1).toInt();
            if (lane == outageLane && outage) {
                outageRequests << request.at;
                return LocalReceiver::Reply{503, "down for maintenance", {}, 0};
            }
            accepted[lane] << request.statementIds();
            return LocalReceiver::Reply{};
        });

        const QStringList options{QStringLiteral("--lease-seconds"), QStringLiteral("3")};
        std::vector<std::unique_ptr<QProcess>> workers;
        for (int i = 0; i < 3; ++i)
            workers.push_back(startWorker(options));

        // Kill a worker that is delivering, in the middle of the work (during the outage of the other lane).
        auto total = [&] {
            qsizetype sum = 0;
            for (const QStringList& ids : std::as_const(accepted))
                sum += ids.size();
            return sum;
        };
        QVERIFY(waitUntil([&] { return total() > lanes * perLane / 3; }, 60000));
        QSqlQuery holders(m_fixture->store().database());
        QVERIFY(holders.exec(QStringLiteral("SELECT owner FROM lane_leases JOIN integrations ON id = integration_id "
                                            "WHERE name <> 'Lane 4'")));
        qsizetype victim = -1;
        while (holders.next() && victim < 0) {
            for (size_t i = 0; i < workers.size(); ++i) {
                if (holders.value(0).toString().contains(QStringLiteral(" pid %1 ").arg(workers[i]->processId())))
                    victim = qsizetype(i);
            }
        }
        QVERIFY(victim >= 0);
        // Who delivers what, as on-call sees it: every integration by one of the three. A lane given back to even
        // out the shares is free until another worker's next tick takes it: look again until none is in hand-over.
        QByteArray status;
        QString unheld;
        const auto everyLaneHeld = [&] {
            if (runCli({QStringLiteral("queue"), QStringLiteral("status"), QStringLiteral("--json")}, {}, &status) != 0)
                return false;
            const QJsonArray lanesNow = QJsonDocument::fromJson(status).array();
            unheld = lanesNow.size() == lanes ? QString() : QStringLiteral("%1 lanes").arg(lanesNow.size());
            for (const QJsonValue& lane : lanesNow) {
                const QString holder = lane[QStringLiteral("deliveredBy")].toString();
                bool ours = false;
                for (const auto& worker : workers)
                    ours |= holder.startsWith(QStringLiteral("worker pid %1 ").arg(worker->processId()));
                if (!ours)
                    unheld = lane[QStringLiteral("name")].toString() + QStringLiteral(": ") + holder;
            }
            return unheld.isEmpty();
        };
        QVERIFY2(waitUntil(everyLaneHeld, 10000), qPrintable(unheld));
        QCOMPARE(runCli({QStringLiteral("queue"), QStringLiteral("status")}, {}, &status), 0);
        QVERIFY2(status.contains("Delivered by worker pid "), status.constData());
        QSignalSpy killed(workers[size_t(victim)].get(), &QProcess::finished);
        ::kill(pid_t(workers[size_t(victim)]->processId()), SIGKILL);
        QVERIFY(killed.wait(10000));
        QVERIFY(total() < lanes * perLane);

        // The outage: three seconds and more of probes, one per interval whoever holds the lane; then it recovers.
        QVERIFY(waitUntil([&] { return outageRequests.size() >= 4; }, 30000));
        outage = false;
        for (qsizetype i = 1; i < outageRequests.size(); ++i) {
            const qint64 gap = outageRequests[i - 1].msecsTo(outageRequests[i]);
            QVERIFY2(gap >= 900, qPrintable(QStringLiteral("probes %1 ms apart").arg(gap)));
        }

        QVERIFY(waitUntil([&] { return count(Delivery::State::Delivered) == lanes * perLane; }, 120000));
        qsizetype duplicates = 0;
        for (int lane = 0; lane < lanes; ++lane) {
            QStringList firstArrivals = accepted[lane];
            firstArrivals.removeDuplicates();
            duplicates += accepted[lane].size() - firstArrivals.size();
            const QByteArray expected = statements(perLane, QStringLiteral("%1eeeeeee").arg(lane));
            QStringList expectedIds;
            for (const QByteArray& line : expected.split('\n')) {
                if (!line.isEmpty())
                    expectedIds << QJsonDocument::fromJson(line).object().value(QStringLiteral("id")).toString();
            }
            QCOMPARE(firstArrivals, expectedIds); // every statement, in its integration's order
        }
        qInfo("three workers: %lld probes during the outage, %lld statements re-sent after SIGKILL",
              qlonglong(outageRequests.size()), qlonglong(duplicates));
        QVERIFY(duplicates <=
                DeliveryEngine::UnrecordedAtMost + lanes); // what the engine and its writer held + what was in flight

        for (size_t i = 0; i < workers.size(); ++i) {
            if (qsizetype(i) == victim)
                continue;
            QSignalSpy stopped(workers[i].get(), &QProcess::finished);
            ::kill(pid_t(workers[i]->processId()), SIGTERM);
            QVERIFY(stopped.wait(30000));
            QCOMPARE(workers[i]->exitCode(), 0);
        }
        QCOMPARE(count(Delivery::State::Sending), 0);
    }
};

QTEST_GUILESS_MAIN(TestWorker)
#include "tst_worker.moc"
