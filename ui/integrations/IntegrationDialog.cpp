#include "integrations/IntegrationDialog.h"

#include "integrations/IntegrationRules.h"
#include "integrations/IntegrationService.h"
#include "integrations/XapiDetection.h"
#include "statements/ProviderProfile.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>

namespace {
const QColor errorColor(0xc6, 0x28, 0x28);
const QColor warningColor(0xb2, 0x6a, 0x00);

QLineEdit* lineEdit(const QString& placeholder)
{
    auto* edit = new QLineEdit;
    edit->setPlaceholderText(placeholder);
    edit->setClearButtonEnabled(true);
    return edit;
}

QSpinBox* spinBox(int min, int max, const QString& suffix)
{
    auto* spin = new QSpinBox;
    spin->setRange(min, max);
    spin->setSuffix(suffix);
    return spin;
}

// Days, or (at 0) the text that says there is no limit.
QSpinBox* daysBox(const QString& noLimit)
{
    auto* spin = spinBox(0, RetentionPolicy::MaxDays, QString());
    spin->setSpecialValueText(noLimit);
    spin->setAccelerated(true);
    return spin;
}

std::optional<int> daysOf(const QSpinBox* spin)
{
    return spin->value() > 0 ? std::optional(spin->value()) : std::nullopt;
}

// As tall as its content wants (QScrollArea's own size hint stops at 24 lines of text), so the dialog grows to fit
// its fields and they scroll only when the screen is shorter than they are.
class FittingScrollArea final : public QScrollArea
{
public:
    QSize sizeHint() const override
    {
        const QWidget* content = widget();
        if (!content)
            return QScrollArea::sizeHint();
        const int frame = 2 * frameWidth();
        // The width the content has without a vertical scroll bar: the height it needs to show whole.
        const int width = this->width() > frame ? this->width() - frame : content->sizeHint().width();
        const int height = content->hasHeightForWidth() ? content->heightForWidth(width) : content->sizeHint().height();
        return {content->sizeHint().width() + frame, height + frame};
    }
};

const QString autoVersion = QStringLiteral("auto");
} // namespace

