#pragma once

#include <QDateTime>

// The time seam: product code asks a Clock, tests hand in one they can move forward (tests/support/TestClock.h),
// so the 60-second probe and token expiry are tested without sleeping.
class Clock
{
public:
    virtual ~Clock() = default;
    virtual QDateTime now() const = 0; // UTC

    // The wall clock.
    static Clock& system();
};
