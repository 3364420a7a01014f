#include "statements/StatementComparison.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>

namespace StatementComparison {

namespace {

// Properties an LRS assigns or may assign, and attachments: not part of the immutable statement (2.3.1).
const QSet<QString> ignoredAtStatement{QStringLiteral("authority"), QStringLiteral("stored"),
                                       QStringLiteral("version"), QStringLiteral("attachments")};
// Properties whose values are IRIs (scheme and host compare without case) or UUIDs (compare without case).
const QSet<QString> iriKeys{QStringLiteral("id"),       QStringLiteral("openid"), QStringLiteral("homePage"),
                            QStringLiteral("moreInfo"), QStringLiteral("type"),   QStringLiteral("registration")};

bool isUuid(const QString& text)
{
    static const QRegularExpression uuid(
        QStringLiteral("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"));
    return uuid.match(text).hasMatch();
}

QString normalIri(const QString& text)
{
    if (isUuid(text))
        return text.toLower();
    static const QRegularExpression schemeAndHost(QStringLiteral("^([A-Za-z][A-Za-z0-9+.-]*://[^/?#]*)"));
    const QRegularExpressionMatch match = schemeAndHost.match(text);
    if (!match.hasMatch())
        return text;
    return match.captured(1).toLower() + text.mid(match.capturedLength(1));
}

QString normalMbox(const QString& text)
{
    const qsizetype at = text.lastIndexOf(QLatin1Char('@'));
    if (at < 0)
        return text;
    return text.left(at).replace(QRegularExpression(QStringLiteral("^mailto:"), QRegularExpression::CaseInsensitiveOption),
                                 QStringLiteral("mailto:")) +
           text.mid(at).toLower();
}

QString keyPath(const QString& path, const QString& key)
{
    return path.isEmpty() ? key : path + QLatin1Char('.') + key;
}

// Compact JSON (QJsonObject keeps its keys sorted), for comparing the members of a Group as a set.
QString canonical(const QJsonValue& value)
{
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    return QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact));
}

class Comparer
{
public:
    QList<Difference> found;

    void statement(const QJsonObject& sent, const QJsonObject& other, const QString& path)
    {
        QSet<QString> keys;
        for (auto it = sent.begin(); it != sent.end(); ++it)
            keys.insert(it.key());
        for (auto it = other.begin(); it != other.end(); ++it)
            keys.insert(it.key());
        QStringList sorted(keys.begin(), keys.end());
        sorted.sort();
        for (const QString& key : std::as_const(sorted)) {
            if (ignoredAtStatement.contains(key))
                continue;
            const QJsonValue a = sent.value(key);
            const QJsonValue b = other.value(key);
            const QString at = keyPath(path, key);
            if (key == QLatin1String("timestamp")) {
                // May be assigned by the LRS: compared only when both have it, as points in time.
                if (a.isUndefined() || b.isUndefined())
                    continue;
                const QDateTime left = QDateTime::fromString(a.toString(), Qt::ISODateWithMs);
                const QDateTime right = QDateTime::fromString(b.toString(), Qt::ISODateWithMs);
                if (!(left.isValid() && right.isValid() && left == right) && a != b)
                    found << Difference{at, a, b};
                continue;
            }
            if (key == QLatin1String("object") && a.isObject() && b.isObject() &&
                a.toObject().value(QStringLiteral("objectType")) == QLatin1String("SubStatement")) {
                statement(a.toObject(), b.toObject(), at);
                continue;
            }
            value(a, b, at, key);
        }
    }

    void value(const QJsonValue& a, const QJsonValue& b, const QString& path, const QString& key,
               bool extensionKeys = false)
    {
        if (a.isObject() && b.isObject())
            return object(a.toObject(), b.toObject(), path, key, extensionKeys);
        if (a.isArray() && b.isArray())
            return array(a.toArray(), b.toArray(), path, key);
        if (a.isString() && b.isString()) {
            if (text(a.toString(), key) != text(b.toString(), key))
                found << Difference{path, a, b};
            return;
        }
        if (a != b)
            found << Difference{path, a, b};
    }

private:
    static QString text(const QString& value, const QString& key)
    {
        if (key == QLatin1String("mbox"))
            return normalMbox(value);
        if (key == QLatin1String("language"))
            return value.toLower();
        if (iriKeys.contains(key))
            return normalIri(value);
        return value;
    }

