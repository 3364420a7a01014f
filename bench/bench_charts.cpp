// bench_charts [INTEGRATIONS]: what the Delivery Queue page's charts cost, on an SQLite file and on PostgreSQL, for a
// store where INTEGRATIONS (default 3) integrations each had outcomes recorded in every minute of the last 8 days
// (about 11,500 minute rows each):
//   - reading the last day and the last week, one integration and "All integrations" (DeliveryChartSeries::load,
//     which reads the 10-minute and hourly rollups), against the baseline of summing the same points from the
//     minutes (delivery_minutes alone, as the charts first did); both must give the same statements;
//   - what recording adds to a group commit: DeliveryAggregates::add (the minute and its rollups) against the
//     baseline of the minute upsert alone, each in its own transaction as the engine's group commit is.
// Prints milliseconds per read (best of 5) and microseconds per commit, with the ratios.
#include "integrations/IntegrationRepository.h"
#include "metrics/DeliveryAggregates.h"
#include "metrics/DeliveryChartSeries.h"
#include "store/PreparedSql.h"
#include "store/Store.h"
#include "store/Transaction.h"

#include "PostgresServer.h"
#include "StoreFixtures.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTextStream>

#include <algorithm>
#include <functional>

namespace {

using Range = DeliveryChartSeries::Range;

constexpr int FilledDays = 8;
constexpr int Reads = 5;
constexpr int Commits = 2000;

QTextStream& out()
{
    static QTextStream stream(stdout);
    return stream;
}

// One group commit's outcomes for an integration: 20 statements, mostly delivered, in 4 requests of 5.
QList<DeliveryQueue::Outcome> group(qint64 integrationId, const QDateTime& now, QRandomGenerator& random)
{
    QList<DeliveryQueue::Outcome> outcomes;
    static qint64 request = 0;
    for (int i = 0; i < 20; ++i) {
        if (i % 5 == 0)
            ++request;
        DeliveryQueue::Outcome outcome;
        const int roll = int(random.bounded(100));
        outcome.state = roll < 90   ? Delivery::State::Delivered
                        : roll < 95 ? Delivery::State::Duplicate
                        : roll < 98 ? Delivery::State::Queued
                                    : Delivery::State::Held;
        outcome.request = request;
        outcome.attempt.integrationId = integrationId;
        outcome.attempt.durationMs = 5 + int(random.bounded(400));
        outcome.attempt.startedAt = now.addMSecs(-outcome.attempt.durationMs);
        outcomes << outcome;
    }
    return outcomes;
}

bool fill(Store& store, const QList<qint64>& integrations, const QDateTime& now)
{
    QRandomGenerator random(22);
    DeliveryAggregates aggregates(store);
    QString error;
    const QDateTime start = now.addDays(-FilledDays);
    for (int day = 0; day < FilledDays; ++day) {
        Transaction transaction(store);
        for (int minute = 0; minute < 24 * 60; ++minute) {
            const QDateTime at = start.addSecs((qint64(day) * 24 * 60 + minute) * 60);
            for (qint64 integration : integrations) {
                if (!aggregates.add(group(integration, at, random), at, &error)) {
                    out() << "recording failed: " << error << '\n';
                    return false;
                }
            }
        }
        if (!transaction.commit()) {
            out() << "commit failed: " << transaction.error() << '\n';
            return false;
        }
    }
    return true;
}

// The baseline read: the points summed from the minutes, as the charts did before the rollups. Its statements.
qint64 readMinutes(Store& store, Range range, qint64 integrationId, const QDateTime& now)
{
    const qint64 step = DeliveryChartSeries::stepMinutes(range);
    const qint64 end = (DeliveryAggregates::minuteOf(now) / step + 1) * step;
    const qint64 first = end - DeliveryChartSeries::rangeMinutes(range);
    QStringList sums;
    for (const QString& column : DeliveryAggregates::countColumns())
        sums << QStringLiteral("SUM(%1)").arg(column);
    QSqlQuery query(store.database());
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT at_minute / %1, %2 FROM delivery_minutes WHERE %3at_minute >= ? AND "
                                 "at_minute < ? GROUP BY at_minute / %1")
                      .arg(step)
                      .arg(sums.join(QStringLiteral(", ")),
                           integrationId ? QStringLiteral("integration_id = ? AND ") : QString()));
    if (integrationId)
        query.addBindValue(integrationId);
    query.addBindValue(first);
    query.addBindValue(end);
    if (!query.exec())
        qFatal("baseline read failed");
    qint64 statements = 0;
    while (query.next()) {
        for (int i = 1; i <= DeliveryAggregates::OutcomeCount; ++i)
            statements += query.value(i).toLongLong();
    }
    return statements;
}

double bestMs(const std::function<qint64()>& read, qint64* statements)
{
    double best = 1e9;
    for (int i = 0; i < Reads; ++i) {
        QElapsedTimer timer;
        timer.start();
        *statements = read();
        best = std::min(best, double(timer.nsecsElapsed()) / 1e6);
    }
    return best;
}