IntegrationDialog::IntegrationDialog(IntegrationService& service, std::optional<Integration> existing, QWidget* parent)
    : QDialog(parent)
    , m_service(service)
    , m_existing(std::move(existing))
{
    const bool editing = m_existing.has_value();
    setWindowTitle(editing ? tr("Edit Integration — %1").arg(m_existing->name) : tr("Add Integration"));
    setMinimumWidth(560);

    auto* layout = new QVBoxLayout(this);
    m_banner = new QLabel;
    m_banner->setWordWrap(true);
    m_banner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_banner->setStyleSheet(QStringLiteral("QLabel { background: #fdecea; color: #8a1c1c; border: 1px solid #f5c2c0; "
                                           "border-radius: 4px; padding: 8px; }"));
    m_banner->hide();
    layout->addWidget(m_banner);

    auto* content = new QWidget;
    auto* contentLayout = new QVBoxLayout(content);
    contentLayout->setContentsMargins(0, 0, 0, 0);
    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    contentLayout->addLayout(form);
    m_scroll = new FittingScrollArea;
    m_scroll->setObjectName(QStringLiteral("fields"));
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_scroll->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff); // see growToFit()
    m_scroll->setWidgetResizable(true);

    m_name = lineEdit(tr("e.g. Acme LRS (production)"));
    addField(form, QStringLiteral("name"), tr("&Name"), m_name);

    m_provider = new QComboBox;
    m_provider->setEditable(true);
    for (const ProviderProfile& profile : ProviderProfile::builtIns())
        m_provider->addItem(profile.id);
    m_provider->setCurrentText(QString());
    m_provider->lineEdit()->setPlaceholderText(tr("Provider; decides how actor and object are set"));
    addField(form, QStringLiteral("provider"), tr("&Provider"), m_provider, tr("Only one integration per provider."));

    m_emails = lineEdit(tr("ops@example.com, lrs-admin@example.org"));
    addField(form, QStringLiteral("emails"), tr("Technical &Emails"), m_emails,
             tr("Alerted when deliveries fail. Separate several with commas."));

    m_statementUrl = lineEdit(QStringLiteral("https://lrs.example.com/xapi/statements"));
    addField(form, QStringLiteral("statementUrl"), tr("&Statement URL"), m_statementUrl);

    m_xapiVersion = new QComboBox;
    m_xapiVersion->addItem(QStringLiteral("1.0.3"), QStringLiteral("1.0.3"));
    m_xapiVersion->addItem(QStringLiteral("2.0.0"), QStringLiteral("2.0.0"));
    m_xapiVersion->addItem(tr("Auto — ask the receiver"), autoVersion);
    addField(form, QStringLiteral("xapiVersion"), tr("&xAPI version"), m_xapiVersion);

    m_auth = new QComboBox;
    for (auto kind : {Integration::Auth::OAuth2, Integration::Auth::Basic, Integration::Auth::None})
        m_auth->addItem(Integration::authLabel(kind), int(kind));
    addField(form, QStringLiteral("auth"), tr("A&uthentication"), m_auth);

    m_authUrl = lineEdit(QStringLiteral("https://auth.example.com/oauth/token"));
    addField(form, QStringLiteral("authUrl"), tr("Authentication &URL"), m_authUrl);
    m_clientId = lineEdit(tr("Client ID"));
    addField(form, QStringLiteral("clientId"), tr("&Client ID"), m_clientId);
    m_clientSecret = lineEdit(editing && m_existing->hasSecret ? tr("Leave empty to keep the current secret")
                                                               : tr("Client secret (kept in the OS keychain)"));
    m_clientSecret->setEchoMode(QLineEdit::Password);
    addField(form, QStringLiteral("clientSecret"), tr("Client Se&cret"), m_clientSecret,
             editing ? tr("Leave empty to keep the current secret.") : tr("Kept only in the OS keychain."));
    m_clientAuth = new QComboBox;
    m_clientAuth->addItem(tr("In an HTTP Basic header (usual)"), false);
    m_clientAuth->addItem(tr("In the form body (client_id, client_secret)"), true);
    addField(form, QStringLiteral("clientAuth"), tr("Send credentials"), m_clientAuth,
             tr("How the token endpoint expects the client id and secret."));
    m_username = lineEdit(tr("User name"));
    addField(form, QStringLiteral("username"), tr("User&name"), m_username);
    m_password = lineEdit(editing && m_existing->hasSecret ? tr("Leave empty to keep the current password")
                                                           : tr("Password (kept in the OS keychain)"));
    m_password->setEchoMode(QLineEdit::Password);
    addField(form, QStringLiteral("password"), tr("Pass&word"), m_password,
             editing ? tr("Leave empty to keep the current password.") : tr("Kept only in the OS keychain."));

    m_enabled = new QCheckBox(tr("Enabled: statements are sent to this integration"));
    m_enabled->setChecked(true);
    addField(form, QStringLiteral("enabled"), tr("Status"), m_enabled);

    auto* delivery = new QGroupBox(tr("Delivery"));
    auto* deliveryForm = new QFormLayout(delivery);
    m_retryInterval = spinBox(1, 86400, tr(" s"));
    m_retryInterval->setValue(60);
    addField(deliveryForm, QStringLiteral("retryInterval"), tr("Retry interval"), m_retryInterval,
             tr("While the receiver fails, one statement is retried this often."));
    m_concurrency = spinBox(1, 64, QString());
    m_concurrency->setValue(4);
    addField(deliveryForm, QStringLiteral("concurrency"), tr("Requests in flight"), m_concurrency,
             tr("1 keeps strict order at the receiver."));
    m_batchSize = spinBox(1, 1000, tr(" per request"));
    m_batchSize->setValue(1);
    addField(deliveryForm, QStringLiteral("batchSize"), tr("Statements"), m_batchSize);
    m_alerts = new QCheckBox(tr("E-mail the technical contacts when deliveries fail"));
    m_alerts->setChecked(true);
    addField(deliveryForm, QStringLiteral("alerts"), tr("Alerts"), m_alerts);
    contentLayout->addWidget(delivery);

    auto* retentionBox = new QGroupBox(tr("Retention"));
    auto* retentionForm = new QFormLayout(retentionBox);
    m_retentionDays = daysBox(tr("Forever"));
    addField(retentionForm, QStringLiteral("retentionDays"), tr("Keep delivered statements"), m_retentionDays,
             tr("Delivered and duplicate statements older than this go, with their attempts (checked hourly). Held "
                "and discarded ones are never pruned."));
    m_keepBodiesDays = daysBox(tr("As long as the statements"));
    addField(retentionForm, QStringLiteral("keepBodiesDays"), tr("Keep their bodies"), m_keepBodiesDays,
             tr("After this, the statement and response bodies go; each attempt's status, time and duration stay."));
    contentLayout->addWidget(retentionBox);
    contentLayout->addStretch();
    m_scroll->setWidget(content);
    layout->addWidget(m_scroll, 1);

    // While the button is disabled by fields not touched yet, this says what is still needed.
    m_missing = new QLabel;
    m_missing->setObjectName(QStringLiteral("missing"));
    m_missing->setWordWrap(true);
    m_missing->setForegroundRole(QPalette::PlaceholderText);
    m_missing->hide();
    layout->addWidget(m_missing);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    okButton()->setText(editing ? tr("Save Integration") : tr("Add Integration"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &IntegrationDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &IntegrationDialog::reject);
    layout->addWidget(m_buttons);

    if (editing) {
        const Integration& integration = *m_existing;
        m_name->setText(integration.name);
        m_provider->setCurrentText(integration.provider);
        m_emails->setText(integration.emails.join(QStringLiteral(", ")));
        m_statementUrl->setText(integration.statementUrl.toString());
        m_auth->setCurrentIndex(m_auth->findData(int(integration.auth)));
        m_authUrl->setText(integration.authUrl.toString());
        m_clientId->setText(integration.clientId);
        m_clientAuth->setCurrentIndex(integration.clientCredentialsInBody ? 1 : 0);
        m_username->setText(integration.username);
        m_enabled->setChecked(integration.enabled);
        m_retryInterval->setValue(integration.retryIntervalSeconds);
        m_concurrency->setValue(integration.concurrency);
        m_batchSize->setValue(integration.batchSize);
        m_alerts->setChecked(integration.alertsEnabled);
        m_xapiVersion->setCurrentIndex(std::max(0, m_xapiVersion->findData(integration.xapiVersion)));
        QString error;
        m_savedRetention = m_service.retention(integration.id, &error);
        if (!error.isEmpty())
            showBanner(tr("The retention of this integration could not be read: %1").arg(error));
        m_retentionDays->setValue(m_savedRetention.retentionDays.value_or(0));
        m_keepBodiesDays->setValue(m_savedRetention.keepBodiesDays.value_or(0));
        for (const QString& field : m_editors.keys())
            m_touched.insert(field);
    }
    // Spin boxes always hold a value: what is wrong with it shows at once.
    m_touched.insert(QStringLiteral("retentionDays"));
    m_touched.insert(QStringLiteral("keepBodiesDays"));

    for (QLineEdit* edit : {m_name, m_emails, m_statementUrl, m_authUrl, m_clientId, m_clientSecret, m_username,
                            m_password, m_provider->lineEdit()}) {
        const QString field = m_editors.key(edit == m_provider->lineEdit() ? static_cast<QWidget*>(m_provider) : edit);
        connect(edit, &QLineEdit::textEdited, this, [this, field] {
            m_touched.insert(field);
            revalidate();
        });
    }
    connect(m_provider, &QComboBox::currentTextChanged, this, [this] {
        m_touched.insert(QStringLiteral("provider"));
        revalidate();
    });
    connect(m_auth, &QComboBox::currentIndexChanged, this, [this] {
        updateAuthFields();
        revalidate();
    });
    for (QSpinBox* spin : {m_retryInterval, m_concurrency, m_batchSize})
        connect(spin, &QSpinBox::valueChanged, this, &IntegrationDialog::revalidate);
    for (QSpinBox* spin : {m_retentionDays, m_keepBodiesDays}) {
        connect(spin, &QSpinBox::valueChanged, this, [this] {
            updateRetentionSuffixes();
            revalidate();
        });
    }
    connect(m_xapiVersion, &QComboBox::currentIndexChanged, this, [this] {
        updateXapiHint();
        revalidate();
    });
    updateXapiHint();
    updateRetentionSuffixes();
    updateAuthFields();
    revalidate();
    m_name->setFocus();
}

