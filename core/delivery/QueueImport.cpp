#include "delivery/QueueImport.h"

#include "delivery/DeliveryQueue.h"
#include "statements/JsonView.h"

#include <QIODevice>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryFile>

#include <algorithm>

namespace {
// The next line of the input that holds something, trimmed (a UTF-8 byte order mark before the first one dropped);
// empty at the end. `number` counts every line read; `raw` gets the bytes as read, when given.
QByteArray nextLine(QIODevice& device, int* number, QByteArray* raw = nullptr)
{
    for (;;) {
        QByteArray line = device.readLine();
        if (line.isEmpty())
            return {};
        if (raw)
            *raw += line;
        if (++*number == 1 && line.startsWith("\xEF\xBB\xBF"))
            line.remove(0, 3);
        line = line.trimmed();
        if (!line.isEmpty())
            return line;
    }
}

bool isObject(JsonView& view, const QByteArray& line)
{
    return line.startsWith('{') && view.parse(line) && view.root().isObject();
}

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
} // namespace

QueueImport::Report QueueImport::run(Store& store, QIODevice& input, const QList<qint64>& integrationIds,
                                     bool skipInvalid, const QDateTime& now)
{
    Report report;
    Batches batches{store, integrationIds, now, report, {}};
    const qint64 start = input.pos();

    // NDJSON when the first line that holds something is a statement on its own and another line follows.
    JsonView view;
    QByteArray head; // the bytes read to tell
    int lineNumber = 0;
    QList<std::pair<QByteArray, int>> firstLines; // with their line numbers
    while (firstLines.size() < 2) {
        const QByteArray line = nextLine(input, &lineNumber, &head);
        if (line.isEmpty())
            break;
        firstLines.append({line, lineNumber});
        if (firstLines.size() == 1 && !isObject(view, line))
            break;
    }

    if (firstLines.size() < 2) {
        // One statement or an array: read whole.
        const StatementBatch batch = StatementValidator::validateInput(head + input.readAll());
        report.parseError = batch.parseError;
        report.read = int(batch.statements.size());
        report.findings = batch.findings;
        QSet<int> invalid;
        for (const Finding& finding : batch.findings)
            invalid.insert(finding.statement);
        report.invalid = invalid.values();
        std::sort(report.invalid.begin(), report.invalid.end());
        if (!report.parseError.isEmpty() || (!invalid.isEmpty() && !skipInvalid))
            return report;
        for (int i = 0; i < batch.statements.size(); ++i) {
            if (!invalid.contains(i) && !batches.add(batch.object(i)))
                return report;
        }
        batches.commit();
        return report;
    }

    // NDJSON, first pass: every line parsed and validated; standard input is kept for the second pass.
    QTemporaryFile spool;
    const auto kept = [&](const QByteArray& raw) {
        if ((spool.isOpen() || spool.open()) && spool.write(raw) == raw.size())
            return true;
        report.error = QStringLiteral("the input cannot be kept in a temporary file (%1): give a file instead of "
                                      "standard input.")
                           .arg(spool.errorString());
        return false;
    };
    if (input.isSequential() && !kept(head))
        return report;
    const auto check = [&](const QByteArray& line, int number) {
        if (!isObject(view, line)) {
            report.parseError =
                QStringLiteral("line %1 is not a JSON statement: %2.")
                    .arg(number)
                    .arg(view.root().isUndefined() ? view.errorString() : QLatin1StringView("not an object"));
            return false;
        }
        const int index = report.read++;
        const QList<Finding> findings = StatementValidator::validate(line, index, QStringLiteral("[%1]").arg(index));
        if (!findings.isEmpty()) {
            report.findings << findings;
            report.invalid << index;
        }
        return true;
    };
    for (const auto& [line, number] : std::as_const(firstLines)) {
        if (!check(line, number))
            return report;
    }
    for (;;) {
        QByteArray raw;
        const QByteArray line = nextLine(input, &lineNumber, &raw);
        if (spool.isOpen() && !kept(raw))
            return report;
        if (line.isEmpty())
            break;
        if (!check(line, lineNumber))
            return report;
    }
    if (!report.invalid.isEmpty() && !skipInvalid)
        return report;

    // Second pass: the valid statements, queued.
    QIODevice& again = spool.isOpen() ? static_cast<QIODevice&>(spool) : input;
    if (!again.seek(spool.isOpen() ? 0 : start)) {
        report.error = QStringLiteral("the input cannot be read a second time (%1).").arg(again.errorString());
        return report;
    }
    const QSet<int> invalid(report.invalid.cbegin(), report.invalid.cend());
    lineNumber = 0;
    for (int index = 0;; ++index) {
        const QByteArray line = nextLine(again, &lineNumber);
        if (line.isEmpty())
            break;
        if (!invalid.contains(index) && !batches.add(QJsonDocument::fromJson(line).object()))
            return report;
    }
    batches.commit();
    return report;
}
