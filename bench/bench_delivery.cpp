// bench_delivery [N] [BACKLOG]: delivery of N statements (default 20,000, one per POST, 6 in flight) to a local
// receiver in its own process (bench_receiver, Qt HttpServer), in one run:
//   - a bare QNetworkAccessManager loop and a bare libcurl multi loop posting the same bodies, same number in flight;
//   - xAPI Courier: from the durable queue (SQLite store) through the delivery engine and its transport, every
//     outcome recorded in the store and the attempt log; the rate is taken when the last outcome was committed;
//   - the same with 100 statements per POST;
//   - a backlog of BACKLOG statements (default 100,000) queued to one integration during an outage (the receiver
//     answers 503, the integration is retrying), then the time from the end of the outage until the queue is empty;
//   - N statements delivered while `xapi-courier queue prune` removes a million delivered ones (COURIER_BENCH_PRUNED)
//     from the same store in another process, next to the same without the prune;
//   - N statements (at least 60,000) delivered by worker processes on an SQLite file and on PostgreSQL, one and three
//     workers (WorkerRuns), with how busy the machine's cores were meanwhile.
// A third argument runs one part only: single, batched, backlog, prune or workers.
// Prints statements per second, the sender's CPU time per statement and how much of a core the receiver used (near
// 1.0 it is the receiver that limits the run), and the ratios the issue sets as targets.
#include "common/Clock.h"
#include "delivery/CurlTransport.h"
#include "delivery/DeliveryEngine.h"
#include "delivery/DeliveryQueue.h"
#include "delivery/HttpTransport.h"
#include "delivery/TokenClient.h"
#include "integrations/IntegrationRepository.h"
#include "secrets/SecretStore.h"
#include "store/Store.h"

#include "WorkerRuns.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>
#include <QTimer>
#include <QUuid>

#include <curl/curl.h>
#include <sys/resource.h>
#include <unistd.h>

namespace {

constexpr int InFlight = 6;

// Integrations here have no authentication: nothing is ever read from a keychain.
class NoSecrets final : public SecretStore
{
public:
    void read(const QString&, QObject*, SecretCallback done) override
    {
        done({SecretResult::Status::NotFound, {}, {}});
    }
    void write(const QString&, const QString&, QObject*, SecretCallback done) override
    {
        done({SecretResult::Status::Failed, {}, {}});
    }
    void remove(const QString&, QObject*, SecretCallback done) override { done({}); }
};

QTextStream& out()
{
    static QTextStream stream(stdout);
    return stream;
}

QList<QByteArray> makeBodies(int count)
{
    QFile file(QStringLiteral(COURIER_SAMPLES_DIR "/vendor-completed.json"));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(file.fileName()));
    QJsonObject statement = QJsonDocument::fromJson(file.readAll()).object();
    statement.remove(QStringLiteral("stored"));
    statement.remove(QStringLiteral("authority"));
    QList<QByteArray> bodies;
    bodies.reserve(count);
    for (int i = 0; i < count; ++i) {
        statement.insert(QStringLiteral("id"), QUuid::createUuid().toString(QUuid::WithoutBraces));
        bodies << QJsonDocument(statement).toJson(QJsonDocument::Compact);
    }
    return bodies;
}

// The receiver, in its own process; stopped with the object.
class Receiver
{
public:
    Receiver()
    {
        m_process.setProgram(QCoreApplication::applicationDirPath() + QStringLiteral("/bench_receiver"));
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_process.start();
        if (!m_process.waitForReadyRead(10000))
            qFatal("bench_receiver did not start");
        m_base = QStringLiteral("http://127.0.0.1:%1").arg(m_process.readLine().trimmed().toInt());
    }
    ~Receiver()
    {
        m_process.kill();
        m_process.waitForFinished();
    }
    QUrl statementsUrl() const { return QUrl(m_base + QStringLiteral("/xapi/statements")); }
    // CPU time the receiver spent so far (user and system), in microseconds.
    double cpuMicroseconds() const { return processCpuSeconds(m_process.processId()) * 1e6; }
    // Statements the receiver accepted so far.
    qint64 statements() { return get(QStringLiteral("/count")).split(' ').value(1).toLongLong(); }
    void answer(int status) { get(QStringLiteral("/status?code=%1").arg(status), true); }

private:
    QByteArray get(const QString& path, bool post = false)
    {
        QNetworkRequest request(QUrl(m_base + path));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("text/plain"));
        QNetworkReply* reply = post ? m_network.post(request, QByteArray()) : m_network.get(request);
        QEventLoop loop;
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        loop.exec();
        reply->deleteLater();
        return reply->readAll();
    }

    QProcess m_process;
    QString m_base;
    QNetworkAccessManager m_network;
};

