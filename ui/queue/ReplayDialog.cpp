#include "queue/ReplayDialog.h"

#include "delivery/DeliveryActions.h"

#include <QComboBox>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>

ReplayDialog::ReplayDialog(DeliveryActions& actions, const QList<Integration>& integrations, QWidget* parent)
    : QDialog(parent)
    , m_actions(actions)
{
    setWindowTitle(tr("Replay Statements"));
    auto* form = new QFormLayout(this);
    m_source = new QComboBox;
    m_source->addItem(tr("Every integration"), qint64(0));
    m_target = new QComboBox;
    for (const Integration& integration : integrations) {
        m_source->addItem(integration.name, integration.id);
        m_target->addItem(integration.name, integration.id);
    }
    m_from = new QDateTimeEdit(QDateTime::currentDateTime().addDays(-1));
    m_to = new QDateTimeEdit(QDateTime::currentDateTime());
    for (QDateTimeEdit* edit : {m_from, m_to}) {
        edit->setCalendarPopup(true);
        edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
        connect(edit, &QDateTimeEdit::dateTimeChanged, this, &ReplayDialog::recount);
    }
    auto* intro = new QLabel(tr("The statements first queued in this time range are queued again, with the same ids, "
                                "to the integration you choose."));
    intro->setWordWrap(true);
    form->addRow(intro);
    form->addRow(tr("Statements of"), m_source);
    form->addRow(tr("From"), m_from);
    form->addRow(tr("To"), m_to);
    form->addRow(tr("Queue them to"), m_target);
    m_summary = new QLabel;
    m_summary->setObjectName(QStringLiteral("summary"));
    m_summary->setWordWrap(true);
    form->addRow(m_summary);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    m_replay = buttons->button(QDialogButtonBox::Ok);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    form->addRow(buttons);
    connect(m_source, &QComboBox::currentIndexChanged, this, &ReplayDialog::recount);
    connect(m_target, &QComboBox::currentIndexChanged, this, &ReplayDialog::recount);
    recount();
}

qint64 ReplayDialog::targetId() const
{
    return m_target->currentData().toLongLong();
}

QString ReplayDialog::targetName() const
{
    return m_target->currentText();
}

QString ReplayDialog::summary() const
{
    return m_summary->text();
}

void ReplayDialog::recount()
{
    QString error;
    m_sources = m_actions.replaySources(m_from->dateTime().toUTC(), m_to->dateTime().toUTC(), &error,
                                        m_source->currentData().toLongLong());
    if (!error.isEmpty())
        m_summary->setText(error);
    else if (m_target->count() == 0)
        m_summary->setText(tr("Add an integration first."));
    else if (m_sources.isEmpty())
        m_summary->setText(tr("No statement was first queued in this time range."));
    else
        m_summary->setText((m_sources.size() == 1 ? tr("1 statement will be queued again to %2.")
                                                  : tr("%1 statements will be queued again to %2."))
                               .arg(m_sources.size())
                               .arg(m_target->currentText()));
    m_replay->setText(m_sources.isEmpty() ? tr("Replay") : tr("Replay %1").arg(m_sources.size()));
    m_replay->setEnabled(error.isEmpty() && !m_sources.isEmpty() && m_target->count() > 0);
}
