#pragma once

#include <QDateTime>
#include <QString>
#include <QVariant>

#include <optional>

// How values cross into and out of SQL, the same for every table and engine: times as UTC milliseconds since the
// epoch (NULL when unset), texts never NULL in NOT NULL columns.
namespace SqlValues {

// A null QString binds as NULL; NOT NULL text columns want ''.
inline QString text(const QString& value)
{
    return value.isNull() ? QStringLiteral("") : value;
}

inline QVariant time(const QDateTime& value)
{
    return value.isValid() ? QVariant(value.toMSecsSinceEpoch()) : QVariant(QMetaType(QMetaType::LongLong));
}

inline QDateTime toTime(const QVariant& value)
{
    return value.isNull() ? QDateTime() : QDateTime::fromMSecsSinceEpoch(value.toLongLong(), Qt::UTC);
}

inline QVariant optionalInt(const std::optional<int>& value)
{
    return value ? QVariant(*value) : QVariant(QMetaType(QMetaType::Int));
}

} // namespace SqlValues
