#include "store/Transaction.h"

#include "common/Logging.h"
#include "store/SqlDialect.h"
#include "store/Store.h"

#include <QSqlError>
#include <QSqlQuery>

Transaction::Transaction(Store& store)
    : m_store(store)
{
    m_active = exec(SqlDialect::beginWrite(store.dialect()));
}

Transaction::~Transaction()
{
    rollback();
}

bool Transaction::commit()
{
    if (!m_active)
        return false;
    if (!exec(QStringLiteral("COMMIT"))) {
        rollback();
        return false;
    }
    m_active = false;
    return true;
}

void Transaction::rollback()
{
    if (!m_active)
        return;
    m_active = false;
    QSqlQuery query(m_store.database());
    if (!query.exec(QStringLiteral("ROLLBACK")))
        qCWarning(lcStore) << "Rollback failed:" << query.lastError().text();
}

bool Transaction::exec(const QString& sql)
{
    QSqlQuery query(m_store.database());
    if (query.exec(sql))
        return true;
    m_error = Store::describe(query.lastError());
    qCWarning(lcStore) << sql << "failed:" << query.lastError().text();
    return false;
}
