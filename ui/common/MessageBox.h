#pragma once

#include <QMessageBox>
#include <optional>

// The one place the GUI asks a yes/no question, with a seam so tests answer without clicking (as KeePassXC's
// MessageBox::setNextAnswer does).
class MessageBox final
{
public:
    // Asks; returns true for the destructive/affirmative choice.
    static bool confirm(QWidget* parent, const QString& title, const QString& text, const QString& informative,
                        const QString& acceptLabel);
    static void setNextAnswer(bool accept) { s_nextAnswer = accept; }

private:
    static inline std::optional<bool> s_nextAnswer;
};
