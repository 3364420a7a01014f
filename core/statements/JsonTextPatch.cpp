#include "statements/JsonTextPatch.h"

#include "statements/JsonView.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

QString JsonTextChange::appliedTo(const QString& json) const
{
    QString result = json;
    result.replace(position, length, text);
    return result;
}

namespace JsonTextPatch {
namespace {

// One member of an object in the UTF-8 text: its key (decoded) and where its value is.
struct MemberSpan
{
    QByteArray key;
    qsizetype valueStart = 0;
    qsizetype valueEnd = 0;
};

// Where the deepest existing step of a path is, in the UTF-8 text.
struct Located
{
    qsizetype parentStart = 0; // the '{' of the object holding the member (or, when it is missing, the deepest found)
    qsizetype parentEnd = 0;   // after its '}'
    QList<MemberSpan> members; // the parent's members in order
    qsizetype member = -1;     // the member, -1 when missing
    int depth = 0;             // how many keys of the path were found
};

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// The members of the object written at utf8[from, to), text that JsonView took as JSON, read with simdjson's
// On-Demand API, which points into the text it reads (a form's edit of a small text: a copy of it is no matter).
std::optional<QList<MemberSpan>> membersOf(const QByteArray& utf8, qsizetype from, qsizetype to)
{
    using namespace simdjson;
    const padded_string text(utf8.constData() + from, size_t(to - from));
    ondemand::parser parser;
    ondemand::document document;
    ondemand::object object;
    if (parser.iterate(text).get(document) != SUCCESS || document.get_object().get(object) != SUCCESS)
        return std::nullopt;
    QList<MemberSpan> members;
    for (auto field : object) {
        std::string_view key;
        ondemand::value value;
        ondemand::json_type type;
        if (field.unescaped_key().get(key) != SUCCESS || field.value().get(value) != SUCCESS ||
            value.type().get(type) != SUCCESS)
            return std::nullopt;
        std::string_view raw;
        error_code error = SUCCESS;
        if (type == ondemand::json_type::object) {
            ondemand::object inner;
            error = value.get_object().get(inner);
            if (error == SUCCESS)
                error = inner.raw_json().get(raw);
        } else if (type == ondemand::json_type::array) {
            ondemand::array inner;
            error = value.get_array().get(inner);
            if (error == SUCCESS)
                error = inner.raw_json().get(raw);
        } else {
            raw = value.raw_json_token();
        }
        if (error != SUCCESS)
            return std::nullopt;
        while (!raw.empty() && isSpace(raw.back())) // the text up to the next token comes with it
            raw.remove_suffix(1);
        const qsizetype start = from + (raw.data() - text.data());
        members.append({QByteArray(key.data(), qsizetype(key.size())), start, start + qsizetype(raw.size())});
    }
    return members;
}

std::optional<Located> locate(const QByteArray& utf8, const QStringList& path)
{
    Located located;
    // The top object, without the white space around it.
    qsizetype from = 0;
    qsizetype to = utf8.size();
    while (from < to && isSpace(utf8[from]))
        ++from;
    while (to > from && isSpace(utf8[to - 1]))
        --to;
    for (const QString& key : path) {
        if (from >= to || utf8[from] != '{')
            return std::nullopt; // a step is there but holds no members
        auto members = membersOf(utf8, from, to);
        if (!members)
            return std::nullopt;
        located.parentStart = from;
        located.parentEnd = to;
        located.members = std::move(*members);
        const QByteArray name = key.toUtf8();
        // The last member of that name, as Qt JSON reads it.
        located.member = -1;
        for (qsizetype i = 0; i < located.members.size(); ++i) {
            if (located.members[i].key == name)
                located.member = i;
        }
        if (located.member < 0)
            return located;
        ++located.depth;
        from = located.members[located.member].valueStart;
        to = located.members[located.member].valueEnd;
    }
    return located;
}

// The characters before a byte offset.
qsizetype position(const QByteArray& utf8, qsizetype offset)
{
    return QString::fromUtf8(utf8.constData(), offset).size();
}

JsonTextChange change(const QByteArray& utf8, qsizetype from, qsizetype to, const QString& text)
{
    const qsizetype start = position(utf8, from);
    return {start, QString::fromUtf8(utf8.constData() + from, to - from).size(), text};
}

// The whitespace at the start of the line the offset is on.
QByteArray indentOf(const QByteArray& utf8, qsizetype offset)
{
    const qsizetype lineStart = utf8.lastIndexOf('\n', offset) + 1;
    qsizetype end = lineStart;
    while (end < offset && (utf8[end] == ' ' || utf8[end] == '\t'))
        ++end;
    return utf8.mid(lineStart, end - lineStart);
}

QString serialize(const QJsonValue& value, const QByteArray& indent, bool pretty)
{
    if (value.isObject() || value.isArray()) {
        const QJsonDocument document =
            value.isObject() ? QJsonDocument(value.toObject()) : QJsonDocument(value.toArray());
        if (!pretty)
            return QString::fromUtf8(document.toJson(QJsonDocument::Compact));
        QByteArray text = document.toJson(QJsonDocument::Indented).trimmed();
        QByteArray newline("\n");
        newline += indent;
        text.replace("\n", newline);
        return QString::fromUtf8(text);
    }
    const QByteArray text = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(text.mid(1, text.size() - 2));
}

} // namespace

std::optional<JsonTextChange> set(const QString& json, const QStringList& path, const QJsonValue& value)
{
    if (path.isEmpty())
        return std::nullopt;
    const QByteArray utf8 = json.toUtf8();
    JsonView view; // simdjson's verdict first: the spans are read from JSON only
    if (!view.parse(utf8))
        return std::nullopt;
    const auto located = locate(utf8, path);
    if (!located)
        return std::nullopt;
    const QList<MemberSpan>& members = located->members;
    const bool pretty =
        QByteArrayView(utf8).sliced(located->parentStart, located->parentEnd - located->parentStart).contains('\n');
    if (located->depth == path.size()) {
        const MemberSpan& old = members[located->member];
        return change(utf8, old.valueStart, old.valueEnd, serialize(value, indentOf(utf8, old.valueStart), pretty));
    }
    // A new member, with the objects the rest of the path needs around the value.
    QJsonValue inner = value;
    for (qsizetype i = path.size() - 1; i > located->depth; --i)
        inner = QJsonObject{{path.at(i), inner}};
    const QString key = serialize(path.at(located->depth), {}, false);
    if (members.isEmpty()) {
        // An empty object: the member goes between its braces.
        QByteArray indent = indentOf(utf8, located->parentStart);
        const QString text = key + QStringLiteral(": ") + serialize(inner, indent, pretty);
        return change(utf8, located->parentStart + 1, located->parentStart + 1, text);
    }
    const qsizetype end = members.last().valueEnd;
    // On a line of its own, indented as the last member is, when the object is written over several lines.
    const QByteArray indent = indentOf(utf8, members.last().valueStart);
    const QString separator = pretty ? QStringLiteral(",\n") + QString::fromUtf8(indent) : QStringLiteral(", ");
    return change(utf8, end, end, separator + key + QStringLiteral(": ") + serialize(inner, indent, pretty));
}

std::optional<JsonTextChange> remove(const QString& json, const QStringList& path)
{
    if (path.isEmpty())
        return std::nullopt;
    const QByteArray utf8 = json.toUtf8();
    JsonView view; // simdjson's verdict first: the spans are read from JSON only
    if (!view.parse(utf8))
        return std::nullopt;
    const auto located = locate(utf8, path);
    if (!located)
        return std::nullopt;
    if (located->depth < path.size())
        return JsonTextChange{};
    const QList<MemberSpan>& members = located->members;
    const qsizetype valueEnd = members[located->member].valueEnd;
    if (located->member > 0) {
        // From the end of the member before it: its comma goes with it.
        return change(utf8, members[located->member - 1].valueEnd, valueEnd, {});
    }
    if (members.size() == 1) // the only member
        return change(utf8, located->parentStart + 1, located->parentEnd - 1, {});
    // The first of several: up to and with the comma after it; the next member keeps its own spacing.
    const qsizetype comma = utf8.indexOf(',', valueEnd);
    return change(utf8, located->parentStart + 1, comma + 1, {});
}

} // namespace JsonTextPatch
