#include "sandbox/SandboxFaults.h"

#include <QRegularExpression>

namespace {
constexpr int MaxCount = 1000000;
constexpr int MaxDelayMs = 600000;
constexpr int MaxRetryAfter = 86400;

QString entryText(int kindStatus, bool drop, int count, int retryAfter)
{
    QString text = drop ? QStringLiteral("drop") : QString::number(kindStatus);
    text += QLatin1Char('*') + QString::number(count);
    if (retryAfter >= 0)
        text += QStringLiteral(":retry-after=%1").arg(retryAfter);
    return text;
}
} // namespace

QString SandboxFaults::Fault::describe() const
{
    const QString what = kind == Kind::Drop ? QStringLiteral("drop") : QString::number(status);
    return QStringLiteral("%1 (%2 of %3)").arg(what).arg(ordinal).arg(of);
}

QString SandboxFaults::syntaxHelp()
{
    return QStringLiteral("comma-separated entries: 503*N, 500*N, 400*N, 401*N, 429*N:retry-after=S, drop*N, "
                          "delay=MS (e.g. '503*2,delay=200')");
}

bool SandboxFaults::parse(const QString& spec, QString* error)
{
    static const QRegularExpression counted(
        QStringLiteral("^(503|500|400|401|429|drop)\\*(\\d{1,7})(?::retry-after=(\\d{1,5}))?$"));
    static const QRegularExpression delay(QStringLiteral("^delay=(\\d{1,6})$"));
    QList<Entry> entries;
    int delayMs = 0;
    QStringList normal;
    const QStringList parts = spec.split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString& raw : parts) {
        const QString part = raw.trimmed().toLower();
        if (part.isEmpty())
            continue;
        const QRegularExpressionMatch delayMatch = delay.match(part);
        if (delayMatch.hasMatch()) {
            delayMs = delayMatch.captured(1).toInt();
            if (delayMs > MaxDelayMs) {
                *error = QStringLiteral("faults: “%1”: a delay is at most %2 ms.").arg(raw.trimmed()).arg(MaxDelayMs);
                return false;
            }
            normal << QStringLiteral("delay=%1").arg(delayMs);
            continue;
        }
        const QRegularExpressionMatch match = counted.match(part);
        if (!match.hasMatch()) {
            *error = QStringLiteral("faults: “%1” is not a fault; give %2.").arg(raw.trimmed(), syntaxHelp());
            return false;
        }
        Entry entry;
        entry.kind = match.captured(1) == QLatin1String("drop") ? Fault::Kind::Drop : Fault::Kind::Status;
        entry.status = entry.kind == Fault::Kind::Drop ? 0 : match.captured(1).toInt();
        entry.count = match.captured(2).toInt();
        if (match.hasCaptured(3)) {
            if (entry.status != 429) {
                *error = QStringLiteral("faults: “%1”: retry-after goes with 429 only.").arg(raw.trimmed());
                return false;
            }
            entry.retryAfterSeconds = match.captured(3).toInt();
        }
        if (entry.count < 1 || entry.count > MaxCount || entry.retryAfterSeconds > MaxRetryAfter) {
            *error = QStringLiteral("faults: “%1”: N is from 1 to %2, retry-after from 0 to %3 seconds.")
                         .arg(raw.trimmed())
                         .arg(MaxCount)
                         .arg(MaxRetryAfter);
            return false;
        }
        normal << entryText(entry.status, entry.kind == Fault::Kind::Drop, entry.count, entry.retryAfterSeconds);
        entries << entry;
    }
    m_entries = entries;
    m_delayMs = delayMs;
    m_spec = normal.join(QLatin1Char(','));
    return true;
}

SandboxFaults::Fault SandboxFaults::next()
{
    for (Entry& entry : m_entries) {
        if (entry.used >= entry.count)
            continue;
        ++entry.used;
        Fault fault;
        fault.kind = entry.kind;
        fault.status = entry.status;
        fault.retryAfterSeconds = entry.retryAfterSeconds;
        fault.ordinal = entry.used;
        fault.of = entry.count;
        return fault;
    }
    return {};
}

int SandboxFaults::remaining() const
{
    int total = 0;
    for (const Entry& entry : m_entries)
        total += entry.count - entry.used;
    return total;
}

QString SandboxFaults::remainingSpec() const
{
    QStringList left;
    for (const Entry& entry : m_entries) {
        if (entry.used < entry.count)
            left << entryText(entry.status, entry.kind == Fault::Kind::Drop, entry.count - entry.used,
                              entry.retryAfterSeconds);
    }
    if (m_delayMs > 0)
        left << QStringLiteral("delay=%1").arg(m_delayMs);
    return left.join(QLatin1Char(','));
}
