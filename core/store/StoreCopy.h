#pragma once

#include <QList>
#include <QString>

class Store;

// Copies every row of one store into another, empty one at the same schema version (a single-desktop SQLite file
// into a team PostgreSQL database, for example): table by table in migration order, row by row, ids kept, all in one
// transaction on the target, read from one snapshot of the source; then both sides are counted again. Secrets are
// not rows (the keychain keeps them, keyed by integration uuid), so there is nothing else to move.
class StoreCopy final
{
public:
    struct TableCount
    {
        QString table;
        qint64 rows = 0;
    };
    struct Result
    {
        bool ok = false;
        QString error; // a sentence for a person when !ok
        QList<TableCount> tables;
    };

    StoreCopy(Store& source, Store& target);
    Result run();

    // The rows of every table of a store, in migration order; *error set when one cannot be counted.
    static QList<TableCount> countRows(Store& store, QString* error);

private:
    bool copyTable(const QString& table, qint64* copied, QString* error);

    Store& m_source;
    Store& m_target;
};
