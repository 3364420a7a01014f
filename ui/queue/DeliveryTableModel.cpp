#include "queue/DeliveryTableModel.h"

#include <QColor>
#include <QMetaEnum>

DeliveryTableModel::DeliveryTableModel(Store& store, QObject* parent)
    : QAbstractTableModel(parent)
    , m_store(store)
{}

void DeliveryTableModel::setFilter(const DeliveryFilter& filter)
{
    m_filter = filter;
    reload();
}

void DeliveryTableModel::reload()
{
    QString error;
    const int total = std::max(0, DeliveryQueue(m_store).count(m_filter, &error));
    QList<Delivery> firstPage = DeliveryQueue(m_store).list(m_filter, PageSize, 0, &error);
    m_changing = true; // views may ask to fetch more while a change is announced: not yet
    beginResetModel();
    m_total = total;
    m_rows = std::move(firstPage);
    endResetModel();
    m_changing = false;
}

std::optional<Delivery> DeliveryTableModel::deliveryAt(int row) const
{
    if (row < 0 || row >= m_rows.size())
        return std::nullopt;
    return m_rows.at(row);
}

int DeliveryTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int DeliveryTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : QMetaEnum::fromType<Column>().keyCount();
}

bool DeliveryTableModel::canFetchMore(const QModelIndex& parent) const
{
    return !parent.isValid() && !m_changing && m_rows.size() < m_total;
}

void DeliveryTableModel::fetchMore(const QModelIndex& parent)
{
    if (!canFetchMore(parent))
        return;
    QString error;
    const QList<Delivery> page = DeliveryQueue(m_store).list(m_filter, PageSize, int(m_rows.size()), &error);
    if (page.isEmpty()) {
        m_total = int(m_rows.size());
        return;
    }
    m_changing = true;
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + page.size() - 1));
    m_rows << page;
    endInsertRows();
    m_changing = false;
}

QVariant DeliveryTableModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Delivery& delivery = m_rows.at(index.row());
    if (role == IdRole)
        return delivery.id;
    if (role == Qt::ForegroundRole && index.column() == int(Column::State)) {
        if (delivery.state == Delivery::State::Held)
            return QColor(0xc6, 0x28, 0x28);
        if (delivery.state == Delivery::State::Delivered || delivery.state == Delivery::State::Duplicate)
            return QColor(0x2e, 0xa0, 0x43);
    }
    if (role == Qt::ToolTipRole && index.column() == int(Column::LastError))
        return delivery.lastError;
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(index.column())) {
    case Column::Id:
        return delivery.id;
    case Column::Integration:
        return m_names.value(delivery.integrationId, QString::number(delivery.integrationId));
    case Column::Statement:
        return delivery.statementId;
    case Column::State:
        return Delivery::stateName(delivery.state);
    case Column::Attempts:
        return delivery.attempts;
    case Column::LastStatus:
        return delivery.lastStatus ? QVariant(*delivery.lastStatus) : QVariant(QStringLiteral("–"));
    case Column::LastError:
        return delivery.lastError.left(200).replace(QLatin1Char('\n'), QLatin1Char(' '));
    case Column::Created:
        return delivery.createdAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    }
    return {};
}

QVariant DeliveryTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Column::Id:
        return tr("#");
    case Column::Integration:
        return tr("Integration");
    case Column::Statement:
        return tr("Statement id");
    case Column::State:
        return tr("State");
    case Column::Attempts:
        return tr("Tries");
    case Column::LastStatus:
        return tr("Last status");
    case Column::LastError:
        return tr("Last error");
    case Column::Created:
        return tr("Queued at");
    }
    return {};
}