QWidget* IntegrationDialog::addField(QFormLayout* form, const QString& field, const QString& label, QWidget* editor,
                                     const QString& hint)
{
    auto* row = new QWidget;
    row->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    auto* rowLayout = new QVBoxLayout(row);
    rowLayout->setContentsMargins(0, 0, 0, 0);
    rowLayout->setSpacing(2);
    rowLayout->addWidget(editor);
    auto* message = new QLabel;
    message->setWordWrap(true);
    message->setProperty("hint", hint);
    message->setText(hint);
    message->setForegroundRole(QPalette::PlaceholderText);
    message->setVisible(!hint.isEmpty());
    QFont small = message->font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    message->setFont(small);
    rowLayout->addWidget(message);
    auto* labelWidget = new QLabel(label);
    labelWidget->setBuddy(editor);
    form->addRow(labelWidget, row);
    m_editors.insert(field, editor);
    m_messages.insert(field, message);
    m_rows.insert(field, row);
    m_labels.insert(field, labelWidget);
    m_fieldOrder << field;
    return row;
}

QPushButton* IntegrationDialog::okButton() const
{
    return m_buttons->button(QDialogButtonBox::Ok);
}

QString IntegrationDialog::message(const QString& field) const
{
    const QLabel* label = m_messages.value(field);
    return label && label->isVisible() && label->text() != label->property("hint").toString() ? label->text()
                                                                                              : QString();
}

