#pragma once

#include <QByteArrayView>
#include <QLatin1StringView>
#include <QString>

#include <string>
#include <vector>

// A read-only JSON tree over the bytes it was parsed from: strings are views into the input (or, when they hold
// escapes, into one decoded buffer), nothing is allocated per value. Made for validating statements fast; the names
// of its accessors follow QJsonValue's.
//
// It accepts strict RFC 8259 JSON that QJsonDocument::fromJson accepts too (for an object or an array at the top), so
// text it has taken in can always be turned into Qt JSON later: well-formed UTF-8, numbers by the JSON grammar,
// containers nested at most 1024 deep. Unlike Qt it refuses raw control characters in strings and unknown escapes
// (Qt reads \x as x), which RFC 8259 forbids.
class JsonView final
{
public:
    // UTF-8 text of a key or string value.
    struct Text
    {
        QByteArrayView bytes;

        qsizetype size() const { return bytes.size(); }
        bool isEmpty() const { return bytes.isEmpty(); }
        char operator[](qsizetype i) const { return bytes[i]; }
        bool operator==(QLatin1StringView other) const;
        bool operator!=(QLatin1StringView other) const { return !(*this == other); }
        bool equalsIgnoringCase(QLatin1StringView other) const;
        bool startsWith(QLatin1StringView prefix) const;
        bool contains(char c) const { return bytes.contains(c); }
        bool endsWith(char c) const { return !bytes.isEmpty() && bytes.back() == c; }
        QString toQString() const { return QString::fromUtf8(bytes); }
    };

    class Object;
    class Array;

    class Value
    {
    public:
        Value() = default; // undefined
        Value(const JsonView* view, int node)
            : m_view(view)
            , m_node(node)
        {}
        bool isUndefined() const { return m_node < 0; }
        bool isNull() const;
        bool isBool() const;
        bool isDouble() const;
        bool isString() const;
        bool isArray() const;
        bool isObject() const;
        double toDouble(double otherwise = 0) const;
        Text toString() const;       // empty unless a string
        QByteArrayView json() const; // the value's text in the input, e.g. {"id": 1} for an object
        Object toObject() const;
        Array toArray() const;

    private:
        friend class JsonView;
        const JsonView* m_view = nullptr;
        int m_node = -1;
    };

    class Object
    {
    public:
        Object() = default;
        Object(const JsonView* view, int node)
            : m_view(view)
            , m_node(node)
        {}
        qsizetype size() const;
        Value value(QLatin1StringView key) const; // the last member of that name, as in Qt JSON
        bool contains(QLatin1StringView key) const { return !value(key).isUndefined(); }
        // Members in order: first() then next(member) until -1.
        int first() const;
        int next(int member) const;
        Text key(int member) const;
        Value valueAt(int member) const { return {m_view, member}; }

    private:
        const JsonView* m_view = nullptr;
        int m_node = -1;
    };

    class Array
    {
    public:
        Array() = default;
        Array(const JsonView* view, int node)
            : m_view(view)
            , m_node(node)
        {}
        qsizetype size() const;
        bool isEmpty() const { return size() == 0; }
        // Elements in order: first() then next(element) until -1.
        int first() const;
        int next(int element) const;
        Value valueAt(int element) const { return {m_view, element}; }
        Value at(qsizetype position) const; // walks the list: arrays in statements are short

    private:
        const JsonView* m_view = nullptr;
        int m_node = -1;
    };

    // False when the bytes are not JSON; errorOffset() and errorString() then say where and what.
    bool parse(QByteArrayView json);
    Value root() const { return m_nodes.empty() ? Value() : Value(this, 0); }
    qsizetype errorOffset() const { return m_at; }
    QLatin1StringView errorString() const { return m_error; }

    static constexpr int MaximumDepth = 1024; // containers in containers, as QJsonDocument allows

private:
    enum class Kind : unsigned char { Null, Bool, Number, String, Array, Object };
    struct Node
    {
        Kind kind = Kind::Null;
        bool boolean = false;
        double number = 0;
        QByteArrayView text; // string value
        QByteArrayView key;  // when a member of an object
        QByteArrayView json; // the value's text in the input
        int first = -1;      // first child
        int next = -1;       // next sibling
        int count = 0;       // children
    };

    int parseValue();
    bool parseContainer(int index, bool object);
    bool parseString(QByteArrayView* out);
    bool decode(QByteArrayView raw, QByteArrayView* out);
    bool parseNumber(int index);
    bool parseLiteral(int index, QByteArrayView word);
    void skipSpace();
    bool fail(const char* what);

    std::vector<Node> m_nodes;
    std::string m_decoded; // strings with escapes, decoded; reserved up front so views stay valid
    QByteArrayView m_input;
    qsizetype m_at = 0;
    int m_depth = 0;
    QLatin1StringView m_error;
};
