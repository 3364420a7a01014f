#include "sandbox/SandboxStatements.h"

#include <QAtomicInt>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

namespace {
QAtomicInt connections;

QString iso(const QDateTime& time)
{
    return time.toUTC().toString(Qt::ISODateWithMs);
}

SandboxStatements::Stored readRow(const QSqlQuery& query)
{
    SandboxStatements::Stored row;
    row.sequence = query.value(0).toLongLong();
    row.id = query.value(1).toString();
    row.stored = QDateTime::fromString(query.value(2).toString(), Qt::ISODateWithMs);
    row.voided = query.value(3).toBool();
    row.statement = QJsonDocument::fromJson(query.value(4).toByteArray()).object();
    return row;
}
} // namespace

SandboxStatements::SandboxStatements()
    : m_connection(QStringLiteral("courier-sandbox-%1").arg(connections.fetchAndAddRelaxed(1)))
{}

SandboxStatements::~SandboxStatements()
{
    if (QSqlDatabase::contains(m_connection)) {
        QSqlDatabase::database(m_connection, false).close();
        QSqlDatabase::removeDatabase(m_connection);
    }
}

bool SandboxStatements::isOpen() const
{
    return QSqlDatabase::contains(m_connection) && QSqlDatabase::database(m_connection, false).isOpen();
}

bool SandboxStatements::open(const QString& path, QString* error)
{
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    db.setDatabaseName(path.isEmpty() ? QStringLiteral(":memory:") : path);
    if (!db.open()) {
        *error = QStringLiteral("Cannot open the sandbox's statements file %1: %2").arg(path, db.lastError().text());
        return false;
    }
    m_path = path;
    QSqlQuery query(db);
    if (!query.exec(QStringLiteral("CREATE TABLE IF NOT EXISTS sandbox_statements ("
                                   " sequence INTEGER PRIMARY KEY AUTOINCREMENT,"
                                   " id TEXT NOT NULL UNIQUE,"
                                   " stored TEXT NOT NULL,"
                                   " voided INTEGER NOT NULL DEFAULT 0,"
                                   " body BLOB NOT NULL)"))) {
        *error = QStringLiteral("%1 is not a sandbox statements file: %2").arg(path, query.lastError().text());
        return false;
    }
    return true;
}

bool SandboxStatements::isVoiding(const QJsonObject& statement)
{
    return statement.value(QStringLiteral("verb")).toObject().value(QStringLiteral("id")).toString() ==
               QLatin1String("http://adlnet.gov/expapi/verbs/voided") &&
           statement.value(QStringLiteral("object")).toObject().value(QStringLiteral("objectType")).toString() ==
               QLatin1String("StatementRef");
}

std::optional<SandboxStatements::Stored> SandboxStatements::find(const QString& id, QString* error) const
{
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    query.prepare(QStringLiteral("SELECT sequence, id, stored, voided, body FROM sandbox_statements WHERE id = ?"));
    query.addBindValue(id.toLower());
    if (!query.exec()) {
        *error = query.lastError().text();
        return std::nullopt;
    }
    if (!query.next())
        return std::nullopt;
    return readRow(query);
}

bool SandboxStatements::insert(const QList<QJsonObject>& statements, const QDateTime& stored, QString* error)
{
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    if (!db.transaction()) {
        *error = db.lastError().text();
        return false;
    }
    QSqlQuery insert(db);
    insert.prepare(QStringLiteral("INSERT INTO sandbox_statements (id, stored, body) VALUES (?, ?, ?)"));
    QSqlQuery voiding(db);
    voiding.prepare(QStringLiteral("UPDATE sandbox_statements SET voided = 1 WHERE id = ?"));
    for (const QJsonObject& statement : statements) {
        insert.addBindValue(statement.value(QStringLiteral("id")).toString().toLower());
        insert.addBindValue(iso(stored));
        insert.addBindValue(QJsonDocument(statement).toJson(QJsonDocument::Compact));
        if (!insert.exec()) {
            *error = insert.lastError().text();
            db.rollback();
            return false;
        }
        if (!isVoiding(statement))
            continue;
        // A voiding statement cannot itself be voided (2.3.2); one whose target is missing is kept all the same.
        const QString target = statement.value(QStringLiteral("object")).toObject().value(QStringLiteral("id")).toString();
        const std::optional<Stored> voided = find(target, error);
        if (voided && !isVoiding(voided->statement)) {
            voiding.addBindValue(target.toLower());
            if (!voiding.exec()) {
                *error = voiding.lastError().text();
                db.rollback();
                return false;
            }
        }
    }
    if (!db.commit()) {
        *error = db.lastError().text();
        return false;
    }
    return true;
}

QList<SandboxStatements::Stored> SandboxStatements::list(const Query& query, QString* error) const
{
    QStringList where;
    QVariantList values;
    if (!query.withVoided)
        where << QStringLiteral("voided = 0");
    if (query.since.isValid()) {
        where << QStringLiteral("stored > ?");
        values << iso(query.since);
    }
    if (query.until.isValid()) {
        where << QStringLiteral("stored <= ?");
        values << iso(query.until);
    }
    if (query.after > 0) {
        where << (query.ascending ? QStringLiteral("sequence > ?") : QStringLiteral("sequence < ?"));
        values << query.after;
    }
    QString sql = QStringLiteral("SELECT sequence, id, stored, voided, body FROM sandbox_statements");
    if (!where.isEmpty())
        sql += QStringLiteral(" WHERE ") + where.join(QStringLiteral(" AND "));
    sql += query.ascending ? QStringLiteral(" ORDER BY sequence ASC") : QStringLiteral(" ORDER BY sequence DESC");
    if (query.limit > 0)
        sql += QStringLiteral(" LIMIT %1").arg(query.limit);
    QSqlQuery select(QSqlDatabase::database(m_connection, false));
    select.prepare(sql);
    for (const QVariant& value : std::as_const(values))
        select.addBindValue(value);
    QList<Stored> rows;
    if (!select.exec()) {
        *error = select.lastError().text();
        return rows;
    }
    while (select.next())
        rows << readRow(select);
    return rows;
}

int SandboxStatements::count(QString* error) const
{
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    if (!query.exec(QStringLiteral("SELECT COUNT(*) FROM sandbox_statements")) || !query.next()) {
        *error = query.lastError().text();
        return 0;
    }
    return query.value(0).toInt();
}
