#pragma once

#include "integrations/Integration.h"

#include <QAbstractTableModel>
#include <QHash>

struct LaneStats;

// The integrations table: one row per integration, refreshed from the store as a whole (there are few).
class IntegrationTableModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum class Column { Name, Provider, Status, Health, StatementUrl, Queued };
    Q_ENUM(Column)
    static constexpr int SortRole = Qt::UserRole;
    static constexpr int IdRole = Qt::UserRole + 1;

    explicit IntegrationTableModel(QObject* parent = nullptr);

    void setIntegrations(const QList<Integration>& integrations, const QHash<qint64, int>& queued = {});
    const QList<Integration>& integrations() const { return m_integrations; }
    std::optional<Integration> integrationAt(int row) const;
    int rowOf(qint64 id) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QList<Integration> m_integrations;
    QHash<qint64, int> m_queued;
};
