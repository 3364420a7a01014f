#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QLatin1StringView>
#include <QString>

#include <simdjson.h>

#include <cstring>

// JSON text parsed by simdjson (its DOM, on this CPU's fastest kernel), read through a small view whose accessors
// follow QJsonValue's names: what the validator's rules walk. Strings are views into the parsed document; nothing is
// allocated per value, and a JsonView keeps its buffers from one parse to the next (one per thread is enough).
//
// It takes strict RFC 8259 JSON: well-formed UTF-8, numbers by the JSON grammar (integers within 64 bits, others
// finite as a double), escapes as the RFC lists them (\uD800 alone is refused), no raw control characters in
// strings, containers nested at most 1024 deep. Refused text gets its place and a sentence for a person from a
// second, slow pass over it (JsonErrorLocator); text that parses never pays for that.
class JsonView final
{
public:
    // UTF-8 text of a key or string value, decoded.
    struct Text
    {
        QByteArrayView bytes;

        qsizetype size() const { return bytes.size(); }
        bool isEmpty() const { return bytes.isEmpty(); }
        char operator[](qsizetype i) const { return bytes[i]; }
        bool operator==(QLatin1StringView other) const
        {
            return bytes.size() == other.size() && same(bytes.data(), other.data(), bytes.size());
        }
        bool operator==(const Text& other) const
        {
            return bytes.size() == other.bytes.size() && same(bytes.data(), other.bytes.data(), bytes.size());
        }
        // Keys and names are short: compared inline, by words that may overlap, rather than by a call to memcmp.
        static bool same(const char* a, const char* b, qsizetype size)
        {
            const auto equalAt = [&](auto word, qsizetype at) {
                decltype(word) x = 0;
                decltype(word) y = 0;
                std::memcpy(&x, a + at, sizeof x);
                std::memcpy(&y, b + at, sizeof y);
                return x == y;
            };
            if (size >= 8) {
                for (qsizetype at = 0; at + 8 < size; at += 8) {
                    if (!equalAt(quint64(), at))
                        return false;
                }
                return equalAt(quint64(), size - 8);
            }
            if (size >= 4)
                return equalAt(quint32(), 0) && equalAt(quint32(), size - 4);
            if (size >= 2)
                return equalAt(quint16(), 0) && equalAt(quint16(), size - 2);
            return size == 0 || *a == *b;
        }
        bool operator!=(QLatin1StringView other) const { return !(*this == other); }
        bool equalsIgnoringCase(QLatin1StringView other) const;
        bool startsWith(QLatin1StringView prefix) const
        {
            return bytes.size() >= prefix.size() && same(bytes.data(), prefix.data(), prefix.size());
        }
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
        explicit Value(simdjson::dom::element element)
            : m_element(element)
            , m_defined(true)
        {}
        bool isUndefined() const { return !m_defined; }
        bool isNull() const { return m_defined && m_element.is_null(); }
        bool isBool() const { return m_defined && m_element.is_bool(); }
        bool isDouble() const { return m_defined && m_element.is_number(); } // any JSON number, as in Qt JSON
        bool isString() const { return m_defined && m_element.is_string(); }
        bool isArray() const { return m_defined && m_element.is_array(); }
        bool isObject() const { return m_defined && m_element.is_object(); }
        double toDouble(double otherwise = 0) const
        {
            double number = 0;
            return m_defined && m_element.get_double().get(number) == simdjson::SUCCESS ? number : otherwise;
        }
        Q_ALWAYS_INLINE Text toString() const // empty unless a string
        {
            std::string_view text;
            if (!m_defined || m_element.get_string().get(text) != simdjson::SUCCESS)
                return {};
            return Text{QByteArrayView(text.data(), qsizetype(text.size()))};
        }
        Q_ALWAYS_INLINE Object toObject() const;
        Q_ALWAYS_INLINE Array toArray() const;

    private:
        simdjson::dom::element m_element;
        bool m_defined = false;
    };

    // One member of an object: its key and its value.
    struct Member
    {
        Text key;
        Value value;
    };

