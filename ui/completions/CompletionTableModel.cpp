#include "completions/CompletionTableModel.h"

#include <QMetaEnum>

CompletionTableModel::CompletionTableModel(Store& store, QObject* parent)
    : PagedTableModel(PageSize, parent)
    , m_store(store)
{}

void CompletionTableModel::setFilter(const CompletionFilter& filter)
{
    m_filter = filter;
    reload();
}

int CompletionTableModel::countRows(QString* error) const
{
    return CompletionStore(m_store).count(m_filter, error);
}

QList<CompletionRecord> CompletionTableModel::readRows(int limit, int offset, QString* error) const
{
    return CompletionStore(m_store).page(m_filter, m_sort, m_descending, limit, offset, error);
}

int CompletionTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : QMetaEnum::fromType<Column>().keyCount();
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
    const CompletionRecord& record = row(index.row());
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
