#include "completions/CompletionRecord.h"

#include <QLocale>
#include <QUuid>
#include <QtNumeric>

namespace {

// The namespace of xAPI Courier's completion statement ids (UUID v5).
const QUuid completionNamespace(QStringLiteral("{3f0b2c58-6c7e-4a8e-9d4b-1d2f6a0c9e71}"));

bool number(const QJsonObject& json, const char* field, double* value, FieldIssues* issues, bool required = true)
{
    const QJsonValue raw = json.value(QLatin1String(field));
    if (raw.isUndefined() || raw.isNull() || (raw.isString() && raw.toString().trimmed().isEmpty())) {
        if (required)
            *issues << FieldIssue{QLatin1String(field), QStringLiteral("%1 is missing.").arg(QLatin1String(field))};
        return false;
    }
    bool ok = raw.isDouble();
    *value = ok ? raw.toDouble() : raw.toString().trimmed().toDouble(&ok);
    if (!ok || !qIsFinite(*value)) {
        *issues << FieldIssue{
            QLatin1String(field),
            QStringLiteral("%1 must be a number, not “%2”.").arg(QLatin1String(field), raw.toVariant().toString())};
        return false;
    }
    return true;
}

QString text(const QJsonObject& json, const char* field, FieldIssues* issues)
{
    const QJsonValue raw = json.value(QLatin1String(field));
    // H5P content ids are often numbers: 42 and "42" are the same content.
    const QString value = raw.isDouble() ? QString::number(raw.toDouble(), 'g', QLocale::FloatingPointShortest)
                                         : raw.toString().trimmed();
    if (value.isEmpty())
        *issues << FieldIssue{QLatin1String(field), QStringLiteral("%1 is missing.").arg(QLatin1String(field))};
    else if (value.size() > CompletionRecord::MaxIdLength)
        *issues << FieldIssue{QLatin1String(field), QStringLiteral("%1 is longer than %2 characters.")
                                                        .arg(QLatin1String(field))
                                                        .arg(CompletionRecord::MaxIdLength)};
    return value;
}

// Times are whole seconds: Unix times from 1970 to the end of year 9999 (the years an xAPI timestamp can hold), and
// durations of no more than that; checked before the conversion to an integer, which is undefined outside its range.
QString rangeMessage(const QString& field)
{
    return field == QLatin1String("completionTime")
               ? QStringLiteral("completionTime must be a number of seconds from 0 to %1.")
                     .arg(CompletionRecord::MaxTime)
               : QStringLiteral("%1 must be a Unix time in seconds from 0 (1970-01-01T00:00:00Z) to %2 "
                                "(9999-12-31T23:59:59Z).")
                     .arg(field)
                     .arg(CompletionRecord::MaxTime);
}

bool inRange(double value, const char* field, FieldIssues* issues)
{
    if (value >= 0 && value <= double(CompletionRecord::MaxTime))
        return true;
    *issues << FieldIssue{QLatin1String(field), rangeMessage(QLatin1String(field))};
    return false;
}

} // namespace

QJsonObject CompletionRecord::toJson() const
{
    return {{QStringLiteral("contentId"), contentId},
            {QStringLiteral("userId"), userId},
            {QStringLiteral("score"), score},
            {QStringLiteral("maxScore"), maxScore},
            {QStringLiteral("openedTimestamp"), openedTimestamp},
            {QStringLiteral("finishedTimestamp"), finishedTimestamp},
            {QStringLiteral("completionTime"), completionTime},
            {QStringLiteral("receivedAt"), receivedAt.toUTC().toString(Qt::ISODateWithMs)},
            {QStringLiteral("source"), source},
            {QStringLiteral("statementId"), statementId}};
}

CompletionRecord CompletionRecord::fromWebhookJson(const QJsonObject& json, FieldIssues* issues)
{
    CompletionRecord record;
    record.contentId = text(json, "contentId", issues);
    record.userId = text(json, "userId", issues);
    number(json, "score", &record.score, issues);
    number(json, "maxScore", &record.maxScore, issues);
    double value = 0;
    if (number(json, "openedTimestamp", &value, issues) && inRange(value, "openedTimestamp", issues))
        record.openedTimestamp = qint64(value);
    if (number(json, "finishedTimestamp", &value, issues) && inRange(value, "finishedTimestamp", issues))
        record.finishedTimestamp = qint64(value);
    if (number(json, "completionTime", &value, issues, false)) {
        if (inRange(value, "completionTime", issues))
            record.completionTime = qint64(value);
    } else {
        record.completionTime = std::max<qint64>(0, record.finishedTimestamp - record.openedTimestamp);
    }
    return record;
}

FieldIssues CompletionRecord::check() const
{
    FieldIssues issues;
    if (contentId.trimmed().isEmpty())
        issues << FieldIssue{QStringLiteral("contentId"), QStringLiteral("contentId is missing.")};
    if (userId.trimmed().isEmpty())
        issues << FieldIssue{QStringLiteral("userId"), QStringLiteral("userId is missing.")};
    if (!qIsFinite(score) || !qIsFinite(maxScore))
        issues << FieldIssue{!qIsFinite(score) ? QStringLiteral("score") : QStringLiteral("maxScore"),
                             QStringLiteral("score and maxScore must be finite numbers.")};
    if (score < 0)
        issues << FieldIssue{QStringLiteral("score"), QStringLiteral("score must not be negative.")};
    if (maxScore < 0)
        issues << FieldIssue{QStringLiteral("maxScore"), QStringLiteral("maxScore must not be negative.")};
    if (score > maxScore)
        issues << FieldIssue{QStringLiteral("score"),
                             QStringLiteral("score (%1) is above maxScore (%2).").arg(score).arg(maxScore)};
    for (const auto& [field, value] : {std::pair{QStringLiteral("openedTimestamp"), openedTimestamp},
                                       std::pair{QStringLiteral("finishedTimestamp"), finishedTimestamp},
                                       std::pair{QStringLiteral("completionTime"), completionTime}}) {
        if (value < 0 || value > MaxTime)
            issues << FieldIssue{field, rangeMessage(field)};
    }
    if (finishedTimestamp < openedTimestamp)
        issues << FieldIssue{
            QStringLiteral("finishedTimestamp"),
            QStringLiteral("finished (%1) is before opened (%2).").arg(finishedTimestamp).arg(openedTimestamp)};
    if (completionTime < 0)
        issues << FieldIssue{QStringLiteral("completionTime"), QStringLiteral("completionTime must not be negative.")};
    return issues;
}

QString CompletionRecord::derivedStatementId() const
{
    return QUuid::createUuidV5(completionNamespace,
                               QStringLiteral("%1\n%2\n%3").arg(userId, contentId).arg(finishedTimestamp))
        .toString(QUuid::WithoutBraces);
}
