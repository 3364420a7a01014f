#include "common/ProcessLimits.h"

#include <sys/resource.h>

#include <cerrno>
#include <cstring>

namespace ProcessLimits {

namespace {
long value(rlim_t limit)
{
    return limit == RLIM_INFINITY ? -1 : long(limit);
}
} // namespace

Descriptors descriptors()
{
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return {};
    return {value(limit.rlim_cur), value(limit.rlim_max)};
}

Descriptors raiseDescriptorLimit(QString* report)
{
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return {};
    if (limit.rlim_cur == limit.rlim_max)
        return {value(limit.rlim_cur), value(limit.rlim_max)};
    const rlim_t before = limit.rlim_cur;
    limit.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &limit) != 0) {
        if (report)
            *report = QStringLiteral("The limit on open files stays at %1 (raising it to %2 failed: %3)")
                          .arg(long(before))
                          .arg(value(limit.rlim_max))
                          .arg(QString::fromLocal8Bit(std::strerror(errno)));
        limit.rlim_cur = before;
    } else if (report) {
        *report = QStringLiteral("The limit on open files was raised from %1 to %2")
                      .arg(long(before))
                      .arg(value(limit.rlim_max));
    }
    return {value(limit.rlim_cur), value(limit.rlim_max)};
}

} // namespace ProcessLimits
