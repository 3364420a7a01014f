#pragma once

#include "common/FieldIssue.h"
#include "integrations/Integration.h"

// The portal's rules for one integration taken alone (uniqueness across integrations is the service's job).
// Field keys are the JSON/CLI names: name, provider, emails, statementUrl, authUrl, clientId, clientSecret,
// username, password.
namespace IntegrationRules {

// secretGiven: the user typed a new secret; secretRequired: there is no usable stored one (new integration, or the
// authentication kind changed).
FieldIssues check(const Integration& integration, bool secretGiven, bool secretRequired);

FieldIssues checkEmails(const QStringList& emails);
FieldIssues checkUrl(const QString& field, const QString& label, const QUrl& url, const QString& example);
bool isValidEmail(const QString& email);
bool isLoopbackHost(const QString& host);
QString secretField(Integration::Auth auth); // "clientSecret" or "password"
constexpr int MaxNameLength = 100;

} // namespace IntegrationRules