// CPU time this process spent so far (user and system, all threads), in microseconds: what sending costs the
// sender, which the rate alone hides on a machine whose cores the receiver shares.
double cpuMicroseconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e6 + double(usage.ru_utime.tv_usec) +
           double(usage.ru_stime.tv_usec);
}

// A single run of a loop can differ from the next one by a third here (the receiver shares the machine's cores with
// the sender): the bare libcurl loop and Courier's runs take turns Rounds times, and the median run of each counts.
constexpr int Rounds = 5;

struct Measured
{
    double rate = 0;          // statements per second
    double cpuUs = 0;         // CPU time of this process per statement
    double receiverCores = 0; // the receiver's CPU time over the run's time: 1.0 is one core all the time
};

Measured measure(qint64 count, const Receiver& receiver, const std::function<double()>& run)
{
    const double cpu = cpuMicroseconds();
    const double receiverCpu = receiver.cpuMicroseconds();
    const double rate = run();
    const double seconds = double(count) / rate;
    return {rate, (cpuMicroseconds() - cpu) / double(count),
            (receiver.cpuMicroseconds() - receiverCpu) / 1e6 / seconds};
}

// "21.3 us of CPU per statement, the receiver 0.72 of a core"
QString cpuText(const Measured& run)
{
    return QStringLiteral("%1 us of CPU per statement, the receiver %2 of a core")
        .arg(QString::number(run.cpuUs, 'f', 1), QString::number(run.receiverCores, 'f', 2));
}

// The median run, and the range of the rates as text.
std::pair<Measured, QString> median(QList<Measured> runs)
{
    std::sort(runs.begin(), runs.end(), [](const Measured& a, const Measured& b) { return a.rate < b.rate; });
    return {runs[runs.size() / 2], QStringLiteral("%1 runs: %2-%3/s")
                                       .arg(runs.size())
                                       .arg(qRound64(runs.first().rate))
                                       .arg(qRound64(runs.last().rate))};
}

double perSecond(qint64 count, const QElapsedTimer& timer)
{
    return double(count) * 1e9 / double(std::max<qint64>(1, timer.nsecsElapsed()));
}

// The bodies as JSON arrays of `size` statements each, as a batching sender posts them.
QList<QByteArray> arraysOf(const QList<QByteArray>& bodies, qsizetype size)
{
    QList<QByteArray> arrays;
    for (qsizetype first = 0; first < bodies.size(); first += size) {
        QByteArray array = "[";
        for (qsizetype i = first; i < std::min(first + size, bodies.size()); ++i) {
            if (i > first)
                array += ',';
            array += bodies[i];
        }
        arrays << array + ']';
    }
    return arrays;
}

// What one would write with Qt alone: InFlight POSTs at a time, the next one started from each finished reply.
double bareQnam(const QList<QByteArray>& bodies, const QUrl& url)
{
    QNetworkAccessManager network;
    QNetworkRequest request(url);
    request.setRawHeader("Content-Type", "application/json");
    request.setRawHeader("X-Experience-API-Version", "1.0.3");
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    qsizetype next = 0;
    qsizetype ok = 0;
    qsizetype done = 0;
    QEventLoop loop;
    std::function<void()> post = [&] {
        QNetworkReply* reply = network.post(request, bodies[next++]);
        QObject::connect(reply, &QNetworkReply::finished, &loop, [&, reply] {
            reply->deleteLater();
            ok += reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200;
            if (++done == bodies.size())
                loop.quit();
            else if (next < bodies.size())
                post();
        });
    };
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < InFlight && next < bodies.size(); ++i)
        post();
    loop.exec();
    if (ok != bodies.size())
        qFatal("bare QNetworkAccessManager loop: %lld of %lld accepted", qint64(ok), qint64(bodies.size()));
    return perSecond(bodies.size(), timer);
}