QString IntegrationDialog::bannerText() const
{
    return m_banner->isVisible() ? m_banner->text() : QString();
}

Integration IntegrationDialog::draft() const
{
    Integration integration = m_existing.value_or(Integration());
    integration.name = m_name->text();
    integration.provider = m_provider->currentText();
    integration.emails = Integration::parseEmails(m_emails->text());
    integration.statementUrl = QUrl(m_statementUrl->text().trimmed(), QUrl::StrictMode);
    integration.auth = Integration::Auth(m_auth->currentData().toInt());
    integration.authUrl = QUrl(m_authUrl->text().trimmed(), QUrl::StrictMode);
    integration.clientId = m_clientId->text();
    integration.clientCredentialsInBody = m_clientAuth->currentData().toBool();
    integration.username = m_username->text();
    integration.enabled = m_enabled->isChecked();
    integration.retryIntervalSeconds = m_retryInterval->value();
    integration.concurrency = m_concurrency->value();
    integration.batchSize = m_batchSize->value();
    integration.alertsEnabled = m_alerts->isChecked();
    integration.xapiVersion = m_xapiVersion->currentData().toString();
    return integration;
}

RetentionPolicy IntegrationDialog::retention() const
{
    return {daysOf(m_retentionDays), daysOf(m_keepBodiesDays)};
}

bool IntegrationDialog::onlyRetentionChanged() const
{
    return m_existing && retention() != m_savedRetention && secret().isEmpty() &&
           draft().toJson() == m_existing->toJson();
}

FieldIssues IntegrationDialog::issues(QString* error) const
{
    FieldIssues found = m_service.check(draft(), !secret().isEmpty(), error);
    found << retention().check();
    return found;
}

void IntegrationDialog::setNotice(const QString& text, const QString& whenOnlyRetention)
{
    m_notice = text;
    m_noticeOnlyRetention = whenOnlyRetention;
    revalidate();
}

void IntegrationDialog::updateXapiHint()
{
    const QString version = m_xapiVersion->currentData().toString();
    QString hint;
    if (version != autoVersion)
        hint = tr("Statements are validated, converted and sent as xAPI %1.").arg(version);
    else if (m_existing && m_existing->xapiVersion == autoVersion)
        hint = tr("Now %1. Saving asks the receiver again.").arg(XapiDetection::describe(*m_existing));
    else
        hint = tr("Saving asks the receiver's GET …/about which versions it speaks; 1.0.3 when it does not say.");
    QLabel* message = m_messages.value(QStringLiteral("xapiVersion"));
    message->setProperty("hint", hint);
}

void IntegrationDialog::updateRetentionSuffixes()
{
    for (QSpinBox* spin : {m_retentionDays, m_keepBodiesDays})
        spin->setSuffix(spin->value() == 1 ? tr(" day") : tr(" days"));
}

QString IntegrationDialog::secret() const
{
    switch (Integration::Auth(m_auth->currentData().toInt())) {
    case Integration::Auth::OAuth2:
        return m_clientSecret->text();
    case Integration::Auth::Basic:
        return m_password->text();
    case Integration::Auth::None:
        break;
    }
    return {};
}

