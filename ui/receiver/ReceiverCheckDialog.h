#pragma once

#include "integrations/Integration.h"

#include <QDialog>

#include <memory>

class QCheckBox;
class QLabel;
class QNetworkAccessManager;
class QPlainTextEdit;
class QPushButton;
class QTreeWidget;
class ReceiverCheck;
class TokenClient;
struct ReceiverCheckResult;

// Check Receiver…: says what the check will send, runs it on request, and shows the checklist (pass / warn / fail /
// skip, with what it means for delivery); the selected line's request as sent and the answer underneath.
class ReceiverCheckDialog final : public QDialog
{
    Q_OBJECT

public:
    ReceiverCheckDialog(const Integration& integration, TokenClient& tokens, QWidget* parent = nullptr);
    ~ReceiverCheckDialog() override;

    void run();
    bool isFinished() const;
    QTreeWidget* checklist() const { return m_list; }
    QString summary() const;

private:
    void showResult(const ReceiverCheckResult& result);
    void showSelected();

    Integration m_integration;
    TokenClient& m_tokens;
    std::unique_ptr<QNetworkAccessManager> m_network;
    ReceiverCheck* m_check = nullptr; // child of this
    QLabel* m_plan = nullptr;
    QCheckBox* m_keep = nullptr;
    QTreeWidget* m_list = nullptr;
    QPlainTextEdit* m_exchange = nullptr;
    QLabel* m_summary = nullptr;
    QPushButton* m_run = nullptr;
};
