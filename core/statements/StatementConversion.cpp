#include "statements/StatementConversion.h"

#include <QJsonArray>
#include <QRegularExpression>

namespace {

void dropContextAgents(QJsonObject& statement, const QString& prefix, QStringList* changes)
{
    QJsonObject context = statement.value(QStringLiteral("context")).toObject();
    bool changed = false;
    for (const QString& name : {QStringLiteral("contextAgents"), QStringLiteral("contextGroups")}) {
        if (!context.contains(name))
            continue;
        const int count = int(context.value(name).toArray().size());
        context.remove(name);
        changed = true;
        *changes << QStringLiteral("removed %1context.%2 (%3 %4)")
                        .arg(prefix, name)
                        .arg(count)
                        .arg(count == 1 ? QStringLiteral("entry") : QStringLiteral("entries"));
    }
    if (!changed)
        return;
    if (context.isEmpty())
        statement.remove(QStringLiteral("context"));
    else
        statement.insert(QStringLiteral("context"), context);
}

void mendTimestamp(QJsonObject& statement, const QString& name, const QString& prefix, QStringList* changes)
{
    static const QRegularExpression spaced(QStringLiteral("^(\\d{4}-\\d{2}-\\d{2}) (\\d{2}:)"));
    const QString value = statement.value(name).toString();
    if (!spaced.match(value).hasMatch())
        return;
    QString mended = value;
    mended[10] = QLatin1Char('T');
    statement.insert(name, mended);
    *changes << QStringLiteral("%1%2: the space before the time replaced by T").arg(prefix, name);
}

} // namespace

QString StatementConversion::Result::summary() const
{
    return changes.isEmpty() ? QString()
                             : QStringLiteral("converted from xAPI 2.0.0 for a 1.0.3 receiver: %1")
                                   .arg(changes.join(QStringLiteral("; ")));
}

StatementConversion::Result StatementConversion::toV103(const QJsonObject& statement)
{
    Result result{statement, {}};
    QJsonObject& converted = result.statement;
    dropContextAgents(converted, QString(), &result.changes);
    mendTimestamp(converted, QStringLiteral("timestamp"), QString(), &result.changes);
    mendTimestamp(converted, QStringLiteral("stored"), QString(), &result.changes);
    QJsonObject object = converted.value(QStringLiteral("object")).toObject();
    if (object.value(QStringLiteral("objectType")).toString() == QLatin1String("SubStatement")) {
        const qsizetype before = result.changes.size();
        dropContextAgents(object, QStringLiteral("object."), &result.changes);
        mendTimestamp(object, QStringLiteral("timestamp"), QStringLiteral("object."), &result.changes);
        if (result.changes.size() != before)
            converted.insert(QStringLiteral("object"), object);
    }
    const QString version = converted.value(QStringLiteral("version")).toString();
    if (version.startsWith(QLatin1String("2.")))
        result.changes << QStringLiteral("version %1 -> 1.0.0").arg(version);
    if (result.converted() && version != QLatin1String("1.0.0")) {
        if (!version.startsWith(QLatin1String("2.")) && !version.isEmpty())
            result.changes << QStringLiteral("version %1 -> 1.0.0").arg(version);
        else if (version.isEmpty())
            result.changes << QStringLiteral("version set to 1.0.0");
        converted.insert(QStringLiteral("version"), QStringLiteral("1.0.0"));
    }
    return result;
}

bool StatementConversion::mayBeV200(QByteArrayView json)
{
    if (json.contains("contextAgents") || json.contains("contextGroups") || json.contains("\"2."))
        return true;
    // A timestamp with a space before the time: "timestamp": "2026-11-22 09:14:32Z".
    for (const QByteArrayView key : {QByteArrayView("\"timestamp\""), QByteArrayView("\"stored\"")}) {
        for (qsizetype at = json.indexOf(key); at >= 0; at = json.indexOf(key, at + 1)) {
            const qsizetype quote = json.indexOf('"', at + key.size());
            if (quote >= 0 && quote + 11 < json.size() && json[quote + 11] == ' ')
                return true;
        }
    }
    return false;
}
