// bench_completions [N]: import of N completion records (default 1,000,000) from a JSON-lines file through
// CompletionStore::importFrom (one transaction, as `completions import` does), next to a bare prepared SQLite INSERT
// loop into the same table in the same run; then what the browser asks of the store over those N records — the first
// page, each sort, a page half-way down, filters alone and with a sort — in milliseconds; the import of N/10 records
// with one enabled integration (each record's statement made, validated and queued); and the peak memory.
#include "completions/CompletionStore.h"
#include "integrations/IntegrationRepository.h"
#include "store/Store.h"
#include "store/Transaction.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QLoggingCategory>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTextStream>

#include <sys/resource.h>

namespace {

// What an H5P server would send: 1,000 contents, one record per user, scores 0..10 of 10.
bool writeRecords(const QString& path, int count)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    for (int i = 0; i < count; ++i) {
        file.write("{\"contentId\":\"" + QByteArray::number(i % 1000) + "\",\"userId\":\"user-" +
                   QByteArray::number(i) + "\",\"score\":" + QByteArray::number(i % 11) +
                   ",\"maxScore\":10,\"openedTimestamp\":" + QByteArray::number(1700000000 + i) +
                   ",\"finishedTimestamp\":" + QByteArray::number(1700000060 + i) + ",\"completionTime\":60}\n");
    }
    return true;
}

double milliseconds(const QElapsedTimer& timer)
{
    return double(timer.nsecsElapsed()) / 1e6;
}

