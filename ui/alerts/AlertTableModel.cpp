#include "alerts/AlertTableModel.h"

#include <QColor>
#include <QLocale>
#include <QMetaEnum>

AlertTableModel::AlertTableModel(QObject* parent)
    : QAbstractTableModel(parent)
{}

void AlertTableModel::setAlerts(const QList<AlertRecord>& alerts)
{
    const bool same = alerts.size() == m_alerts.size() &&
                      std::equal(alerts.cbegin(), alerts.cend(), m_alerts.cbegin(), [](const auto& a, const auto& b) {
                          return a.id == b.id && a.state == b.state && a.attempts == b.attempts;
                      });
    if (same)
        return;
    beginResetModel();
    m_alerts = alerts;
    endResetModel();
}

std::optional<AlertRecord> AlertTableModel::alertAt(int row) const
{
    if (row < 0 || row >= m_alerts.size())
        return std::nullopt;
    return m_alerts.at(row);
}

int AlertTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_alerts.size());
}

int AlertTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : QMetaEnum::fromType<Column>().keyCount();
}

QVariant AlertTableModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const AlertRecord& alert = m_alerts.at(index.row());
    switch (Column(index.column())) {
    case Column::Time:
        if (role == Qt::DisplayRole)
            return alert.createdAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        if (role == SortRole)
            return alert.createdAt;
        break;
    case Column::Integration:
        if (role == Qt::DisplayRole || role == SortRole)
            return alert.integrationName;
        break;
    case Column::Recipients:
        if (role == Qt::DisplayRole || role == SortRole)
            return alert.recipients.join(QStringLiteral(", "));
        break;
    case Column::Subject:
        if (role == Qt::DisplayRole || role == SortRole)
            return alert.subject;
        break;
    case Column::State:
        if (role == Qt::DisplayRole) {
            switch (alert.state) {
            case AlertRecord::State::Sent:
                return tr("sent");
            case AlertRecord::State::Failed:
                if (!alert.nextAttemptAt.isValid())
                    return tr("failed: %1").arg(alert.error);
                return tr("failed: %1 — tried again at %2")
                    .arg(alert.error, QLocale().toString(alert.nextAttemptAt.toLocalTime(), QLocale::ShortFormat));
            case AlertRecord::State::Suppressed:
                return tr("suppressed (24 h window)");
            case AlertRecord::State::Superseded:
                return tr("superseded: %1").arg(alert.error);
            case AlertRecord::State::Pending:
                return tr("waiting to be sent");
            case AlertRecord::State::Sending:
                return tr("sending…");
            }
        }
        if (role == SortRole)
            return int(alert.state);
        if (role == Qt::ForegroundRole && alert.state == AlertRecord::State::Failed)
            return QColor(0xc6, 0x28, 0x28);
        if (role == Qt::ToolTipRole)
            return alert.error;
        break;
    }
    return {};
}

QVariant AlertTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Column::Time:
        return tr("Time");
    case Column::Integration:
        return tr("Integration");
    case Column::Recipients:
        return tr("Recipients");
    case Column::Subject:
        return tr("Subject");
    case Column::State:
        return tr("State");
    }
    return {};
}
