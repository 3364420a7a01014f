#include "statements/JsonView.h"

#include <charconv>
#include <cstring>

bool JsonView::Text::operator==(QLatin1StringView other) const
{
    return bytes.size() == other.size() && std::memcmp(bytes.data(), other.data(), size_t(other.size())) == 0;
}

bool JsonView::Text::equalsIgnoringCase(QLatin1StringView other) const
{
    if (bytes.size() != other.size())
        return false;
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        if (QChar::toLower(char16_t(uchar(bytes[i]))) != QChar::toLower(char16_t(uchar(other[i].toLatin1()))))
            return false;
    }
    return true;
}

bool JsonView::Text::startsWith(QLatin1StringView prefix) const
{
    return bytes.size() >= prefix.size() && std::memcmp(bytes.data(), prefix.data(), size_t(prefix.size())) == 0;
}

bool JsonView::Value::isNull() const
{
    return m_node >= 0 && m_view->m_nodes[size_t(m_node)].kind == Kind::Null;
}
bool JsonView::Value::isBool() const
{
    return m_node >= 0 && m_view->m_nodes[size_t(m_node)].kind == Kind::Bool;
}
bool JsonView::Value::isDouble() const
{
    return m_node >= 0 && m_view->m_nodes[size_t(m_node)].kind == Kind::Number;
}
bool JsonView::Value::isString() const
{
    return m_node >= 0 && m_view->m_nodes[size_t(m_node)].kind == Kind::String;
}
bool JsonView::Value::isArray() const
{
    return m_node >= 0 && m_view->m_nodes[size_t(m_node)].kind == Kind::Array;
}
bool JsonView::Value::isObject() const
{
    return m_node >= 0 && m_view->m_nodes[size_t(m_node)].kind == Kind::Object;
}
double JsonView::Value::toDouble(double otherwise) const
{
    return isDouble() ? m_view->m_nodes[size_t(m_node)].number : otherwise;
}
JsonView::Text JsonView::Value::toString() const
{
    return isString() ? Text{m_view->m_nodes[size_t(m_node)].text} : Text{};
}
JsonView::Object JsonView::Value::toObject() const
{
    return isObject() ? Object(m_view, m_node) : Object();
}
JsonView::Array JsonView::Value::toArray() const
{
    return isArray() ? Array(m_view, m_node) : Array();
}

qsizetype JsonView::Object::size() const
{
    return m_node < 0 ? 0 : m_view->m_nodes[size_t(m_node)].count;
}
int JsonView::Object::first() const
{
    return m_node < 0 ? -1 : m_view->m_nodes[size_t(m_node)].first;
}
int JsonView::Object::next(int member) const
{
    return m_view->m_nodes[size_t(member)].next;
}
JsonView::Text JsonView::Object::key(int member) const
{
    return Text{m_view->m_nodes[size_t(member)].key};
}
JsonView::Value JsonView::Object::value(QLatin1StringView key) const
{
    for (int member = first(); member >= 0; member = next(member)) {
        if (this->key(member) == key)
            return {m_view, member};
    }
    return {};
}

qsizetype JsonView::Array::size() const
{
    return m_node < 0 ? 0 : m_view->m_nodes[size_t(m_node)].count;
}
int JsonView::Array::first() const
{
    return m_node < 0 ? -1 : m_view->m_nodes[size_t(m_node)].first;
}
int JsonView::Array::next(int element) const
{
    return m_view->m_nodes[size_t(element)].next;
}
JsonView::Value JsonView::Array::at(qsizetype position) const
{
    int element = first();
    for (qsizetype i = 0; i < position && element >= 0; ++i)
        element = next(element);
    return {m_view, element};
}

void JsonView::skipSpace()
{
    while (m_at < m_input.size()) {
        const char c = m_input[m_at];
        if (c != ' ' && c != '\n' && c != '\r' && c != '\t')
            return;
        ++m_at;
    }
}

bool JsonView::parse(QByteArrayView json, qsizetype* errorOffset)
{
    m_nodes.clear();
    m_nodes.reserve(size_t(json.size() / 8 + 16));
    m_decoded.clear();
    m_decoded.reserve(size_t(json.size())); // decoded strings are never longer than the input
    m_input = json;
    m_at = 0;
    m_depth = 0;
    const bool ok = parseValue() == 0 && (skipSpace(), m_at == m_input.size());
    if (!ok) {
        m_nodes.clear();
        if (errorOffset)
            *errorOffset = m_at;
    }
    return ok;
}

