#include "statements/StatementRules.h"

#include "statements/FormatChecks.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QVarLengthArray>

#include <algorithm>
#include <array>
#include <initializer_list>

namespace {

// A JSON path built on the stack while walking; turned into text only when something is wrong.
struct Path
{
    const Path* parent = nullptr;
    const char* key = nullptr; // measured only when the text is made
    qsizetype index = -1;
    const QByteArrayView* ownKey = nullptr; // for keys that are data (language tags, extension IRIs)

    Path child(const char* name) const { return Path{this, name, -1, nullptr}; }
    Path at(qsizetype i) const { return Path{this, {}, i, nullptr}; }
    Path keyed(const QByteArrayView& name) const { return Path{this, {}, -1, &name}; }

    QString text() const
    {
        QString result = parent ? parent->text() : QString();
        if (index >= 0)
            return result + QLatin1Char('[') + QString::number(index) + QLatin1Char(']');
        const QString name = ownKey ? QString::fromUtf8(*ownKey) : QString::fromLatin1(key);
        if (name.isEmpty())
            return result;
        if (!result.isEmpty() && !result.endsWith(QLatin1Char('.')))
            result += QLatin1Char('.');
        return result + name;
    }
};

using Text = JsonView::Text;

const QLatin1StringView interactionTypes[] = {QLatin1StringView("true-false"), QLatin1StringView("choice"),
                                              QLatin1StringView("fill-in"),    QLatin1StringView("long-fill-in"),
                                              QLatin1StringView("matching"),   QLatin1StringView("performance"),
                                              QLatin1StringView("sequencing"), QLatin1StringView("likert"),
                                              QLatin1StringView("numeric"),    QLatin1StringView("other")};

// The properties each kind of object may have, with their sizes known at compile time.
constexpr QLatin1StringView actorKeys[] = {QLatin1StringView("objectType"), QLatin1StringView("name"),
                                           QLatin1StringView("mbox"),       QLatin1StringView("mbox_sha1sum"),
                                           QLatin1StringView("openid"),     QLatin1StringView("account"),
                                           QLatin1StringView("member")};
constexpr QLatin1StringView accountKeys[] = {QLatin1StringView("homePage"), QLatin1StringView("name")};
constexpr QLatin1StringView verbKeys[] = {QLatin1StringView("id"), QLatin1StringView("display")};
constexpr QLatin1StringView statementRefKeys[] = {QLatin1StringView("objectType"), QLatin1StringView("id")};
constexpr QLatin1StringView activityKeys[] = {QLatin1StringView("objectType"), QLatin1StringView("id"),
                                              QLatin1StringView("definition")};
constexpr QLatin1StringView definitionKeys[] = {QLatin1StringView("name"),
                                                QLatin1StringView("description"),
                                                QLatin1StringView("type"),
                                                QLatin1StringView("moreInfo"),
                                                QLatin1StringView("extensions"),
                                                QLatin1StringView("interactionType"),
                                                QLatin1StringView("correctResponsesPattern"),
                                                QLatin1StringView("choices"),
                                                QLatin1StringView("scale"),
                                                QLatin1StringView("source"),
                                                QLatin1StringView("target"),
                                                QLatin1StringView("steps")};
constexpr QLatin1StringView componentKeys[] = {QLatin1StringView("id"), QLatin1StringView("description")};
constexpr QLatin1StringView resultKeys[] = {QLatin1StringView("score"),      QLatin1StringView("success"),
                                            QLatin1StringView("completion"), QLatin1StringView("response"),
                                            QLatin1StringView("duration"),   QLatin1StringView("extensions")};
constexpr QLatin1StringView scoreKeys[] = {QLatin1StringView("scaled"), QLatin1StringView("raw"),
                                           QLatin1StringView("min"), QLatin1StringView("max")};
constexpr QLatin1StringView contextKeys[] = {
    QLatin1StringView("registration"),      QLatin1StringView("instructor"), QLatin1StringView("team"),
    QLatin1StringView("contextActivities"), QLatin1StringView("revision"),   QLatin1StringView("platform"),
    QLatin1StringView("language"),          QLatin1StringView("statement"),  QLatin1StringView("extensions"),
    QLatin1StringView("contextAgents"),     QLatin1StringView("contextGroups")};
constexpr QLatin1StringView contextAgentKeys[] = {QLatin1StringView("objectType"), QLatin1StringView("agent"),
                                                  QLatin1StringView("relevantTypes")};
constexpr QLatin1StringView contextGroupKeys[] = {QLatin1StringView("objectType"), QLatin1StringView("group"),
                                                  QLatin1StringView("relevantTypes")};
constexpr QLatin1StringView contextActivityKeys[] = {QLatin1StringView("parent"), QLatin1StringView("grouping"),
                                                     QLatin1StringView("category"), QLatin1StringView("other")};
constexpr QLatin1StringView attachmentKeys[] = {QLatin1StringView("usageType"),   QLatin1StringView("display"),
                                                QLatin1StringView("description"), QLatin1StringView("contentType"),
                                                QLatin1StringView("length"),      QLatin1StringView("sha2"),
                                                QLatin1StringView("fileUrl")};
constexpr QLatin1StringView statementKeys[] = {
    QLatin1StringView("id"),        QLatin1StringView("actor"),       QLatin1StringView("verb"),
    QLatin1StringView("object"),    QLatin1StringView("result"),      QLatin1StringView("context"),
    QLatin1StringView("timestamp"), QLatin1StringView("stored"),      QLatin1StringView("authority"),
    QLatin1StringView("version"),   QLatin1StringView("attachments")};
constexpr QLatin1StringView subStatementKeys[] = {QLatin1StringView("objectType"), QLatin1StringView("actor"),
                                                  QLatin1StringView("verb"),       QLatin1StringView("object"),
                                                  QLatin1StringView("result"),     QLatin1StringView("context"),
                                                  QLatin1StringView("timestamp"),  QLatin1StringView("attachments")};

// A property refused in one kind of object with its own rule and sentence (a SubStatement's id, a statement's
// objectType), instead of the general "not a property here".
struct Refused
{
    QLatin1StringView name;
    const char* rule;
    const char* message;
};

const char* const voidedVerb = "http://adlnet.gov/expapi/verbs/voided";
const char* const signatureUsage = "http://adlnet.gov/expapi/attachments/signature";

bool equalsIgnoringCase(Text text, QLatin1StringView other)
{
    return text.equalsIgnoringCase(other);
}

class Walker;

// The last member of each name (as Qt JSON reads repeated names), in one pass over the object.
template <size_t N>
std::array<JsonView::Value, N> lastOf(const JsonView::Object& object, const QLatin1StringView (&names)[N])
{
    std::array<JsonView::Value, N> found{};
    for (auto member = object.begin(), end = object.end(); member != end; ++member) {
        const Text key = member.key();
        for (size_t i = 0; i < N; ++i) {
            if (key == names[i]) {
                found[i] = member.value();
                break;
            }
        }
    }
    return found;
}

// One pass over an object's properties: unknown names (and wrongly cased ones), repeated names and nulls are
// reported, the known ones remembered by position so that reading them later costs no search.
class Fields
{
public:
    template <qsizetype N>
    Fields(Walker& walker, const JsonView::Object& object, const Path& path, const QLatin1StringView (&names)[N],
           const char* unknownRule = "2.2.s4.b1.b7")
        : Fields(walker, object, path, names, N, nullptr, 0, unknownRule)
    {}
    template <qsizetype N, qsizetype M>
    Fields(Walker& walker, const JsonView::Object& object, const Path& path, const QLatin1StringView (&names)[N],
           const Refused (&refused)[M])
        : Fields(walker, object, path, names, N, refused, M, "2.2.s4.b1.b7")
    {}
    Fields(Walker& walker, const JsonView::Object& object, const Path& path, const QLatin1StringView* names,
           qsizetype count, const Refused* refused, qsizetype refusedCount, const char* unknownRule);

