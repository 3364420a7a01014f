#pragma once

#include "common/PagedTableModel.h"
#include "delivery/DeliveryQueue.h"

#include <QHash>

class Store;

// Deliveries, a page at a time from the store, filtered there.
class DeliveryTableModel final : public PagedTableModel<Delivery>
{
    Q_OBJECT

public:
    enum class Column { Id, Integration, Statement, State, Attempts, LastStatus, LastError, Created };
    Q_ENUM(Column)
    static constexpr int PageSize = 200;
    static constexpr int IdRole = Qt::UserRole + 1;

    DeliveryTableModel(Store& store, QObject* parent = nullptr);

    void setFilter(const DeliveryFilter& filter);
    const DeliveryFilter& filter() const { return m_filter; }
    void setIntegrationNames(const QHash<qint64, QString>& names) { m_names = names; }

    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    int countRows(QString* error) const override;
    QList<Delivery> readRows(int limit, int offset, QString* error) const override;

    Store& m_store;
    DeliveryFilter m_filter;
    QHash<qint64, QString> m_names;
};
