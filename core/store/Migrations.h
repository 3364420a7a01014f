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
// The tables the migrations create, in the order they create them (referenced tables first).
QStringList tables();
// Resolves the placeholders of a statement shared by both engines:
//   %ID_PK%        the auto-numbered BIGINT primary key
//   %KEY_PK%       a BIGINT primary key given by the inserter (not auto-numbered)
//   %WITHOUT_ROWID% at the end of a CREATE TABLE whose primary key is all it is looked up by: the rows are stored
//                  in key order (SQLite's WITHOUT ROWID); nothing on PostgreSQL
//   %BODY_BYTES%   the column body as its UTF-8 bytes: a BLOB on SQLite, read without a detour through UTF-16 and
//                  back; the text on PostgreSQL
//   %ILIKE%        a LIKE that ignores the case of ASCII letters (SQLite's LIKE, PostgreSQL's ILIKE)
//   %OR_FAIL%      after the UPDATE or INSERT of a statement writing many rows in a transaction that is rolled back
//                  on any error: SQLite then keeps no statement journal (copies of every page the statement changes,
//                  spilled to a temporary file past 64 KiB) to undo it alone; nothing on PostgreSQL
//   %IN_IDS%       after a column: is one of a list of ids bound as one value (PreparedSql::addIds), so the text
//                  stays the same for any number of ids: a JSON array on SQLite, an array on PostgreSQL (whose
//                  planner then looks each id up in the column's index)
//   %SKIP_LOCKED%  at the end of a SELECT whose rows are then updated: lock them and skip rows another transaction
//                  locked (PostgreSQL); nothing on SQLite, whose write transaction already excludes other writers
//   %POSTGRESQL_ONLY%  at the start: a statement only PostgreSQL runs; empty (skipped) on SQLite
QString dialectSql(QString statement, Dialect dialect);
} // namespace Migrations