    Q_ALWAYS_INLINE JsonView::Value operator[](const char* name) const
    {
        const qsizetype position = find(name);
        return position < 0 || !found(position) ? JsonView::Value() : m_slots[position].value;
    }
    bool has(const char* name) const { return !(*this)[name].isUndefined(); }

private:
    Q_ALWAYS_INLINE qsizetype find(const char* name) const
    {
        // The rules mostly ask in the order of the names: the one after the last asked for first.
        if (m_next < m_count && m_names[m_next].data() == name)
            return m_next++;
        // The same literal is the same pointer (the compiler merges them); compare text only when it is not.
        for (qsizetype i = 0; i < m_count; ++i) {
            if (m_names[i].data() == name) {
                m_next = i + 1;
                return i;
            }
        }
        for (qsizetype i = 0; i < m_count; ++i) {
            if (m_names[i] == QLatin1StringView(name))
                return i;
        }
        return -1;
    }

    bool found(qsizetype position) const { return (m_found >> position) & 1U; }
    // A member whose name is not one of the names: a finding that says so.
    Q_DECL_COLD_FUNCTION void unknown(Walker& walker, const Text& key, const Path& path, const Refused* refused,
                                      qsizetype refusedCount, const char* unknownRule) const;

    static constexpr qsizetype Capacity = 16;
    // A value by the position of its name in m_names, set only where m_found has its bit (so that making a Fields
    // does not clear them all).
    union Slot {
        Slot() {}
        JsonView::Value value;
    };
    const QLatin1StringView* m_names = nullptr;
    Slot m_slots[Capacity];
    quint32 m_found = 0;
    qsizetype m_count = 0;
    mutable qsizetype m_next = 0;
};

class Walker
{
    friend class Fields;

public:
    Walker(QList<Finding>& findings, int index, const QString& prefix, XapiVersion version)
        : m_findings(findings)
        , m_index(index)
        , m_prefix(prefix)
        , m_version(version)
    {}

    void statement(const JsonView::Object& object, const Path& path, bool sub)
    {
        static constexpr Refused statementRefused[] = {
            {QLatin1StringView("objectType"), "2.2.s4.b1.b7",
             "A statement has no objectType (only a SubStatement does); remove it."}};
        static constexpr Refused subStatementRefused[] = {
            {QLatin1StringView("id"), "2.4.4.3.s8.b3",
             "A SubStatement has no id (only the statement around it has one); remove it."},
            {QLatin1StringView("stored"), "2.4.4.3.s8.b3",
             "A SubStatement has no stored (the LRS sets it on the statement around it); remove it."},
            {QLatin1StringView("version"), "2.4.4.3.s8.b3",
             "A SubStatement has no version (only the statement around it may have one); remove it."},
            {QLatin1StringView("authority"), "2.4.4.3.s8.b3",
             "A SubStatement has no authority (only the statement around it may have one); remove it."}};
        const Fields fields = sub ? Fields(*this, object, path, subStatementKeys, subStatementRefused)
                                  : Fields(*this, object, path, statementKeys, statementRefused);
        for (const char* required : {"actor", "verb", "object"}) {
            if (!fields.has(required))
                report(path.child(required), "2.2.s2.b3",
                       sub ? QStringLiteral("%1 is required in a SubStatement too.").arg(QLatin1String(required))
                           : QStringLiteral("%1 is required in every statement.").arg(QLatin1String(required)));
        }
        if (const JsonView::Value id = fields["id"]; !id.isUndefined())
            uuid(id, path.child("id"), "2.4.1.s1");
        if (const JsonView::Value actor = fields["actor"]; !actor.isUndefined())
            agentOrGroup(actor, path.child("actor"), "2.4.s1.table1.row2");
        const JsonView::Value verbValue = fields["verb"];
        if (!verbValue.isUndefined())
            verb(verbValue, path.child("verb"));
        const bool voiding = !sub && verbValue.isObject() &&
                             verbValue.toObject().value(QLatin1StringView("id")).toString() ==
                                 QLatin1StringView(voidedVerb);
        bool objectIsActivity = false;
        if (const JsonView::Value target = fields["object"]; !target.isUndefined()) {
            if (voiding && target.isObject() &&
                target.toObject().value(QLatin1StringView("objectType")).toString() !=
                    QLatin1StringView("StatementRef"))
                report(path.child("object").child("objectType"), "2.3.2.s2.b1",
                       QStringLiteral("a voiding statement (verb %1) must have a StatementRef as its object: "
                                      "{\"objectType\": \"StatementRef\", \"id\": \"<id of the statement to void>\"}.")
                           .arg(QLatin1StringView(voidedVerb)));
            else
                objectIsActivity = statementObject(target, path.child("object"), sub, voiding);
        }
        if (const JsonView::Value result = fields["result"]; !result.isUndefined())
            this->result(result, path.child("result"));
        if (const JsonView::Value context = fields["context"]; !context.isUndefined())
            this->context(context, path.child("context"), objectIsActivity);
        if (const JsonView::Value value = fields["timestamp"]; !value.isUndefined()) {
            if (timestamp(value, path.child("timestamp")) && !sub)
                notInTheFuture(value.toString(), path.child("timestamp"));
        }
        if (const JsonView::Value value = fields["stored"]; !value.isUndefined())
            timestamp(value, path.child("stored"));
        if (const JsonView::Value authority = fields["authority"]; !authority.isUndefined())
            this->authority(authority, path.child("authority"));
        if (const JsonView::Value version = fields["version"]; !version.isUndefined()) {
            static const QRegularExpression pattern(QStringLiteral("^1\\.0(\\.\\d+)?$"));
            const bool two = version.toString() == QLatin1StringView("2.0.0");
            if (!version.isString() || (!pattern.match(version.toString().toQString()).hasMatch() &&
                                        !(two && m_version == XapiVersion::V2_0_0)))
                report(path.child("version"), "2.4.10.s2.b1",
                       m_version == XapiVersion::V2_0_0
                           ? QStringLiteral("must be 1.0, 1.0.x or 2.0.0, e.g. 2.0.0; or leave it out.")
                       : two ? QStringLiteral("2.0.0 is xAPI 2.0: a 1.0.3 receiver refuses it. Validate and send it "
                                              "as xAPI 2.0.0 (--xapi-version 2.0.0), or set 1.0.0 or leave it out.")
                             : QStringLiteral("must be 1.0 or 1.0.x (this is xAPI 1.0.3), e.g. 1.0.0; or leave it "
                                              "out."));
        }
        if (const JsonView::Value attachments = fields["attachments"]; !attachments.isUndefined())
            this->attachments(attachments, path.child("attachments"));
    }

private:
    void report(const Path& path, const char* rule, const QString& message)
    {
        QString text = path.text();
        if (!m_prefix.isEmpty())
            text = text.isEmpty() ? m_prefix : m_prefix + QLatin1Char('.') + text;
        m_findings << Finding{text.isEmpty() ? QStringLiteral("(statement)") : text, message, m_index,
                              QString::fromLatin1(rule)};
    }

