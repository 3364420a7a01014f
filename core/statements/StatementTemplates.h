#pragma once

#include "statements/XapiVersion.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QVariantMap>

#include <optional>

// Everything a test or completion statement is made of. The form in the Test Console edits these values; a provider
// profile fills them from a completion record.
struct TemplateValues
{
    enum class Verb { Completed, Progressed };
    enum class ObjectKind { Course, Lesson };
    enum class Namespace { Vendor, Adl };
    enum class ActorBy { Mbox, Account };

    Verb verb = Verb::Completed;
    ObjectKind objectKind = ObjectKind::Course;
    Namespace verbNamespace = Namespace::Adl;
    QString vendorBase; // e.g. http://example.com/xapi — verbs become {vendorBase}/verbs/completed

    ActorBy actorBy = ActorBy::Mbox;
    QString actorName;
    QString actorEmail;      // for mbox (without mailto:)
    QString accountHomePage; // for account
    QString accountName;

    QString objectId; // an IRI
    QString objectName;
    QString objectDescription;
    QString moreInfo;

    std::optional<bool> completion;
    std::optional<bool> success;
    std::optional<double> durationSeconds;
    std::optional<double> scoreRaw;
    std::optional<double> scoreMin;
    std::optional<double> scoreMax;

    // The instructor, when there is one: context.instructor in xAPI 1.0.3, a contextAgent in 2.0.0.
    QString instructorName;
    QString instructorEmail; // without mailto:
    XapiVersion xapiVersion = XapiVersion::V1_0_3;

    QString platform;
    QString language;              // RFC 5646, e.g. en-US
    QVariantMap contextExtensions; // IRI -> value

    QString id;          // empty: a new UUID v4
    QDateTime timestamp; // invalid: now
};

// Builds xAPI 1.0.3 statements (or 2.0.0 ones: the instructor as a contextAgent): completed/progressed ×
// course/lesson, vendor or ADL verbs, actor by mbox or account.
namespace StatementTemplates {

QJsonObject build(const TemplateValues& values);

QString verbId(const TemplateValues& values);
QString activityType(const TemplateValues& values);
// ISO 8601 duration, e.g. PT28M48S (fractions of seconds kept to centiseconds).
QString isoDuration(double seconds);
// score.scaled = (raw - min) / (max - min), rounded to 4 decimals; nullopt when it cannot be computed.
std::optional<double> scaledScore(double raw, double min, double max);

} // namespace StatementTemplates
