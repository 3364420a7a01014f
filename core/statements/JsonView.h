#pragma once

#include <QByteArrayView>
#include <QLatin1StringView>
#include <QString>

#include <string>
#include <vector>

// A read-only JSON tree over the bytes it was parsed from: strings are views into the input (or, when they hold
// escapes, into one decoded buffer), nothing is allocated per value. Made for validating statements fast; the names
// of its accessors follow QJsonValue's.
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
        Text toString() const; // empty unless a string
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
        Value value(QLatin1StringView key) const;
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
        int first() const;
        int next(int element) const;
        Value at(qsizetype position) const; // walks the list: arrays in statements are short

    private:
        const JsonView* m_view = nullptr;
        int m_node = -1;
    };

    // False (with the offset) when the bytes are not JSON.
    bool parse(QByteArrayView json, qsizetype* errorOffset = nullptr);
    Value root() const { return m_nodes.empty() ? Value() : Value(this, 0); }

private:
    enum class Kind : unsigned char { Null, Bool, Number, String, Array, Object };
    struct Node
    {
        Kind kind = Kind::Null;
        bool boolean = false;
        double number = 0;
        QByteArrayView text; // string value
        QByteArrayView key;  // when a member of an object
        int first = -1;      // first child
        int next = -1;       // next sibling
        int count = 0;       // children
    };

    int parseValue();
    bool parseString(QByteArrayView* out);
    void skipSpace();

    std::vector<Node> m_nodes;
    std::string m_decoded; // strings with escapes, decoded; reserved up front so views stay valid
    QByteArrayView m_input;
    qsizetype m_at = 0;
    int m_depth = 0;
};
