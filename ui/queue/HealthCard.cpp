#include "queue/HealthCard.h"

#include "common/Icons.h"

#include <QLabel>
#include <QPushButton>
#include <QRegularExpression>
#include <QVBoxLayout>

namespace {
QString age(const QDateTime& since)
{
    if (!since.isValid())
        return QString();
    const qint64 seconds = std::max<qint64>(0, since.secsTo(QDateTime::currentDateTimeUtc()));
    if (seconds < 120)
        return HealthCard::tr("%1 s").arg(seconds);
    if (seconds < 7200)
        return HealthCard::tr("%1 min").arg(seconds / 60);
    return HealthCard::tr("%1 h").arg(seconds / 3600);
}
} // namespace

HealthCard::HealthCard(QWidget* parent)
    : QFrame(parent)
{
    setFrameShape(QFrame::StyledPanel);
    setFixedWidth(280);
    auto* layout = new QVBoxLayout(this);
    m_title = new QLabel;
    m_title->setTextFormat(Qt::PlainText);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_health = new QLabel;
    m_health->setWordWrap(true);
    m_detail = new QLabel;
    m_detail->setObjectName(QStringLiteral("reason"));
    m_detail->setWordWrap(true);
    m_detail->setTextFormat(Qt::PlainText);
    m_depth = new QLabel;
    m_depth->setWordWrap(true);
    m_depth->setForegroundRole(QPalette::PlaceholderText);
    m_action = new QPushButton;
    m_action->hide();
    layout->addWidget(m_title);
    layout->addWidget(m_health);
    layout->addWidget(m_detail);
    layout->addWidget(m_depth);
    layout->addWidget(m_action, 0, Qt::AlignLeft);
    connect(m_action, &QPushButton::clicked, this, [this] {
        if (m_integration.health() == Integration::Health::Held)
            Q_EMIT editRequested(m_integration.id);
        else
            Q_EMIT retryNowRequested(m_integration.id);
    });
}

void HealthCard::show(const Integration& integration, const LaneStats& lane)
{
    m_integration = integration;
    m_lane = lane;
    m_title->setText(integration.name);
    const auto health = integration.health();
    m_action->setVisible(health == Integration::Health::Held || health == Integration::Health::Retrying);
    m_action->setText(health == Integration::Health::Held ? tr("Edit integration…") : tr("Retry now"));
    // The reason on a few lines at most; the whole of it in the tooltip (and in the Integrations page's details).
    const QString reason = health == Integration::Health::Held || health == Integration::Health::Retrying
                               ? integration.holdReason.simplified()
                               : QString();
    QString shown = reason.size() > ReasonChars ? reason.left(ReasonChars - 1) + QChar(0x2026) : reason;
    // A long token (a JSON body, a URL) may break anywhere rather than run off the card.
    static const QRegularExpression longToken(QStringLiteral("(\\S{24})(?=\\S)"));
    shown.replace(longToken, QStringLiteral("\\1") + QChar(0x200B));
    m_detail->setText(shown);
    m_detail->setToolTip(integration.holdReason);
    m_detail->setVisible(!m_detail->text().isEmpty());
    tick();
}

void HealthCard::tick()
{
    QStringList depth;
    depth << (m_lane.queued == 0 ? tr("nothing queued")
                                 : tr("%1 queued, oldest %2").arg(m_lane.queued).arg(age(m_lane.oldestQueuedAt)));
    if (m_lane.held > 0)
        depth << tr("%1 held").arg(m_lane.held);
    depth << tr("%1 delivered").arg(m_lane.delivered + m_lane.duplicates);
    m_depth->setText(depth.join(QStringLiteral(" · ")));

    const auto health = m_integration.health();
    QString text = QStringLiteral("<span style=\"color:%1\">●</span> %2")
                       .arg(Icons::healthColor(health).name(), Integration::healthLabel(health));
    if (health == Integration::Health::Retrying && m_integration.nextProbeAt.isValid()) {
        const qint64 seconds = QDateTime::currentDateTimeUtc().secsTo(m_integration.nextProbeAt);
        text += seconds > 0 ? tr(" — next try in %1 s").arg(seconds) : tr(" — trying now");
    } else if (health == Integration::Health::Held) {
        text += tr(" — until the integration is updated");
    } else if (health == Integration::Health::Disabled) {
        text += tr(" — statements wait");
    }
    m_health->setText(text);
}