void IntegrationDialog::updateAuthFields()
{
    const auto auth = Integration::Auth(m_auth->currentData().toInt());
    const bool oauth = auth == Integration::Auth::OAuth2;
    const bool basic = auth == Integration::Auth::Basic;
    for (const QString& field : {QStringLiteral("authUrl"), QStringLiteral("clientId"), QStringLiteral("clientSecret"),
                                 QStringLiteral("clientAuth")}) {
        m_rows.value(field)->setVisible(oauth);
        m_labels.value(field)->setVisible(oauth);
    }
    for (const QString& field : {QStringLiteral("username"), QStringLiteral("password")}) {
        m_rows.value(field)->setVisible(basic);
        m_labels.value(field)->setVisible(basic);
    }
    adjustSize();
}

void IntegrationDialog::revalidate()
{
    QString error;
    const FieldIssues issues = this->issues(&error);
    showIssues(issues, false);
    okButton()->setEnabled(!m_busy && !hasErrors(issues) && error.isEmpty());
    // Errors of fields not touched yet are not shown under them; name those fields here.
    QStringList missing;
    for (const QString& field : std::as_const(m_fieldOrder)) {
        const QLabel* label = m_labels.value(field);
        if (label->isVisibleTo(this) && !m_touched.contains(field) && hasErrors(issuesForField(issues, field)))
            missing << label->text().remove(QLatin1Char('&'));
    }
    m_missing->setText(missing.isEmpty()
                           ? QString()
                           : tr("Still needed before you can save: %1.").arg(missing.join(QStringLiteral(", "))));
    m_missing->setVisible(!missing.isEmpty());
    okButton()->setToolTip(m_missing->text());
    if (!error.isEmpty())
        showBanner(error);
    else if (!m_notice.isEmpty())
        showBanner(onlyRetentionChanged() && !m_noticeOnlyRetention.isEmpty() ? m_noticeOnlyRetention : m_notice);
}

void IntegrationDialog::showIssues(const FieldIssues& issues, bool showAllErrors)
{
    for (auto it = m_messages.cbegin(); it != m_messages.cend(); ++it) {
        QLabel* label = it.value();
        const FieldIssues own = issuesForField(issues, it.key());
        QStringList errors;
        QStringList warnings;
        for (const FieldIssue& issue : own)
            (issue.isError() ? errors : warnings) << issue.message;
        const bool showErrors = !errors.isEmpty() && (showAllErrors || m_touched.contains(it.key()));
        QPalette palette = label->palette();
        if (showErrors) {
            label->setText(errors.join(QLatin1Char('\n')));
            palette.setColor(QPalette::WindowText, errorColor);
            label->setForegroundRole(QPalette::WindowText);
        } else if (!warnings.isEmpty()) {
            label->setText(QStringLiteral("⚠ ") + warnings.join(QLatin1Char('\n')));
            palette.setColor(QPalette::WindowText, warningColor);
            label->setForegroundRole(QPalette::WindowText);
        } else {
            label->setText(label->property("hint").toString());
            label->setForegroundRole(QPalette::PlaceholderText);
        }
        label->setPalette(palette);
        label->setVisible(!label->text().isEmpty());
        // Wrapped text needs its height reserved, or the form squeezes it.
        const QWidget* editor = m_editors.value(it.key());
        label->setMinimumHeight(
            label->text().isEmpty() ? 0 : label->heightForWidth(std::max(240, editor ? editor->width() : 0)));
        if (QWidget* editor = m_editors.value(it.key()))
            editor->setToolTip(showErrors ? errors.join(QLatin1Char('\n')) : QString());
    }
    growToFit();
}

