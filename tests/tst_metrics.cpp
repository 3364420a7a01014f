#include "InMemorySecretStore.h"
#include "LocalReceiver.h"
#include "TestStore.h"

#include "common/Clock.h"
#include "delivery/DeliveryEngine.h"
#include "delivery/DeliveryQueue.h"
#include "integrations/IntegrationRepository.h"
#include "metrics/DeliveryMetrics.h"
#include "metrics/MetricsServer.h"
#include "runtime/CourierRuntime.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

// GET /metrics of a runtime after a scripted run against real receivers on 127.0.0.1, its counters asserted exactly
// (on SQLite, and on PostgreSQL as tst_metrics_postgresql).
class TestMetrics final : public QObject
{
    Q_OBJECT

private:
    static qint64 addIntegration(Store& store, const QString& name, const QUrl& url)
    {
        Integration integration;
        integration.uid = name;
        integration.name = name;
        integration.provider = name;
        integration.statementUrl = url;
        integration.auth = Integration::Auth::None;
        integration.concurrency = 1; // one request at a time: the script's answers go in order
        FieldIssues issues;
        QString error;
        if (!IntegrationRepository(store).insert(integration, &issues, &error))
            qFatal("insert failed: %s", qPrintable(error));
        return integration.id;
    }
    static QList<QJsonObject> statements(const QString& prefix, int count)
    {
        QList<QJsonObject> list;
        for (int i = 0; i < count; ++i)
            list << QJsonObject{{QStringLiteral("id"), QStringLiteral("%1-%2").arg(prefix).arg(i)}};
        return list;
    }
    static QByteArray get(const QUrl& url, QByteArray* contentType = nullptr, int* status = nullptr)
    {
        QNetworkAccessManager network;
        QNetworkReply* reply = network.get(QNetworkRequest(url));
        QSignalSpy finished(reply, &QNetworkReply::finished);
        if (!finished.wait(10000))
            return {};
        if (contentType)
            *contentType = reply->header(QNetworkRequest::ContentTypeHeader).toByteArray();
        if (status)
            *status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray body = reply->readAll();
        reply->deleteLater();
        return body;
    }
    // The value of the one sample with exactly this name and these labels.
    static QString sample(const QByteArray& page, const QString& series)
    {
        for (const QByteArray& line : page.split('\n')) {
            const QString text = QString::fromUtf8(line);
            if (text.startsWith(series + QLatin1Char(' ')))
                return text.mid(series.size() + 1);
        }
        return QStringLiteral("(missing)");
    }

private Q_SLOTS:
    void scrapeAfterAScriptedRun()
    {
        TestStore fixture;
        QVERIFY2(fixture.isValid(), qPrintable(fixture.error()));
        LocalReceiver acme;
        LocalReceiver beta;
        QVERIFY(acme.start());
        QVERIFY(beta.start());
        acme.setStatementReplies({{200, {}, {}, 0},
                                  {200, {}, {}, 0},
                                  {200, {}, {}, 0},
                                  {409, {}, {}, 0},
                                  {400, "{\"error\":\"bad verb\"}", {}, 0}});
        beta.setStatementReplies({{503, {}, {}, 0}});
        const qint64 acmeId = addIntegration(fixture.store(), QStringLiteral("Acme \"LRS\""), acme.statementsUrl());
        const qint64 betaId = addIntegration(fixture.store(), QStringLiteral("Beta"), beta.statementsUrl());
        DeliveryQueue queue(fixture.store());
        QString error;
        QList<QJsonObject> forAcme = statements(QStringLiteral("a"), 6);
        QVERIFY(queue.enqueue(forAcme, {acmeId}, QDateTime::currentDateTimeUtc(), &error));
        QList<QJsonObject> forBeta = statements(QStringLiteral("b"), 2);
        QVERIFY(queue.enqueue(forBeta, {betaId}, QDateTime::currentDateTimeUtc(), &error));
        DeliveryFilter lastOfBeta;
        lastOfBeta.statementId = QStringLiteral("b-1");
        QCOMPARE(queue.discard(queue.ids(lastOfBeta, &error), &error), 1);

        InMemorySecretStore secrets;
        CourierRuntime runtime(fixture.store(), secrets, Clock::system(), QStringLiteral("metrics test"));
        QString listenError;
        QVERIFY2(runtime.startMetrics(QHostAddress::LocalHost, 0, &listenError), qPrintable(listenError));
        QVERIFY(runtime.metricsServer()->port() > 0);
        runtime.start();
        // Acme: 200, 200, 200, 409, then 400 holds the lane (the sixth waits); Beta: 503, retrying in a minute.
        QTRY_COMPARE_WITH_TIMEOUT(acme.statementRequests.size(), 5, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(beta.statementRequests.size(), 1, 20000);
        const QUrl url(QStringLiteral("http://127.0.0.1:%1/metrics").arg(runtime.metricsServer()->port()));
        QByteArray page;
        QTRY_VERIFY_WITH_TIMEOUT(
            (page = get(url), sample(page, QStringLiteral("xapi_courier_integration_health{integration=\"Beta\","
                                                          "state=\"retrying\"}")) == QLatin1String("1")),
            20000);
        QTRY_VERIFY_WITH_TIMEOUT(
            (page = get(url), sample(page, QStringLiteral("xapi_courier_deliveries_total{"
                                                          "integration=\"Acme \\\"LRS\\\"\","
                                                          "outcome=\"held\"}")) == QLatin1String("1")),
            20000);
        const QString acmeLabel = QStringLiteral("integration=\"Acme \\\"LRS\\\"\"");
        const auto acmeSeries = [&](const QString& name, const QString& more = QString()) {
            return sample(page, name + QLatin1Char('{') + acmeLabel + more + QLatin1Char('}'));
        };
        const auto betaSeries = [&](const QString& name, const QString& more = QString()) {
            return sample(page, name + QStringLiteral("{integration=\"Beta\"") + more + QLatin1Char('}'));
        };
        QCOMPARE(sample(page, QStringLiteral("xapi_courier_up")), QStringLiteral("1"));
        QCOMPARE(acmeSeries(QStringLiteral("xapi_courier_deliveries_total"), QStringLiteral(",outcome=\"delivered\"")),
                 QStringLiteral("3"));
        QCOMPARE(acmeSeries(QStringLiteral("xapi_courier_deliveries_total"), QStringLiteral(",outcome=\"duplicate\"")),
                 QStringLiteral("1"));
        QCOMPARE(acmeSeries(QStringLiteral("xapi_courier_deliveries_total"), QStringLiteral(",outcome=\"retried\"")),
                 QStringLiteral("0"));
        QCOMPARE(betaSeries(QStringLiteral("xapi_courier_deliveries_total"), QStringLiteral(",outcome=\"retried\"")),
                 QStringLiteral("1"));
        QCOMPARE(betaSeries(QStringLiteral("xapi_courier_deliveries_total"), QStringLiteral(",outcome=\"delivered\"")),
                 QStringLiteral("0"));
        QCOMPARE(betaSeries(QStringLiteral("xapi_courier_deliveries_total"), QStringLiteral(",outcome=\"discarded\"")),
                 QStringLiteral("1"));
        QCOMPARE(acmeSeries(QStringLiteral("xapi_courier_delivery_duration_seconds_count")), QStringLiteral("5"));
        QCOMPARE(
            acmeSeries(QStringLiteral("xapi_courier_delivery_duration_seconds_bucket"), QStringLiteral(",le=\"+Inf\"")),
            QStringLiteral("5"));
        QCOMPARE(betaSeries(QStringLiteral("xapi_courier_delivery_duration_seconds_count")), QStringLiteral("1"));
        // Cumulative buckets never fall.
        qint64 previous = 0;
        for (const double bound : DeliveryMetrics::Buckets) {
            const qint64 value = acmeSeries(QStringLiteral("xapi_courier_delivery_duration_seconds_bucket"),
                                            QStringLiteral(",le=\"%1\"").arg(bound, 0, 'g', 15))
                                     .toLongLong();
            QVERIFY(value >= previous);
            previous = value;
        }
        QCOMPARE(acmeSeries(QStringLiteral("xapi_courier_queued")), QStringLiteral("1")); // the sixth waits
        QCOMPARE(betaSeries(QStringLiteral("xapi_courier_queued")), QStringLiteral("1")); // the probe waits
        QCOMPARE(acmeSeries(QStringLiteral("xapi_courier_integration_health"), QStringLiteral(",state=\"held\"")),
                 QStringLiteral("1"));
        QCOMPARE(acmeSeries(QStringLiteral("xapi_courier_integration_health"), QStringLiteral(",state=\"healthy\"")),
                 QStringLiteral("0"));
        QVERIFY(page.contains("# TYPE xapi_courier_deliveries_total counter\n"));
        QVERIFY(page.contains("# TYPE xapi_courier_delivery_duration_seconds histogram\n"));
        QVERIFY(page.contains("# TYPE xapi_courier_alerts_total counter\n"));
        QVERIFY(sample(page, QStringLiteral("process_cpu_seconds_total")).toDouble() > 0);
        QVERIFY(sample(page, QStringLiteral("process_resident_memory_bytes")).toDouble() > 1e6);
        QVERIFY(sample(page, QStringLiteral("process_open_fds")).toInt() > 3);
        const double started = sample(page, QStringLiteral("process_start_time_seconds")).toDouble();
        QVERIFY(qAbs(started - QDateTime::currentSecsSinceEpoch()) < 3600);

        QByteArray contentType;
        int status = 0;
        get(url, &contentType, &status);
        QCOMPARE(contentType, QByteArray("text/plain; version=0.0.4; charset=utf-8"));
        get(QUrl(QStringLiteral("http://127.0.0.1:%1/other").arg(runtime.metricsServer()->port())), nullptr, &status);
        QCOMPARE(status, 404);

        QSignalSpy stopped(&runtime, &CourierRuntime::stopped);
        runtime.stop();
        QVERIFY(stopped.count() == 1 || stopped.wait(30000));
    }

    void addressesAreParsedOrRefused()
    {
        QHostAddress address;
        quint16 port = 0;
        QString error;
        QVERIFY(MetricsServer::parseAddress(QStringLiteral("9464"), &address, &port, &error));
        QCOMPARE(address, QHostAddress(QHostAddress::LocalHost));
        QCOMPARE(port, 9464);
        QVERIFY(MetricsServer::parseAddress(QStringLiteral("0.0.0.0:9100"), &address, &port, &error));
        QCOMPARE(address.toString(), QStringLiteral("0.0.0.0"));
        QVERIFY(MetricsServer::parseAddress(QStringLiteral("[::1]:9100"), &address, &port, &error));
        QCOMPARE(address, QHostAddress(QHostAddress::LocalHostIPv6));
        QVERIFY(!MetricsServer::parseAddress(QStringLiteral("localhost:http"), &address, &port, &error));
        QCOMPARE(error, QStringLiteral("“localhost:http” is not ADDRESS:PORT or PORT, e.g. 127.0.0.1:9464."));
    }
};

QTEST_GUILESS_MAIN(TestMetrics)
#include "tst_metrics.moc"
