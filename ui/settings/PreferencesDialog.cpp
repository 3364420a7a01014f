#include "settings/PreferencesDialog.h"

#include "settings/MetricsEndpoint.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace {
const QColor errorColor(0xc6, 0x28, 0x28);

QString addressHint()
{
    return PreferencesDialog::tr("A port alone listens on 127.0.0.1, for a Prometheus on this machine. Another "
                                 "address (0.0.0.0 for every interface) lets other machines read the names and queues "
                                 "of your integrations.");
}
} // namespace

PreferencesDialog::PreferencesDialog(MetricsEndpoint& metrics, QWidget* parent)
    : QDialog(parent)
    , m_metrics(metrics)
{
    setWindowTitle(tr("Preferences"));
    setMinimumWidth(520);
    auto* layout = new QVBoxLayout(this);

    auto* group = new QGroupBox(tr("Metrics for Prometheus"));
    auto* form = new QFormLayout(group);
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    auto* about = new QLabel(tr("While this window runs, it can serve GET /metrics in the Prometheus text format, as "
                                "<tt>xapi-courier worker --metrics</tt> does: queues, deliveries by outcome, response "
                                "times, health and alerts of every integration."));
    about->setWordWrap(true);
    form->addRow(about);
    m_serve = new QCheckBox(tr("&Serve GET /metrics"));
    m_serve->setObjectName(QStringLiteral("serveMetrics"));
    form->addRow(m_serve);

    auto* field = new QWidget;
    auto* fieldLayout = new QVBoxLayout(field);
    fieldLayout->setContentsMargins(0, 0, 0, 0);
    fieldLayout->setSpacing(2);
    m_address = new QLineEdit;
    m_address->setObjectName(QStringLiteral("metricsAddress"));
    m_address->setPlaceholderText(MetricsEndpoint::defaultAddress());
    fieldLayout->addWidget(m_address);
    m_addressMessage = new QLabel(addressHint());
    m_addressMessage->setWordWrap(true);
    m_addressMessage->setForegroundRole(QPalette::PlaceholderText);
    QFont small = m_addressMessage->font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    m_addressMessage->setFont(small);
    fieldLayout->addWidget(m_addressMessage);
    auto* addressLabel = new QLabel(tr("&Address"));
    addressLabel->setBuddy(m_address);
    form->addRow(addressLabel, field);

    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("metricsStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::LinksAccessibleByMouse);
    m_status->setOpenExternalLinks(true);
    form->addRow(tr("Now"), m_status);
    layout->addWidget(group);
    layout->addStretch();

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &PreferencesDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &PreferencesDialog::reject);
    layout->addWidget(m_buttons);

    const MetricsEndpoint::Setting setting = m_metrics.setting();
    m_serve->setChecked(setting.enabled);
    m_address->setText(setting.address);
    connect(m_serve, &QCheckBox::toggled, this, &PreferencesDialog::revalidate);
    connect(m_address, &QLineEdit::textChanged, this, &PreferencesDialog::revalidate);
    connect(&m_metrics, &MetricsEndpoint::changed, this, &PreferencesDialog::updateStatus);
    updateStatus();
    revalidate();
}

QPushButton* PreferencesDialog::okButton() const
{
    return m_buttons->button(QDialogButtonBox::Ok);
}

QString PreferencesDialog::addressError() const
{
    return m_showsError ? m_addressMessage->text() : QString();
}

QString PreferencesDialog::statusText() const
{
    return m_status->text();
}

void PreferencesDialog::revalidate()
{
    m_address->setEnabled(m_serve->isChecked());
    const QString address = m_address->text().trimmed();
    const QString error =
        m_serve->isChecked() && !address.isEmpty() ? MetricsEndpoint::checkAddress(address) : QString();
    showAddressError(error);
    okButton()->setEnabled(error.isEmpty());
}

void PreferencesDialog::showAddressError(const QString& error)
{
    m_showsError = !error.isEmpty();
    m_addressMessage->setText(m_showsError ? error : addressHint());
    QPalette palette = m_addressMessage->palette();
    palette.setColor(QPalette::WindowText, errorColor);
    m_addressMessage->setPalette(palette);
    m_addressMessage->setForegroundRole(m_showsError ? QPalette::WindowText : QPalette::PlaceholderText);
    m_address->setToolTip(error);
}

void PreferencesDialog::updateStatus()
{
    const QUrl url = m_metrics.url();
    // The address whole on one line (wrapped, the label kept only its first part); a reason wraps.
    m_status->setWordWrap(url.isEmpty());
    if (url.isValid() && !url.isEmpty()) {
        const QString link = url.toString();
        m_status->setText(tr("Served at <a href=\"%1\">%1</a>").arg(link.toHtmlEscaped()));
    } else if (!m_metrics.error().isEmpty()) {
        m_status->setText(
            tr("<span style=\"color:#c62828\">Not served: %1</span>").arg(m_metrics.error().toHtmlEscaped()));
    } else {
        m_status->setText(tr("Not served"));
    }
}

void PreferencesDialog::accept()
{
    MetricsEndpoint::Setting setting;
    setting.enabled = m_serve->isChecked();
    setting.address = m_address->text().trimmed();
    if (setting.address.isEmpty())
        setting.address = MetricsEndpoint::defaultAddress();
    QString error;
    if (!m_metrics.apply(setting, &error)) {
        showAddressError(error);
        okButton()->setEnabled(false); // until the address or the checkbox changes
        m_address->setFocus();
        return;
    }
    QDialog::accept();
}
