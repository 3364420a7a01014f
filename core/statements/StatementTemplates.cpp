#include "statements/StatementTemplates.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QUuid>

#include <cmath>

namespace StatementTemplates {
namespace {

const QString adlVerbs = QStringLiteral("http://adlnet.gov/expapi/verbs/");
const QString adlActivities = QStringLiteral("http://adlnet.gov/expapi/activities/");

QString verbWord(TemplateValues::Verb verb)
{
    return verb == TemplateValues::Verb::Completed ? QStringLiteral("completed") : QStringLiteral("progressed");
}

QString kindWord(TemplateValues::ObjectKind kind)
{
    return kind == TemplateValues::ObjectKind::Course ? QStringLiteral("course") : QStringLiteral("lesson");
}

QString vendorRoot(const TemplateValues& values)
{
    QString base = values.vendorBase.trimmed();
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    return base;
}

QJsonObject languageMap(const QString& language, const QString& text)
{
    return {{language.isEmpty() ? QStringLiteral("en-US") : language, text}};
}

QJsonObject actor(const TemplateValues& values)
{
    QJsonObject agent{{QStringLiteral("objectType"), QStringLiteral("Agent")}};
    if (!values.actorName.isEmpty())
        agent.insert(QStringLiteral("name"), values.actorName);
    if (values.actorBy == TemplateValues::ActorBy::Mbox) {
        agent.insert(QStringLiteral("mbox"), QString(QStringLiteral("mailto:") + values.actorEmail.trimmed()));
    } else {
        agent.insert(QStringLiteral("account"), QJsonObject{{QStringLiteral("homePage"), values.accountHomePage},
                                                            {QStringLiteral("name"), values.accountName}});
    }
    return agent;
}

QJsonObject object(const TemplateValues& values)
{
    QJsonObject definition{{QStringLiteral("type"), activityType(values)}};
    if (!values.objectName.isEmpty())
        definition.insert(QStringLiteral("name"), languageMap(values.language, values.objectName));
    if (!values.objectDescription.isEmpty())
        definition.insert(QStringLiteral("description"), languageMap(values.language, values.objectDescription));
    if (!values.moreInfo.isEmpty())
        definition.insert(QStringLiteral("moreInfo"), values.moreInfo);
    return {{QStringLiteral("objectType"), QStringLiteral("Activity")},
            {QStringLiteral("id"), values.objectId},
            {QStringLiteral("definition"), definition}};
}

QJsonObject result(const TemplateValues& values)
{
    QJsonObject result;
    if (values.completion)
        result.insert(QStringLiteral("completion"), *values.completion);
    if (values.success)
        result.insert(QStringLiteral("success"), *values.success);
    if (values.durationSeconds)
        result.insert(QStringLiteral("duration"), isoDuration(*values.durationSeconds));
    if (values.scoreRaw) {
        QJsonObject score{{QStringLiteral("raw"), *values.scoreRaw}};
        if (values.scoreMin)
            score.insert(QStringLiteral("min"), *values.scoreMin);
        if (values.scoreMax)
            score.insert(QStringLiteral("max"), *values.scoreMax);
        if (values.scoreMax) {
            if (const auto scaled = scaledScore(*values.scoreRaw, values.scoreMin.value_or(0), *values.scoreMax))
                score.insert(QStringLiteral("scaled"), *scaled);
        }
        result.insert(QStringLiteral("score"), score);
    }
    return result;
}

QJsonObject context(const TemplateValues& values)
{
    QJsonObject context;
    if (!values.platform.isEmpty())
        context.insert(QStringLiteral("platform"), values.platform);
    if (!values.language.isEmpty())
        context.insert(QStringLiteral("language"), values.language);
    if (!values.contextExtensions.isEmpty())
        context.insert(QStringLiteral("extensions"), QJsonObject::fromVariantMap(values.contextExtensions));
    if (!values.instructorEmail.isEmpty()) {
        QJsonObject instructor{{QStringLiteral("objectType"), QStringLiteral("Agent")},
                               {QStringLiteral("mbox"), QString(QStringLiteral("mailto:") + values.instructorEmail)}};
        if (!values.instructorName.isEmpty())
            instructor.insert(QStringLiteral("name"), values.instructorName);
        if (values.xapiVersion == XapiVersion::V2_0_0) {
            QJsonObject contextAgent;
            contextAgent.insert(QStringLiteral("objectType"), QStringLiteral("contextAgent"));
            contextAgent.insert(QStringLiteral("agent"), instructor);
            context.insert(QStringLiteral("contextAgents"), QJsonArray{contextAgent});
        } else {
            context.insert(QStringLiteral("instructor"), instructor);
        }
    }
    return context;
}

} // namespace

QString verbId(const TemplateValues& values)
{
    if (values.verbNamespace == TemplateValues::Namespace::Adl || vendorRoot(values).isEmpty())
        return adlVerbs + verbWord(values.verb);
    return vendorRoot(values) + QStringLiteral("/verbs/") + verbWord(values.verb);
}

QString activityType(const TemplateValues& values)
{
    if (values.verbNamespace == TemplateValues::Namespace::Adl || vendorRoot(values).isEmpty())
        return adlActivities + kindWord(values.objectKind);
    return vendorRoot(values) + QStringLiteral("/types/") + kindWord(values.objectKind);
}

QString isoDuration(double seconds)
{
    if (!(seconds > 0))
        return QStringLiteral("PT0S");
    const qint64 centis = qRound64(seconds * 100);
    const qint64 hours = centis / 360000;
    const qint64 minutes = (centis / 6000) % 60;
    const qint64 wholeSeconds = (centis / 100) % 60;
    const qint64 fraction = centis % 100;
    QString text = QStringLiteral("PT");
    if (hours > 0)
        text += QString::number(hours) + QLatin1Char('H');
    if (minutes > 0)
        text += QString::number(minutes) + QLatin1Char('M');
    if (wholeSeconds > 0 || fraction > 0 || (hours == 0 && minutes == 0)) {
        text += QString::number(wholeSeconds);
        if (fraction > 0)
            text += QLatin1Char('.') + QStringLiteral("%1").arg(fraction, 2, 10, QLatin1Char('0'));
        text += QLatin1Char('S');
    }
    return text;
}

std::optional<double> scaledScore(double raw, double min, double max)
{
    if (!(max > min) || raw < min || raw > max)
        return std::nullopt;
    return std::round((raw - min) / (max - min) * 10000.0) / 10000.0;
}

QJsonObject build(const TemplateValues& values)
{
    const QString verb = verbWord(values.verb);
    QJsonObject statement{
        {QStringLiteral("id"), values.id.isEmpty() ? QUuid::createUuid().toString(QUuid::WithoutBraces) : values.id},
        {QStringLiteral("actor"), actor(values)},
        {QStringLiteral("verb"),
         QJsonObject{{QStringLiteral("id"), verbId(values)},
                     {QStringLiteral("display"), QJsonObject{{QStringLiteral("en-US"), verb}}}}},
        {QStringLiteral("object"), object(values)},
        {QStringLiteral("timestamp"), (values.timestamp.isValid() ? values.timestamp : QDateTime::currentDateTimeUtc())
                                          .toUTC()
                                          .toString(Qt::ISODateWithMs)},
    };
    if (const QJsonObject r = result(values); !r.isEmpty())
        statement.insert(QStringLiteral("result"), r);
    if (const QJsonObject c = context(values); !c.isEmpty())
        statement.insert(QStringLiteral("context"), c);
    return statement;
}

} // namespace StatementTemplates
