#pragma once

#include <QDialog>

class Notifier;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class SecretStore;
class Store;

// The SMTP server alerts go through; the password is kept in the OS keychain. "Send test e-mail" shows what the
// server answered.
class SmtpSettingsDialog final : public QDialog
{
    Q_OBJECT

public:
    SmtpSettingsDialog(Store& store, SecretStore& secrets, Notifier& notifier, QWidget* parent = nullptr);

    void accept() override;

private:
    void sendTest();
    void save(std::function<void(bool ok)> then);
    void setBusy(bool busy);

    Store& m_store;
    SecretStore& m_secrets;
    Notifier& m_notifier;
    QLineEdit* m_host = nullptr;
    QSpinBox* m_port = nullptr;
    QComboBox* m_security = nullptr;
    QLineEdit* m_user = nullptr;
    QLineEdit* m_password = nullptr;
    QLineEdit* m_from = nullptr;
    QLineEdit* m_testTo = nullptr;
    QPushButton* m_test = nullptr;
    QPlainTextEdit* m_answer = nullptr;
    QLabel* m_message = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
    bool m_hadPassword = false;
};
