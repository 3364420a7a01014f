#include "store/Migrations.h"

namespace Migrations {

const QList<Migration>& all()
{
    static const QList<Migration> migrations = {
        {1,
         QStringLiteral("integrations"),
         {
             QStringLiteral("CREATE TABLE integrations ("
                            " id %ID_PK%,"
                            " uid TEXT NOT NULL UNIQUE,"
                            " name TEXT NOT NULL,"
                            " name_key TEXT NOT NULL UNIQUE,"
                            " provider TEXT NOT NULL,"
                            " provider_key TEXT NOT NULL UNIQUE,"
                            " emails TEXT NOT NULL DEFAULT '',"
                            " statement_url TEXT NOT NULL,"
                            " auth_kind TEXT NOT NULL,"
                            " auth_url TEXT NOT NULL DEFAULT '',"
                            " client_id TEXT NOT NULL DEFAULT '',"
                            " username TEXT NOT NULL DEFAULT '',"
                            " has_secret INTEGER NOT NULL DEFAULT 0,"
                            " enabled INTEGER NOT NULL DEFAULT 1,"
                            " health TEXT NOT NULL DEFAULT 'healthy',"
                            " hold_reason TEXT NOT NULL DEFAULT '',"
                            " next_probe_at BIGINT,"
                            " revision INTEGER NOT NULL DEFAULT 1,"
                            " created_at BIGINT NOT NULL,"
                            " updated_at BIGINT NOT NULL)"),
         }},
        {2,
         QStringLiteral("settings"),
         {
             QStringLiteral("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)"),
         }},
    };
    return migrations;
}

int latestVersion()
{
    return all().constLast().version;
}

QString dialectSql(QString statement, Dialect dialect)
{
    const bool sqlite = dialect == Dialect::Sqlite;
    statement.replace(QLatin1String("%ID_PK%"), sqlite ? QLatin1String("INTEGER PRIMARY KEY AUTOINCREMENT")
                                                       : QLatin1String("BIGSERIAL PRIMARY KEY"));
    return statement;
}

} // namespace Migrations
