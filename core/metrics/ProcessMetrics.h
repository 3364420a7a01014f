#pragma once

#include <QString>

// The standard process metrics every Prometheus client exports (process_cpu_seconds_total,
// process_resident_memory_bytes, process_virtual_memory_bytes, process_open_fds, process_start_time_seconds), read
// from /proc on Linux; nothing elsewhere.
namespace ProcessMetrics {

QString exposition();

} // namespace ProcessMetrics
