#pragma once

#include <QString>

// Limits the kernel puts on this process.
namespace ProcessLimits {

struct Descriptors
{
    long soft = -1; // -1: unlimited or unknown
    long hard = -1;
};

Descriptors descriptors();
// Raises the soft limit on open files to the hard limit (a listening service is held by the soft one, 1024 on many
// systems, while the hard one is far higher); returns the limits in force afterwards. A sentence for the log goes to
// report when it was raised or could not be.
Descriptors raiseDescriptorLimit(QString* report = nullptr);

} // namespace ProcessLimits
