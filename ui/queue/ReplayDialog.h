#pragma once

#include "integrations/Integration.h"

#include <QDialog>

class DeliveryActions;
class QComboBox;
class QDateTimeEdit;
class QLabel;
class QPushButton;

// Replay: which integration's statements, of which time range, to which integration — and how many that is, counted
// as the choice changes, before anything is queued.
class ReplayDialog final : public QDialog
{
    Q_OBJECT

public:
    ReplayDialog(DeliveryActions& actions, const QList<Integration>& integrations, QWidget* parent = nullptr);

    // The first queued copy of each statement the choice covers (what DeliveryActions::replay takes).
    QList<qint64> sources() const { return m_sources; }
    qint64 targetId() const;
    QString targetName() const;
    QComboBox* sourceBox() const { return m_source; }
    QComboBox* targetBox() const { return m_target; }
    QDateTimeEdit* fromEdit() const { return m_from; }
    QDateTimeEdit* toEdit() const { return m_to; }
    QString summary() const;
    QPushButton* replayButton() const { return m_replay; }

private:
    void recount();

    DeliveryActions& m_actions;
    QComboBox* m_source = nullptr;
    QComboBox* m_target = nullptr;
    QDateTimeEdit* m_from = nullptr;
    QDateTimeEdit* m_to = nullptr;
    QLabel* m_summary = nullptr;
    QPushButton* m_replay = nullptr;
    QList<qint64> m_sources;
};