    // what: the object expected, for the finding (made into text only when there is one).
    bool object(const JsonView::Value& value, const Path& path, const char* what, const char* rule)
    {
        return value.isObject() || notObject(value, path, QString::fromUtf8(what), rule);
    }
    bool object(const JsonView::Value& value, const Path& path, const QString& what, const char* rule)
    {
        return value.isObject() || notObject(value, path, what, rule);
    }
    Q_DECL_COLD_FUNCTION bool notObject(const JsonView::Value& value, const Path& path, const QString& what,
                                        const char* rule)
    {
        if (value.isNull())
            report(path, "2.2.s4.b1.b1", QStringLiteral("must not be null; leave the property out instead."));
        else
            report(path, rule, QStringLiteral("must be an object (%1).").arg(what));
        return false;
    }

    void string(const JsonView::Value& value, const Path& path, const char* rule)
    {
        if (!value.isString())
            report(path, rule, QStringLiteral("must be a string."));
    }

    void uuid(const JsonView::Value& value, const Path& path, const char* rule)
    {
        if (!value.isString() || !FormatChecks::isUuid(value.toString().bytes))
            report(path, rule, QStringLiteral("must be a UUID such as f4178dfb-d61c-4a16-8ab3-5b9fccae7d8c."));
    }

    void iri(const JsonView::Value& value, const Path& path, const char* rule)
    {
        if (!value.isString() || !FormatChecks::isIri(value.toString().bytes))
            report(path, rule,
                   QStringLiteral("must be an absolute IRI such as http://adlnet.gov/expapi/verbs/completed."));
    }

    void irl(const JsonView::Value& value, const Path& path, const char* rule)
    {
        if (!value.isString() || !FormatChecks::isIrl(value.toString().bytes))
            report(path, rule, QStringLiteral("must be a URL (an IRL) such as https://example.com/page."));
    }

    // Returns whether it is a timestamp.
    bool timestamp(const JsonView::Value& value, const Path& path)
    {
        if (m_version == XapiVersion::V2_0_0) {
            if (value.isString() && FormatChecks::isRfc3339Timestamp(value.toString().bytes))
                return true;
            if (value.isString() && FormatChecks::isTimestamp(value.toString().bytes)) {
                report(path, "4.5.rfc3339",
                       QStringLiteral("must be an RFC 3339 timestamp with seconds and an offset (Z or ±hh:mm), such "
                                      "as 2026-11-22T09:14:32.577Z: xAPI 2.0.0 asks for the offset."));
                return false;
            }
        } else if (value.isString() && FormatChecks::isTimestamp(value.toString().bytes)) {
            return true;
        }
        const bool unknownOffset = value.isString() && FormatChecks::hasUnknownOffset(value.toString().bytes);
        report(path, "4.5.s1.b1",
               unknownOffset ? QStringLiteral("must not use the offset -00, -0000 or -00:00 (an unknown local "
                                              "offset); for UTC write Z, e.g. 2026-11-22T09:14:32.577Z.")
                             : QStringLiteral("must be an ISO 8601 timestamp such as 2026-11-22T09:14:32.577Z."));
        return false;
    }

    void notInTheFuture(Text text, const Path& path)
    {
        // Clocks differ: only a time more than 15 minutes ahead of this machine's is taken for the future.
        static constexpr qint64 slack = 15 * 60 * 1000;
        const qint64 at = FormatChecks::timestampMsecs(text.bytes);
        if (at != FormatChecks::NoTime && at > QDateTime::currentMSecsSinceEpoch() + slack)
            report(path, "2.4.7.s3.b4",
                   QStringLiteral("is in the future; a statement records what has happened (only a SubStatement's "
                                  "timestamp may be in the future). Check the sender's clock and time zone."));
    }

    void languageMap(const JsonView::Value& value, const Path& path, const char* rule)
    {
        if (!object(value, path, "a language map such as {\"en-US\": \"completed\"}", rule))
            return;
        const JsonView::Object map = value.toObject();
        QVarLengthArray<Text, 16> keys;
        for (auto member = map.begin(), end = map.end(); member != end; ++member) {
            const QByteArrayView tag = member.key().bytes;
            if (!FormatChecks::isLanguageTag(tag))
                report(path.keyed(tag), "4.2.s1",
                       QStringLiteral("is not an RFC 5646 language tag; use one such as en or en-US."));
            if (const JsonView::Value text = member.value(); !text.isString())
                report(path.keyed(tag), text.isNull() ? "2.2.s4.b1.b1" : "4.2.s1",
                       QStringLiteral("must be a string in that language."));
            repeated(keys, member.key(), path);
        }
    }

    void extensions(const JsonView::Value& value, const Path& path)
    {
        if (!object(value, path, "keys are IRIs, values anything", "4.1.s3.b1"))
            return;
        const JsonView::Object map = value.toObject();
        QVarLengthArray<Text, 16> keys;
        for (auto member = map.begin(), end = map.end(); member != end; ++member) {
            const QByteArrayView key = member.key().bytes;
            if (!FormatChecks::isIri(key))
                report(path.keyed(key), "4.1.s3.b1",
                       QStringLiteral("extension keys must be absolute IRIs such as "
                                      "http://example.com/xapi/extensions/score."));
            repeated(keys, member.key(), path);
        }
    }

    // A key of a map (language map, extensions) given before, at an earlier member; keys: the map's keys so far,
    // to which it adds this one.
    void repeated(QVarLengthArray<Text, 16>& keys, const Text& key, const Path& path)
    {
        for (const Text& other : keys) {
            // Keys that are IRIs share their start: the last byte tells most of them apart at once.
            if (other.size() == key.size() && (key.isEmpty() || other.bytes.back() == key.bytes.back()) &&
                other == key) {
                report(path.keyed(key.bytes), "2.2.s2.b2",
                       QStringLiteral("appears more than once in the same object; give each key once (readers keep "
                                      "one of them, which one is not defined)."));
                break;
            }
        }
        keys.append(key);
    }

