#pragma once

#include "erasure/LearnerErasure.h"

#include <QDialog>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;
class Store;

// File > Erase Learner…: name the learner, see what the store holds of them (counted, nothing changed), then erase it
// after one more confirmation. The counts are of the text as it is now: editing it asks for a new count first.
class EraseLearnerDialog final : public QDialog
{
    Q_OBJECT

public:
    explicit EraseLearnerDialog(Store& store, QWidget* parent = nullptr);

    QLineEdit* learnerField() const { return m_learner; }
    QPushButton* countButton() const { return m_count; }
    QPushButton* eraseButton() const { return m_erase; }
    QLabel* countsLabel() const { return m_counts; }

Q_SIGNALS:
    void erased();

private:
    void learnerEdited();
    void countNow();
    void eraseNow();
    static QString countsHtml(const ErasureCounts& counts, bool done, bool voided);

    Store& m_store;
    QLineEdit* m_learner = nullptr;
    QLabel* m_problem = nullptr;
    QCheckBox* m_void = nullptr;
    QPushButton* m_count = nullptr;
    QLabel* m_counts = nullptr;
    QPushButton* m_erase = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
    std::optional<LearnerId> m_counted; // the learner the counts shown are of
};
