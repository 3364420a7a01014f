#include "metrics/ProcessMetrics.h"

#include <QDir>
#include <QFile>
#include <QStringList>

#include <unistd.h>

namespace ProcessMetrics {

namespace {

QByteArray readAll(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QString gauge(const char* name, const char* help, const char* type, double value)
{
    return QStringLiteral("# HELP %1 %2\n# TYPE %1 %3\n%1 %4\n")
        .arg(QLatin1String(name), QLatin1String(help), QLatin1String(type), QString::number(value, 'g', 15));
}

} // namespace

QString exposition()
{
    // /proc/self/stat: the fields after the command name in parentheses (which may hold spaces).
    const QByteArray stat = readAll(QStringLiteral("/proc/self/stat"));
    const qsizetype close = stat.lastIndexOf(')');
    if (close < 0)
        return {};
    const QList<QByteArray> fields = stat.mid(close + 2).split(' ');
    // fields[0] is field 3 (state): utime 14, stime 15, starttime 22, vsize 23, rss 24.
    const auto field = [&fields](int number) {
        return fields.value(number - 3).toDouble();
    };
    const double ticks = double(sysconf(_SC_CLK_TCK));
    const double pageSize = double(sysconf(_SC_PAGESIZE));
    double bootTime = 0;
    for (const QByteArray& line : readAll(QStringLiteral("/proc/stat")).split('\n')) {
        if (line.startsWith("btime "))
            bootTime = line.mid(6).trimmed().toDouble();
    }
    const qsizetype openFds =
        QDir(QStringLiteral("/proc/self/fd")).entryList(QDir::NoDotAndDotDot | QDir::AllEntries).size();
    QString text;
    text += gauge("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.", "counter",
                  (field(14) + field(15)) / ticks);
    text += gauge("process_resident_memory_bytes", "Resident memory size in bytes.", "gauge", field(24) * pageSize);
    text += gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.", "gauge", field(23));
    text += gauge("process_open_fds", "Number of open file descriptors.", "gauge", double(openFds));
    text += gauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.", "gauge",
                  bootTime + field(22) / ticks);
    return text;
}

} // namespace ProcessMetrics
