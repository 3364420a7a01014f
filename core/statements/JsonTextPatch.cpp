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

// Where the deepest existing step of a path is, in the UTF-8 text.
struct Located
{
    JsonView::Object parent;   // the object holding the member (or, when it is missing, the deepest found)
    qsizetype parentStart = 0; // its '{'
    qsizetype parentEnd = 0;   // after its '}'
    int member = -1;           // the member, -1 when missing
    int depth = 0;             // how many keys of the path were found
};

qsizetype offsetOf(const QByteArray& utf8, QByteArrayView part)
{
    return part.data() - utf8.constData();
}

std::optional<Located> locate(const JsonView& view, const QByteArray& utf8, const QStringList& path)
{
    JsonView::Value value = view.root();
    if (!value.isObject())
        return std::nullopt;
    Located located;
    for (const QString& key : path) {
        if (!value.isObject())
            return std::nullopt; // a step is there but holds no members
        located.parent = value.toObject();
        located.parentStart = offsetOf(utf8, value.json());
        located.parentEnd = located.parentStart + value.json().size();
        const QByteArray name = key.toUtf8();
        // The last member of that name, as Qt JSON reads it.
        located.member = -1;
        for (int member = located.parent.first(); member >= 0; member = located.parent.next(member)) {
            if (located.parent.key(member).bytes == QByteArrayView(name))
                located.member = member;
        }
        if (located.member < 0)
            return located;
        ++located.depth;
        value = located.parent.valueAt(located.member);
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
    JsonView view;
    if (!view.parse(utf8))
        return std::nullopt;
    const auto located = locate(view, utf8, path);
    if (!located)
        return std::nullopt;
    const JsonView::Object& parent = located->parent;
    const bool pretty =
        QByteArrayView(utf8).sliced(located->parentStart, located->parentEnd - located->parentStart).contains('\n');
    if (located->depth == path.size()) {
        const QByteArrayView old = parent.valueAt(located->member).json();
        const qsizetype from = offsetOf(utf8, old);
        return change(utf8, from, from + old.size(), serialize(value, indentOf(utf8, from), pretty));
    }
    // A new member, with the objects the rest of the path needs around the value.
    QJsonValue inner = value;
    for (qsizetype i = path.size() - 1; i > located->depth; --i)
        inner = QJsonObject{{path.at(i), inner}};
    const QString key = serialize(path.at(located->depth), {}, false);
    int last = -1;
    for (int member = parent.first(); member >= 0; member = parent.next(member))
        last = member;
    if (last < 0) {
        // An empty object: the member goes between its braces.
        QByteArray indent = indentOf(utf8, located->parentStart);
        const QString text = key + QStringLiteral(": ") + serialize(inner, indent, pretty);
        return change(utf8, located->parentStart + 1, located->parentStart + 1, text);
    }
    const QByteArrayView lastValue = parent.valueAt(last).json();
    const qsizetype end = offsetOf(utf8, lastValue) + lastValue.size();
    // On a line of its own, indented as the last member is, when the object is written over several lines.
    const QByteArray indent = indentOf(utf8, offsetOf(utf8, lastValue));
    const QString separator = pretty ? QStringLiteral(",\n") + QString::fromUtf8(indent) : QStringLiteral(", ");
    return change(utf8, end, end, separator + key + QStringLiteral(": ") + serialize(inner, indent, pretty));
}

std::optional<JsonTextChange> remove(const QString& json, const QStringList& path)
{
    if (path.isEmpty())
        return std::nullopt;
    const QByteArray utf8 = json.toUtf8();
    JsonView view;
    if (!view.parse(utf8))
        return std::nullopt;
    const auto located = locate(view, utf8, path);
    if (!located)
        return std::nullopt;
    if (located->depth < path.size())
        return JsonTextChange{};
    const JsonView::Object& parent = located->parent;
    int previous = -1;
    for (int member = parent.first(); member >= 0 && member != located->member; member = parent.next(member))
        previous = member;
    const QByteArrayView value = parent.valueAt(located->member).json();
    const qsizetype valueEnd = offsetOf(utf8, value) + value.size();
    if (previous >= 0) {
        // From the end of the member before it: its comma goes with it.
        const QByteArrayView before = parent.valueAt(previous).json();
        return change(utf8, offsetOf(utf8, before) + before.size(), valueEnd, {});
    }
    if (parent.next(located->member) < 0) // the only member
        return change(utf8, located->parentStart + 1, located->parentEnd - 1, {});
    // The first of several: up to and with the comma after it; the next member keeps its own spacing.
    const qsizetype comma = utf8.indexOf(',', valueEnd);
    return change(utf8, located->parentStart + 1, comma + 1, {});
}

} // namespace JsonTextPatch
