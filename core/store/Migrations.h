#pragma once

#include <QList>
#include <QString>
#include <QStringList>

// The versioned schema. Each step moves the store from version - 1 to version; steps are never edited once shipped,
// only appended. SQL text is written once for every engine; the few words that differ are placeholders resolved by
// dialectSql() in one place.
struct Migration
{
    int version = 0;
    QString description;
    QStringList statements;
};

namespace Migrations {
enum class Dialect { Sqlite, PostgreSql };

const QList<Migration>& all();
int latestVersion();
QString dialectSql(QString statement, Dialect dialect);
} // namespace Migrations
