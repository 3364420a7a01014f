#pragma once

#include "completions/CompletionStore.h"

#include <QAbstractTableModel>

// Completion records, a page at a time from the store, sorted and filtered there (each by an index): a million
// records stay smooth and never all sit in memory.
class CompletionTableModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum class Column { Finished, Content, User, Score, MaxScore, Time, Source };
    Q_ENUM(Column)
    static constexpr int PageSize = 500;

    explicit CompletionTableModel(Store& store, QObject* parent = nullptr);

    void setFilter(const CompletionFilter& filter);
    void reload();
    int totalCount() const { return m_total; }
    std::optional<CompletionRecord> recordAt(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;
    void sort(int column, Qt::SortOrder order) override;

private:
    Store& m_store;
    CompletionFilter m_filter;
    CompletionStore::Sort m_sort = CompletionStore::Sort::Finished;
    bool m_descending = true;
    QList<CompletionRecord> m_rows;
    int m_total = 0;
    bool m_changing = false;
};
