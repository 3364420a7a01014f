#include "StoreFixtures.h"
#include "TestClock.h"
#include "TestStore.h"

#include "delivery/DeliveryQueue.h"
#include "integrations/IntegrationRepository.h"
#include "metrics/DeliveryAggregates.h"
#include "metrics/DeliveryChartSeries.h"
#include "retention/RetentionScheduler.h"

#include <QSqlQuery>
#include <QTest>

using Outcome = DeliveryAggregates::Outcome;
using Range = DeliveryChartSeries::Range;

// The delivery charts' aggregates and series: a known sequence of deliveries recorded through DeliveryQueue::record
// (the group commit the engine uses) on the test clock, then the points, totals, p50/p95 and the held/retrying periods
// asserted exactly (on SQLite, and on PostgreSQL as tst_deliverycharts_postgresql).
class TestDeliveryCharts final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestStore> m_fixture;
    TestClock m_clock; // 2026-11-22 12:00 UTC
    qint64 m_acme = 0;
    qint64 m_beta = 0;

    static QDateTime at(int hour, int minute, int second = 0)
    {
        return QDateTime(QDate(2026, 11, 22), QTime(hour, minute, second), Qt::UTC);
    }

    struct Sent
    {
        Delivery::State state;
        int durationMs;
        qint64 request = 0; // the same non-zero value: one request (a batch)
    };
    // Claims as many deliveries of the integration as there are answers and records them in one group commit, at
    // the clock's time.
    bool record(Store& store, qint64 integrationId, const QList<Sent>& answers)
    {
        DeliveryQueue queue(store);
        QString error;
        QList<QJsonObject> statements;
        static int next = 0;
        for (qsizetype i = 0; i < answers.size(); ++i)
            statements << QJsonObject{{QStringLiteral("id"), QStringLiteral("s-%1").arg(++next)}};
        if (!queue.enqueue(statements, {integrationId}, m_clock.now(), &error))
            return false;
        const QList<Delivery> claimed = queue.claim(integrationId, int(answers.size()), m_clock.now(), &error);
        if (claimed.size() != answers.size())
            return false;
        QList<DeliveryQueue::Outcome> outcomes;
        for (qsizetype i = 0; i < answers.size(); ++i) {
            DeliveryQueue::Outcome outcome;
            outcome.deliveryId = claimed.at(i).id;
            outcome.state = answers.at(i).state;
            outcome.status = answers.at(i).state == Delivery::State::Queued ? 503
                             : answers.at(i).state == Delivery::State::Held ? 400
                                                                            : 200;
            if (outcome.state == Delivery::State::Queued || outcome.state == Delivery::State::Held)
                outcome.error = QStringLiteral("HTTP %1").arg(*outcome.status);
            outcome.request = answers.at(i).request;
            outcome.attempt.integrationId = integrationId;
            outcome.attempt.startedAt = m_clock.now().addMSecs(-answers.at(i).durationMs);
            outcome.attempt.durationMs = answers.at(i).durationMs;
            outcome.attempt.status = outcome.status;
            outcome.attempt.requestLine = QStringLiteral("POST https://lrs.example.com/statements");
            outcomes << outcome;
        }
        if (!queue.record(outcomes, m_clock.now(), &error)) {
            qWarning() << error;
            return false;
        }
        return true;
    }
    bool setHealth(qint64 integrationId, Integration::Health health, const QDateTime& when)
    {
        QString error;
        IntegrationRepository::HealthChange change;
        change.health = health;
        return IntegrationRepository(m_fixture->store()).setHealth(integrationId, change, &error, when);
    }
    DeliveryChartSeries::Data load(Range range, qint64 integrationId)
    {
        QString error;
        DeliveryChartSeries::Data data =
            DeliveryChartSeries(m_fixture->store()).load(range, integrationId, m_clock.now(), &error);
        if (!error.isEmpty())
            qWarning() << error;
        return data;
    }
    static const DeliveryChartSeries::Point* pointAt(const DeliveryChartSeries::Data& data, const QDateTime& start)
    {
        for (const DeliveryChartSeries::Point& point : data.points) {
            if (point.start == start)
                return &point;
        }
        return nullptr;
    }
    static qint64 rows(Store& store, const QString& table)
    {
        QSqlQuery query(store.database());
        query.exec(QStringLiteral("SELECT COUNT(*) FROM %1").arg(table));
        return query.next() ? query.value(0).toLongLong() : -1;
    }

    // The sequence every test below starts from (durations in ms; the bucket each falls in, in brackets):
    //   11:05:59 beta   1 delivered, 10 ms (7..10]              (just before the last hour)
    //   11:06:00 beta   1 delivered, 10 ms (7..10]              (the last hour's first minute)
    //   12:00:10 acme   delivered 4 (3..5], 8 (7..10], 40 (30..50]; duplicate 120 (100..150]
    //            beta   2 delivered in one request of 250 (200..300]
    //   12:01:30 acme   retried 1200 (1000..1500]; held 80 (70..100]
    //   12:05:00 acme   2 delivered in one request of 20 (15..20]
    //   now: 12:05:30
    bool recordSequence()
    {
        m_clock.set(at(11, 5, 59));
        if (!record(m_fixture->store(), m_beta, {{Delivery::State::Delivered, 10}}))
            return false;
        m_clock.set(at(11, 6));
        if (!record(m_fixture->store(), m_beta, {{Delivery::State::Delivered, 10}}))
            return false;
        m_clock.set(at(12, 0, 10));
        if (!record(m_fixture->store(), m_acme,
                    {{Delivery::State::Delivered, 4},
                     {Delivery::State::Delivered, 8},
                     {Delivery::State::Delivered, 40},
                     {Delivery::State::Duplicate, 120}}))
            return false;
        if (!record(m_fixture->store(), m_beta,
                    {{Delivery::State::Delivered, 250, 7}, {Delivery::State::Delivered, 250, 7}}))
            return false;
        m_clock.set(at(12, 1, 30));
        if (!record(m_fixture->store(), m_acme, {{Delivery::State::Queued, 1200}, {Delivery::State::Held, 80}}))
            return false;
        m_clock.set(at(12, 5));
        if (!record(m_fixture->store(), m_acme,
                    {{Delivery::State::Delivered, 20, 9}, {Delivery::State::Delivered, 20, 9}}))
            return false;
        m_clock.set(at(12, 5, 30));
        return true;
    }

