#include "WorkerRuns.h"

#include "PostgresServer.h"

#include "delivery/DeliveryQueue.h"
#include "delivery/LaneLeases.h"
#include "integrations/IntegrationRepository.h"
#include "store/Store.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QThread>
#include <QUuid>

#include <csignal>

#include <unistd.h>

namespace {

constexpr int Lanes = 6;        // integrations, so that three workers get two each
constexpr int LaneInFlight = 4; // the default concurrency

qint64 scalar(Store& store, const QString& sql)
{
    QSqlQuery query(store.database());
    return query.exec(sql) && query.next() ? query.value(0).toLongLong() : -1;
}

// CPU time, in seconds, spent so far by the whole machine (all processes: workers, database server, receiver) and
// spent idle, from /proc/stat.
struct MachineCpu
{
    double busy = 0;
    double idle = 0;
    static MachineCpu now()
    {
        QFile stat(QStringLiteral("/proc/stat"));
        if (!stat.open(QIODevice::ReadOnly))
            return {};
        // "cpu  user nice system idle iowait irq softirq steal ...", in clock ticks
        const QList<QByteArray> fields = stat.readLine().simplified().split(' ');
        static const double tick = double(sysconf(_SC_CLK_TCK));
        MachineCpu cpu;
        for (int i = 1; i <= 8 && i < fields.size(); ++i)
            (i == 4 || i == 5 ? cpu.idle : cpu.busy) += fields[i].toDouble() / tick;
        return cpu;
    }
};

// Waits, polling the store, until `done` says so; false after `seconds`.
bool waitFor(const std::function<bool()>& done, int seconds)
{
    QElapsedTimer timer;
    timer.start();
    while (!done()) {
        if (timer.elapsed() > seconds * 1000)
            return false;
        QThread::msleep(20);
    }
    return true;
}

[[noreturn]] void fail(const std::vector<std::unique_ptr<QProcess>>& workers, const char* what)
{
    for (const auto& worker : workers)
        qWarning("worker pid %lld said:\n%s", worker->processId(), worker->readAll().constData());
    qFatal("%s", what);
}

// Statements per second from the moment the statements were committed to the queue until the last was recorded
// delivered, with `workers` worker processes running (and sharing the integrations out) before that moment.
// A run's rate, and how busy the machine's cores were meanwhile: all of them together (workers, database server,
// receiver, this process polling) and the workers alone, in cores (1.0: one core all the time).
struct Run
{
    double rate = 0;
    double machineCores = 0;
    double workerCores = 0;
};

Run run(const QString& db, int workers, const QList<QByteArray>& bodies, const QUrl& url)
{
    auto opened = Store::open(StoreLocation::fromString(db));
    if (!opened.store)
        qFatal("cannot open %s: %s", qPrintable(db), qPrintable(opened.error));
    Store& store = *opened.store;
    QList<qint64> lanes;
    for (int i = 0; i < Lanes; ++i) {
        Integration integration;
        integration.uid = QUuid::createUuid().toString(QUuid::WithoutBraces);
        integration.name = QStringLiteral("Bench LRS %1").arg(i);
        integration.provider = QStringLiteral("bench%1").arg(i);
        integration.statementUrl = url;
        integration.auth = Integration::Auth::None;
        integration.concurrency = LaneInFlight;
        FieldIssues issues;
        QString error;
        if (!IntegrationRepository(store).insert(integration, &issues, &error))
            qFatal("cannot add an integration: %s", qPrintable(error));
        lanes << integration.id;
    }

    std::vector<std::unique_ptr<QProcess>> processes;
    for (int i = 0; i < workers; ++i) {
        auto worker = std::make_unique<QProcess>();
        worker->setProcessChannelMode(QProcess::MergedChannels); // read only to say why, should a run fail
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("courier.*.info=false"));
        worker->setProcessEnvironment(environment);
        worker->start(QStringLiteral(COURIER_BINARY), {QStringLiteral("--db"), db, QStringLiteral("worker"),
                                                       QStringLiteral("--lease-seconds"), QStringLiteral("3")});
        if (!worker->waitForStarted())
            qFatal("cannot start the worker %s", COURIER_BINARY);
        processes.push_back(std::move(worker));
    }
    // Running workers have shared the lanes out before the statements come (as they would have in a team).
    const int share = LaneLeases::fairShare(Lanes, workers, 0); // the most any of them holds
    if (!waitFor(
            [&] {
                return scalar(store, QStringLiteral("SELECT COUNT(DISTINCT owner) FROM lane_leases")) == workers &&
                       scalar(store, QStringLiteral("SELECT COUNT(*) FROM lane_leases")) == Lanes &&
                       scalar(store, QStringLiteral("SELECT COUNT(*) FROM lane_leases GROUP BY owner "
                                                    "ORDER BY COUNT(*) DESC LIMIT 1")) <= share;
            },
            30))
        fail(processes, "the workers did not share the integrations out within 30 s");