void IntegrationDialog::growToFit()
{
    // Messages under the fields wrap; make room for them rather than squeezing the editors, and give the room back
    // when they go, so no blank gap is left.
    // After the event loop has laid out what just appeared or went.
    QTimer::singleShot(0, this, [this] {
        m_scroll->updateGeometry();
        layout()->activate();
        int needed =
            layout()->hasHeightForWidth() ? layout()->totalHeightForWidth(width()) : layout()->totalSizeHint().height();
        // Never taller than the screen: the fields scroll instead, the buttons stay in view. Only then may the scroll
        // bar show (one that came and went while the fields changed would leave them narrower, and taller).
        const QScreen* screen = this->screen();
        const QRect available = screen ? screen->availableGeometry() : QRect();
        const int decoration = frameGeometry().height() - height();
        const bool tooTall = available.isValid() && needed > available.height() - decoration;
        if (tooTall)
            needed = available.height() - decoration;
        m_scroll->setVerticalScrollBarPolicy(tooTall ? Qt::ScrollBarAsNeeded : Qt::ScrollBarAlwaysOff);
        if (needed != height())
            resize(width(), needed);
        if (available.isValid() && isVisible() && frameGeometry().bottom() > available.bottom())
            move(x(), std::max(available.top(), available.bottom() - frameGeometry().height() + 1));
        // While the fields scroll, the one being edited stays in view with what is said under it.
        if (tooTall) {
            for (auto it = m_rows.cbegin(); it != m_rows.cend(); ++it) {
                const QWidget* editor = m_editors.value(it.key());
                if (editor && (editor == focusWidget() || editor->isAncestorOf(focusWidget())))
                    m_scroll->ensureWidgetVisible(it.value(), 0, 0);
            }
        }
    });
}

void IntegrationDialog::showBanner(const QString& text)
{
    m_banner->setText(text);
    m_banner->setVisible(!text.isEmpty());
}

void IntegrationDialog::setBusy(bool busy)
{
    m_busy = busy;
    for (QWidget* editor : std::as_const(m_editors))
        editor->setEnabled(!busy);
    okButton()->setEnabled(!busy);
    const bool asking = busy && m_xapiVersion->currentData().toString() == autoVersion;
    okButton()->setText(busy ? (asking ? tr("Asking the receiver…") : tr("Saving…"))
                             : (m_existing ? tr("Save Integration") : tr("Add Integration")));
    setCursor(busy ? Qt::BusyCursor : Qt::ArrowCursor);
}

void IntegrationDialog::accept()
{
    if (m_busy)
        return;
    QString error;
    const FieldIssues found = issues(&error);
    if (hasErrors(found) || !error.isEmpty()) {
        showIssues(found, true);
        showBanner(error);
        okButton()->setEnabled(false);
        return;
    }
    if (onlyRetentionChanged()) {
        // Only how long it keeps its history: the integration's row, its revision and what is held stay as they are.
        if (!m_service.setRetention(m_existing->id, retention(), &error)) {
            showBanner(tr("The retention was not saved: %1").arg(error));
            return;
        }
        Q_EMIT saved(*m_existing);
        QDialog::accept();
        return;
    }
    showBanner({});
    save(secret());
}

void IntegrationDialog::save(const QString& secret)
{
    setBusy(true);
    QPointer<IntegrationDialog> self(this);
    // For auto, the receiver's GET .../about first (as `integration add|edit` does), then keychain and store, then the
    // retention (a new integration has its id only then).
    m_service.detectXapiVersion(draft(), [self, secret](const XapiDetection::Outcome& detected) {
        if (!self)
            return;
        const bool isNew = !self->m_existing;
        auto done = [self, isNew](const IntegrationOutcome& outcome) {
            if (self)
                self->finishSave(outcome, isNew);
        };
        if (isNew)
            self->m_service.add(detected.integration, secret, done);
        else
            self->m_service.update(detected.integration, secret, done);
    });
}

void IntegrationDialog::finishSave(const IntegrationOutcome& outcome, bool isNew)
{
    setBusy(false);
    if (!outcome.ok) {
        showIssues(outcome.issues, true);
        showBanner(outcome.error.isEmpty() ? tr("Please correct the fields marked in red.") : outcome.error);
        okButton()->setEnabled(outcome.issues.isEmpty() || !hasErrors(outcome.issues));
        return;
    }
    const RetentionPolicy policy = retention();
    if (policy != m_savedRetention) {
        QString error;
        if (!m_service.setRetention(outcome.integration.id, policy, &error)) {
            // The integration is saved: from now on this dialog edits it, and saving again retries the retention.
            m_existing = outcome.integration;
            setWindowTitle(tr("Edit Integration — %1").arg(outcome.integration.name));
            setBusy(false);
            showBanner(tr("%1, but not its retention: %2 Save again to retry.")
                           .arg(isNew ? tr("The integration was added") : tr("The integration was saved"), error));
            Q_EMIT saved(outcome.integration);
            return;
        }
    }
    Q_EMIT saved(outcome.integration);
    QDialog::accept();
}

void IntegrationDialog::reject()
{
    if (!m_busy)
        QDialog::reject();
}
