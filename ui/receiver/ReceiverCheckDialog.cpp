#include "receiver/ReceiverCheckDialog.h"

#include "receiver/ReceiverCheck.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QNetworkAccessManager>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace {

enum Column { Result, Check, Meaning };
constexpr int ResultRole = Qt::UserRole + 1;
constexpr int SentRole = Qt::UserRole + 2;
constexpr int ReceivedRole = Qt::UserRole + 3;

QString mark(ReceiverCheckResult::Result result)
{
    switch (result) {
    case ReceiverCheckResult::Result::Pass:
        return QStringLiteral("✔ pass");
    case ReceiverCheckResult::Result::Warn:
        return QStringLiteral("! warn");
    case ReceiverCheckResult::Result::Fail:
        return QStringLiteral("✖ fail");
    case ReceiverCheckResult::Result::Skip:
        break;
    }
    return QStringLiteral("– skip");
}

QColor color(ReceiverCheckResult::Result result)
{
    switch (result) {
    case ReceiverCheckResult::Result::Pass:
        return QColor(0x1e, 0x8e, 0x3e);
    case ReceiverCheckResult::Result::Warn:
        return QColor(0xb0, 0x6d, 0x00);
    case ReceiverCheckResult::Result::Fail:
        return QColor(0xc5, 0x22, 0x1f);
    case ReceiverCheckResult::Result::Skip:
        break;
    }
    return QColor(0x80, 0x80, 0x80);
}

} // namespace

ReceiverCheckDialog::ReceiverCheckDialog(const Integration& integration, TokenClient& tokens, QWidget* parent)
    : QDialog(parent)
    , m_integration(integration)
    , m_tokens(tokens)
    , m_network(std::make_unique<QNetworkAccessManager>())
{
    setWindowTitle(tr("Check Receiver — %1").arg(integration.name));
    resize(900, 620);
    auto* layout = new QVBoxLayout(this);
    auto* title = new QLabel(tr("<b>%1</b> — %2")
                                 .arg(integration.name.toHtmlEscaped(), integration.statementUrl.toString().toHtmlEscaped()));
    title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(title);
    m_plan = new QLabel;
    m_plan->setWordWrap(true);
    m_plan->setObjectName(QStringLiteral("plan"));
    layout->addWidget(m_plan);
    m_keep = new QCheckBox(tr("&Keep the test statements on the receiver (do not void them)"));
    layout->addWidget(m_keep);

    auto* splitter = new QSplitter(Qt::Vertical);
    m_list = new QTreeWidget;
    m_list->setObjectName(QStringLiteral("checklist"));
    m_list->setRootIsDecorated(false);
    m_list->setHeaderLabels({tr("Result"), tr("Check"), tr("What it means for delivery")});
    m_list->setWordWrap(true);
    m_list->setUniformRowHeights(false);
    m_list->header()->setSectionResizeMode(Result, QHeaderView::ResizeToContents);
    m_list->header()->setSectionResizeMode(Check, QHeaderView::ResizeToContents);
    m_list->header()->setStretchLastSection(true);
    for (const QString& id : ReceiverCheck::checkIds()) {
        auto* item = new QTreeWidgetItem(m_list, {QString(), id, tr("not run yet")});
        item->setData(Check, Qt::UserRole, id);
    }
    splitter->addWidget(m_list);
    m_exchange = new QPlainTextEdit;
    m_exchange->setObjectName(QStringLiteral("exchange"));
    m_exchange->setReadOnly(true);
    QFont mono(QStringLiteral("monospace"));
    mono.setStyleHint(QFont::Monospace);
    m_exchange->setFont(mono);
    m_exchange->setPlaceholderText(tr("Select a check to see the request as sent (Authorization hidden) and the "
                                      "answer."));
    splitter->addWidget(m_exchange);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    layout->addWidget(splitter, 1);
    m_summary = new QLabel;
    m_summary->setObjectName(QStringLiteral("summary"));
    layout->addWidget(m_summary);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    m_run = buttons->addButton(tr("&Run Check"), QDialogButtonBox::ActionRole);
    m_run->setDefault(true);
    connect(m_run, &QPushButton::clicked, this, &ReceiverCheckDialog::run);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    connect(m_list, &QTreeWidget::currentItemChanged, this, &ReceiverCheckDialog::showSelected);

    const auto plan = [this] {
        ReceiverCheck preview(m_integration, m_tokens, *m_network);
        preview.setKeep(m_keep->isChecked());
        m_plan->setText(preview.plan().toHtmlEscaped());
    };
    connect(m_keep, &QCheckBox::toggled, this, plan);
    plan();
}

