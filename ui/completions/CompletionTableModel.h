#pragma once

#include "common/PagedTableModel.h"
#include "completions/CompletionStore.h"

// Completion records, a page at a time from the store, sorted and filtered there (each by an index): a million
// records stay smooth.
class CompletionTableModel final : public PagedTableModel<CompletionRecord>
{
    Q_OBJECT

public:
    enum class Column { Finished, Content, User, Score, MaxScore, Time, Source };
    Q_ENUM(Column)
    static constexpr int PageSize = 500;

    explicit CompletionTableModel(Store& store, QObject* parent = nullptr);

    void setFilter(const CompletionFilter& filter);
    const CompletionFilter& filter() const { return m_filter; }
    CompletionStore::Sort sortKey() const { return m_sort; }
    bool isDescending() const { return m_descending; }

    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    void sort(int column, Qt::SortOrder order) override;

private:
    int countRows(QString* error) const override;
    QList<CompletionRecord> readRows(int limit, int offset, QString* error) const override;

    Store& m_store;
    CompletionFilter m_filter;
    CompletionStore::Sort m_sort = CompletionStore::Sort::Finished;
    bool m_descending = true;
};