    class Object
    {
    public:
        // Members in order, duplicates included.
        class Iterator
        {
        public:
            Iterator() = default;
            explicit Iterator(simdjson::dom::object::iterator at)
                : m_at(at)
            {}
            Member operator*() const
            {
                const std::string_view key = m_at.key();
                return {Text{QByteArrayView(key.data(), qsizetype(key.size()))}, Value(m_at.value())};
            }
            Text key() const { return Text{QByteArrayView(m_at.key_c_str(), qsizetype(m_at.key_length()))}; }
            Value value() const { return Value(m_at.value()); }
            Iterator& operator++()
            {
                ++m_at;
                return *this;
            }
            bool operator==(const Iterator& other) const { return m_at == other.m_at; }
            bool operator!=(const Iterator& other) const { return m_at != other.m_at; }

        private:
            simdjson::dom::object::iterator m_at;
        };

        Object() = default;
        explicit Object(simdjson::dom::object object)
            : m_object(object)
            , m_defined(true)
        {}
        qsizetype size() const { return m_defined ? qsizetype(m_object.size()) : 0; }
        Iterator begin() const { return m_defined ? Iterator(m_object.begin()) : Iterator(); }
        Iterator end() const { return m_defined ? Iterator(m_object.end()) : Iterator(); }
        Value value(QLatin1StringView key) const // the last member of that name, as in Qt JSON
        {
            Value found;
            for (Iterator member = begin(), last = end(); member != last; ++member) {
                if (member.key() == key)
                    found = member.value();
            }
            return found;
        }
        bool contains(QLatin1StringView key) const { return !value(key).isUndefined(); }

    private:
        simdjson::dom::object m_object;
        bool m_defined = false;
    };

    class Array
    {
    public:
        class Iterator
        {
        public:
            Iterator() = default;
            explicit Iterator(simdjson::dom::array::iterator at)
                : m_at(at)
            {}
            Value operator*() const { return Value(*m_at); }
            Iterator& operator++()
            {
                ++m_at;
                return *this;
            }
            bool operator==(const Iterator& other) const { return !(m_at != other.m_at); }
            bool operator!=(const Iterator& other) const { return m_at != other.m_at; }

        private:
            simdjson::dom::array::iterator m_at;
        };

        Array() = default;
        explicit Array(simdjson::dom::array array)
            : m_array(array)
            , m_defined(true)
        {}
        qsizetype size() const { return m_defined ? qsizetype(m_array.size()) : 0; }
        bool isEmpty() const { return size() == 0; }
        Iterator begin() const { return m_defined ? Iterator(m_array.begin()) : Iterator(); }
        Iterator end() const { return m_defined ? Iterator(m_array.end()) : Iterator(); }
        Value at(qsizetype position) const // walks the list: arrays in statements are short
        {
            simdjson::dom::element element;
            if (!m_defined || position < 0 || m_array.at(size_t(position)).get(element) != simdjson::SUCCESS)
                return {};
            return Value(element);
        }

    private:
        simdjson::dom::array m_array;
        bool m_defined = false;
    };

    // False when the text is not JSON; errorOffset() and errorString() then say where and what. padding: how many
    // bytes may be read after the text (simdjson reads up to Padding bytes past it); with fewer, the text is copied
    // into a buffer of the parser's first.
    bool parse(QByteArrayView json, qsizetype padding = 0);
    Value root() const { return m_parsed ? Value(m_root) : Value(); }
    qsizetype errorOffset() const { return m_errorOffset; }
    QLatin1StringView errorString() const { return m_error; }

    static constexpr int MaximumDepth = 1024; // containers in containers, as QJsonDocument allows
    static constexpr qsizetype Padding = qsizetype(simdjson::SIMDJSON_PADDING);
    // A QByteArray holding text, with room for the padding after it: parsing it needs no copy.
    static QByteArray padded(QByteArrayView text);

private:
    simdjson::dom::parser m_parser{};
    simdjson::dom::element m_root;
    bool m_parsed = false;
    qsizetype m_errorOffset = 0;
    QLatin1StringView m_error;
};

inline JsonView::Object JsonView::Value::toObject() const
{
    simdjson::dom::object object;
    return m_defined && m_element.get_object().get(object) == simdjson::SUCCESS ? Object(object) : Object();
}

inline JsonView::Array JsonView::Value::toArray() const
{
    simdjson::dom::array array;
    return m_defined && m_element.get_array().get(array) == simdjson::SUCCESS ? Array(array) : Array();
}
