#include "completions/CompletionCsv.h"

#include <QIODevice>

namespace CompletionCsv {
namespace {

QString field(const QString& text)
{
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) && !text.contains(QLatin1Char('\n')))
        return text;
    return QLatin1Char('"') + QString(text).replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"');
}

QString isoTime(qint64 secondsSinceEpoch)
{
    return QDateTime::fromSecsSinceEpoch(secondsSinceEpoch, Qt::UTC).toString(Qt::ISODate);
}

} // namespace

int write(Store& store, const CompletionFilter& filter, CompletionStore::Sort sort, bool descending, QIODevice& out,
          QString* error)
{
    out.write("contentId,userId,score,maxScore,opened,finished,completionTimeSeconds,receivedAt,source,statementId\n");
    CompletionStore completions(store);
    constexpr int page = 5000;
    int written = 0;
    for (int offset = 0;; offset += page) {
        const QList<CompletionRecord> records = completions.page(filter, sort, descending, page, offset, error);
        if (!error->isEmpty())
            return -1;
        for (const CompletionRecord& r : records) {
            const QStringList fields = {field(r.contentId),
                                        field(r.userId),
                                        QString::number(r.score),
                                        QString::number(r.maxScore),
                                        isoTime(r.openedTimestamp),
                                        isoTime(r.finishedTimestamp),
                                        QString::number(r.completionTime),
                                        r.receivedAt.toUTC().toString(Qt::ISODate),
                                        field(r.source),
                                        r.statementId};
            if (out.write(fields.join(QLatin1Char(',')).toUtf8() + '\n') < 0) {
                *error = out.errorString();
                return -1;
            }
        }
        written += int(records.size());
        if (records.size() < page)
            break;
    }
    return written;
}

} // namespace CompletionCsv
