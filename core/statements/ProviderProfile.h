#pragma once

#include "statements/StatementTemplates.h"

#include <QList>
#include <QUrl>

// What a completion says, in the terms every profile needs (a completion record maps onto this).
struct CompletionFacts
{
    QString userId;
    QString userName;
    QString contentId;
    QString contentTitle;
    std::optional<double> score;
    std::optional<double> maxScore;
    std::optional<double> completionSeconds;
    QDateTime finishedAt;
    QString statementId; // empty: a new one
};

// The provider of an integration decides how actor and object are formed: a named set of template choices.
// Built-in profiles are matched by name (case-insensitive); any other provider gets the generic profile, whose ids
// are formed from the integration's statement URL origin.
struct ProviderProfile
{
    QString id;
    QString label;
    TemplateValues::Namespace verbNamespace = TemplateValues::Namespace::Adl;
    QString vendorBase;
    TemplateValues::ActorBy actorBy = TemplateValues::ActorBy::Account;
    QString accountHomePage; // account actors: the system that knows the user
    QString activityBase;    // activity id = activityBase + "/" + contentId
    QString platform;
    QString language = QStringLiteral("en-US");

    static QList<ProviderProfile> builtIns();
    // The profile for an integration's provider; origin is the integration's statement URL.
    static ProviderProfile forProvider(const QString& provider, const QUrl& statementUrl);

    TemplateValues completionValues(const CompletionFacts& facts) const;
};