bool JsonView::parseString(QByteArrayView* out)
{
    ++m_at; // opening quote
    const qsizetype start = m_at;
    const char* data = m_input.data();
    const char* end = data + m_input.size();
    bool escaped = false;
    // One pass to the closing quote; a backslash on the way means the string has to be decoded.
    const char* p = data + m_at;
    while (p < end && *p != '"') {
        if (*p == '\\') {
            escaped = true;
            ++p;
        }
        ++p;
    }
    if (p >= end)
        return false;
    m_at = p - data;
    const QByteArrayView raw = m_input.sliced(start, m_at - start);
    ++m_at; // closing quote
    if (!escaped) {
        *out = raw;
        return true;
    }
    const size_t begin = m_decoded.size();
    for (qsizetype i = 0; i < raw.size(); ++i) {
        char c = raw[i];
        if (c != '\\') {
            m_decoded.push_back(c);
            continue;
        }
        c = raw[++i];
        switch (c) {
        case 'n':
            m_decoded.push_back('\n');
            break;
        case 't':
            m_decoded.push_back('\t');
            break;
        case 'r':
            m_decoded.push_back('\r');
            break;
        case 'b':
            m_decoded.push_back('\b');
            break;
        case 'f':
            m_decoded.push_back('\f');
            break;
        case 'u': {
            if (i + 4 >= raw.size())
                return false;
            unsigned code = 0;
            const auto hex = raw.sliced(i + 1, 4);
            if (std::from_chars(hex.data(), hex.data() + 4, code, 16).ec != std::errc())
                return false;
            i += 4;
            // Surrogate pairs and non-ASCII: encode as UTF-8 through QString (rare in statements).
            const QByteArray utf8 = QString(QChar(char16_t(code))).toUtf8();
            m_decoded.append(utf8.constData(), size_t(utf8.size()));
            break;
        }
        default:
            m_decoded.push_back(c); // \" \\ \/
        }
    }
    *out = QByteArrayView(m_decoded.data() + begin, qsizetype(m_decoded.size() - begin));
    return true;
}

// Returns the index of the node it made, or -1 on a syntax error.
int JsonView::parseValue()
{
    skipSpace();
    if (m_at >= m_input.size() || ++m_depth > 256)
        return -1;
    const int index = int(m_nodes.size());
    m_nodes.emplace_back();
    const char c = m_input[m_at];
    if (c == '{' || c == '[') {
        const bool object = c == '{';
        m_nodes[size_t(index)].kind = object ? Kind::Object : Kind::Array;
        ++m_at;
        skipSpace();
        int previous = -1;
        if (m_at < m_input.size() && m_input[m_at] == (object ? '}' : ']')) {
            ++m_at;
            --m_depth;
            return index;
        }
        while (true) {
            QByteArrayView key;
            if (object) {
                skipSpace();
                if (m_at >= m_input.size() || m_input[m_at] != '"' || !parseString(&key))
                    return -1;
                skipSpace();
                if (m_at >= m_input.size() || m_input[m_at] != ':')
                    return -1;
                ++m_at;
            }
            const int child = parseValue();
            if (child < 0)
                return -1;
            m_nodes[size_t(child)].key = key;
            if (previous < 0)
                m_nodes[size_t(index)].first = child;
            else
                m_nodes[size_t(previous)].next = child;
            previous = child;
            ++m_nodes[size_t(index)].count;
            skipSpace();
            if (m_at >= m_input.size())
                return -1;
            if (m_input[m_at] == ',') {
                ++m_at;
                continue;
            }
            if (m_input[m_at] != (object ? '}' : ']'))
                return -1;
            ++m_at;
            --m_depth;
            return index;
        }
    }
    if (c == '"') {
        QByteArrayView text;
        if (!parseString(&text))
            return -1;
        m_nodes[size_t(index)].kind = Kind::String;
        m_nodes[size_t(index)].text = text;
        --m_depth;
        return index;
    }
    auto literal = [&](const char* word, Kind kind, bool value) {
        const qsizetype length = qsizetype(std::strlen(word));
        if (m_input.sliced(m_at).first(std::min(length, m_input.size() - m_at)) != QByteArrayView(word, length))
            return -1;
        m_at += length;
        m_nodes[size_t(index)].kind = kind;
        m_nodes[size_t(index)].boolean = value;
        --m_depth;
        return index;
    };
    if (c == 't')
        return literal("true", Kind::Bool, true);
    if (c == 'f')
        return literal("false", Kind::Bool, false);
    if (c == 'n')
        return literal("null", Kind::Null, false);
    double number = 0;
    const auto [end, error] = std::from_chars(m_input.data() + m_at, m_input.data() + m_input.size(), number);
    if (error != std::errc())
        return -1;
    m_at = end - m_input.data();
    m_nodes[size_t(index)].kind = Kind::Number;
    m_nodes[size_t(index)].number = number;
    --m_depth;
    return index;
}
