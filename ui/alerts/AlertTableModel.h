#pragma once

#include "alerts/AlertLog.h"

#include <QAbstractTableModel>

// Alerts, newest first: time, integration, recipients, subject, state (sent / failed with the SMTP error /
// suppressed by the 24-hour window).
class AlertTableModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum class Column { Time, Integration, Recipients, Subject, State };
    Q_ENUM(Column)
    static constexpr int SortRole = Qt::UserRole;

    explicit AlertTableModel(QObject* parent = nullptr);
    void setAlerts(const QList<AlertRecord>& alerts);
    std::optional<AlertRecord> alertAt(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QList<AlertRecord> m_alerts;
};
