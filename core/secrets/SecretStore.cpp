#include "secrets/SecretStore.h"

QString SecretStore::serviceName()
{
    return QStringLiteral("xapi-courier");
}

QString SecretStore::integrationKey(const QString& integrationUid)
{
    return QStringLiteral("integration/") + integrationUid;
}
