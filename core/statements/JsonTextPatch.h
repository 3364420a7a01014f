#pragma once

#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <optional>

// A change to a text: replace `length` characters at `position` with `text` (positions in QString characters).
struct JsonTextChange
{
    qsizetype position = 0;
    qsizetype length = 0;
    QString text;

    bool isEmpty() const { return length == 0 && text.isEmpty(); }
    QString appliedTo(const QString& json) const;
};

// Edits one member of a JSON object in its text, leaving every other character as it was: the order of the members,
// their spacing, members nobody knows of. What a form does to the JSON a user pasted, so the form never rebuilds it.
// A path is the object keys from the top, e.g. {"actor", "account", "name"}.
namespace JsonTextPatch {

// The value at path set to value: its old text replaced, or a new member after the last one of the deepest object
// that exists on the way, with the missing objects around it. nullopt when the text is not a JSON object or a step
// of the path is there but is no object.
std::optional<JsonTextChange> set(const QString& json, const QStringList& path, const QJsonValue& value);
// The member at path removed with its comma; an empty change when it is not there. nullopt as for set().
std::optional<JsonTextChange> remove(const QString& json, const QStringList& path);

} // namespace JsonTextPatch
