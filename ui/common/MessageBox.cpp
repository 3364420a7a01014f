#include "common/MessageBox.h"

#include <QPushButton>

bool MessageBox::confirm(QWidget* parent, const QString& title, const QString& text, const QString& informative,
                         const QString& acceptLabel)
{
    if (s_nextAnswer) {
        const bool answer = *s_nextAnswer;
        s_nextAnswer.reset();
        return answer;
    }
    QMessageBox box(QMessageBox::Warning, title, text, QMessageBox::NoButton, parent);
    box.setInformativeText(informative);
    QPushButton* accept = box.addButton(acceptLabel, QMessageBox::DestructiveRole);
    QPushButton* cancel = box.addButton(QMessageBox::Cancel);
    box.setDefaultButton(cancel);
    box.exec();
    return box.clickedButton() == accept;
}