std::unique_ptr<Store> openStore(const QString& path)
{
    auto opened = Store::open(StoreLocation::fromString(path));
    if (!opened.store)
        qFatal("cannot open %s: %s", qPrintable(path), qPrintable(opened.error));
    return std::move(opened.store);
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("courier.*.info=false"));
    const int total = argc > 1 ? QByteArray(argv[1]).toInt() : 1000000;
    QTextStream out(stdout);
    QTemporaryDir dir;
    QString error;

    // Baselines: a bare prepared INSERT loop in one transaction, same table, same columns, same indexes — with the
    // store's defaults, and with the page cache the import sets for itself (see CompletionStore::importFrom).
    auto bareLoop = [&](const QString& pragma) {
        const QString path = dir.filePath(QStringLiteral("bare.sqlite"));
        double rate = 0;
        {
            const std::unique_ptr<Store> store = openStore(path);
            if (!pragma.isEmpty())
                QSqlQuery(store->database()).exec(pragma);
            QElapsedTimer timer;
            timer.start();
            Transaction transaction(*store);
            QSqlQuery insert(store->database());
            insert.prepare(
                QStringLiteral("INSERT INTO completions (content_id, user_id, score, max_score, ratio, opened_ts, "
                               "finished_ts, completion_time, received_at, source, statement_id) VALUES "
                               "(?, ?, ?, 10, ?, ?, ?, 60, 0, 'bare', ?)"));
            for (int i = 0; i < total; ++i) {
                insert.addBindValue(QString::number(i % 1000));
                insert.addBindValue(QStringLiteral("user-%1").arg(i));
                insert.addBindValue(double(i % 11));
                insert.addBindValue((i % 11) / 10.0);
                insert.addBindValue(qint64(1700000000 + i));
                insert.addBindValue(qint64(1700000060 + i));
                insert.addBindValue(QString::number(i));
                insert.exec();
            }
            transaction.commit();
            rate = total / (milliseconds(timer) / 1000.0);
        }
        for (const char* suffix : {"", "-wal", "-shm"})
            QFile::remove(path + QLatin1String(suffix));
        return rate;
    };
    const double bareRate = bareLoop({});
    const double bareCachedRate = bareLoop(QStringLiteral("PRAGMA cache_size = -65536"));

    const QString lines = dir.filePath(QStringLiteral("completions.jsonl"));
    if (!writeRecords(lines, total))
        qFatal("cannot write %s", qPrintable(lines));
    const std::unique_ptr<Store> store = openStore(dir.filePath(QStringLiteral("courier.sqlite")));
    CompletionStore completions(*store);
    QFile input(lines);
    input.open(QIODevice::ReadOnly);
    QElapsedTimer timer;
    timer.start();
    const CompletionStore::ImportReport report = completions.importFrom(input, &error);
    const double importMs = milliseconds(timer);
    const double importRate = total / (importMs / 1000.0);

    out << "bench_completions: " << total << " records\n";
    out << QStringLiteral("  import (JSON lines, one transaction): %1 s, %2 records/s\n    %3\n")
               .arg(importMs / 1000.0, 0, 'f', 1)
               .arg(qRound(importRate))
               .arg(report.summary());
    out << QStringLiteral("  bare INSERT loop, store defaults: %1 rows/s; import/bare ratio %2\n")
               .arg(qRound(bareRate))
               .arg(importRate / bareRate, 0, 'f', 2);
    out << QStringLiteral("  bare INSERT loop, 64 MiB page cache as the import: %1 rows/s; import/bare ratio %2\n")
               .arg(qRound(bareCachedRate))
               .arg(importRate / bareCachedRate, 0, 'f', 2);

    auto measure = [&](const char* what, auto work) {
        QElapsedTimer t;
        t.start();
        const qsizetype rows = work();
        out << QStringLiteral("  %1: %2 ms (%3 rows)\n")
                   .arg(QLatin1String(what))
                   .arg(milliseconds(t), 0, 'f', 1)
                   .arg(rows);
    };
    using Sort = CompletionStore::Sort;
    constexpr int page = 100;
    measure("first page: count + 100 newest", [&] {
        completions.count({}, &error);
        return completions.page({}, Sort::Finished, true, page, 0, &error).size();
    });
    measure("sort by score, first page",
            [&] { return completions.page({}, Sort::Score, true, page, 0, &error).size(); });
    measure("sort by content, first page",
            [&] { return completions.page({}, Sort::Content, false, page, 0, &error).size(); });
    measure("sort by user, first page",
            [&] { return completions.page({}, Sort::User, false, page, 0, &error).size(); });
    measure("newest first, a page half-way down",
            [&] { return completions.page({}, Sort::Finished, true, page, total / 2, &error).size(); });
    measure("sort by user, a page half-way down",
            [&] { return completions.page({}, Sort::User, true, page, total / 2, &error).size(); });

    CompletionFilter contentPassed;
    contentPassed.contentId = QStringLiteral("7");
    contentPassed.passed = true;
    contentPassed.passThreshold = 0.8;
    measure("filter content 7 + passed >= 80%: count + newest page", [&] {
        completions.count(contentPassed, &error);
        return completions.page(contentPassed, Sort::Finished, true, page, 0, &error).size();
    });
    CompletionFilter failed;
    failed.passed = false;
    measure("filter failed (< 50%): count + newest page", [&] {
        completions.count(failed, &error);
        return completions.page(failed, Sort::Finished, true, page, 0, &error).size();
    });
    CompletionFilter broadRange;
    broadRange.finishedFrom = QDateTime::fromSecsSinceEpoch(1700000060, Qt::UTC);
    broadRange.finishedTo = QDateTime::fromSecsSinceEpoch(1700000060 + qint64(total) * 9 / 10, Qt::UTC);
    measure("filter 90% of the dates: count + page by score", [&] {
        completions.count(broadRange, &error);
        return completions.page(broadRange, Sort::Score, true, page, 0, &error).size();
    });
    CompletionFilter narrowRange;
    narrowRange.finishedFrom = QDateTime::fromSecsSinceEpoch(1700000060 + total / 2, Qt::UTC);
    narrowRange.finishedTo = QDateTime::fromSecsSinceEpoch(1700000060 + total / 2 + 999, Qt::UTC);
    measure("filter 1,000 dates: count + page by score", [&] {
        completions.count(narrowRange, &error);
        return completions.page(narrowRange, Sort::Score, true, page, 0, &error).size();
    });
    CompletionFilter scores;
    scores.minScore = 5;
    scores.maxScore = 8;
    measure("filter score 5..8: count + newest page", [&] {
        completions.count(scores, &error);
        return completions.page(scores, Sort::Finished, true, page, 0, &error).size();
    });
    measure("one record by key", [&] {
        return qsizetype(
            completions.byKey(QStringLiteral("user-%1").arg(total / 3), QString::number((total / 3) % 1000), &error)
                .has_value());
    });

    // The product path with an integration: every record's statement made, validated and queued with it.
    {
        const int withStatements = std::max(1, total / 10);
        const QString subset = dir.filePath(QStringLiteral("subset.jsonl"));
        writeRecords(subset, withStatements);
        const std::unique_ptr<Store> queued = openStore(dir.filePath(QStringLiteral("queued.sqlite")));
        Integration integration;
        integration.uid = QStringLiteral("bench");
        integration.name = QStringLiteral("LRS");
        integration.provider = QStringLiteral("adl-account");
        integration.statementUrl = QUrl(QStringLiteral("https://lrs.example.com/xapi/statements"));
        integration.auth = Integration::Auth::None;
        FieldIssues issues;
        IntegrationRepository(*queued).insert(integration, &issues, &error);
        QFile subsetInput(subset);
        subsetInput.open(QIODevice::ReadOnly);
        QElapsedTimer t;
        t.start();
        const CompletionStore::ImportReport withQueue = CompletionStore(*queued).importFrom(subsetInput, &error);
        const double ms = milliseconds(t);
        out << QStringLiteral("  import with one enabled integration: %1 records in %2 s, %3 records/s\n    %4\n")
                   .arg(withStatements)
                   .arg(ms / 1000.0, 0, 'f', 1)
                   .arg(qRound(withStatements / (ms / 1000.0)))
                   .arg(withQueue.summary());
    }

    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    out << QStringLiteral("  peak memory (ru_maxrss): %1 MiB\n").arg(usage.ru_maxrss / 1024.0, 0, 'f', 1);
    if (!error.isEmpty())
        out << "  error: " << error << '\n';
    return error.isEmpty() ? 0 : 1;
}