    // An Agent or a Group (objectType says which; Agent when absent). notObjectRule: the rule of the property that
    // holds it (actor, instructor, ...). memberRule: inside a Group's member list, the rule that refuses a Group there.
    void agentOrGroup(const JsonView::Value& value, const Path& path, const char* notObjectRule,
                      const char* memberRule = nullptr)
    {
        if (!object(value, path, "an Agent or a Group", notObjectRule))
            return;
        const JsonView::Object actor = value.toObject();
        const Fields fields(*this, actor, path, actorKeys);
        const JsonView::Value typeValue = fields["objectType"];
        const Text type = typeValue.toString();
        const bool isGroup = type == QLatin1StringView("Group");
        if (!typeValue.isUndefined() && !isGroup && type != QLatin1StringView("Agent")) {
            const bool caseOnly = typeValue.isString() && (equalsIgnoringCase(type, QLatin1StringView("Agent")) ||
                                                           equalsIgnoringCase(type, QLatin1StringView("Group")));
            report(path.child("objectType"), caseOnly ? "2.2.s4.b1.b6" : "2.4.2.1.s2.table1.row1",
                   QStringLiteral("must be “Agent” or “Group” (case-sensitive)."));
            return;
        }
        if (isGroup && memberRule) {
            report(path.child("objectType"), memberRule, QStringLiteral("a Group's members must be Agents, not Groups."));
            return;
        }
        if (!isGroup && fields.has("member"))
            report(path.child("member"), "2.4.2.2.s2.table1.row1",
                   QStringLiteral("only a Group has members; set objectType to “Group”."));
        if (const JsonView::Value name = fields["name"]; !name.isUndefined() && !name.isNull())
            string(name, path.child("name"), "2.4.2.1.s2.table1.row2");
        const int identifiers = inverseFunctionalIdentifiers(fields, path);
        if (!isGroup) {
            if (identifiers == 0)
                report(path, "2.4.2.1.s2.b1",
                       QStringLiteral("an Agent needs exactly one identifier: mbox, mbox_sha1sum, openid or account."));
            else if (identifiers > 1)
                report(path, "2.4.2.1.s2.b2",
                       QStringLiteral("an Agent must have exactly one identifier (mbox, mbox_sha1sum, openid or "
                                      "account), not %1; keep one.")
                           .arg(identifiers));
            return;
        }
        if (identifiers > 1)
            report(path, "2.4.2.2.s5.b1",
                   QStringLiteral("a Group has at most one identifier (mbox, mbox_sha1sum, openid or account), not "
                                  "%1; keep one.")
                       .arg(identifiers));
        const JsonView::Value members = fields["member"];
        if (identifiers == 0 && members.isUndefined()) {
            report(path.child("member"), "2.4.2.2.s4.b1",
                   QStringLiteral("an anonymous Group (one without an identifier) must list its members."));
            return;
        }
        if (members.isUndefined() || members.isNull())
            return;
        if (!members.isArray()) {
            report(path.child("member"), "2.4.2.2.s2.table1.row3", QStringLiteral("must be an array of Agents."));
            return;
        }
        const JsonView::Array list = members.toArray();
        const Path memberPath = path.child("member");
        if (identifiers == 0 && list.isEmpty())
            report(memberPath, "2.4.2.2.s4.b1", QStringLiteral("an anonymous Group must have at least one member."));
        const char* groupInGroup = identifiers == 0 ? "2.4.2.2.s4.b2" : "2.4.2.2.s5.b2";
        qsizetype i = 0;
        for (const JsonView::Value item : list)
            agentOrGroup(item, memberPath.at(i++), "2.4.2.2.s2.table1.row3", groupInGroup);
    }

    int inverseFunctionalIdentifiers(const Fields& actor, const Path& path)
    {
        int count = 0;
        if (const JsonView::Value mbox = actor["mbox"]; !mbox.isUndefined() && !mbox.isNull()) {
            ++count;
            const Text text = mbox.toString();
            if (!mbox.isString() || !text.startsWith(QLatin1StringView("mailto:")) || !text.contains('@') ||
                text.endsWith('@'))
                report(path.child("mbox"), "2.4.2.3.s3.table1.row1",
                       QStringLiteral("must be a mailto IRI such as mailto:learner@example.com."));
        }
        if (const JsonView::Value sha = actor["mbox_sha1sum"]; !sha.isUndefined() && !sha.isNull()) {
            ++count;
            if (!sha.isString() || !FormatChecks::isSha1(sha.toString().bytes))
                report(path.child("mbox_sha1sum"), "2.4.2.3.s3.table1.row2",
                       QStringLiteral("must be the SHA-1 of the mailto IRI, 40 hexadecimal characters."));
        }
        if (const JsonView::Value openid = actor["openid"]; !openid.isUndefined() && !openid.isNull()) {
            ++count;
            if (!openid.isString() || !FormatChecks::isIri(openid.toString().bytes))
                report(path.child("openid"), "2.4.2.3.s3.table1.row3",
                       QStringLiteral("must be an OpenID URI such as https://openid.example.com/ada."));
        }
        if (const JsonView::Value account = actor["account"]; !account.isUndefined() && !account.isNull()) {
            ++count;
            const Path accountPath = path.child("account");
            if (object(account, accountPath, "{\"homePage\": IRL, \"name\": string}", "2.4.2.3.s3.table1.row4")) {
                const JsonView::Object map = account.toObject();
                const Fields accountFields(*this, map, accountPath, accountKeys);
                const JsonView::Value homePage = accountFields["homePage"];
                if (homePage.isUndefined())
                    report(accountPath.child("homePage"), "2.4.2.4.s2.table1.row1",
                           QStringLiteral("is required: the URL of the system that knows the account."));
                else
                    irl(homePage, accountPath.child("homePage"), "2.4.2.4.s2.table1.row1");
                const JsonView::Value name = accountFields["name"];
                if (name.isUndefined())
                    report(accountPath.child("name"), "2.4.2.4.s2.table1.row2",
                           QStringLiteral("is required: the account's identifier on that system."));
                else
                    string(name, accountPath.child("name"), "2.4.2.4.s2.table1.row2");
            }
        }
        return count;
    }

    // An Agent, or for 3-legged OAuth an Anonymous Group of exactly two Agents (the application and the user).
    void authority(const JsonView::Value& value, const Path& path)
    {
        agentOrGroup(value, path, "2.4.9.s3.b1");
        if (!value.isObject())
            return;
        const JsonView::Object authority = value.toObject();
        if (authority.value(QLatin1StringView("objectType")).toString() != QLatin1StringView("Group"))
            return;
        for (const char* identifier : {"mbox", "mbox_sha1sum", "openid", "account"}) {
            if (authority.contains(QLatin1StringView(identifier))) {
                report(path.child(identifier), "2.4.9.s3.b1",
                       QStringLiteral("an authority that is a Group must be an anonymous Group (no mbox, "
                                      "mbox_sha1sum, openid or account): the OAuth application and the user as its "
                                      "two members. Remove %1, or make the authority one Agent.")
                           .arg(QLatin1StringView(identifier)));
                break;
            }
        }
        const JsonView::Value members = authority.value(QLatin1StringView("member"));
        if (members.isArray() && members.toArray().size() != 2)
            report(path.child("member"), "2.4.9.s3.b1",
                   QStringLiteral("an authority that is a Group has exactly two members (the OAuth application and "
                                  "the user), not %1; or make the authority one Agent.")
                       .arg(members.toArray().size()));
    }

