#pragma once

#include "delivery/DeliveryQueue.h"

#include <QAbstractTableModel>
#include <QHash>

class Store;

// Deliveries, fetched from the store a page at a time as the view scrolls: thousands of rows stay smooth and are
// never all in memory at once.
class DeliveryTableModel final : public QAbstractTableModel
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
    void reload();
    int totalCount() const { return m_total; }
    std::optional<Delivery> deliveryAt(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

private:
    Store& m_store;
    DeliveryFilter m_filter;
    QList<Delivery> m_rows;
    QHash<qint64, QString> m_names;
    int m_total = 0;
    bool m_changing = false;
};
