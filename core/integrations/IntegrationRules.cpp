#include "integrations/IntegrationRules.h"

#include <QHostAddress>
#include <QRegularExpression>

namespace IntegrationRules {
namespace {

FieldIssue error(const QString& field, const QString& message)
{
    return {field, message, FieldIssue::Severity::Error};
}

FieldIssue warning(const QString& field, const QString& message)
{
    return {field, message, FieldIssue::Severity::Warning};
}

void checkRequiredText(FieldIssues& issues, const QString& field, const QString& label, const QString& value,
                       const QString& purpose)
{
    const QString text = value.trimmed();
    if (text.isEmpty())
        issues << error(field, QStringLiteral("%1 is required: %2.").arg(label, purpose));
    else if (text.size() > MaxNameLength)
        issues << error(field, QStringLiteral("%1 is too long (%2 characters); use at most %3.")
                                   .arg(label)
                                   .arg(text.size())
                                   .arg(MaxNameLength));
}

void checkRange(FieldIssues& issues, const QString& field, const QString& label, int value, int min, int max,
                const QString& meaning)
{
    if (value < min || value > max)
        issues << error(field,
                        QStringLiteral("%1 must be between %2 and %3 (%4).").arg(label).arg(min).arg(max).arg(meaning));
}

} // namespace

bool isValidEmail(const QString& email)
{
    // Pragmatic RFC 5322 subset: dot-atom local part, a domain of DNS labels with at least one dot.
    static const QRegularExpression pattern(QStringLiteral(
        R"(^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@)"
        R"([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$)"));
    return email.size() <= 254 && pattern.match(email).hasMatch();
}

bool isLoopbackHost(const QString& host)
{
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0 ||
        host.endsWith(QLatin1String(".localhost"), Qt::CaseInsensitive))
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

QString secretField(Integration::Auth auth)
{
    return auth == Integration::Auth::Basic ? QStringLiteral("password") : QStringLiteral("clientSecret");
}

FieldIssues checkEmails(const QStringList& emails)
{
    FieldIssues issues;
    if (emails.isEmpty()) {
        issues << warning(QStringLiteral("emails"),
                          QStringLiteral("No technical e-mails: nobody will be alerted when deliveries fail."));
    }
    for (const QString& email : emails) {
        if (!isValidEmail(email)) {
            issues << error(QStringLiteral("emails"),
                            QStringLiteral("Technical Emails: “%1” is not a valid e-mail address. Separate several "
                                           "addresses with commas, e.g. ops@example.com, lrs-admin@example.org.")
                                .arg(email));
        }
    }
    return issues;
}

FieldIssues checkUrl(const QString& field, const QString& label, const QUrl& url, const QString& example)
{
    if (url.isEmpty())
        return {error(field, QStringLiteral("%1 is required, e.g. %2.").arg(label, example))};
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || (scheme != QLatin1String("http") && scheme != QLatin1String("https")) ||
        url.host().isEmpty()) {
        return {error(
            field, QStringLiteral("%1 must be an absolute http:// or https:// address, e.g. %2.").arg(label, example))};
    }
    if (!url.userInfo().isEmpty()) {
        return {error(field, QStringLiteral("%1 must not contain a user name or password; enter credentials in their "
                                            "own fields so they are kept in the keychain.")
                                 .arg(label))};
    }
    if (scheme == QLatin1String("http") && !isLoopbackHost(url.host())) {
        return {warning(field, QStringLiteral("%1 uses plain http to %2: statements and tokens travel unencrypted. "
                                              "Use https unless this is a test server.")
                                   .arg(label, url.host()))};
    }
    return {};
}

FieldIssues check(const Integration& integration, bool secretGiven, bool secretRequired)
{
    FieldIssues issues;
    checkRequiredText(issues, QStringLiteral("name"), QStringLiteral("Name"), integration.name,
                      QStringLiteral("give the integration a name people will recognise"));
    checkRequiredText(issues, QStringLiteral("provider"), QStringLiteral("Provider"), integration.provider,
                      QStringLiteral("the provider decides how actor and object are set"));
    issues << checkEmails(integration.emails);
    issues << checkUrl(QStringLiteral("statementUrl"), QStringLiteral("Statement URL"), integration.statementUrl,
                       QStringLiteral("https://lrs.example.com/xapi/statements"));

    checkRange(issues, QStringLiteral("retryInterval"), QStringLiteral("Retry interval"),
               integration.retryIntervalSeconds, 1, 86400,
               QStringLiteral("seconds between probes while the receiver fails"));
    checkRange(issues, QStringLiteral("concurrency"), QStringLiteral("Concurrency"), integration.concurrency, 1, 64,
               QStringLiteral("requests in flight at once"));
    checkRange(issues, QStringLiteral("batchSize"), QStringLiteral("Batch size"), integration.batchSize, 1, 1000,
               QStringLiteral("statements per request"));

    switch (integration.auth) {
    case Integration::Auth::OAuth2:
        issues << checkUrl(QStringLiteral("authUrl"), QStringLiteral("Authentication URL"), integration.authUrl,
                           QStringLiteral("https://auth.example.com/oauth/token"));
        if (integration.clientId.trimmed().isEmpty()) {
            issues << error(QStringLiteral("clientId"),
                            QStringLiteral("Client ID is required for OAuth 2.0: it is sent to the Authentication URL "
                                           "to obtain an access token."));
        }
        if (secretRequired && !secretGiven) {
            issues << error(QStringLiteral("clientSecret"),
                            QStringLiteral("Client Secret is required for OAuth 2.0 when no secret is stored yet."));
        }
        break;
    case Integration::Auth::Basic:
        if (integration.username.trimmed().isEmpty()) {
            issues << error(QStringLiteral("username"),
                            QStringLiteral("Username is required for HTTP Basic authentication."));
        } else if (integration.username.contains(QLatin1Char(':'))) {
            issues << error(QStringLiteral("username"),
                            QStringLiteral("Username must not contain “:” (HTTP Basic separates it from the "
                                           "password with a colon)."));
        }
        if (secretRequired && !secretGiven) {
            issues << error(QStringLiteral("password"),
                            QStringLiteral("Password is required for HTTP Basic when no password is stored yet."));
        }
        break;
    case Integration::Auth::None:
        break;
    }
    return issues;
}

} // namespace IntegrationRules