    // Each statement to every integration: bodies.size() deliveries in all.
    QList<QJsonObject> statements;
    for (qsizetype i = 0; i < bodies.size() / Lanes; ++i)
        statements << QJsonDocument::fromJson(bodies[i]).object();
    const qint64 total = statements.size() * Lanes;
    QString error;
    if (!DeliveryQueue(store).enqueue(statements, lanes, QDateTime::currentDateTimeUtc(), &error))
        qFatal("cannot enqueue: %s", qPrintable(error));
    const auto workersCpu = [&processes] {
        double seconds = 0;
        for (const auto& worker : processes)
            seconds += processCpuSeconds(worker->processId());
        return seconds;
    };
    const MachineCpu machineBefore = MachineCpu::now();
    const double workersBefore = workersCpu();
    QElapsedTimer timer;
    timer.start();
    // Polled by a look at each lane's index for what is left (counting every delivered row instead, 50 times a
    // second, would take the store's time from the workers); everything answered, the count is checked once.
    const QString lanesLeft = QStringLiteral("SELECT 1 FROM deliveries WHERE integration_id IN (%1) AND state IN "
                                             "('queued', 'sending') LIMIT 1")
                                  .arg([&] {
                                      QStringList ids;
                                      for (qint64 id : std::as_const(lanes))
                                          ids << QString::number(id);
                                      return ids.join(QLatin1Char(','));
                                  }());
    if (!waitFor([&] { return scalar(store, lanesLeft) == -1; }, 300))
        fail(processes, "not everything was delivered within 300 s");
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    const MachineCpu machineAfter = MachineCpu::now();
    const double machineCores =
        (machineAfter.busy - machineBefore.busy) /
        std::max(0.001, (machineAfter.busy + machineAfter.idle - machineBefore.busy - machineBefore.idle) /
                            double(QThread::idealThreadCount()));
    const Run measured{double(total) / seconds, machineCores, (workersCpu() - workersBefore) / seconds};
    if (scalar(store, QStringLiteral("SELECT COUNT(*) FROM deliveries WHERE state = 'delivered'")) != total)
        fail(processes, "not every statement was recorded delivered");
    for (const auto& worker : processes) {
        ::kill(pid_t(worker->processId()), SIGTERM);
        worker->waitForFinished(30000);
    }
    return measured;
}

// "(the machine 1.62 of 2 cores busy, the workers 0.71)"
QString cpuText(const Run& run)
{
    return QStringLiteral("the machine %1 of %2 cores busy, the workers %3")
        .arg(QString::number(run.machineCores, 'f', 2))
        .arg(QThread::idealThreadCount())
        .arg(QString::number(run.workerCores, 'f', 2));
}

} // namespace

double processCpuSeconds(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return 0;
    // After the command name in parentheses: state is field 3, utime and stime fields 14 and 15.
    const QByteArray line = stat.readAll();
    const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
    static const double tick = double(sysconf(_SC_CLK_TCK));
    return (fields.value(11).toDouble() + fields.value(12).toDouble()) / tick;
}

void reportWorkerRuns(const QList<QByteArray>& bodies, const QUrl& url, QTextStream& out)
{
    const qsizetype count = bodies.size() / Lanes * Lanes;
    out << "  stores and workers: " << count << " statements over " << Lanes << " integrations (" << LaneInFlight
        << " in flight each), delivered by `xapi-courier worker` processes already running\n"
        << Qt::flush;
    QTemporaryDir dir;
    const auto sqlite = [&](int run) {
        return dir.filePath(QStringLiteral("workers-%1.sqlite").arg(run));
    };
    const Run sqliteOne = run(sqlite(1), 1, bodies, url);
    out << "    SQLite, 1 worker                     " << qRound64(sqliteOne.rate) << " statements/s  (the baseline; "
        << cpuText(sqliteOne) << ")\n"
        << Qt::flush;
    const Run sqliteThree = run(sqlite(3), 3, bodies, url);
    out << "    SQLite, 3 workers                    " << qRound64(sqliteThree.rate) << " statements/s  (ratio "
        << QString::number(sqliteThree.rate / sqliteOne.rate, 'f', 2) << "; " << cpuText(sqliteThree) << ")\n"
        << Qt::flush;

    PostgresServer& server = PostgresServer::instance();
    QString error;
    const QString first = server.isRunning() ? server.createDatabase(&error) : QString();
    if (first.isEmpty()) {
        out << "    PostgreSQL: not measured: " << (server.isRunning() ? error : server.error()) << '\n' << Qt::flush;
        return;
    }
    const Run postgresOne = run(first, 1, bodies, url);
    const double oneRatio = postgresOne.rate / sqliteOne.rate;
    out << "    PostgreSQL, 1 worker                 " << qRound64(postgresOne.rate) << " statements/s  (ratio "
        << QString::number(oneRatio, 'f', 2) << ", target >= 0.50 " << (oneRatio >= 0.5 ? "PASS" : "FAIL") << "; "
        << cpuText(postgresOne) << ")\n"
        << Qt::flush;
    const QString second = server.createDatabase(&error);
    if (second.isEmpty())
        qFatal("cannot create a database: %s", qPrintable(error));
    const Run postgresThree = run(second, 3, bodies, url);
    const double threeRatio = postgresThree.rate / postgresOne.rate;
    out << "    PostgreSQL, 3 workers                " << qRound64(postgresThree.rate) << " statements/s  (ratio "
        << QString::number(postgresThree.rate / sqliteOne.rate, 'f', 2) << "; " << QString::number(threeRatio, 'f', 2)
        << " of 1 worker on PostgreSQL, target >= 2.50 " << (threeRatio >= 2.5 ? "PASS" : "FAIL") << "; "
        << cpuText(postgresThree) << ")\n"
        << "    (the PostgreSQL server is started for this run on 127.0.0.1 as the tests start it: fsync, "
           "synchronous_commit and full_page_writes off; SQLite runs WAL with synchronous=NORMAL)\n"
        << Qt::flush;
}
