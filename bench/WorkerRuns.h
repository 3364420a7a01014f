#pragma once

#include <QByteArray>
#include <QList>
#include <QTextStream>
#include <QUrl>

// The delivery rate by store and number of worker processes: the same statements, spread over several integrations,
// delivered by `xapi-courier worker` processes already running on an SQLite file and on PostgreSQL, with one worker
// and with three. Printed as rates and ratios to one worker on SQLite.
void reportWorkerRuns(const QList<QByteArray>& bodies, const QUrl& url, QTextStream& out);

// CPU time, in seconds, a process spent so far (user and system, all its threads), from /proc/PID/stat.
double processCpuSeconds(qint64 pid);
