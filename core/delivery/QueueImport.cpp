#include "delivery/QueueImport.h"

#include "delivery/DeliveryQueue.h"
#include "statements/StatementConversion.h"
#include "statements/StatementReader.h"

#include <QIODevice>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryFile>

#include <algorithm>

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

    // First pass: every statement validated, against the version of each receiver (a 2.0.0 statement for a 1.0.3
    // receiver as it will be converted); nothing is queued yet.
    if (!rewind())
        return report;
    QSet<qint64> speakV103;
    if (!DeliveryQueue(store).integrationVersions(integrationIds, &speakV103, &report.error))
        return report;
    const bool anyV103 = !speakV103.isEmpty() || integrationIds.isEmpty();
    const bool anyV200 = speakV103.size() < integrationIds.size();
    {
        StatementReader reader(*source, true, anyV103 ? XapiVersion::V1_0_3 : XapiVersion::V2_0_0);
        reader.setBadLinesAreFindings(skipInvalid); // a line that is not JSON is skipped too
        while (reader.next()) {
            ++report.read;
            QList<Finding> findings = reader.findings();
            const QString prefix = QStringLiteral("[%1]").arg(reader.index());
            const bool statement = !reader.json().isEmpty(); // not a bad line
            if (statement && anyV103 && !findings.isEmpty() && StatementConversion::mayBeV200(reader.json())) {
                const StatementConversion::Result conversion =
                    StatementConversion::toV103(QJsonDocument::fromJson(reader.json()).object());
                if (conversion.converted()) {
                    findings = StatementValidator::validate(conversion.statement, reader.index(), prefix);
                    for (Finding& finding : findings)
                        finding.message += QStringLiteral(" (after converting the statement from xAPI 2.0.0 for a "
                                                          "1.0.3 receiver)");
                }
            }
            if (statement && anyV103 && anyV200) {
                for (const Finding& finding :
                     StatementValidator::validate(reader.json(), reader.index(), prefix, XapiVersion::V2_0_0)) {
                    if (!std::any_of(findings.cbegin(), findings.cend(), [&](const Finding& known) {
                            return known.path == finding.path && known.rule == finding.rule;
                        }))
                        findings << finding;
                }
            }
            if (!findings.isEmpty()) {
                if (report.findings.size() < MaxFindingsKept) // the rest are counted in invalid, not kept
                    report.findings << findings;
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
