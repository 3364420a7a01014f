// Import of N completion records (default 1,000,000) through CompletionStore::importLines, next to a bare SQLite
// insert loop into the same table in the same run; then the browser's first page, a sort and a filter over them, and
// the peak memory of the process.
#include "completions/CompletionStore.h"
#include "store/Store.h"
#include "store/Transaction.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTextStream>

#include <sys/resource.h>

namespace {

QByteArray records(int count, int offset)
{
    QByteArray lines;
    lines.reserve(count * 170);
    for (int i = offset; i < offset + count; ++i) {
        lines += "{\"contentId\":\"" + QByteArray::number(i % 1000) + "\",\"userId\":\"user-" + QByteArray::number(i) +
                 "\",\"score\":" + QByteArray::number(i % 11) +
                 ",\"maxScore\":10,\"openedTimestamp\":" + QByteArray::number(1700000000 + i) +
                 ",\"finishedTimestamp\":" + QByteArray::number(1700000060 + i) + ",\"completionTime\":60}\n";
    }
    return lines;
}

double milliseconds(const QElapsedTimer& timer)
{
    return double(timer.nsecsElapsed()) / 1e6;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const int total = argc > 1 ? QByteArray(argv[1]).toInt() : 1000000;
    QTextStream out(stdout);
    QTemporaryDir dir;

    // Baseline: a bare prepared INSERT loop in one transaction, same table, same columns.
    double bareRate = 0;
    {
        auto opened = Store::open(StoreLocation::fromString(dir.filePath(QStringLiteral("bare.sqlite"))));
        Store& store = *opened.store;
        QElapsedTimer timer;
        timer.start();
        Transaction transaction(store);
        QSqlQuery insert(store.database());
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
        bareRate = total / (milliseconds(timer) / 1000.0);
    }

    auto opened = Store::open(StoreLocation::fromString(dir.filePath(QStringLiteral("courier.sqlite"))));
    Store& store = *opened.store;
    CompletionStore completions(store);
    QString error;
    QElapsedTimer timer;
    timer.start();
    constexpr int chunk = 50000;
    for (int offset = 0; offset < total; offset += chunk)
        completions.importLines(records(std::min(chunk, total - offset), offset), &error);
    const double importMs = milliseconds(timer);
    const double importRate = total / (importMs / 1000.0);

    out << "bench_completions: " << total << " records\n";
    out << QStringLiteral("  import: %1 s, %2 records/s; bare INSERT loop %3 rows/s; ratio %4\n")
               .arg(importMs / 1000.0, 0, 'f', 1)
               .arg(qRound(importRate))
               .arg(qRound(bareRate))
               .arg(importRate / bareRate, 0, 'f', 2);

    auto measure = [&](const char* what, auto work) {
        QElapsedTimer t;
        t.start();
        const qsizetype rows = work();
        out << QStringLiteral("  %1: %2 ms (%3 rows)\n")
                   .arg(QLatin1String(what))
                   .arg(milliseconds(t), 0, 'f', 1)
                   .arg(rows);
    };
    measure("first page (count + 500 newest)", [&] {
        completions.count({}, &error);
        return completions.page({}, CompletionStore::Sort::Finished, true, 500, 0, &error).size();
    });
    measure("sort by score, first page",
            [&] { return completions.page({}, CompletionStore::Sort::Score, true, 500, 0, &error).size(); });
    measure("sort by content, first page",
            [&] { return completions.page({}, CompletionStore::Sort::Content, false, 500, 0, &error).size(); });
    measure("sort by user, first page",
            [&] { return completions.page({}, CompletionStore::Sort::User, false, 500, 0, &error).size(); });
    measure("newest first, a page half-way down",
            [&] { return completions.page({}, CompletionStore::Sort::Finished, true, 500, total / 2, &error).size(); });
    CompletionFilter filter;
    filter.contentId = QStringLiteral("7");
    filter.passed = true;
    filter.passThreshold = 0.8;
    measure("filter content 7, passed >= 80% (count + page)", [&] {
        completions.count(filter, &error);
        return completions.page(filter, CompletionStore::Sort::Finished, true, 500, 0, &error).size();
    });
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    out << QStringLiteral("  peak memory: %1 MiB\n").arg(usage.ru_maxrss / 1024.0, 0, 'f', 1);
    return error.isEmpty() ? 0 : 1;
}