void reads(Store& store, qint64 one, const QDateTime& now)
{
    DeliveryChartSeries series(store);
    for (Range range : {Range::Day, Range::Week}) {
        for (qint64 integration : {one, qint64(0)}) {
            qint64 baselineStatements = 0;
            qint64 statements = 0;
            const double baseline =
                bestMs([&] { return readMinutes(store, range, integration, now); }, &baselineStatements);
            const double rollups = bestMs(
                [&] {
                    QString error;
                    const DeliveryChartSeries::Data data = series.load(range, integration, now, &error);
                    if (!error.isEmpty())
                        qFatal("load failed: %s", qPrintable(error));
                    return data.statements();
                },
                &statements);
            if (statements != baselineStatements)
                qFatal("the rollups give %lld statements, the minutes %lld", statements, baselineStatements);
            out() << "    " << DeliveryChartSeries::rangeText(range).leftJustified(10) << ' '
                  << (integration ? QStringLiteral("one integration ") : QStringLiteral("all integrations"))
                  << "  minutes " << QString::number(baseline, 'f', 1).rightJustified(7) << " ms   rollups "
                  << QString::number(rollups, 'f', 1).rightJustified(6) << " ms   (ratio "
                  << QString::number(rollups / baseline, 'f', 3) << ", " << statements << " statements)\n"
                  << Qt::flush;
        }
    }
}

// Microseconds per group commit of one integration's outcomes: with DeliveryAggregates::add, or with the minute
// upsert alone.
double commitUs(Store& store, qint64 integration, const QDateTime& from, bool minuteOnly)
{
    QRandomGenerator random(23);
    DeliveryAggregates aggregates(store);
    QStringList sums;
    for (const QString& column : DeliveryAggregates::countColumns())
        sums << QStringLiteral("%1 = delivery_minutes.%1 + excluded.%1").arg(column);
    const QString minuteSql =
        QStringLiteral("INSERT INTO delivery_minutes (integration_id, at_minute, %1) VALUES (?, ?%2) ON CONFLICT "
                       "(integration_id, at_minute) DO UPDATE SET %3")
            .arg(DeliveryAggregates::countColumns().join(QStringLiteral(", ")),
                 QStringLiteral(", ?").repeated(DeliveryAggregates::countColumns().size()),
                 sums.join(QStringLiteral(", ")));
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < Commits; ++i) {
        const QDateTime at = from.addSecs(i * 3); // 20 commits a minute
        const QList<DeliveryQueue::Outcome> outcomes = group(integration, at, random);
        Transaction transaction(store);
        QString error;
        if (minuteOnly) {
            PreparedSql upsert(store, minuteSql);
            upsert.add(integration);
            upsert.add(DeliveryAggregates::minuteOf(at));
            for (int c = 0; c < DeliveryAggregates::countColumns().size(); ++c)
                upsert.add(qint64(c == 0 ? outcomes.size() : 1));
            if (!upsert.exec(&error))
                qFatal("minute upsert failed: %s", qPrintable(error));
        } else if (!aggregates.add(outcomes, at, &error)) {
            qFatal("add failed: %s", qPrintable(error));
        }
        if (!transaction.commit())
            qFatal("commit failed");
    }
    return double(timer.nsecsElapsed()) / 1e3 / Commits;
}

void run(const QString& name, const QString& location, int integrations)
{
    Store::OpenResult opened = Store::open(StoreLocation::fromString(location));
    if (!opened.store) {
        out() << name << ": cannot open the store: " << opened.error << '\n';
        return;
    }
    Store& store = *opened.store;
    QList<qint64> ids;
    for (int i = 0; i < integrations; ++i)
        ids << StoreFixtures::addOpenIntegration(store, QStringLiteral("Bench %1").arg(i + 1));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QElapsedTimer filling;
    filling.start();
    if (!fill(store, ids, now))
        return;
    QSqlQuery count(store.database());
    count.exec(
        QStringLiteral("SELECT (SELECT COUNT(*) FROM delivery_minutes), (SELECT COUNT(*) FROM delivery_rollups)"));
    count.next();
    out() << name << ": " << integrations << " integrations, " << count.value(0).toLongLong() << " minute rows, "
          << count.value(1).toLongLong() << " rollup rows (filled in " << filling.elapsed() / 1000 << " s)\n"
          << Qt::flush;
    reads(store, ids.first(), now);

    const QDateTime later = now.addDays(1);
    const double minuteOnly = commitUs(store, ids.first(), later, true);
    const double withRollups = commitUs(store, ids.first(), later.addDays(1), false);
    out() << "    group commit of 20 outcomes  minute upsert alone " << QString::number(minuteOnly, 'f', 0)
          << " us   DeliveryAggregates::add " << QString::number(withRollups, 'f', 0) << " us   (ratio "
          << QString::number(withRollups / minuteOnly, 'f', 2) << ")\n"
          << Qt::flush;
}

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    const int integrations = argc > 1 ? std::max(1, QString::fromLocal8Bit(argv[1]).toInt()) : 3;
    QTemporaryDir dir;
    run(QStringLiteral("SQLite"), dir.filePath(QStringLiteral("charts.sqlite")), integrations);
    PostgresServer& server = PostgresServer::instance();
    QString error;
    const QString url = server.isRunning() ? server.createDatabase(&error) : QString();
    if (url.isEmpty()) {
        out() << "PostgreSQL: not measured: " << (server.isRunning() ? error : server.error()) << '\n';
        return 0;
    }
    run(QStringLiteral("PostgreSQL"), url, integrations);
    return 0;
}