// What one would write with libcurl alone: a multi handle, InFlight easy handles reused, curl_multi_poll.
double bareCurl(const QList<QByteArray>& bodies, const QUrl& url)
{
    CURLM* multi = curl_multi_init();
    curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
    headers = curl_slist_append(headers, "X-Experience-API-Version: 1.0.3");
    headers = curl_slist_append(headers, "Expect:");
    const QByteArray address = url.toEncoded();
    const auto discard = +[](char*, size_t size, size_t count, void*) {
        return size * count;
    };
    qsizetype next = 0;
    qsizetype ok = 0;
    const auto start = [&](CURL* easy) {
        curl_easy_setopt(easy, CURLOPT_URL, address.constData());
        curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(easy, CURLOPT_POSTFIELDS, bodies[next].constData());
        curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(bodies[next].size()));
        curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, discard);
        ++next;
        curl_multi_add_handle(multi, easy);
    };
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < InFlight && next < bodies.size(); ++i)
        start(curl_easy_init());
    int running = 1;
    while (running > 0) {
        curl_multi_perform(multi, &running);
        int left = 0;
        while (CURLMsg* message = curl_multi_info_read(multi, &left)) {
            if (message->msg != CURLMSG_DONE)
                continue;
            CURL* easy = message->easy_handle;
            long status = 0;
            curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
            ok += message->data.result == CURLE_OK && status == 200;
            curl_multi_remove_handle(multi, easy);
            if (next < bodies.size()) {
                start(easy);
                ++running;
            } else {
                curl_easy_cleanup(easy);
            }
        }
        if (running > 0)
            curl_multi_poll(multi, nullptr, 0, 1000, nullptr);
    }
    const double rate = perSecond(bodies.size(), timer);
    curl_slist_free_all(headers);
    curl_multi_cleanup(multi);
    if (ok != bodies.size())
        qFatal("bare libcurl loop: %lld of %lld accepted", qint64(ok), qint64(bodies.size()));
    return rate;
}

// A fresh SQLite store with one integration and the bodies queued to it.
struct QueuedStore
{
    QTemporaryDir dir;
    std::unique_ptr<Store> store;
    qint64 integrationId = 0;
    double enqueuePerSecond = 0;

    QueuedStore(const QList<QByteArray>& bodies, const QUrl& url, int batchSize, int retryIntervalSeconds = 60)
    {
        auto opened = Store::open(StoreLocation::fromString(dir.filePath(QStringLiteral("courier.sqlite"))));
        if (!opened.store)
            qFatal("cannot open the store: %s", qPrintable(opened.error));
        store = std::move(opened.store);
        Integration integration;
        integration.uid = QUuid::createUuid().toString(QUuid::WithoutBraces);
        integration.name = QStringLiteral("Bench LRS");
        integration.provider = QStringLiteral("bench");
        integration.statementUrl = url;
        integration.auth = Integration::Auth::None;
        integration.concurrency = InFlight;
        integration.batchSize = batchSize;
        integration.retryIntervalSeconds = retryIntervalSeconds;
        FieldIssues issues;
        QString error;
        if (!IntegrationRepository(*store).insert(integration, &issues, &error))
            qFatal("cannot add the integration: %s", qPrintable(error));
        integrationId = integration.id;
        QList<QJsonObject> statements;
        statements.reserve(bodies.size());
        for (const QByteArray& body : bodies)
            statements << QJsonDocument::fromJson(body).object();
        QElapsedTimer timer;
        timer.start();
        if (!DeliveryQueue(*store).enqueue(statements, {integrationId}, QDateTime::currentDateTimeUtc(), &error))
            qFatal("cannot enqueue: %s", qPrintable(error));
        enqueuePerSecond = perSecond(statements.size(), timer);
    }

    int undelivered()
    {
        QString error;
        return DeliveryQueue(*store).undelivered(integrationId, &error);
    }

    int delivered()
    {
        QString error;
        const LaneStats stats = DeliveryQueue(*store).stats(&error).value(integrationId);
        return stats.delivered + stats.duplicates;
    }
};