    void verb(const JsonView::Value& value, const Path& path)
    {
        if (!object(value, path, "{\"id\": IRI, \"display\": language map}", "2.4.s1.table1.row3"))
            return;
        const JsonView::Object verb = value.toObject();
        const Fields fields(*this, verb, path, verbKeys);
        const JsonView::Value id = fields["id"];
        if (id.isUndefined())
            report(path.child("id"), "2.4.3.s3.table1.row1",
                   QStringLiteral("is required, e.g. http://adlnet.gov/expapi/verbs/completed."));
        else
            iri(id, path.child("id"), "2.4.3.s3.table1.row1");
        if (const JsonView::Value display = fields["display"]; !display.isUndefined())
            languageMap(display, path.child("display"), "2.4.3.s3.table1.row2");
    }

    // Returns whether the object is an Activity (revision and platform are allowed only then).
    bool statementObject(const JsonView::Value& value, const Path& path, bool insideSubStatement, bool voiding)
    {
        if (!object(value, path, "an Activity, Agent, Group, StatementRef or SubStatement", "2.4.s1.table1.row4"))
            return false;
        const JsonView::Object target = value.toObject();
        // What tells the kind of object, in one pass over its members.
        static constexpr QLatin1StringView telling[] = {
            QLatin1StringView("objectType"), QLatin1StringView("id"),      QLatin1StringView("actor"),
            QLatin1StringView("verb"),       QLatin1StringView("mbox"),    QLatin1StringView("mbox_sha1sum"),
            QLatin1StringView("openid"),     QLatin1StringView("account"), QLatin1StringView("member")};
        const auto found = lastOf(target, telling);
        const JsonView::Value typeValue = found[0];
        const JsonView::Value idValue = found[1];
        if (typeValue.isUndefined() && (!found[2].isUndefined() || !found[3].isUndefined())) {
            report(path.child("objectType"), "2.4.4.3.s8.b1",
                   QStringLiteral("a SubStatement must say so: add \"objectType\": \"SubStatement\"; without it the "
                                  "object is read as an Activity."));
            return false;
        }
        if (typeValue.isUndefined() && FormatChecks::isUuid(idValue.toString().bytes)) {
            report(path.child("objectType"), "2.4.4.3.s4.b1",
                   QStringLiteral("an id that is a UUID refers to a statement: add \"objectType\": \"StatementRef\"; "
                                  "without it the object is read as an Activity, whose id must be an IRI."));
            return false;
        }
        if (typeValue.isUndefined() && idValue.isUndefined()) {
            for (qsizetype agentProperty = 4; agentProperty < 9; ++agentProperty) { // mbox ... member
                if (!found[agentProperty].isUndefined()) {
                    report(path.child("objectType"), "2.4.4.2.s1.b1",
                           QStringLiteral("an Agent or a Group as the object must say so: add \"objectType\": "
                                          "\"Agent\" (or \"Group\"); without it the object is read as an Activity."));
                    return false;
                }
            }
        }
        const Text type = typeValue.isUndefined() ? Text{QByteArrayView("Activity")} : typeValue.toString();
        if (type == QLatin1StringView("Activity")) {
            activity(target, path);
            return true;
        }
        if (type == QLatin1StringView("Agent") || type == QLatin1StringView("Group")) {
            agentOrGroup(value, path, "2.4.s1.table1.row4");
        } else if (type == QLatin1StringView("StatementRef")) {
            statementRef(target, path, voiding ? "2.3.2.s2.b2" : "2.4.4.3.s4.b2");
        } else if (type == QLatin1StringView("SubStatement")) {
            if (insideSubStatement)
                report(path.child("objectType"), "2.4.4.3.s8.b4",
                       QStringLiteral("a SubStatement cannot contain another SubStatement."));
            else
                statement(target, path, true);
        } else {
            bool caseOnly = false;
            for (const char* known : {"Activity", "Agent", "Group", "StatementRef", "SubStatement"})
                caseOnly |= typeValue.isString() && equalsIgnoringCase(type, QLatin1StringView(known));
            report(path.child("objectType"), caseOnly ? "2.2.s4.b1.b6" : "2.4.4.s2",
                   QStringLiteral("must be Activity, Agent, Group, StatementRef or SubStatement (case-sensitive)."));
        }
        return false;
    }

    void statementRef(const JsonView::Object& ref, const Path& path, const char* idRule)
    {
        const Fields fields(*this, ref, path, statementRefKeys);
        if (fields["objectType"].toString() != QLatin1StringView("StatementRef"))
            report(path.child("objectType"), "2.4.4.3.s4.b1", QStringLiteral("must be “StatementRef”."));
        const JsonView::Value id = fields["id"];
        if (id.isUndefined())
            report(path.child("id"), idRule, QStringLiteral("is required: the id of the statement referred to."));
        else
            uuid(id, path.child("id"), idRule);
    }

    void activity(const JsonView::Object& activity, const Path& path)
    {
        const Fields fields(*this, activity, path, activityKeys);
        const JsonView::Value id = fields["id"];
        if (id.isUndefined())
            report(path.child("id"), "2.4.4.1.s1.table1.row2", QStringLiteral("is required: the Activity's IRI."));
        else
            iri(id, path.child("id"), "2.4.4.1.s1.table1.row2");
        const JsonView::Value definition = fields["definition"];
        if (definition.isUndefined() || definition.isNull())
            return;
        const Path definitionPath = path.child("definition");
        if (!object(definition, definitionPath, "an Activity definition", "2.4.4.1.s1.table1.row3"))
            return;
        const JsonView::Object map = definition.toObject();
        const Fields definitionFields(*this, map, definitionPath, definitionKeys);
        if (const JsonView::Value text = definitionFields["name"]; !text.isUndefined())
            languageMap(text, definitionPath.child("name"), "2.4.4.1.s2.table1.row1");
        if (const JsonView::Value text = definitionFields["description"]; !text.isUndefined())
            languageMap(text, definitionPath.child("description"), "2.4.4.1.s2.table1.row2");
        if (const JsonView::Value type = definitionFields["type"]; !type.isUndefined())
            iri(type, definitionPath.child("type"), "2.4.4.1.s2.table1.row3");
        if (const JsonView::Value moreInfo = definitionFields["moreInfo"]; !moreInfo.isUndefined())
            irl(moreInfo, definitionPath.child("moreInfo"), "2.4.4.1.s2.table1.row4");
        if (const JsonView::Value ext = definitionFields["extensions"]; !ext.isUndefined())
            extensions(ext, definitionPath.child("extensions"));
        interaction(definitionFields, definitionPath);
    }

