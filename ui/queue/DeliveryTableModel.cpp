#include "queue/DeliveryTableModel.h"

#include "queue/DuplicateDetail.h"

#include <QColor>
#include <QMetaEnum>

DeliveryTableModel::DeliveryTableModel(Store& store, QObject* parent)
    : PagedTableModel(PageSize, parent)
    , m_store(store)
{}

void DeliveryTableModel::setFilter(const DeliveryFilter& filter)
{
    m_filter = filter;
    reload();
}

int DeliveryTableModel::countRows(QString* error) const
{
    return DeliveryQueue(m_store).count(m_filter, error);
}

QList<Delivery> DeliveryTableModel::readRows(int limit, int offset, QString* error) const
{
    return DeliveryQueue(m_store).list(m_filter, limit, offset, error);
}

int DeliveryTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : QMetaEnum::fromType<Column>().keyCount();
}

QVariant DeliveryTableModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Delivery& delivery = row(index.row());
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
        return DuplicateDetail::stateText(delivery);
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
