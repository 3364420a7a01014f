#pragma once

#include "common/Clock.h"

// A clock that stands still until a test moves it.
class TestClock final : public Clock
{
public:
    explicit TestClock(QDateTime start = QDateTime(QDate(2026, 11, 22), QTime(12, 0), Qt::UTC))
        : m_now(std::move(start))
    {}
    QDateTime now() const override { return m_now; }
    void advance(qint64 milliseconds) { m_now = m_now.addMSecs(milliseconds); }
    void set(const QDateTime& time) { m_now = time; }

private:
    QDateTime m_now;
};
