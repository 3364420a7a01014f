#include "erasure/LearnerId.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QRegularExpression>
#include <QUrl>

namespace {

QString sha1Hex(const QString& text)
{
    return QString::fromLatin1(QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Sha1).toHex());
}

} // namespace

std::optional<LearnerId> LearnerId::parse(const QString& text, QString* error)
{
    const QString value = text.trimmed();
    LearnerId id;
    if (value.startsWith(QLatin1String("mailto:"), Qt::CaseInsensitive)) {
        const QString address = value.mid(7).trimmed().toLower();
        if (address.count(QLatin1Char('@')) != 1 || address.startsWith(QLatin1Char('@')) ||
            address.endsWith(QLatin1Char('@'))) {
            *error =
                QStringLiteral("--actor: “%1” is not an e-mail address; write mailto:learner@example.com.").arg(value);
            return std::nullopt;
        }
        id.m_kind = Kind::Mbox;
        id.m_mbox = QStringLiteral("mailto:") + address;
        id.m_sha1 = sha1Hex(id.m_mbox);
        return id;
    }
    if (value.startsWith(QLatin1String("mbox_sha1sum:"), Qt::CaseInsensitive)) {
        static const QRegularExpression hex(QStringLiteral("^[0-9a-f]{40}$"));
        const QString hash = value.mid(13).trimmed().toLower();
        if (!hex.match(hash).hasMatch()) {
            *error = QStringLiteral("--actor: “%1” is not an SHA-1 sum; mbox_sha1sum: takes 40 hexadecimal digits.")
                         .arg(hash);
            return std::nullopt;
        }
        id.m_kind = Kind::Sha1;
        id.m_sha1 = hash;
        return id;
    }
    const qsizetype split = value.indexOf(QLatin1String("::"));
    if (split > 0) {
        const QString homePage = value.left(split).trimmed();
        const QString name = value.mid(split + 2);
        const QUrl url(homePage, QUrl::StrictMode);
        if (!url.isValid() || url.scheme().isEmpty() || name.isEmpty()) {
            *error = QStringLiteral("--actor: “%1” is not an account; write HOMEPAGE::NAME, e.g. "
                                    "https://sso.example.com::ada.")
                         .arg(value);
            return std::nullopt;
        }
        id.m_kind = Kind::Account;
        id.m_homePage = homePage;
        id.m_name = name;
        return id;
    }
    *error = value.isEmpty() ? QStringLiteral("--actor is required: mailto:ADDRESS, ACCOUNT_HOMEPAGE::NAME or "
                                              "mbox_sha1sum:HASH.")
                             : QStringLiteral("--actor: “%1” is none of mailto:ADDRESS, ACCOUNT_HOMEPAGE::NAME or "
                                              "mbox_sha1sum:HASH.")
                                   .arg(value);
    return std::nullopt;
}

QString LearnerId::display() const
{
    switch (m_kind) {
    case Kind::Mbox:
        return m_mbox;
    case Kind::Sha1:
        return QStringLiteral("mbox_sha1sum:") + m_sha1;
    case Kind::Account:
        return m_homePage + QStringLiteral("::") + m_name;
    }
    return {};
}

bool LearnerId::matchesAgent(const QJsonObject& agent) const
{
    if (m_kind == Kind::Account) {
        const QJsonObject account = agent.value(QStringLiteral("account")).toObject();
        return account.value(QStringLiteral("name")).toString() == m_name &&
               account.value(QStringLiteral("homePage")).toString() == m_homePage;
    }
    const QString mbox = agent.value(QStringLiteral("mbox")).toString();
    if (!mbox.isEmpty()) {
        if (m_kind == Kind::Mbox && mbox.trimmed().toLower() == m_mbox)
            return true;
        if (sha1Hex(mbox) == m_sha1 || sha1Hex(mbox.trimmed().toLower()) == m_sha1)
            return true;
    }
    return agent.value(QStringLiteral("mbox_sha1sum")).toString().toLower() == m_sha1;
}

bool LearnerId::matchesGroupOrAgent(const QJsonValue& value) const
{
    const QJsonObject agent = value.toObject();
    if (agent.isEmpty())
        return false;
    if (matchesAgent(agent))
        return true;
    const QJsonArray members = agent.value(QStringLiteral("member")).toArray();
    return std::any_of(members.begin(), members.end(),
                       [this](const QJsonValue& member) { return matchesAgent(member.toObject()); });
}

bool LearnerId::matchesStatement(const QJsonObject& statement) const
{
    if (matchesGroupOrAgent(statement.value(QStringLiteral("actor"))) ||
        matchesGroupOrAgent(statement.value(QStringLiteral("authority"))))
        return true;
    const QJsonObject object = statement.value(QStringLiteral("object")).toObject();
    const QString objectType = object.value(QStringLiteral("objectType")).toString();
    if ((objectType == QLatin1String("Agent") || objectType == QLatin1String("Group")) && matchesGroupOrAgent(object))
        return true;
    if (objectType == QLatin1String("SubStatement") && matchesStatement(object))
        return true;
    const QJsonObject context = statement.value(QStringLiteral("context")).toObject();
    if (matchesGroupOrAgent(context.value(QStringLiteral("instructor"))) ||
        matchesGroupOrAgent(context.value(QStringLiteral("team"))))
        return true;
    for (const QJsonValue& entry : context.value(QStringLiteral("contextAgents")).toArray()) {
        if (matchesGroupOrAgent(entry.toObject().value(QStringLiteral("agent"))))
            return true;
    }
    for (const QJsonValue& entry : context.value(QStringLiteral("contextGroups")).toArray()) {
        if (matchesGroupOrAgent(entry.toObject().value(QStringLiteral("group"))))
            return true;
    }
    return false;
}

bool LearnerId::matchesUserId(const QString& userId) const
{
    switch (m_kind) {
    case Kind::Mbox:
        return QStringLiteral("mailto:") + userId.trimmed().toLower() == m_mbox;
    case Kind::Sha1:
        return sha1Hex(QStringLiteral("mailto:") + userId.trimmed()) == m_sha1 ||
               sha1Hex(QStringLiteral("mailto:") + userId.trimmed().toLower()) == m_sha1;
    case Kind::Account:
        return userId == m_name;
    }
    return false;
}

QStringList LearnerId::needles() const
{
    switch (m_kind) {
    case Kind::Mbox:
        return {m_mbox.mid(7), m_sha1};
    case Kind::Sha1:
        return {m_sha1, QStringLiteral("mailto:")};
    case Kind::Account:
        return {m_name};
    }
    return {};
}