    void interaction(const Fields& definition, const Path& path)
    {
        const JsonView::Value typeValue = definition["interactionType"];
        Text type;
        if (!typeValue.isUndefined()) {
            type = typeValue.toString();
            bool known = false;
            bool caseOnly = false;
            for (QLatin1StringView candidate : interactionTypes)
                known |= type == candidate;
            for (QLatin1StringView candidate : interactionTypes)
                caseOnly |= !known && typeValue.isString() && equalsIgnoringCase(type, candidate);
            if (!known)
                report(path.child("interactionType"), caseOnly ? "2.2.s4.b1.b6" : "2.4.4.1.s13.b1",
                       QStringLiteral("must be one of true-false, choice, fill-in, long-fill-in, matching, "
                                      "performance, sequencing, likert, numeric or other (case-sensitive)."));
        }
        if (const JsonView::Value pattern = definition["correctResponsesPattern"]; !pattern.isUndefined()) {
            const Path patternPath = path.child("correctResponsesPattern");
            if (typeValue.isUndefined())
                report(patternPath, "2.4.4.1.s13.b1",
                       QStringLiteral("is allowed only with an interactionType; add one (e.g. \"choice\")."));
            if (!pattern.isArray()) {
                report(patternPath, "2.4.4.1.s8.table1.row2", QStringLiteral("must be an array of strings."));
            } else {
                const JsonView::Array list = pattern.toArray();
                qsizetype i = 0;
                for (const JsonView::Value item : list) {
                    if (!item.isString())
                        report(patternPath.at(i), "2.4.4.1.s8.table1.row2", QStringLiteral("must be a string."));
                    ++i;
                }
            }
        }
        const struct
        {
            const char* name;
            std::initializer_list<const char*> types;
        } components[] = {{"choices", {"choice", "sequencing"}},
                          {"scale", {"likert"}},
                          {"source", {"matching"}},
                          {"target", {"matching"}},
                          {"steps", {"performance"}}};
        for (const auto& component : components) {
            const JsonView::Value list = definition[component.name];
            if (list.isUndefined())
                continue;
            const Path listPath = path.child(component.name);
            bool fits = false;
            for (const char* allowedType : component.types)
                fits |= type == QLatin1StringView(allowedType);
            if (typeValue.isUndefined())
                report(listPath, "2.4.4.1.s13.b1",
                       QStringLiteral("is allowed only with an interactionType (%1).")
                           .arg(QLatin1StringView(*component.types.begin())));
            else if (!fits)
                report(listPath, "2.4.4.1.s15.table2",
                       QStringLiteral("is not allowed for interactionType “%1”.").arg(type.toQString()));
            if (!list.isArray()) {
                report(listPath, "2.4.4.1.s15.table2", QStringLiteral("must be an array of interaction components."));
                continue;
            }
            const JsonView::Array items = list.toArray();
            qsizetype i = -1;
            for (const JsonView::Value itemValue : items) {
                const Path itemPath = listPath.at(++i);
                if (!object(itemValue, itemPath, "{\"id\": string, \"description\": language map}",
                            "2.4.4.1.s15.table1.row1"))
                    continue;
                const JsonView::Object item = itemValue.toObject();
                const Fields itemFields(*this, item, itemPath, componentKeys);
                const JsonView::Value id = itemFields["id"];
                if (id.isUndefined())
                    report(itemPath.child("id"), "2.4.4.1.s15.table1.row1", QStringLiteral("is required."));
                else
                    string(id, itemPath.child("id"), "2.4.4.1.s15.table1.row1");
                if (id.isString()) {
                    qsizetype j = 0;
                    for (auto earlier = items.begin(); j < i; ++earlier, ++j) {
                        if ((*earlier).isObject() &&
                            (*earlier).toObject().value(QLatin1StringView("id")).toString().bytes ==
                                id.toString().bytes) {
                            report(itemPath.child("id"), "2.4.4.1.s16.b1",
                                   QStringLiteral("“%1” is the id of %2[%3] too; the ids in one list must differ.")
                                       .arg(id.toString().toQString(), QLatin1StringView(component.name))
                                       .arg(j));
                            break;
                        }
                    }
                }
                if (const JsonView::Value description = itemFields["description"]; !description.isUndefined())
                    languageMap(description, itemPath.child("description"), "2.4.4.1.s15.table1.row1");
            }
        }
    }

    void result(const JsonView::Value& value, const Path& path)
    {
        if (!object(value, path, "a Result", "2.4.5.s2.table1.row1"))
            return;
        const JsonView::Object result = value.toObject();
        const Fields fields(*this, result, path, resultKeys);
        for (const char* name : {"success", "completion"}) {
            const JsonView::Value flag = fields[name];
            if (!flag.isUndefined() && !flag.isNull() && !flag.isBool())
                report(path.child(name), "2.2.s4.b1.b3",
                       QStringLiteral("must be true or false (a JSON boolean, not a string)."));
        }
        if (const JsonView::Value response = fields["response"]; !response.isUndefined())
            string(response, path.child("response"), "2.4.5.s2.table1.row4");
        if (const JsonView::Value duration = fields["duration"]; !duration.isUndefined()) {
            if (!duration.isString() || !FormatChecks::isDuration(duration.toString().bytes))
                report(path.child("duration"), "4.6.s1.b1",
                       QStringLiteral("must be an ISO 8601 duration such as PT28M48S (or P4W, weeks alone)."));
        }
        if (const JsonView::Value ext = fields["extensions"]; !ext.isUndefined())
            extensions(ext, path.child("extensions"));
        const JsonView::Value scoreValue = fields["score"];
        if (scoreValue.isUndefined())
            return;
        const Path scorePath = path.child("score");
        if (!object(scoreValue, scorePath, "a Score", "2.4.5.s2.table1.row1"))
            return;
        const JsonView::Object score = scoreValue.toObject();
        const Fields scoreFields(*this, score, scorePath, scoreKeys);
        for (const char* name : {"scaled", "raw", "min", "max"}) {
            const JsonView::Value number = scoreFields[name];
            if (!number.isUndefined() && !number.isNull() && !number.isDouble())
                report(scorePath.child(name), "2.2.s4.b1.b2",
                       QStringLiteral("must be a number (a JSON number, not a string)."));
        }
        const JsonView::Value scaled = scoreFields["scaled"];
        if (scaled.isDouble() && (scaled.toDouble() < -1 || scaled.toDouble() > 1))
            report(scorePath.child("scaled"), "2.4.5.1.s2.table1.row1", QStringLiteral("must be between -1 and 1."));
        const JsonView::Value raw = scoreFields["raw"];
        const JsonView::Value min = scoreFields["min"];
        const JsonView::Value max = scoreFields["max"];
        if (min.isDouble() && max.isDouble() && !(min.toDouble() < max.toDouble()))
            report(scorePath.child("min"), "2.4.5.1.s2.table1.row3", QStringLiteral("must be less than max."));
        if (raw.isDouble() && min.isDouble() && raw.toDouble() < min.toDouble())
            report(scorePath.child("raw"), "2.4.5.1.s2.table1.row2", QStringLiteral("must not be less than min."));
        if (raw.isDouble() && max.isDouble() && raw.toDouble() > max.toDouble())
            report(scorePath.child("raw"), "2.4.5.1.s2.table1.row2", QStringLiteral("must not be more than max."));
    }

