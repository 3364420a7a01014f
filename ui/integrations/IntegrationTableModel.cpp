#include "integrations/IntegrationTableModel.h"

#include "common/Icons.h"

#include <QMetaEnum>

IntegrationTableModel::IntegrationTableModel(QObject* parent)
    : QAbstractTableModel(parent)
{}

void IntegrationTableModel::setIntegrations(const QList<Integration>& integrations, const QHash<qint64, int>& queued)
{
    if (integrations == m_integrations && queued == m_queued)
        return;
    beginResetModel();
    m_integrations = integrations;
    m_queued = queued;
    endResetModel();
}

std::optional<Integration> IntegrationTableModel::integrationAt(int row) const
{
    if (row < 0 || row >= m_integrations.size())
        return std::nullopt;
    return m_integrations.at(row);
}

int IntegrationTableModel::rowOf(qint64 id) const
{
    for (int row = 0; row < m_integrations.size(); ++row) {
        if (m_integrations.at(row).id == id)
            return row;
    }
    return -1;
}

int IntegrationTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_integrations.size());
}

int IntegrationTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : QMetaEnum::fromType<Column>().keyCount();
}

QVariant IntegrationTableModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Integration& integration = m_integrations.at(index.row());
    const auto column = Column(index.column());
    if (role == IdRole)
        return integration.id;
    switch (column) {
    case Column::Name:
        if (role == Qt::DisplayRole || role == SortRole)
            return integration.name;
        if (role == Qt::ToolTipRole)
            return integration.emails.join(QStringLiteral(", "));
        break;
    case Column::Provider:
        if (role == Qt::DisplayRole || role == SortRole)
            return integration.provider;
        break;
    case Column::Status:
        if (role == Qt::DisplayRole)
            return integration.enabled ? tr("Enabled") : tr("Disabled");
        if (role == SortRole)
            return integration.enabled;
        break;
    case Column::Health:
        if (role == Qt::DisplayRole)
            return Integration::healthLabel(integration.health());
        if (role == Qt::DecorationRole)
            return Icons::healthDot(integration.health());
        if (role == SortRole)
            return int(integration.health());
        if (role == Qt::ToolTipRole && !integration.holdReason.isEmpty())
            return integration.holdReason;
        break;
    case Column::StatementUrl:
        if (role == Qt::DisplayRole || role == SortRole)
            return integration.statementUrl.toString();
        break;
    case Column::Queued:
        if (role == Qt::DisplayRole || role == SortRole)
            return m_queued.value(integration.id);
        if (role == Qt::TextAlignmentRole)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        break;
    }
    return {};
}

QVariant IntegrationTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Column::Name:
        return tr("Name");
    case Column::Provider:
        return tr("Provider");
    case Column::Status:
        return tr("Status");
    case Column::Health:
        return tr("Health");
    case Column::StatementUrl:
        return tr("Statement URL");
    case Column::Queued:
        return tr("Queued");
    }
    return {};
}
