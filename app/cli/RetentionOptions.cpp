#include "cli/RetentionOptions.h"

#include <QCommandLineParser>

namespace RetentionOptions {

namespace {
const QString retentionDays = QStringLiteral("retention-days");
const QString keepBodiesDays = QStringLiteral("keep-bodies-days");
} // namespace

QList<QCommandLineOption> options()
{
    return {
        {retentionDays,
         QStringLiteral("Prune delivered statements (bodies and attempts) older than N days, hourly; keep (the "
                        "default) keeps everything."),
         QStringLiteral("N|keep")},
        {keepBodiesDays,
         QStringLiteral("Erase the statement and response bodies of delivered statements older than N days, keeping "
                        "the attempts' status, time and duration; keep (the default) keeps them."),
         QStringLiteral("N|keep")},
    };
}

bool given(const QCommandLineParser& parser)
{
    return parser.isSet(retentionDays) || parser.isSet(keepBodiesDays);
}

bool onlyThese(const QCommandLineParser& parser)
{
    const QStringList ignored = {retentionDays, keepBodiesDays, QStringLiteral("db"), QStringLiteral("json"),
                                 QStringLiteral("verbose")};
    for (const QString& name : parser.optionNames()) {
        if (!ignored.contains(name))
            return false;
    }
    return true;
}

bool apply(const QCommandLineParser& parser, RetentionPolicy* policy, QString* error)
{
    if (parser.isSet(retentionDays) &&
        !RetentionPolicies::parseDays(retentionDays, parser.value(retentionDays), &policy->retentionDays, error))
        return false;
    if (parser.isSet(keepBodiesDays) &&
        !RetentionPolicies::parseDays(keepBodiesDays, parser.value(keepBodiesDays), &policy->keepBodiesDays, error))
        return false;
    return true;
}

} // namespace RetentionOptions