ReceiverCheckDialog::~ReceiverCheckDialog()
{
    delete m_check; // before the network it uses
}

bool ReceiverCheckDialog::isFinished() const
{
    return m_check && m_check->isFinished();
}

QString ReceiverCheckDialog::summary() const
{
    return m_summary->text();
}

void ReceiverCheckDialog::run()
{
    delete m_check;
    m_check = new ReceiverCheck(m_integration, m_tokens, *m_network, this);
    m_check->setKeep(m_keep->isChecked());
    for (int row = 0; row < m_list->topLevelItemCount(); ++row) {
        QTreeWidgetItem* item = m_list->topLevelItem(row);
        item->setText(Result, QStringLiteral("…"));
        item->setText(Meaning, tr("running…"));
        item->setForeground(Result, palette().color(QPalette::PlaceholderText));
        item->setData(Result, SentRole, QString());
        item->setData(Result, ReceivedRole, QString());
    }
    m_run->setEnabled(false);
    m_keep->setEnabled(false);
    m_summary->setText(tr("Checking…"));
    connect(m_check, &ReceiverCheck::checked, this, &ReceiverCheckDialog::showResult);
    connect(m_check, &ReceiverCheck::finished, this, [this] {
        QHash<ReceiverCheckResult::Result, int> counts;
        for (const ReceiverCheckResult& result : m_check->results())
            ++counts[result.result];
        const int failures = counts.value(ReceiverCheckResult::Result::Fail);
        m_summary->setText(
            tr("%1 — %2 pass, %3 warn, %4 fail, %5 skip. xAPI versions offered: %6.")
                .arg(failures > 0 ? tr("✖ Not ready: fix what fails before statements go")
                                  : tr("✔ Ready for delivery"))
                .arg(counts.value(ReceiverCheckResult::Result::Pass))
                .arg(counts.value(ReceiverCheckResult::Result::Warn))
                .arg(failures)
                .arg(counts.value(ReceiverCheckResult::Result::Skip))
                .arg(m_check->xapiVersions().isEmpty() ? tr("unknown")
                                                       : m_check->xapiVersions().join(QStringLiteral(", "))));
        m_run->setText(tr("&Run Again"));
        m_run->setEnabled(true);
        m_keep->setEnabled(true);
    });
    m_check->start();
}

void ReceiverCheckDialog::showResult(const ReceiverCheckResult& result)
{
    for (int row = 0; row < m_list->topLevelItemCount(); ++row) {
        QTreeWidgetItem* item = m_list->topLevelItem(row);
        if (item->data(Check, Qt::UserRole).toString() != result.id)
            continue;
        item->setText(Result, mark(result.result));
        item->setForeground(Result, color(result.result));
        item->setData(Result, ResultRole, ReceiverCheckResult::resultName(result.result));
        item->setText(Meaning, result.detail);
        item->setToolTip(Meaning, result.detail);
        item->setData(Result, SentRole, result.sent);
        item->setData(Result, ReceivedRole, result.received);
        if (m_list->currentItem() == item)
            showSelected();
    }
}

void ReceiverCheckDialog::showSelected()
{
    const QTreeWidgetItem* item = m_list->currentItem();
    if (!item) {
        m_exchange->clear();
        return;
    }
    const QString sent = item->data(Result, SentRole).toString();
    const QString received = item->data(Result, ReceivedRole).toString();
    if (sent.isEmpty() && received.isEmpty()) {
        m_exchange->setPlainText(item->text(Meaning));
        return;
    }
    m_exchange->setPlainText(tr("Sent:\n%1\n\nReceived:\n%2").arg(sent, received));
}