    void context(const JsonView::Value& value, const Path& path, bool objectIsActivity)
    {
        if (!object(value, path, "a Context", "2.4.6.s3.table1.row1"))
            return;
        const JsonView::Object context = value.toObject();
        const Fields fields(*this, context, path, contextKeys);
        if (const JsonView::Value registration = fields["registration"]; !registration.isUndefined())
            uuid(registration, path.child("registration"), "2.4.6.s3.table1.row1");
        if (const JsonView::Value instructor = fields["instructor"]; !instructor.isUndefined())
            agentOrGroup(instructor, path.child("instructor"), "2.4.6.s3.table1.row2");
        if (const JsonView::Value team = fields["team"]; !team.isUndefined()) {
            if (team.isObject() &&
                team.toObject().value(QLatin1StringView("objectType")).toString() != QLatin1StringView("Group"))
                report(path.child("team").child("objectType"), "2.4.6.s3.table1.row3",
                       QStringLiteral("a team must be a Group (objectType “Group”)."));
            else
                agentOrGroup(team, path.child("team"), "2.4.6.s3.table1.row3");
        }
        for (const auto& [name, rule] : {std::pair{"revision", "2.4.6.s4.b1"}, std::pair{"platform", "2.4.6.s4.b2"}}) {
            const JsonView::Value text = fields[name];
            if (text.isUndefined())
                continue;
            string(text, path.child(name), "2.4.6.s3.table1.row5");
            if (!objectIsActivity)
                report(path.child(name), rule,
                       QStringLiteral("is allowed only when the statement's object is an Activity; remove it."));
        }
        if (const JsonView::Value language = fields["language"]; !language.isUndefined()) {
            if (!language.isString() || !FormatChecks::isLanguageTag(language.toString().bytes))
                report(path.child("language"), "2.4.6.s3.table1.row7",
                       QStringLiteral("must be an RFC 5646 language tag such as en-US."));
        }
        if (const JsonView::Value statementRef = fields["statement"]; !statementRef.isUndefined()) {
            if (object(statementRef, path.child("statement"), "a StatementRef", "2.4.6.s3.table1.row8"))
                this->statementRef(statementRef.toObject(), path.child("statement"), "2.4.4.3.s4.b2");
        }
        if (const JsonView::Value ext = fields["extensions"]; !ext.isUndefined())
            extensions(ext, path.child("extensions"));
        for (const bool groups : {false, true}) {
            const char* name = groups ? "contextGroups" : "contextAgents";
            const JsonView::Value list = fields[name];
            if (list.isUndefined() || list.isNull())
                continue;
            if (m_version == XapiVersion::V1_0_3)
                report(path.child(name), "2.2.s4.b1.b7",
                       QStringLiteral("is xAPI 2.0.0, not a property of 1.0.3: a 1.0.3 receiver refuses the statement. "
                                      "Send it as xAPI 2.0.0 (--xapi-version 2.0.0, to an integration of 2.0.0), or "
                                      "say it in 1.0.3 terms (context.instructor, context.team) and remove it."));
            else
                contextAgents(list, path.child(name), groups);
        }
        const JsonView::Value activitiesValue = fields["contextActivities"];
        if (activitiesValue.isUndefined())
            return;
        const Path activitiesPath = path.child("contextActivities");
        if (!object(activitiesValue, activitiesPath, "parent, grouping, category, other", "2.4.6.2.s4.b1"))
            return;
        const JsonView::Object activities = activitiesValue.toObject();
        const Fields activityLists(*this, activities, activitiesPath, contextActivityKeys, "2.4.6.2.s4.b1");
        for (const char* name : {"parent", "grouping", "category", "other"}) {
            const JsonView::Value list = activityLists[name];
            if (list.isUndefined() || list.isNull())
                continue;
            const Path listPath = activitiesPath.child(name);
            if (list.isObject()) {
                contextActivity(list, listPath);
            } else if (list.isArray()) {
                qsizetype i = 0;
                for (const JsonView::Value item : list.toArray())
                    contextActivity(item, listPath.at(i++));
            } else {
                report(listPath, "2.4.6.2.s4.b2", QStringLiteral("must be an Activity or an array of Activities."));
            }
        }
    }

    // xAPI 2.0.0: contextAgents (or contextGroups), an array of {"objectType": "contextAgent", "agent": Agent,
    // "relevantTypes": [IRI, ...]} (or "contextGroup" with "group"), relevantTypes optional but never empty.
    void contextAgents(const JsonView::Value& value, const Path& path, bool groups)
    {
        const char* rule = groups ? "2.4.6.contextGroups" : "2.4.6.contextAgents";
        const QLatin1StringView objectType(groups ? "contextGroup" : "contextAgent");
        if (!value.isArray()) {
            report(path, rule,
                   QStringLiteral("must be an array of %1 objects, e.g. [{\"objectType\": \"%1\", \"%2\": {...}}].")
                       .arg(objectType, QLatin1StringView(groups ? "group" : "agent")));
            return;
        }
        qsizetype i = -1;
        for (const JsonView::Value itemValue : value.toArray()) {
            const Path itemPath = path.at(++i);
            if (!object(itemValue, itemPath, QStringLiteral("a %1").arg(objectType), rule))
                continue;
            const JsonView::Object item = itemValue.toObject();
            const Fields fields = groups ? Fields(*this, item, itemPath, contextGroupKeys, rule)
                                         : Fields(*this, item, itemPath, contextAgentKeys, rule);
            if (fields["objectType"].toString() != objectType)
                report(itemPath.child("objectType"), rule, QStringLiteral("must be “%1”.").arg(objectType));
            const char* member = groups ? "group" : "agent";
            const JsonView::Value who = fields[member];
            if (who.isUndefined()) {
                report(itemPath.child(member), rule,
                       groups ? QStringLiteral("is required: the Group (objectType “Group”).")
                              : QStringLiteral("is required: the Agent."));
            } else if (groups) {
                if (who.isObject() &&
                    who.toObject().value(QLatin1StringView("objectType")).toString() != QLatin1StringView("Group"))
                    report(itemPath.child("group").child("objectType"), rule,
                           QStringLiteral("must be “Group”: a contextGroup holds a Group."));
                else
                    agentOrGroup(who, itemPath.child("group"), rule);
            } else {
                if (who.isObject() &&
                    who.toObject().value(QLatin1StringView("objectType")).toString() == QLatin1StringView("Group"))
                    report(itemPath.child("agent").child("objectType"), rule,
                           QStringLiteral("a contextAgent holds an Agent; put a Group in contextGroups."));
                else
                    agentOrGroup(who, itemPath.child("agent"), rule);
            }
            const JsonView::Value types = fields["relevantTypes"];
            if (types.isUndefined() || types.isNull())
                continue;
            const Path typesPath = itemPath.child("relevantTypes");
            if (!types.isArray() || types.toArray().isEmpty()) {
                report(typesPath, "2.4.6.relevantTypes",
                       QStringLiteral("must be a non-empty array of IRIs, or left out."));
                continue;
            }
            const JsonView::Array typeList = types.toArray();
            qsizetype t = 0;
            for (const JsonView::Value type : typeList)
                iri(type, typesPath.at(t++), "2.4.6.relevantTypes");
        }
    }

