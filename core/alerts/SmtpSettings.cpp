#include "alerts/SmtpSettings.h"

#include "integrations/IntegrationRules.h"
#include "store/Store.h"
#include "store/Transaction.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>

namespace {
const QString settingsKey = QStringLiteral("smtp");
}

FieldIssues SmtpSettings::check() const
{
    FieldIssues issues;
    if (host.trimmed().isEmpty())
        issues << FieldIssue{QStringLiteral("host"), QStringLiteral("SMTP host is required, e.g. smtp.example.com.")};
    if (port < 1 || port > 65535)
        issues << FieldIssue{QStringLiteral("port"), QStringLiteral("Port must be between 1 and 65535 (usually 587 "
                                                                    "for STARTTLS, 465 for TLS, 25 for none).")};
    if (!IntegrationRules::isValidEmail(from.trimmed()))
        issues << FieldIssue{QStringLiteral("from"),
                             QStringLiteral("Sender address “%1” is not a valid e-mail address, e.g. "
                                            "xapi-courier@example.com.")
                                 .arg(from)};
    if (security == Security::None && !IntegrationRules::isLoopbackHost(host.trimmed()) && !user.isEmpty())
        issues << FieldIssue{
            QStringLiteral("security"),
            QStringLiteral("The password would travel unencrypted to %1; choose STARTTLS or TLS.").arg(host),
            FieldIssue::Severity::Warning};
    return issues;
}

QString SmtpSettings::securityName(Security security)
{
    switch (security) {
    case Security::None:
        return QStringLiteral("none");
    case Security::StartTls:
        return QStringLiteral("starttls");
    case Security::Tls:
        break;
    }
    return QStringLiteral("tls");
}

bool SmtpSettings::securityFromName(const QString& name, Security* security)
{
    for (Security candidate : {Security::None, Security::StartTls, Security::Tls}) {
        if (name.compare(securityName(candidate), Qt::CaseInsensitive) == 0) {
            *security = candidate;
            return true;
        }
    }
    return false;
}

QString SmtpSettings::passwordKey()
{
    return QStringLiteral("smtp/password");
}

SmtpSettings SmtpSettings::load(Store& store, QString* error)
{
    SmtpSettings settings;
    QSqlQuery query(store.database());
    query.prepare(QStringLiteral("SELECT value FROM settings WHERE key = ?"));
    query.addBindValue(settingsKey);
    if (!query.exec()) {
        *error = Store::describe(query.lastError());
        return settings;
    }
    if (!query.next())
        return settings;
    const QJsonObject json = QJsonDocument::fromJson(query.value(0).toString().toUtf8()).object();
    settings.host = json.value(QStringLiteral("host")).toString();
    settings.port = json.value(QStringLiteral("port")).toInt(587);
    securityFromName(json.value(QStringLiteral("security")).toString(), &settings.security);
    settings.user = json.value(QStringLiteral("user")).toString();
    settings.from = json.value(QStringLiteral("from")).toString();
    settings.hasPassword = json.value(QStringLiteral("hasPassword")).toBool();
    return settings;
}

bool SmtpSettings::save(Store& store, QString* error) const
{
    const QJsonObject json{{QStringLiteral("host"), host.trimmed()},
                           {QStringLiteral("port"), port},
                           {QStringLiteral("security"), securityName(security)},
                           {QStringLiteral("user"), user},
                           {QStringLiteral("from"), from.trimmed()},
                           {QStringLiteral("hasPassword"), hasPassword}};
    Transaction transaction(store);
    if (!transaction.isActive()) {
        *error = transaction.error();
        return false;
    }
    QSqlQuery query(store.database());
    query.prepare(QStringLiteral("INSERT INTO settings (key, value) VALUES (?, ?) "
                                 "ON CONFLICT (key) DO UPDATE SET value = excluded.value"));
    query.addBindValue(settingsKey);
    query.addBindValue(QString::fromUtf8(QJsonDocument(json).toJson(QJsonDocument::Compact)));
    if (!query.exec()) {
        *error = Store::describe(query.lastError());
        return false;
    }
    if (!transaction.commit()) {
        *error = transaction.error();
        return false;
    }
    return true;
}
