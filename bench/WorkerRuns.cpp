#include "WorkerRuns.h"

#include "PostgresServer.h"

#include "delivery/DeliveryQueue.h"
#include "delivery/LaneLeases.h"
#include "integrations/IntegrationRepository.h"
#include "store/Store.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QThread>
#include <QUuid>

#include <csignal>

namespace {

constexpr int Lanes = 6;        // integrations, so that three workers get two each
constexpr int LaneInFlight = 4; // the default concurrency

qint64 scalar(Store& store, const QString& sql)
{
    QSqlQuery query(store.database());
    return query.exec(sql) && query.next() ? query.value(0).toLongLong() : -1;
}

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
double run(const QString& db, int workers, const QList<QByteArray>& bodies, const QUrl& url)
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
    const double rate = double(total) * 1e9 / double(timer.nsecsElapsed());
    if (scalar(store, QStringLiteral("SELECT COUNT(*) FROM deliveries WHERE state = 'delivered'")) != total)
        fail(processes, "not every statement was recorded delivered");
    for (const auto& worker : processes) {
        ::kill(pid_t(worker->processId()), SIGTERM);
        worker->waitForFinished(30000);
    }
    return rate;
}

} // namespace

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
    const double sqliteOne = run(sqlite(1), 1, bodies, url);
    out << "    SQLite, 1 worker                     " << qRound64(sqliteOne) << " statements/s  (the baseline)\n"
        << Qt::flush;
    const double sqliteThree = run(sqlite(3), 3, bodies, url);
    out << "    SQLite, 3 workers                    " << qRound64(sqliteThree) << " statements/s  (ratio "
        << QString::number(sqliteThree / sqliteOne, 'f', 2) << ")\n"
        << Qt::flush;

    PostgresServer& server = PostgresServer::instance();
    QString error;
    const QString first = server.isRunning() ? server.createDatabase(&error) : QString();
    if (first.isEmpty()) {
        out << "    PostgreSQL: not measured: " << (server.isRunning() ? error : server.error()) << '\n' << Qt::flush;
        return;
    }
    const double postgresOne = run(first, 1, bodies, url);
    out << "    PostgreSQL, 1 worker                 " << qRound64(postgresOne) << " statements/s  (ratio "
        << QString::number(postgresOne / sqliteOne, 'f', 2) << ")\n"
        << Qt::flush;
    const QString second = server.createDatabase(&error);
    if (second.isEmpty())
        qFatal("cannot create a database: %s", qPrintable(error));
    const double postgresThree = run(second, 3, bodies, url);
    out << "    PostgreSQL, 3 workers                " << qRound64(postgresThree) << " statements/s  (ratio "
        << QString::number(postgresThree / sqliteOne, 'f', 2) << "; "
        << QString::number(postgresThree / postgresOne, 'f', 2) << " of 1 worker on PostgreSQL)\n"
        << "    (the PostgreSQL server is started for this run on 127.0.0.1 as the tests start it: fsync, "
           "synchronous_commit and full_page_writes off; SQLite runs WAL with synchronous=NORMAL)\n"
        << Qt::flush;
}
