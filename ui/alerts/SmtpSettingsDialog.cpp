#include "alerts/SmtpSettingsDialog.h"

#include "alerts/Notifier.h"
#include "alerts/SmtpSettings.h"
#include "secrets/SecretStore.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

SmtpSettingsDialog::SmtpSettingsDialog(Store& store, SecretStore& secrets, Notifier& notifier, QWidget* parent)
    : QDialog(parent)
    , m_store(store)
    , m_secrets(secrets)
    , m_notifier(notifier)
{
    setWindowTitle(tr("E-mail Alerts — SMTP Server"));
    setMinimumWidth(520);
    QString error;
    const SmtpSettings settings = SmtpSettings::load(store, &error);
    m_hadPassword = settings.hasPassword;

    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("Alerts go to each integration's technical e-mails, at most one per integration every "
                                "24 hours."));
    intro->setWordWrap(true);
    layout->addWidget(intro);
    auto* form = new QFormLayout;
    m_host = new QLineEdit(settings.host);
    m_host->setPlaceholderText(QStringLiteral("smtp.example.com"));
    m_port = new QSpinBox;
    m_port->setRange(1, 65535);
    m_port->setValue(settings.port);
    m_security = new QComboBox;
    m_security->addItem(tr("STARTTLS"), int(SmtpSettings::Security::StartTls));
    m_security->addItem(tr("TLS"), int(SmtpSettings::Security::Tls));
    m_security->addItem(tr("None (unencrypted)"), int(SmtpSettings::Security::None));
    m_security->setCurrentIndex(m_security->findData(int(settings.security)));
    m_user = new QLineEdit(settings.user);
    m_user->setPlaceholderText(tr("optional"));
    m_password = new QLineEdit;
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setPlaceholderText(settings.hasPassword ? tr("Leave empty to keep the current password")
                                                        : tr("kept in the OS keychain"));
    m_from = new QLineEdit(settings.from);
    m_from->setPlaceholderText(QStringLiteral("xapi-courier@example.com"));
    form->addRow(tr("&Host"), m_host);
    form->addRow(tr("&Port"), m_port);
    form->addRow(tr("&Security"), m_security);
    form->addRow(tr("&User"), m_user);
    form->addRow(tr("Pass&word"), m_password);
    form->addRow(tr("&From"), m_from);
    layout->addLayout(form);

    auto* testRow = new QHBoxLayout;
    m_testTo = new QLineEdit;
    m_testTo->setPlaceholderText(tr("send a test e-mail to…"));
    m_test = new QPushButton(tr("Send &Test E-mail"));
    testRow->addWidget(m_testTo, 1);
    testRow->addWidget(m_test);
    layout->addLayout(testRow);
    m_answer = new QPlainTextEdit;
    m_answer->setReadOnly(true);
    m_answer->setPlaceholderText(tr("The server's answer appears here."));
    m_answer->setMaximumHeight(140);
    QFont mono(QStringLiteral("monospace"));
    mono.setStyleHint(QFont::Monospace);
    m_answer->setFont(mono);
    layout->addWidget(m_answer);
    m_message = new QLabel;
    m_message->setWordWrap(true);
    layout->addWidget(m_message);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &SmtpSettingsDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &SmtpSettingsDialog::reject);
    connect(m_test, &QPushButton::clicked, this, &SmtpSettingsDialog::sendTest);
    layout->addWidget(m_buttons);
}

void SmtpSettingsDialog::setBusy(bool busy)
{
    m_buttons->setEnabled(!busy);
    m_test->setEnabled(!busy);
    m_test->setText(busy ? tr("Sending…") : tr("Send &Test E-mail"));
}

void SmtpSettingsDialog::save(std::function<void(bool ok)> then)
{
    SmtpSettings settings;
    settings.host = m_host->text().trimmed();
    settings.port = m_port->value();
    settings.security = SmtpSettings::Security(m_security->currentData().toInt());
    settings.user = m_user->text().trimmed();
    settings.from = m_from->text().trimmed();
    const FieldIssues issues = settings.check();
    QStringList lines;
    for (const FieldIssue& issue : issues)
        lines << (issue.isError() ? QStringLiteral("✖ ") : QStringLiteral("⚠ ")) + issue.message;
    m_message->setText(lines.join(QLatin1Char('\n')));
    if (hasErrors(issues))
        return then(false);
    const QString password = m_password->text();
    QPointer<SmtpSettingsDialog> self(this);
    auto store = [self, settings, then](bool hasPassword) mutable {
        if (!self)
            return;
        settings.hasPassword = hasPassword && !settings.user.isEmpty();
        QString error;
        if (!settings.save(self->m_store, &error)) {
            self->m_message->setText(error);
            return then(false);
        }
        then(true);
    };
    if (password.isEmpty())
        return store(m_hadPassword);
    setBusy(true);
    m_secrets.write(SmtpSettings::passwordKey(), password, this, [self, store](const SecretResult& written) mutable {
        if (!self)
            return;
        self->setBusy(false);
        if (!written.ok()) {
            self->m_message->setText(tr("Not saved. %1").arg(written.message));
            return;
        }
        self->m_hadPassword = true;
        self->m_password->clear();
        store(true);
    });
}

void SmtpSettingsDialog::sendTest()
{
    const QString to = m_testTo->text().trimmed();
    if (to.isEmpty()) {
        m_message->setText(tr("Enter an address to send the test e-mail to."));
        return;
    }
    QPointer<SmtpSettingsDialog> self(this);
    save([self, to](bool ok) {
        if (!self || !ok)
            return;
        self->setBusy(true);
        self->m_answer->clear();
        self->m_message->setText(tr("Sending a test e-mail to %1…").arg(to));
        self->m_notifier.sendTest(to, self, [self, to](const SmtpResult& result) {
            if (!self)
                return;
            self->setBusy(false);
            self->m_answer->setPlainText(result.serverReply);
            self->m_message->setText(result.ok ? tr("✔ Test e-mail sent to %1.").arg(to)
                                               : QStringLiteral("✖ ") + result.error);
        });
    });
}

void SmtpSettingsDialog::accept()
{
    QPointer<SmtpSettingsDialog> self(this);
    save([self](bool ok) {
        if (self && ok)
            self->QDialog::accept();
    });
}
