#include "erasure/EraseLearnerDialog.h"

#include "common/Clock.h"
#include "common/MessageBox.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

EraseLearnerDialog::EraseLearnerDialog(Store& store, QWidget* parent)
    : QDialog(parent)
    , m_store(store)
{
    setWindowTitle(tr("Erase Learner"));
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("Removes every statement that names the learner — queued, held, delivered or "
                                "discarded, to every integration — with its attempts, their H5P completion records "
                                "and Test Console sends, leaving no copy in the store's files. Statements already "
                                "delivered stay in the receiving LRS unless you void them."));
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto* form = new QFormLayout;
    m_learner = new QLineEdit;
    m_learner->setPlaceholderText(tr("mailto:ada@example.com, https://sso.example.com::ada or mbox_sha1sum:…"));
    m_learner->setClearButtonEnabled(true);
    m_learner->setMinimumWidth(m_learner->fontMetrics().averageCharWidth() * 56);
    form->addRow(tr("&Learner:"), m_learner);
    m_problem = new QLabel;
    m_problem->setWordWrap(true);
    m_problem->setForegroundRole(QPalette::PlaceholderText);
    form->addRow(QString(), m_problem);
    m_problem->hide();
    m_void = new QCheckBox(tr("&Void what was delivered: queue a voiding statement to each integration that "
                              "received one of theirs"));
    form->addRow(QString(), m_void);
    layout->addLayout(form);

    m_count = new QPushButton(tr("&Count What the Store Holds"));
    m_count->setEnabled(false);
    auto* countRow = new QHBoxLayout;
    countRow->addWidget(m_count);
    countRow->addStretch();
    layout->addLayout(countRow);
    m_counts = new QLabel(tr("Name the learner as statements identify them, then count."));
    m_counts->setWordWrap(true);
    m_counts->setTextFormat(Qt::RichText);
    m_counts->setMinimumHeight(m_counts->fontMetrics().lineSpacing() * 7);
    m_counts->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    layout->addWidget(m_counts, 1);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    m_erase = m_buttons->addButton(tr("&Erase…"), QDialogButtonBox::DestructiveRole);
    m_erase->setEnabled(false);
    layout->addWidget(m_buttons);

    connect(m_learner, &QLineEdit::textChanged, this, &EraseLearnerDialog::learnerEdited);
    connect(m_learner, &QLineEdit::returnPressed, this, [this] {
        if (m_count->isEnabled())
            countNow();
    });
    connect(m_count, &QPushButton::clicked, this, &EraseLearnerDialog::countNow);
    connect(m_erase, &QPushButton::clicked, this, &EraseLearnerDialog::eraseNow);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

void EraseLearnerDialog::learnerEdited()
{
    m_counted.reset();
    m_erase->setEnabled(false);
    QString error;
    const bool valid = !m_learner->text().trimmed().isEmpty() && LearnerId::parse(m_learner->text(), &error);
    m_count->setEnabled(valid);
    m_problem->setText(m_learner->text().trimmed().isEmpty() ? QString()
                                                             : error.replace(QLatin1String("--actor: "), QString()));
    m_problem->setVisible(!m_problem->text().isEmpty());
    m_counts->setText(tr("Name the learner as statements identify them, then count."));
}

QString EraseLearnerDialog::countsHtml(const ErasureCounts& counts, bool done, bool voided)
{
    QString html = done ? tr("<b>Erased:</b>") : tr("<b>The store holds:</b>");
    html += QStringLiteral("<ul style='margin-left:-20px'>");
    html += tr("<li>%1 statement(s): %2 queued, %3 held, %4 delivered, %5 discarded</li>")
                .arg(counts.statements())
                .arg(counts.queued)
                .arg(counts.held)
                .arg(counts.delivered)
                .arg(counts.discarded);
    html += tr("<li>%1 attempt(s)</li>").arg(counts.attempts);
    html += tr("<li>%1 completion record(s)</li>").arg(counts.completions);
    html += tr("<li>%1 Test Console send(s)</li>").arg(counts.testSends);
    if (counts.alerts > 0)
        html += tr("<li>%1 alert text(s) quoting them (blanked, the alerts kept)</li>").arg(counts.alerts);
    if (done && voided)
        html += tr("<li>%1 voiding statement(s) queued</li>").arg(counts.voiding);
    html += QStringLiteral("</ul>");
    return html;
}

void EraseLearnerDialog::countNow()
{
    QString error;
    const std::optional<LearnerId> learner = LearnerId::parse(m_learner->text(), &error);
    if (!learner)
        return;
    ErasureCounts counts;
    if (!LearnerErasure(m_store).count(*learner, &counts, &error)) {
        m_counts->setText(tr("The store could not be searched: %1").arg(error.toHtmlEscaped()));
        return;
    }
    if (counts.isEmpty()) {
        m_counts->setText(tr("Nothing names %1: no statement, completion record, Test Console send or alert.")
                              .arg(learner->display().toHtmlEscaped()));
        return;
    }
    m_counted = learner;
    m_counts->setText(countsHtml(counts, false, false));
    m_erase->setEnabled(true);
}

void EraseLearnerDialog::eraseNow()
{
    if (!m_counted)
        return;
    if (!MessageBox::confirm(
            this, tr("Erase Learner"), tr("Erase everything of %1 for good?").arg(m_counted->display()),
            tr("It cannot be restored.%1")
                .arg(m_void->isChecked() ? tr(" A voiding statement goes to each integration that received one.")
                                         : QString()),
            tr("Erase"))) {
        return;
    }
    ErasureCounts counts;
    QString warning;
    QString error;
    const bool voided = m_void->isChecked();
    if (!LearnerErasure(m_store).erase(*m_counted, voided, Clock::system().now(), &counts, &warning, &error)) {
        m_counts->setText(tr("Nothing was erased: %1").arg(error.toHtmlEscaped()));
        return;
    }
    m_counted.reset();
    m_erase->setEnabled(false);
    QString html = countsHtml(counts, true, voided);
    if (!warning.isEmpty())
        html += QStringLiteral("<p>") + warning.toHtmlEscaped() + QStringLiteral("</p>");
    m_counts->setText(html);
    Q_EMIT erased();
}