    void contextActivity(const JsonView::Value& value, const Path& path)
    {
        if (!object(value, path, "an Activity", "2.4.6.2.s4.b2"))
            return;
        const JsonView::Object item = value.toObject();
        const JsonView::Value type = item.value(QLatin1StringView("objectType"));
        if (!type.isUndefined() && type.toString() != QLatin1StringView("Activity"))
            report(path.child("objectType"), "2.4.4.1.s1.table1.row1",
                   QStringLiteral("context activities must be Activities (objectType “Activity”, or none)."));
        else
            activity(item, path);
    }

    void attachments(const JsonView::Value& value, const Path& path)
    {
        if (!value.isArray()) {
            report(path, "2.4.s1.table1.row11", QStringLiteral("must be an array of attachment descriptions."));
            return;
        }
        qsizetype i = -1;
        for (const JsonView::Value itemValue : value.toArray()) {
            const Path itemPath = path.at(++i);
            if (!object(itemValue, itemPath, "an Attachment", "2.4.s1.table1.row11"))
                continue;
            const JsonView::Object attachment = itemValue.toObject();
            const Fields fields(*this, attachment, itemPath, attachmentKeys);
            for (const auto& [required, rule] :
                 {std::pair{"usageType", "2.4.11.s2.table1.row1"}, std::pair{"display", "2.4.11.s2.table1.row2"},
                  std::pair{"contentType", "2.4.11.s2.table1.row4"}, std::pair{"length", "2.4.11.s2.table1.row5"},
                  std::pair{"sha2", "2.4.11.s2.table1.row6"}}) {
                if (!fields.has(required))
                    report(itemPath.child(required), rule, QStringLiteral("is required in an attachment."));
            }
            const JsonView::Value usage = fields["usageType"];
            if (!usage.isUndefined())
                iri(usage, itemPath.child("usageType"), "2.4.11.s2.table1.row1");
            if (const JsonView::Value text = fields["display"]; !text.isUndefined())
                languageMap(text, itemPath.child("display"), "2.4.11.s2.table1.row2");
            if (const JsonView::Value text = fields["description"]; !text.isUndefined())
                languageMap(text, itemPath.child("description"), "2.4.11.s2.table1.row3");
            if (const JsonView::Value type = fields["contentType"]; !type.isUndefined()) {
                if (!type.isString() || !type.toString().contains('/'))
                    report(itemPath.child("contentType"), "2.4.11.s2.table1.row4",
                           QStringLiteral("must be an Internet media type such as application/pdf."));
                else if (usage.toString() == QLatin1StringView(signatureUsage) &&
                         type.toString() != QLatin1StringView("application/octet-stream"))
                    report(itemPath.child("contentType"), "2.6.s4.b1",
                           QStringLiteral("a signature (usageType %1) has the contentType application/octet-stream.")
                               .arg(QLatin1StringView(signatureUsage)));
            }
            if (const JsonView::Value length = fields["length"]; !length.isUndefined()) {
                const double number = length.toDouble(-1);
                if (!length.isDouble() || number < 0 || number != double(qint64(number)))
                    report(itemPath.child("length"), "2.4.11.s2.table1.row5",
                           QStringLiteral("must be a whole number of bytes."));
            }
            if (const JsonView::Value sha2 = fields["sha2"]; !sha2.isUndefined())
                string(sha2, itemPath.child("sha2"), "2.4.11.s2.table1.row6");
            if (const JsonView::Value url = fields["fileUrl"]; !url.isUndefined())
                irl(url, itemPath.child("fileUrl"), "2.4.11.s2.table1.row7");
        }
    }

    QList<Finding>& m_findings;
    int m_index;
    const QString& m_prefix;
    const XapiVersion m_version;
};

Fields::Fields(Walker& walker, const JsonView::Object& object, const Path& path, const QLatin1StringView* names,
               qsizetype count, const Refused* refused, qsizetype refusedCount, const char* unknownRule)
    : m_names(names)
    , m_count(std::min(count, Capacity))
{
    for (auto member = object.begin(), end = object.end(); member != end; ++member) {
        const Text key = member.key();
        qsizetype index = 0;
        while (index < m_count && key != m_names[index])
            ++index;
        if (index == m_count) [[unlikely]] {
            unknown(walker, key, path, refused, refusedCount, unknownRule);
            continue;
        }
        if (found(index)) [[unlikely]]
            walker.report(path.keyed(key.bytes), "2.2.s2.b2",
                          QStringLiteral("appears more than once in the same object; give each property once "
                                         "(readers keep one of them, which one is not defined)."));
        m_slots[index].value = member.value();
        m_found |= 1U << index;
        if (m_slots[index].value.isNull()) [[unlikely]]
            walker.report(path.keyed(key.bytes), "2.2.s4.b1.b1",
                          QStringLiteral("must not be null; leave the property out instead."));
    }
}

void Fields::unknown(Walker& walker, const Text& key, const Path& path, const Refused* refused, qsizetype refusedCount,
                     const char* unknownRule) const
{
    const Refused* special =
        std::find_if(refused, refused + refusedCount, [&](const Refused& candidate) { return key == candidate.name; });
    if (special != refused + refusedCount) {
        walker.report(path.keyed(key.bytes), special->rule, QString::fromUtf8(special->message));
        return;
    }
    QString hint;
    for (qsizetype i = 0; i < m_count; ++i) {
        if (key.equalsIgnoringCase(m_names[i]))
            hint = QStringLiteral(" Property names are case-sensitive: did you mean “%1”?").arg(m_names[i]);
    }
    walker.report(path.keyed(key.bytes), hint.isEmpty() ? unknownRule : "2.2.s4.b1.b5",
                  QStringLiteral("is not a property here.%1").arg(hint));
}

} // namespace

void StatementRules::check(const JsonView::Object& statement, QList<Finding>& findings, int index,
                           const QString& prefix, XapiVersion version)
{
    Walker(findings, index, prefix, version).statement(statement, Path{}, false);
}