private Q_SLOTS:
    void init()
    {
        m_fixture = std::make_unique<TestStore>();
        QVERIFY2(m_fixture->isValid(), qPrintable(m_fixture->error()));
        m_acme = StoreFixtures::addOpenIntegration(m_fixture->store(), QStringLiteral("Acme"));
        m_beta = StoreFixtures::addOpenIntegration(m_fixture->store(), QStringLiteral("Beta"));
        m_clock.set(at(12, 0));
    }

    void bucketsAndQuantiles()
    {
        QCOMPARE(DeliveryAggregates::bucketOf(0), 0);
        QCOMPARE(DeliveryAggregates::bucketOf(1), 0);
        QCOMPARE(DeliveryAggregates::bucketOf(2), 1);
        QCOMPARE(DeliveryAggregates::bucketOf(4), 3);
        QCOMPARE(DeliveryAggregates::bucketOf(20), 7);
        QCOMPARE(DeliveryAggregates::bucketOf(21), 8);
        QCOMPARE(DeliveryAggregates::bucketOf(60000), 27);
        QCOMPARE(DeliveryAggregates::bucketOf(60001), 28);
        QCOMPARE(DeliveryAggregates::BucketCount, 29);

        DeliveryChartSeries::Histogram histogram{};
        QVERIFY(!DeliveryChartSeries::quantileMs(histogram, 0.5));
        histogram[9] = 10; // ten requests in (30..50]
        QCOMPARE(*DeliveryChartSeries::quantileMs(histogram, 0.5), 40.0);
        QCOMPARE(*DeliveryChartSeries::quantileMs(histogram, 0.95), 49.0);
        histogram[28] = 90; // and ninety beyond 60 s: read as the last bound
        QCOMPARE(*DeliveryChartSeries::quantileMs(histogram, 0.5), 60000.0);
        histogram[0] = 900; // and nine hundred within 1 ms
        QCOMPARE(*DeliveryChartSeries::quantileMs(histogram, 0.5), 0.5 / 0.9);
        QCOMPARE(*DeliveryChartSeries::quantileMs(histogram, 0.95), 60000.0);
    }

    void lastHourOfOneIntegration()
    {
        QVERIFY(recordSequence());
        const DeliveryChartSeries::Data data = load(Range::Hour, m_acme);
        QCOMPARE(data.stepMinutes, 1);
        QCOMPARE(data.points.size(), 60);
        QCOMPARE(data.from, at(11, 6));
        QCOMPARE(data.to, at(12, 6));
        QVERIFY(!data.isEmpty());

        const DeliveryChartSeries::Point* noon = pointAt(data, at(12, 0));
        QVERIFY(noon);
        QCOMPARE(noon->count(Outcome::Delivered), 3);
        QCOMPARE(noon->count(Outcome::Duplicate), 1);
        QCOMPARE(noon->statements(), 4);
        QCOMPARE(noon->requests, 4);
        QCOMPARE(*noon->p50Ms, 10.0);  // rank 2 of 4: the one in (7..10], all of it
        QCOMPARE(*noon->p95Ms, 140.0); // rank 3.8: 0.8 into (100..150]

        const DeliveryChartSeries::Point* failing = pointAt(data, at(12, 1));
        QVERIFY(failing);
        QCOMPARE(failing->count(Outcome::Retried), 1);
        QCOMPARE(failing->count(Outcome::Held), 1);
        QCOMPARE(failing->count(Outcome::Delivered), 0);
        QCOMPARE(*failing->p50Ms, 100.0);  // rank 1 of 2: all of (70..100]
        QCOMPARE(*failing->p95Ms, 1450.0); // rank 1.9: 0.9 into (1000..1500]

        const DeliveryChartSeries::Point* batch = pointAt(data, at(12, 5));
        QVERIFY(batch);
        QCOMPARE(batch->count(Outcome::Delivered), 2); // two statements…
        QCOMPARE(batch->requests, 1);                  // …one request, timed once
        QCOMPARE(*batch->p50Ms, 17.5);
        QCOMPARE(*batch->p95Ms, 19.75);

        const DeliveryChartSeries::Point* quiet = pointAt(data, at(12, 3));
        QVERIFY(quiet);
        QCOMPARE(quiet->statements(), 0);
        QVERIFY(!quiet->p50Ms);

        QCOMPARE(data.totals[size_t(Outcome::Delivered)], 5);
        QCOMPARE(data.totals[size_t(Outcome::Duplicate)], 1);
        QCOMPARE(data.totals[size_t(Outcome::Held)], 1);
        QCOMPARE(data.totals[size_t(Outcome::Retried)], 1);
        QCOMPARE(data.totals[size_t(Outcome::Discarded)], 0);
        QCOMPARE(*data.p50Ms, 40.0);   // rank 3.5 of 7: half into (30..50]
        QCOMPARE(*data.p95Ms, 1325.0); // rank 6.65: 0.65 into (1000..1500]
    }

    void allIntegrationsAndLongerRanges()
    {
        QVERIFY(recordSequence());
        const DeliveryChartSeries::Data hour = load(Range::Hour, 0);
        QCOMPARE(hour.totals[size_t(Outcome::Delivered)], 5 + 2 + 1); // beta's 11:05:59 is before the hour
        const DeliveryChartSeries::Point* first = pointAt(hour, at(11, 6));
        QVERIFY(first);
        QCOMPARE(first->count(Outcome::Delivered), 1);
        const DeliveryChartSeries::Point* noon = pointAt(hour, at(12, 0));
        QCOMPARE(noon->count(Outcome::Delivered), 3 + 2);
        QCOMPARE(noon->requests, 4 + 1);
        QCOMPARE(*noon->p50Ms, 40.0); // rank 2.5 of 5: half into (30..50]

        const DeliveryChartSeries::Data day = load(Range::Day, 0);
        QCOMPARE(day.stepMinutes, 10);
        QCOMPARE(day.points.size(), 144);
        QCOMPARE(day.to, at(12, 10));
        QCOMPARE(day.totals[size_t(Outcome::Delivered)], 5 + 2 + 2);
        const DeliveryChartSeries::Point* tenMinutes = pointAt(day, at(12, 0));
        QVERIFY(tenMinutes);
        QCOMPARE(tenMinutes->statements(), 4 + 2 + 2 + 2);
        QCOMPARE(tenMinutes->requests, 4 + 1 + 2 + 1);
        const DeliveryChartSeries::Point* eleven = pointAt(day, at(11, 0));
        QVERIFY(eleven);
        QCOMPARE(eleven->count(Outcome::Delivered), 2); // 11:05:59 and 11:06:00

        const DeliveryChartSeries::Data week = load(Range::Week, m_acme);
        QCOMPARE(week.stepMinutes, 60);
        QCOMPARE(week.points.size(), 168);
        QCOMPARE(week.from, at(13, 0).addDays(-7));
        const DeliveryChartSeries::Point* hourPoint = pointAt(week, at(12, 0));
        QVERIFY(hourPoint);
        QCOMPARE(hourPoint->statements(), 8);
        QCOMPARE(*hourPoint->p50Ms, 40.0);
        QCOMPARE(*hourPoint->p95Ms, 1325.0);

        // Another integration's chart, and a range with nothing in it, say so.
        m_clock.set(at(12, 5, 30).addDays(2));
        QVERIFY(load(Range::Hour, m_acme).isEmpty());
        QVERIFY(load(Range::Day, 0).isEmpty());
        QCOMPARE(load(Range::Week, m_beta).totals[size_t(Outcome::Delivered)], 4);
    }

    void processesAddToTheSameMinute()
    {
        // A second connection, as a worker process has: both record in the same minute; the row holds the sum.
        Store::OpenResult other = Store::open(m_fixture->store().location());
        QVERIFY2(other.store, qPrintable(other.error));
        m_clock.set(at(12, 0, 1));
        QVERIFY(record(m_fixture->store(), m_acme, {{Delivery::State::Delivered, 4}}));
        m_clock.set(at(12, 0, 2));
        QVERIFY(record(*other.store, m_acme, {{Delivery::State::Delivered, 40}, {Delivery::State::Duplicate, 40}}));
        QVERIFY(record(m_fixture->store(), m_acme, {{Delivery::State::Delivered, 4}}));
        QCOMPARE(rows(m_fixture->store(), QStringLiteral("delivery_minutes")), 1);
        QCOMPARE(rows(m_fixture->store(), QStringLiteral("delivery_rollups")), 2); // its 10 minutes and its hour
        m_clock.set(at(12, 0, 30));
        const DeliveryChartSeries::Data data = load(Range::Hour, m_acme);
        const DeliveryChartSeries::Point* noon = pointAt(data, at(12, 0));
        QCOMPARE(noon->count(Outcome::Delivered), 3);
        QCOMPARE(noon->count(Outcome::Duplicate), 1);
        QCOMPARE(noon->requests, 4);
        QCOMPARE(*noon->p50Ms, 5.0);  // rank 2 of 4: both in (3..5]
        QCOMPARE(*noon->p95Ms, 48.0); // rank 3.8: 0.9 into (30..50] (two there)
        for (Range range : {Range::Day, Range::Week}) {
            const DeliveryChartSeries::Point* rolledUp = pointAt(load(range, m_acme), at(12, 0));
            QVERIFY(rolledUp);
            QCOMPARE(rolledUp->count(Outcome::Delivered), 3);
            QCOMPARE(rolledUp->requests, 4);
            QCOMPARE(*rolledUp->p95Ms, 48.0);
        }
    }

    void disabledEndsThePeriod()
    {
        // Retrying from 12:01, disabled at 12:03 (the engine no longer sends): the shading ends there, and a health
        // recorded while disabled (a reply that was in flight) starts none. Enabled at 12:04, still retrying: again.
        QVERIFY(setHealth(m_acme, Integration::Health::Retrying, at(12, 1)));
        QString error;
        IntegrationRepository repository(m_fixture->store());
        QVERIFY2(repository.setEnabled(m_acme, false, &error, at(12, 3)), qPrintable(error));
        QVERIFY(setHealth(m_acme, Integration::Health::Held, at(12, 3, 30)));
        QVERIFY(setHealth(m_acme, Integration::Health::Retrying, at(12, 3, 40)));
        m_clock.set(at(12, 3, 50));
        DeliveryChartSeries::Data data = load(Range::Hour, m_acme);
        QCOMPARE(data.periods.size(), 1);
        QCOMPARE(data.periods[0].health, Integration::Health::Retrying);
        QCOMPARE(data.periods[0].from, at(12, 1));
        QCOMPARE(data.periods[0].to, at(12, 3));
        QCOMPARE(load(Range::Hour, 0).periods.size(), 1);

        QVERIFY2(repository.setEnabled(m_acme, true, &error, at(12, 4)), qPrintable(error));
        m_clock.set(at(12, 5));
        data = load(Range::Hour, m_acme);
        QCOMPARE(data.periods.size(), 2);
        QCOMPARE(data.periods[1].health, Integration::Health::Retrying);
        QCOMPARE(data.periods[1].from, at(12, 4));
        QCOMPARE(data.periods[1].to, at(12, 5));

        // Disabling in the Integrations dialog (update) ends it the same way.
        std::optional<Integration> acme = repository.find(QString::number(m_acme), &error);
        QVERIFY2(acme, qPrintable(error));
        acme->enabled = false;
        FieldIssues issues;
        QVERIFY2(repository.update(*acme, &issues, &error), qPrintable(error));
        QSqlQuery query(m_fixture->store().database());
        QVERIFY(query.exec(QStringLiteral("SELECT health FROM health_changes ORDER BY id")));
        QStringList changes;
        while (query.next())
            changes << query.value(0).toString();
        QCOMPARE(changes, (QStringList{QStringLiteral("retrying"), QStringLiteral("disabled"),
                                       QStringLiteral("retrying"), QStringLiteral("disabled")}));
        // Saving it again disabled is no change.
        QVERIFY2(repository.update(*acme, &issues, &error), qPrintable(error));
        QCOMPARE(rows(m_fixture->store(), QStringLiteral("health_changes")), 4);
    }

    void heldAndRetryingPeriods()
    {
        QVERIFY(recordSequence());
        // beta: held from 10:00 (before the hour) until 11:30; acme: retrying 12:01:30–12:03, held since 12:04.
        QVERIFY(setHealth(m_beta, Integration::Health::Held, at(10, 0)));
        QVERIFY(setHealth(m_beta, Integration::Health::Healthy, at(11, 30)));
        QVERIFY(setHealth(m_acme, Integration::Health::Retrying, at(12, 1, 30)));
        QVERIFY(setHealth(m_acme, Integration::Health::Retrying, at(12, 2))); // no change: not a new period
        QVERIFY(setHealth(m_acme, Integration::Health::Healthy, at(12, 3)));
        QVERIFY(setHealth(m_acme, Integration::Health::Held, at(12, 4)));
        QCOMPARE(rows(m_fixture->store(), QStringLiteral("health_changes")), 5);

        const DeliveryChartSeries::Data beta = load(Range::Hour, m_beta);
        QCOMPARE(beta.periods.size(), 1);
        QCOMPARE(beta.periods[0].health, Integration::Health::Held);
        QCOMPARE(beta.periods[0].from, at(11, 6)); // held when the hour began
        QCOMPARE(beta.periods[0].to, at(11, 30));

        const DeliveryChartSeries::Data acme = load(Range::Hour, m_acme);
        QCOMPARE(acme.periods.size(), 2);
        QCOMPARE(acme.periods[0].health, Integration::Health::Retrying);
        QCOMPARE(acme.periods[0].from, at(12, 1, 30));
        QCOMPARE(acme.periods[0].to, at(12, 3));
        QCOMPARE(acme.periods[1].health, Integration::Health::Held);
        QCOMPARE(acme.periods[1].from, at(12, 4));
        QCOMPARE(acme.periods[1].to, at(12, 5, 30)); // still held: until now

        const DeliveryChartSeries::Data all = load(Range::Hour, 0);
        QCOMPARE(all.periods.size(), 3);
        int held = 0;
        for (const DeliveryChartSeries::Period& period : all.periods)
            held += period.health == Integration::Health::Held ? 1 : 0;
        QCOMPARE(held, 2);

        // A week later nothing was delivered, but acme is still held: the whole range is shaded.
        m_clock.set(at(12, 5, 30).addDays(8));
        const DeliveryChartSeries::Data later = load(Range::Day, m_acme);
        QCOMPARE(later.statements(), 0);
        QCOMPARE(later.periods.size(), 1);
        QCOMPARE(later.periods[0].from, later.from);
        QCOMPARE(later.periods[0].to, m_clock.now());
    }

    void discardsAreCounted()
    {
        // Discarding is an operator's action, stamped with the wall clock.
        m_clock.set(QDateTime::currentDateTimeUtc());
        DeliveryQueue queue(m_fixture->store());
        QString error;
        QList<QJsonObject> statements = {QJsonObject{{QStringLiteral("id"), QStringLiteral("d-1")}},
                                         QJsonObject{{QStringLiteral("id"), QStringLiteral("d-2")}},
                                         QJsonObject{{QStringLiteral("id"), QStringLiteral("d-3")}}};
        QVERIFY(queue.enqueue(statements, {m_acme, m_beta}, m_clock.now(), &error));
        DeliveryFilter filter;
        const QList<qint64> ids = queue.ids(filter, &error);
        QCOMPARE(ids.size(), 6);
        QCOMPARE(queue.discard(ids.mid(0, 4), &error), 4);
        QCOMPARE(queue.discard(ids.mid(0, 4), &error), 0); // already discarded: not counted twice
        const QDateTime now = QDateTime::currentDateTimeUtc();
        QString loadError;
        const DeliveryChartSeries::Data all =
            DeliveryChartSeries(m_fixture->store()).load(Range::Hour, 0, now, &loadError);
        QVERIFY2(loadError.isEmpty(), qPrintable(loadError));
        QCOMPARE(all.totals[size_t(Outcome::Discarded)], 4);
        QCOMPARE(all.statements(), 4);
        const qint64 acmeDiscarded = DeliveryChartSeries(m_fixture->store())
                                         .load(Range::Hour, m_acme, now, &loadError)
                                         .totals[size_t(Outcome::Discarded)];
        const qint64 betaDiscarded = DeliveryChartSeries(m_fixture->store())
                                         .load(Range::Hour, m_beta, now, &loadError)
                                         .totals[size_t(Outcome::Discarded)];
        QCOMPARE(acmeDiscarded + betaDiscarded, 4);
        QVERIFY(acmeDiscarded > 0 && betaDiscarded > 0);
    }

    void retentionPrunesOldMinutes()
    {
        m_clock.set(at(12, 0).addDays(-40));
        QVERIFY(record(m_fixture->store(), m_acme, {{Delivery::State::Delivered, 4}}));
        QVERIFY(setHealth(m_acme, Integration::Health::Held, m_clock.now()));
        QVERIFY(setHealth(m_acme, Integration::Health::Healthy, m_clock.now().addSecs(60)));
        QVERIFY(setHealth(m_beta, Integration::Health::Held, m_clock.now())); // held ever since
        m_clock.set(at(12, 0).addDays(-30));
        QVERIFY(record(m_fixture->store(), m_acme, {{Delivery::State::Delivered, 4}}));
        m_clock.set(at(12, 0));
        QVERIFY(record(m_fixture->store(), m_acme, {{Delivery::State::Delivered, 4}}));
        QCOMPARE(rows(m_fixture->store(), QStringLiteral("delivery_minutes")), 3);
        QCOMPARE(rows(m_fixture->store(), QStringLiteral("delivery_rollups")), 6);

        // The hourly retention pass drops minutes and rollups older than 35 days, and health changes as old that are
        // not an integration's latest.
        RetentionScheduler scheduler(m_fixture->store(), m_clock);
        int passes = 0;
        QString passError = QStringLiteral("(no pass)");
        connect(&scheduler, &RetentionScheduler::passFinished, this,
                [&](const PruneCounts&, qint64, const QString& error) {
                    ++passes;
                    passError = error;
                });
        scheduler.beginPass();
        while (scheduler.step()) {
        }
        QCOMPARE(passes, 1);
        QCOMPARE(passError, QString());
        QCOMPARE(rows(m_fixture->store(), QStringLiteral("delivery_minutes")), 2);
        QCOMPARE(rows(m_fixture->store(), QStringLiteral("delivery_rollups")), 4);
        QCOMPARE(rows(m_fixture->store(), QStringLiteral("health_changes")), 2);
        const DeliveryChartSeries::Data beta = load(Range::Week, m_beta);
        QCOMPARE(beta.periods.size(), 1); // still known to be held
        QCOMPARE(beta.periods[0].from, beta.from);

        // In small transactions: a chunk removes at most what it is given.
        m_clock.set(at(12, 0).addDays(-36));
        for (int i = 0; i < 5; ++i) {
            QVERIFY(record(m_fixture->store(), m_acme, {{Delivery::State::Delivered, 4}}));
            m_clock.advance(60 * 1000);
        }
        QCOMPARE(rows(m_fixture->store(), QStringLiteral("delivery_rollups")), 4 + 2); // one 10 minutes, one hour
        QString error;
        QCOMPARE(DeliveryAggregates(m_fixture->store()).pruneChunk(at(12, 0).addDays(-35), 3, &error), 3);
        QCOMPARE(DeliveryAggregates(m_fixture->store()).pruneChunk(at(12, 0).addDays(-35), 3, &error), 3);
        QCOMPARE(DeliveryAggregates(m_fixture->store()).pruneChunk(at(12, 0).addDays(-35), 3, &error), 1);
        QCOMPARE(DeliveryAggregates(m_fixture->store()).pruneChunk(at(12, 0).addDays(-35), 3, &error), 0);
        QCOMPARE(rows(m_fixture->store(), QStringLiteral("delivery_minutes")), 2);
        QCOMPARE(rows(m_fixture->store(), QStringLiteral("delivery_rollups")), 4);
    }

    void deletedIntegrationTakesItsRows()
    {
        QVERIFY(recordSequence());
        QVERIFY(setHealth(m_acme, Integration::Health::Held, at(12, 4)));
        QString error;
        QVERIFY(IntegrationRepository(m_fixture->store()).remove(m_acme, &error));
        QSqlQuery query(m_fixture->store().database());
        QVERIFY(query.exec(QStringLiteral("SELECT COUNT(*) FROM delivery_minutes WHERE integration_id = %1 UNION ALL "
                                          "SELECT COUNT(*) FROM delivery_rollups WHERE integration_id = %1 UNION ALL "
                                          "SELECT COUNT(*) FROM health_changes WHERE integration_id = %1")
                               .arg(m_acme)));
        QVERIFY(query.next());
        QCOMPARE(query.value(0).toLongLong(), 0);
        QVERIFY(query.next());
        QCOMPARE(query.value(0).toLongLong(), 0);
        QVERIFY(query.next());
        QCOMPARE(query.value(0).toLongLong(), 0);
        QCOMPARE(load(Range::Hour, 0).totals[size_t(Outcome::Delivered)], 3); // beta's
    }

    void migrationRollsUpTheMinutesKept()
    {
        // A store at migration 21 with minutes recorded (and an integration disabled while retrying), then migrated:
        // the day and week read the rollups filled from those minutes, and the disabled integration is not shaded.
        TestStore old(21);
        QVERIFY2(old.isValid(), qPrintable(old.error()));
        // Written as a store of that version holds it (today's repository writes columns added since).
        QSqlQuery insert(old.store().database());
        QVERIFY(insert.exec(
            QStringLiteral("INSERT INTO integrations (uid, name, name_key, provider, provider_key, statement_url, "
                           "auth_kind, created_at, updated_at) VALUES ('acme', 'Acme', 'acme', 'acme', 'acme', "
                           "'http://127.0.0.1:1/xapi/statements', 'none', 0, 0) RETURNING id")));
        QVERIFY(insert.next());
        const qint64 acme = insert.value(0).toLongLong();
        insert.finish();
        // The minutes as DeliveryAggregates wrote them then (4 ms is d03, 40 ms d09, 8 ms d05, 250 ms d14).
        QSqlQuery query(old.store().database());
        const auto minute = [](const QDateTime& time) {
            return DeliveryAggregates::minuteOf(time);
        };
        QVERIFY(
            query.exec(QStringLiteral("INSERT INTO delivery_minutes (integration_id, at_minute, delivered, retried, "
                                      "d03, d09) VALUES (%1, %2, 1, 1, 1, 1)")
                           .arg(acme)
                           .arg(minute(at(11, 59)))));
        QVERIFY(query.exec(QStringLiteral("INSERT INTO delivery_minutes (integration_id, at_minute, delivered, d05) "
                                          "VALUES (%1, %2, 1, 1)")
                               .arg(acme)
                               .arg(minute(at(12, 9, 59)))));
        QVERIFY(query.exec(QStringLiteral("INSERT INTO delivery_minutes (integration_id, at_minute, duplicate, d14) "
                                          "VALUES (%1, %2, 1, 1)")
                               .arg(acme)
                               .arg(minute(at(12, 10)))));
        QVERIFY(
            query.exec(QStringLiteral("UPDATE integrations SET enabled = 0, health = 'retrying', health_since = %1, "
                                      "updated_at = %2 WHERE id = %3")
                           .arg(at(11, 0).toMSecsSinceEpoch())
                           .arg(at(11, 30).toMSecsSinceEpoch())
                           .arg(acme)));
        QVERIFY(query.exec(QStringLiteral("INSERT INTO health_changes (integration_id, at, health) VALUES (%1, %2, "
                                          "'retrying')")
                               .arg(acme)
                               .arg(at(11, 0).toMSecsSinceEpoch())));
        query.finish();
        QVERIFY2(old.reopen(), qPrintable(old.error()));
        QCOMPARE(rows(old.store(), QStringLiteral("delivery_rollups")), 3 + 2); // 11:50, 12:00, 12:10; 11:00, 12:00

        m_clock.set(at(12, 15));
        QString error;
        const DeliveryChartSeries::Data day =
            DeliveryChartSeries(old.store()).load(Range::Day, acme, m_clock.now(), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(pointAt(day, at(11, 50))->statements(), 2);
        QCOMPARE(pointAt(day, at(12, 0))->statements(), 1);
        QCOMPARE(pointAt(day, at(12, 10))->count(Outcome::Duplicate), 1);
        QCOMPARE(day.totals[size_t(Outcome::Retried)], 1);
        const DeliveryChartSeries::Data week =
            DeliveryChartSeries(old.store()).load(Range::Week, acme, m_clock.now(), &error);
        QCOMPARE(pointAt(week, at(11, 0))->requests, 2);
        QCOMPARE(pointAt(week, at(12, 0))->requests, 2);
        QCOMPARE(*pointAt(week, at(12, 0))->p95Ms, 290.0); // rank 1.9 of 2: 0.9 into (200..300]
        QCOMPARE(day.periods.size(), 1);
        QCOMPARE(day.periods[0].from, at(11, 0));
        QCOMPARE(day.periods[0].to, at(11, 30)); // disabled then
    }
};

QTEST_GUILESS_MAIN(TestDeliveryCharts)
#include "tst_deliverycharts.moc"
