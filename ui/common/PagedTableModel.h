#pragma once

#include <QAbstractTableModel>
#include <QList>

#include <optional>

// Rows read from the store a page at a time as the view scrolls (canFetchMore/fetchMore): thousands of rows stay
// smooth and are never all in memory at once. A subclass says how many rows match and reads one page of them; it
// calls reload() when its filter or sort changed or the store did.
template <typename Row> class PagedTableModel : public QAbstractTableModel
{
public:
    void reload()
    {
        QString error;
        const int total = std::max(0, countRows(&error));
        QList<Row> firstPage = readRows(m_pageSize, 0, &error);
        m_changing = true; // views may ask to fetch more while a change is announced: not yet
        beginResetModel();
        m_total = total;
        m_rows = std::move(firstPage);
        endResetModel();
        m_changing = false;
    }

    // All the rows that match, read or not.
    int totalCount() const { return m_total; }

    std::optional<Row> rowAt(int row) const
    {
        if (row < 0 || row >= m_rows.size())
            return std::nullopt;
        return m_rows.at(row);
    }

    int rowCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : int(m_rows.size()); }

    bool canFetchMore(const QModelIndex& parent) const override
    {
        return !parent.isValid() && !m_changing && m_rows.size() < m_total;
    }

    void fetchMore(const QModelIndex& parent) override
    {
        if (!canFetchMore(parent))
            return;
        QString error;
        const QList<Row> page = readRows(m_pageSize, int(m_rows.size()), &error);
        if (page.isEmpty()) {
            m_total = int(m_rows.size()); // fewer than counted: rows went meanwhile
            return;
        }
        m_changing = true;
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + page.size() - 1));
        m_rows << page;
        endInsertRows();
        m_changing = false;
    }

protected:
    PagedTableModel(int pageSize, QObject* parent)
        : QAbstractTableModel(parent)
        , m_pageSize(pageSize)
    {}

    // How many rows match (negative on error, shown as none), and `limit` of them from `offset`.
    virtual int countRows(QString* error) const = 0;
    virtual QList<Row> readRows(int limit, int offset, QString* error) const = 0;

    // A row already read: `index` below rowCount().
    const Row& row(int index) const { return m_rows.at(index); }

private:
    const int m_pageSize;
    QList<Row> m_rows;
    int m_total = 0;
    bool m_changing = false;
};
