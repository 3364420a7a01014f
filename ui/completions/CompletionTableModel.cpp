#include "completions/CompletionTableModel.h"

#include <QMetaEnum>

CompletionTableModel::CompletionTableModel(Store& store, QObject* parent)
    : QAbstractTableModel(parent)
    , m_store(store)
{}

void CompletionTableModel::setFilter(const CompletionFilter& filter)
{
    m_filter = filter;
    reload();
}

void CompletionTableModel::reload()
{
    QString error;
    CompletionStore completions(m_store);
    const int total = std::max(0, completions.count(m_filter, &error));
    QList<CompletionRecord> firstPage = completions.page(m_filter, m_sort, m_descending, PageSize, 0, &error);
    m_changing = true; // views may ask to fetch more while a change is announced: not yet
    beginResetModel();
    m_total = total;
    m_rows = std::move(firstPage);
    endResetModel();
    m_changing = false;
}

std::optional<CompletionRecord> CompletionTableModel::recordAt(int row) const
{
    if (row < 0 || row >= m_rows.size())
        return std::nullopt;
    return m_rows.at(row);
}

int CompletionTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int CompletionTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : QMetaEnum::fromType<Column>().keyCount();
}

bool CompletionTableModel::canFetchMore(const QModelIndex& parent) const
{
    return !parent.isValid() && !m_changing && m_rows.size() < m_total;
}

void CompletionTableModel::fetchMore(const QModelIndex& parent)
{
    if (!canFetchMore(parent))
        return;
    QString error;
    const QList<CompletionRecord> page =
        CompletionStore(m_store).page(m_filter, m_sort, m_descending, PageSize, int(m_rows.size()), &error);
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

void CompletionTableModel::sort(int column, Qt::SortOrder order)
{
    switch (Column(column)) {
    case Column::Content:
        m_sort = CompletionStore::Sort::Content;
        break;
    case Column::User:
        m_sort = CompletionStore::Sort::User;
        break;
    case Column::Score:
        m_sort = CompletionStore::Sort::Score;
        break;
    default:
        m_sort = CompletionStore::Sort::Finished;
        break;
    }
    m_descending = order == Qt::DescendingOrder;
    reload();
}

QVariant CompletionTableModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const CompletionRecord& record = m_rows.at(index.row());
    if (role == Qt::TextAlignmentRole && index.column() >= int(Column::Score) && index.column() <= int(Column::Time))
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(index.column())) {
    case Column::Finished:
        return QDateTime::fromSecsSinceEpoch(record.finishedTimestamp).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    case Column::Content:
        return record.contentId;
    case Column::User:
        return record.userId;
    case Column::Score:
        return record.score;
    case Column::MaxScore:
        return record.maxScore;
    case Column::Time:
        return tr("%1 s").arg(record.completionTime);
    case Column::Source:
        return record.source;
    }
    return {};
}

QVariant CompletionTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Column::Finished:
        return tr("Finished");
    case Column::Content:
        return tr("Content");
    case Column::User:
        return tr("User");
    case Column::Score:
        return tr("Score");
    case Column::MaxScore:
        return tr("Max");
    case Column::Time:
        return tr("Time");
    case Column::Source:
        return tr("Source");
    }
    return {};
}
