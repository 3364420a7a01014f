#pragma once

#include "delivery/DeliveryQueue.h"
#include "integrations/Integration.h"

#include <QFrame>

class QLabel;
class QPushButton;

// One integration at a glance: its health (retrying with a live countdown to the next probe, held with the reason),
// how much waits and since when, and the one action that helps.
class HealthCard final : public QFrame
{
    Q_OBJECT

public:
    static constexpr int ReasonChars = 150; // about four lines of the card

    explicit HealthCard(QWidget* parent = nullptr);

    void show(const Integration& integration, const LaneStats& lane);
    void tick(); // refresh the countdown and the age of the oldest queued statement
    qint64 integrationId() const { return m_integration.id; }

Q_SIGNALS:
    void retryNowRequested(qint64 integrationId);
    void editRequested(qint64 integrationId);

private:
    Integration m_integration;
    LaneStats m_lane;
    QLabel* m_title = nullptr;
    QLabel* m_health = nullptr;
    QLabel* m_detail = nullptr;
    QLabel* m_depth = nullptr;
    QPushButton* m_action = nullptr;
};
