#include "statements/ProviderProfile.h"

QList<ProviderProfile> ProviderProfile::builtIns()
{
    ProviderProfile typsy;
    typsy.id = QStringLiteral("typsy");
    typsy.label = QStringLiteral("Typsy (vendor verbs, actor by account)");
    typsy.verbNamespace = TemplateValues::Namespace::Vendor;
    typsy.vendorBase = QStringLiteral("http://xapi.typsy.com");
    typsy.actorBy = TemplateValues::ActorBy::Account;
    typsy.accountHomePage = QStringLiteral("https://www.typsy.com");
    typsy.activityBase = QStringLiteral("http://xapi.typsy.com/activity");
    typsy.platform = QStringLiteral("Typsy");
    typsy.language = QStringLiteral("en");

    ProviderProfile adlMbox;
    adlMbox.id = QStringLiteral("adl-mbox");
    adlMbox.label = QStringLiteral("ADL verbs, actor by e-mail (mbox)");
    adlMbox.actorBy = TemplateValues::ActorBy::Mbox;
    adlMbox.platform = QStringLiteral("xAPI Courier");

    ProviderProfile adlAccount;
    adlAccount.id = QStringLiteral("adl-account");
    adlAccount.label = QStringLiteral("ADL verbs, actor by account (SSO identifier)");
    adlAccount.actorBy = TemplateValues::ActorBy::Account;
    adlAccount.platform = QStringLiteral("xAPI Courier");

    return {typsy, adlMbox, adlAccount};
}

ProviderProfile ProviderProfile::forProvider(const QString& provider, const QUrl& statementUrl)
{
    const QString origin =
        statementUrl.isValid() && !statementUrl.host().isEmpty()
            ? statementUrl.adjusted(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::RemoveUserInfo)
                  .toString()
            : QStringLiteral("https://xapi-courier.invalid");
    ProviderProfile profile;
    profile.id = provider.trimmed();
    profile.label = QStringLiteral("%1 (ADL verbs, actor by account)").arg(provider.trimmed());
    profile.platform = QStringLiteral("xAPI Courier");
    for (const ProviderProfile& builtIn : builtIns()) {
        if (builtIn.id.compare(provider.trimmed(), Qt::CaseInsensitive) == 0)
            profile = builtIn;
    }
    if (profile.accountHomePage.isEmpty())
        profile.accountHomePage = origin;
    if (profile.activityBase.isEmpty())
        profile.activityBase = origin + QStringLiteral("/activities/h5p");
    return profile;
}

TemplateValues ProviderProfile::completionValues(const CompletionFacts& facts) const
{
    TemplateValues values;
    values.verb = TemplateValues::Verb::Completed;
    values.objectKind = TemplateValues::ObjectKind::Lesson;
    values.verbNamespace = verbNamespace;
    values.vendorBase = vendorBase;
    values.actorBy = actorBy;
    values.actorName = facts.userName;
    values.actorEmail = facts.userId;
    values.accountHomePage = accountHomePage;
    values.accountName = facts.userId;
    values.objectId = activityBase + QLatin1Char('/') + QString::fromLatin1(QUrl::toPercentEncoding(facts.contentId));
    values.objectName = facts.contentTitle;
    values.completion = true;
    values.durationSeconds = facts.completionSeconds;
    if (facts.score) {
        values.scoreRaw = facts.score;
        // xAPI wants max above min: content with nothing to score (maxScore 0) gets the raw score alone.
        if (facts.maxScore > 0) {
            values.scoreMin = 0.0;
            values.scoreMax = facts.maxScore;
        }
    }
    values.platform = platform;
    values.language = language;
    values.id = facts.statementId;
    values.timestamp = facts.finishedAt;
    return values;
}