enum class Transport { Curl, Qnam };

// The engine delivers what `queued` holds; returns when every outcome was recorded. `started` runs once the engine
// runs (the backlog run ends its outage there); the rate counts from when `started` returned.
double deliverAll(QueuedStore& queued, qint64 count, Transport kind, const std::function<void()>& started = {})
{
    QNetworkAccessManager network;
    NoSecrets secrets;
    TokenClient tokens(network, secrets, Clock::system());
    CurlTransport curl(tokens, Clock::system());
    HttpTransport qnam(network, tokens, Clock::system());
    DeliveryTransport& transport =
        kind == Transport::Curl ? static_cast<DeliveryTransport&>(curl) : static_cast<DeliveryTransport&>(qnam);
    DeliveryEngine engine(*queued.store, transport, Clock::system(), QStringLiteral("bench"));
    QEventLoop loop;
    qint64 recorded = 0;
    QElapsedTimer timer;
    QObject::connect(&engine, &DeliveryEngine::recorded, &loop, [&](int outcomes) {
        recorded += outcomes; // failed attempts are outcomes too: the store has the last word
        if (recorded >= count && queued.undelivered() == 0)
            loop.quit();
    });
    engine.setTickInterval(50);
    engine.start();
    if (started)
        started();
    timer.start();
    loop.exec();
    const double rate = perSecond(count, timer);
    engine.stop();
    return rate;
}

QString figure(double value)
{
    return QString::number(qRound64(value));
}

// `rows` statements the store's integration delivered 40 days ago, with their bodies and attempts, written by SQL.
void addDelivered(Store& store, qint64 integrationId, qint64 rows, const QByteArray& body)
{
    const qint64 at = QDateTime::currentDateTimeUtc().addDays(-40).toMSecsSinceEpoch();
    const QStringList steps{
        QStringLiteral("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < %1) "
                       "INSERT INTO deliveries (integration_id, statement_id, state, attempts, last_status, "
                       "created_at, updated_at, delivered_at) SELECT %2, 'old-' || x, 'delivered', 1, 200, %3, %3, %3 "
                       "FROM n")
            .arg(rows)
            .arg(integrationId)
            .arg(at),
        QStringLiteral("INSERT INTO delivery_bodies (delivery_id, body) SELECT id, ? FROM deliveries "
                       "WHERE state = 'delivered'"),
        QStringLiteral("INSERT INTO attempts (delivery_id, integration_id, started_at, duration_ms, request_line, "
                       "status, response_body) SELECT id, integration_id, created_at, 3, 'POST /xapi/statements', "
                       "200, '[\"' || statement_id || '\"]' FROM deliveries WHERE state = 'delivered'"),
    };
    for (const QString& step : steps) {
        QSqlQuery query(store.database());
        query.prepare(step);
        if (step.contains(QLatin1Char('?')))
            query.addBindValue(QString::fromUtf8(body));
        if (!query.exec())
            qFatal("cannot fill the store: %s", qPrintable(query.lastError().text()));
    }
}

