#include "delivery/QueueImport.h"

#include "delivery/DeliveryQueue.h"
#include "statements/StatementReader.h"

#include <QIODevice>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryFile>

namespace {
// Valid statements, queued a transaction at a time.
struct Batches
{
    Store& store;
    const QList<qint64>& integrationIds;
    const QDateTime& now;
    QueueImport::Report& report;
    QList<QJsonObject> pending;

    bool add(const QJsonObject& statement)
    {
        pending << statement;
        return pending.size() < QueueImport::StatementsPerTransaction || commit();
    }
    bool commit()
    {
        if (pending.isEmpty())
            return true;
        if (!DeliveryQueue(store).enqueue(pending, integrationIds, now, &report.error))
            return false;
        report.queued += int(pending.size());
        pending.clear();
        return true;
    }
};

bool copy(QIODevice& from, QIODevice& to)
{
    while (true) {
        const QByteArray chunk = from.read(1 << 20);
        if (chunk.isEmpty())
            return true;
        if (to.write(chunk) != chunk.size())
            return false;
    }
}
} // namespace

QueueImport::Report QueueImport::run(Store& store, QIODevice& input, const QList<qint64>& integrationIds,
                                     bool skipInvalid, const QDateTime& now)
{
    Report report;
    // Read twice: standard input is kept in a temporary file first.
    QTemporaryFile spool;
    QIODevice* source = &input;
    const qint64 start = input.pos();
    if (input.isSequential()) {
        if (!spool.open() || !copy(input, spool)) {
            report.error = QStringLiteral("the input cannot be kept in a temporary file (%1): give a file instead of "
                                          "standard input.")
                               .arg(spool.errorString());
            return report;
        }
        source = &spool;
    }
    const auto rewind = [&] {
        if (source->seek(source == &spool ? 0 : start))
            return true;
        report.error = QStringLiteral("the input cannot be read a second time (%1).").arg(source->errorString());
        return false;
    };

    // First pass: every statement validated; nothing is queued yet.
    if (!rewind())
        return report;
    {
        StatementReader reader(*source);
        reader.setBadLinesAreFindings(skipInvalid); // a line that is not JSON is skipped too
        while (reader.next()) {
            ++report.read;
            if (!reader.findings().isEmpty()) {
                if (report.findings.size() < MaxFindingsKept) // the rest are counted in invalid, not kept
                    report.findings << reader.findings();
                report.invalid << reader.index();
            }
        }
        report.parseError = reader.parseError();
    }
    if (!report.parseError.isEmpty() || (!report.invalid.isEmpty() && !skipInvalid))
        return report;

    // Second pass: the valid ones queued.
    if (!rewind())
        return report;
    const QSet<int> invalid(report.invalid.cbegin(), report.invalid.cend());
    Batches batches{store, integrationIds, now, report, {}};
    StatementReader reader(*source, false);
    reader.setBadLinesAreFindings(skipInvalid); // the same indices as the first pass
    while (reader.next()) {
        if (!invalid.contains(reader.index()) && !batches.add(QJsonDocument::fromJson(reader.json()).object()))
            return report;
    }
    batches.commit();
    return report;
}
