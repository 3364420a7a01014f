#include "integrations/Integration.h"

#include <QJsonArray>

QJsonObject Integration::toJson() const
{
    QJsonObject json{
        {QStringLiteral("id"), id},
        {QStringLiteral("name"), name},
        {QStringLiteral("provider"), provider},
        {QStringLiteral("emails"), QJsonArray::fromStringList(emails)},
        {QStringLiteral("statementUrl"), statementUrl.toString()},
        {QStringLiteral("auth"), authName(auth)},
        {QStringLiteral("authUrl"), authUrl.toString()},
        {QStringLiteral("clientId"), clientId},
        {QStringLiteral("clientAuth"), clientCredentialsInBody ? QStringLiteral("body") : QStringLiteral("basic")},
        {QStringLiteral("username"), username},
        {QStringLiteral("hasSecret"), hasSecret},
        {QStringLiteral("enabled"), enabled},
        {QStringLiteral("status"), enabled ? QStringLiteral("Enabled") : QStringLiteral("Disabled")},
        {QStringLiteral("health"), healthName(health())},
        {QStringLiteral("holdReason"), holdReason},
        {QStringLiteral("nextProbeAt"),
         nextProbeAt.isValid() ? QJsonValue(nextProbeAt.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue()},
        {QStringLiteral("healthSince"),
         healthSince.isValid() ? QJsonValue(healthSince.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue()},
        {QStringLiteral("failingSince"),
         failingSince.isValid() ? QJsonValue(failingSince.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue()},
        {QStringLiteral("retryInterval"), retryIntervalSeconds},
        {QStringLiteral("concurrency"), concurrency},
        {QStringLiteral("batchSize"), batchSize},
        {QStringLiteral("alerts"), alertsEnabled},
        {QStringLiteral("xapiVersion"), xapiVersion},
        {QStringLiteral("xapiDetected"), xapiDetected.isEmpty() ? QJsonValue() : QJsonValue(xapiDetected)},
        {QStringLiteral("xapiDetectedAt"),
         xapiDetectedAt.isValid() ? QJsonValue(xapiDetectedAt.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue()},
        {QStringLiteral("xapiEffective"), XapiVersions::name(effectiveXapiVersion())},
        {QStringLiteral("revision"), revision},
        {QStringLiteral("createdAt"), createdAt.toUTC().toString(Qt::ISODateWithMs)},
        {QStringLiteral("updatedAt"), updatedAt.toUTC().toString(Qt::ISODateWithMs)},
    };
    return json;
}

QString Integration::authName(Auth auth)
{
    switch (auth) {
    case Auth::OAuth2:
        return QStringLiteral("oauth2");
    case Auth::Basic:
        return QStringLiteral("basic");
    case Auth::None:
        break;
    }
    return QStringLiteral("none");
}

bool Integration::authFromName(const QString& name, Auth* auth)
{
    for (Auth candidate : {Auth::OAuth2, Auth::Basic, Auth::None}) {
        if (name.compare(authName(candidate), Qt::CaseInsensitive) == 0) {
            *auth = candidate;
            return true;
        }
    }
    return false;
}

QString Integration::authLabel(Auth auth)
{
    switch (auth) {
    case Auth::OAuth2:
        return QStringLiteral("OAuth 2.0 client credentials");
    case Auth::Basic:
        return QStringLiteral("HTTP Basic");
    case Auth::None:
        break;
    }
    return QStringLiteral("None");
}

QString Integration::healthName(Health health)
{
    switch (health) {
    case Health::Healthy:
        return QStringLiteral("healthy");
    case Health::Retrying:
        return QStringLiteral("retrying");
    case Health::Held:
        return QStringLiteral("held");
    case Health::Disabled:
        break;
    }
    return QStringLiteral("disabled");
}

Integration::Health Integration::healthFromName(const QString& name)
{
    for (Health candidate : {Health::Healthy, Health::Retrying, Health::Held, Health::Disabled}) {
        if (name == healthName(candidate))
            return candidate;
    }
    return Health::Healthy;
}

QString Integration::healthLabel(Health health)
{
    QString label = healthName(health);
    label[0] = label[0].toUpper();
    return label;
}

QStringList Integration::parseEmails(const QString& commaSeparated)
{
    QStringList emails;
    for (const QString& part : commaSeparated.split(QLatin1Char(','))) {
        const QString email = part.trimmed();
        if (!email.isEmpty() && !emails.contains(email, Qt::CaseInsensitive))
            emails << email;
    }
    return emails;
}

XapiVersion Integration::effectiveXapiVersion() const
{
    const QString& chosen = xapiVersion == QLatin1String("auto") ? xapiDetected : xapiVersion;
    return XapiVersions::parse(chosen).value_or(XapiVersion::V1_0_3);
}