// Delivery to one integration with and without `xapi-courier queue prune` removing a large delivered history from
// the same store in another process at the same time (COURIER_BENCH_PRUNED statements, default 1,000,000).
void reportPrune(const QList<QByteArray>& bodies, const QUrl& url)
{
    const qint64 rows = qEnvironmentVariableIsSet("COURIER_BENCH_PRUNED")
                            ? qEnvironmentVariable("COURIER_BENCH_PRUNED").toLongLong()
                            : 1000000;
    QueuedStore store(bodies, url, 1);
    QElapsedTimer filling;
    filling.start();
    addDelivered(*store.store, store.integrationId, rows, bodies.first());
    const qint64 count = bodies.size();
    const double without = deliverAll(store, count, Transport::Curl);
    QList<QJsonObject> statements;
    for (const QByteArray& body : bodies) {
        QJsonObject statement = QJsonDocument::fromJson(body).object();
        statement.insert(QStringLiteral("id"), QUuid::createUuid().toString(QUuid::WithoutBraces));
        statements << statement;
    }
    QString error;
    if (!DeliveryQueue(*store.store)
             .enqueue(statements, {store.integrationId}, QDateTime::currentDateTimeUtc(), &error))
        qFatal("cannot enqueue: %s", qPrintable(error));
    QProcess prune;
    prune.setProcessChannelMode(QProcess::MergedChannels);
    prune.start(QStringLiteral(COURIER_BINARY),
                {QStringLiteral("--db"), store.dir.filePath(QStringLiteral("courier.sqlite")), QStringLiteral("queue"),
                 QStringLiteral("prune"), QStringLiteral("--delivered-before"), QStringLiteral("30d"),
                 QStringLiteral("--yes")});
    if (!prune.waitForStarted())
        qFatal("cannot start %s", COURIER_BINARY);
    QElapsedTimer pruning;
    pruning.start();
    QThread::msleep(500); // the prune is under way: past counting, into its chunks
    const double during = deliverAll(store, count, Transport::Curl);
    const bool pruneRunning = prune.state() == QProcess::Running;
    if (!prune.waitForFinished(600000) || prune.exitCode() != 0)
        qFatal("queue prune failed: %s", prune.readAll().constData());
    const double pruneSeconds = double(pruning.elapsed()) / 1000.0;
    QSqlQuery left(store.store->database());
    if (!left.exec(QStringLiteral("SELECT COUNT(*) FROM deliveries")) || !left.next() ||
        left.value(0).toLongLong() != 2 * count)
        qFatal("the prune left %lld deliveries, not %lld", left.value(0).toLongLong(), 2 * count);
    out() << "  delivery while `queue prune` removes " << rows
          << " delivered statements in another process: " << figure(during) << " statements/s, without a prune "
          << figure(without) << " statements/s (ratio " << QString::number(during / without, 'f', 2)
          << (pruneRunning ? "" : "; the prune ended first") << "); the prune took "
          << QString::number(pruneSeconds, 'f', 1) << " s (" << figure(double(rows) / pruneSeconds)
          << " statements/s)\n"
          << Qt::flush;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("courier.*.info=false"));
    const int count = argc > 1 ? QByteArray(argv[1]).toInt() : 20000;
    const int backlog = argc > 2 ? QByteArray(argv[2]).toInt() : 100000;
    // A third argument runs one part only, e.g. under a profiler.
    const QByteArray only = argc > 3 ? QByteArray(argv[3]) : QByteArray();
    const auto runs = [&only](const char* part) {
        return only.isEmpty() || only == part;
    };
    curl_global_init(CURL_GLOBAL_DEFAULT);

    Receiver receiver;
    const QUrl url = receiver.statementsUrl();
    const QList<QByteArray> bodies = makeBodies(count);
    out() << "bench_delivery: " << count << " statements of " << bodies.first().size() << " bytes, one per POST, "
          << InFlight << " in flight, to bench_receiver (Qt HttpServer, its own process) on 127.0.0.1\n"
          << Qt::flush;
    bareCurl(bodies.mid(0, std::min<qsizetype>(2000, count)), url); // warm-up: the receiver's first requests

    if (runs("single")) {
        const Measured qnam = measure(count, receiver, [&] { return bareQnam(bodies, url); });
        out() << "  bare QNetworkAccessManager loop        " << figure(qnam.rate) << " statements/s  (" << cpuText(qnam)
              << ")\n"
              << Qt::flush;

        QList<Measured> curlRuns;
        QList<Measured> courierRuns;
        qint64 arrived = count;
        int delivered = count;
        double enqueueRate = 0;
        for (int round = 0; round < Rounds; ++round) {
            curlRuns << measure(count, receiver, [&] { return bareCurl(bodies, url); });
            QueuedStore single(bodies, url, 1);
            const qint64 before = receiver.statements();
            courierRuns << measure(count, receiver, [&] { return deliverAll(single, count, Transport::Curl); });
            arrived = std::min(arrived, receiver.statements() - before);
            delivered = std::min(delivered, single.delivered());
            enqueueRate = single.enqueuePerSecond;
        }
        const auto [curl, curlRange] = median(curlRuns);
        const auto [courier, courierRange] = median(courierRuns);
        out() << "  bare libcurl multi loop                " << figure(curl.rate) << " statements/s  (" << cpuText(curl)
              << "; median of " << curlRange << ")\n"
              << Qt::flush;
        const double faster = std::max(qnam.rate, curl.rate);
        const double ratio = courier.rate / faster;
        out() << "  xAPI Courier, durable queue (libcurl)  " << figure(courier.rate) << " statements/s  ("
              << cpuText(courier) << "; median of " << courierRange << "; fewest arrived " << arrived
              << ", fewest recorded delivered " << delivered << "; enqueue " << figure(enqueueRate) << "/s)\n"
              << "    ratio to the faster bare loop: " << QString::number(ratio, 'f', 2) << " (target >= 0.80) "
              << (ratio >= 0.8 ? "PASS" : "FAIL") << '\n'
              << Qt::flush;

        QueuedStore viaQt(bodies, url, 1);
        const double courierQnam = deliverAll(viaQt, count, Transport::Qnam);
        out() << "  xAPI Courier, durable queue (Qt)       " << figure(courierQnam) << " statements/s  (ratio "
              << QString::number(courierQnam / faster, 'f', 2) << ", for comparison)\n"
              << Qt::flush;
    }

    if (runs("batched")) {
        // The same statements as arrays of 100 through the bare libcurl loop: what this receiver takes at most.
        const QList<QByteArray> arrays = arraysOf(bodies, 100);
        QList<Measured> bareBatchedRuns;
        QList<Measured> batchedRuns;
        for (int round = 0; round < Rounds; ++round) {
            bareBatchedRuns << measure(count, receiver,
                                       [&] { return bareCurl(arrays, url) * double(count) / double(arrays.size()); });
            QueuedStore batched(bodies, url, 100);
            batchedRuns << measure(count, receiver, [&] { return deliverAll(batched, count, Transport::Curl); });
        }
        const auto [bareBatched, bareBatchedRange] = median(bareBatchedRuns);
        const auto [batched, batchedRange] = median(batchedRuns);
        const double batchRatio = batched.rate / bareBatched.rate;
        out() << "  bare libcurl multi loop, 100 per POST  " << figure(bareBatched.rate) << " statements/s  ("
              << cpuText(bareBatched) << "; median of " << bareBatchedRange
              << "; the receiver's ceiling for arrays of 100)\n"
              << "  xAPI Courier, 100 per POST             " << figure(batched.rate) << " statements/s  ("
              << cpuText(batched) << "; median of " << batchedRange << ")\n"
              << "    ratio to the bare loop at 100 per POST: " << QString::number(batchRatio, 'f', 2)
              << " (target >= 0.50, ambition 0.80) " << (batchRatio >= 0.5 ? "PASS" : "FAIL") << '\n'
              << Qt::flush;
    }

    if (backlog > 0 && runs("backlog")) {
        // The outage: the receiver answers 503, the engine's first request fails and the integration is retrying
        // (probe interval 1 s). Then the receiver recovers; the probe succeeds and the backlog is flushed.
        const QList<QByteArray> many = makeBodies(backlog);
        receiver.answer(503);
        QueuedStore outage(many, url, 1, 1);
        QElapsedTimer sinceRecovery;
        const double rate = deliverAll(outage, backlog, Transport::Curl, [&] {
            QTimer::singleShot(300, [&] {
                receiver.answer(200);
                sinceRecovery.start();
            });
        });
        Q_UNUSED(rate);
        out() << "  backlog of " << backlog << " after a 503 outage: empty "
              << QString::number(double(sinceRecovery.elapsed()) / 1000.0, 'f', 1)
              << " s after the receiver recovered (probe interval 1 s; " << outage.delivered()
              << " recorded delivered; enqueue " << figure(outage.enqueuePerSecond) << "/s)\n"
              << Qt::flush;
    }
    if (runs("prune"))
        reportPrune(bodies, url);

    if (runs("workers")) {
        // At least 60,000 deliveries: a run of one second (20,000 on SQLite) varied by a third from one to the next.
        constexpr int WorkerRunsAtLeast = 60000;
        reportWorkerRuns(count >= WorkerRunsAtLeast ? bodies : makeBodies(WorkerRunsAtLeast), url, out());
    }
    curl_global_cleanup();
    return 0;
}