    void object(const QJsonObject& a, const QJsonObject& b, const QString& path, const QString& key,
                bool extensionKeys)
    {
        // Extension keys are IRIs: their scheme and host compare without case.
        QHash<QString, QString> left;
        QHash<QString, QString> right;
        for (auto it = a.begin(); it != a.end(); ++it)
            left.insert(extensionKeys ? normalIri(it.key()) : it.key(), it.key());
        for (auto it = b.begin(); it != b.end(); ++it)
            right.insert(extensionKeys ? normalIri(it.key()) : it.key(), it.key());
        QSet<QString> keys;
        for (auto it = left.begin(); it != left.end(); ++it)
            keys.insert(it.key());
        for (auto it = right.begin(); it != right.end(); ++it)
            keys.insert(it.key());
        QStringList sorted(keys.begin(), keys.end());
        sorted.sort();
        for (const QString& normal : std::as_const(sorted)) {
            const QString name = left.value(normal, right.value(normal));
            // The content of Activity Definitions and the display of Verbs are not part of the statement.
            if (!extensionKeys && name == QLatin1String("definition"))
                continue;
            if (!extensionKeys && key == QLatin1String("verb") && name == QLatin1String("display"))
                continue;
            const QJsonValue va = left.contains(normal) ? a.value(left.value(normal)) : QJsonValue(QJsonValue::Undefined);
            const QJsonValue vb = right.contains(normal) ? b.value(right.value(normal)) : QJsonValue(QJsonValue::Undefined);
            const QString at = extensionKeys ? path + QStringLiteral("[\"") + name + QStringLiteral("\"]")
                                             : keyPath(path, name);
            if (extensionKeys)
                value(va, vb, at, QString());
            else
                value(va, vb, at, name, name == QLatin1String("extensions"));
        }
    }

    void array(const QJsonArray& a, const QJsonArray& b, const QString& path, const QString& key)
    {
        if (key == QLatin1String("member")) {
            // The members of a Group are an unordered list.
            QStringList left;
            QStringList right;
            for (const QJsonValue& member : a)
                left << memberText(member);
            for (const QJsonValue& member : b)
                right << memberText(member);
            left.sort();
            right.sort();
            if (left != right)
                found << Difference{path, a, b};
            return;
        }
        const qsizetype common = std::min(a.size(), b.size());
        for (qsizetype i = 0; i < common; ++i)
            value(a.at(i), b.at(i), path + QStringLiteral("[%1]").arg(i), key);
        for (qsizetype i = common; i < a.size(); ++i)
            found << Difference{path + QStringLiteral("[%1]").arg(i), a.at(i), QJsonValue(QJsonValue::Undefined)};
        for (qsizetype i = common; i < b.size(); ++i)
            found << Difference{path + QStringLiteral("[%1]").arg(i), QJsonValue(QJsonValue::Undefined), b.at(i)};
    }

    // A member as it compares: its mbox with the domain in lower case, IRIs with scheme and host in lower case.
    static QString memberText(const QJsonValue& member)
    {
        QJsonObject agent = member.toObject();
        if (agent.contains(QStringLiteral("mbox")))
            agent.insert(QStringLiteral("mbox"), normalMbox(agent.value(QStringLiteral("mbox")).toString()));
        if (agent.contains(QStringLiteral("openid")))
            agent.insert(QStringLiteral("openid"), normalIri(agent.value(QStringLiteral("openid")).toString()));
        QJsonObject account = agent.value(QStringLiteral("account")).toObject();
        if (account.contains(QStringLiteral("homePage"))) {
            account.insert(QStringLiteral("homePage"), normalIri(account.value(QStringLiteral("homePage")).toString()));
            agent.insert(QStringLiteral("account"), account);
        }
        return canonical(agent);
    }
};

} // namespace

QJsonObject Difference::toJson() const
{
    QJsonObject json{{QStringLiteral("path"), path}};
    json.insert(QStringLiteral("sent"), sent.isUndefined() ? QJsonValue() : sent);
    json.insert(QStringLiteral("stored"), other.isUndefined() ? QJsonValue() : other);
    if (sent.isUndefined())
        json.insert(QStringLiteral("sentAbsent"), true);
    if (other.isUndefined())
        json.insert(QStringLiteral("storedAbsent"), true);
    return json;
}

QList<Difference> differences(const QJsonObject& sent, const QJsonObject& other)
{
    Comparer comparer;
    comparer.statement(sent, other, QString());
    return comparer.found;
}

} // namespace StatementComparison
