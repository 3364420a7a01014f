#include "statements/JsonView.h"

#include <charconv>
#include <cstring>

namespace {

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// Where the text stops being well-formed UTF-8 (RFC 3629: shortest forms only, no surrogates, nothing past
// U+10FFFF), or -1 when it is.
qsizetype invalidUtf8At(QByteArrayView text)
{
    const auto* bytes = reinterpret_cast<const uchar*>(text.data());
    const qsizetype size = text.size();
    for (qsizetype i = 0; i < size;) {
        const uchar lead = bytes[i];
        if (lead < 0x80) {
            ++i;
            continue;
        }
        qsizetype length = 0;
        uchar low = 0x80; // the range of the second byte; the others are always 80..BF
        uchar high = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF) {
            length = 2;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            length = 3;
            low = lead == 0xE0 ? 0xA0 : 0x80;  // shorter forms
            high = lead == 0xED ? 0x9F : 0xBF; // surrogates
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            length = 4;
            low = lead == 0xF0 ? 0x90 : 0x80;
            high = lead == 0xF4 ? 0x8F : 0xBF; // past U+10FFFF
        } else {
            return i;
        }
        if (i + length > size || bytes[i + 1] < low || bytes[i + 1] > high)
            return i;
        for (qsizetype k = 2; k < length; ++k) {
            if ((bytes[i + k] & 0xC0) != 0x80)
                return i;
        }
        i += length;
    }
    return -1;
}

void appendUtf8(std::string& out, char32_t code)
{
    if (code < 0x80) {
        out.push_back(char(code));
    } else if (code < 0x800) {
        out.push_back(char(0xC0 | (code >> 6)));
        out.push_back(char(0x80 | (code & 0x3F)));
    } else if (code < 0x10000) {
        out.push_back(char(0xE0 | (code >> 12)));
        out.push_back(char(0x80 | ((code >> 6) & 0x3F)));
        out.push_back(char(0x80 | (code & 0x3F)));
    } else {
        out.push_back(char(0xF0 | (code >> 18)));
        out.push_back(char(0x80 | ((code >> 12) & 0x3F)));
        out.push_back(char(0x80 | ((code >> 6) & 0x3F)));
        out.push_back(char(0x80 | (code & 0x3F)));
    }
}

} // namespace

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
QByteArrayView JsonView::Value::json() const
{
    return m_node < 0 ? QByteArrayView() : m_view->m_nodes[size_t(m_node)].json;
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
    int found = -1;
    for (int member = first(); member >= 0; member = next(member)) {
        if (this->key(member) == key)
            found = member;
    }
    return {m_view, found};
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

bool JsonView::fail(const char* what)
{
    m_error = QLatin1StringView(what);
    return false;
}

bool JsonView::parse(QByteArrayView json)
{
    m_nodes.clear();
    m_nodes.reserve(size_t(json.size() / 8 + 16));
    m_decoded.clear();
    m_decoded.reserve(size_t(json.size())); // decoded strings are never longer than the input
    m_input = json;
    m_at = 0;
    m_depth = 0;
    m_error = {};
    bool ok = parseValue() == 0;
    if (ok) {
        skipSpace();
        ok = m_at == m_input.size() || fail("there is more text after the JSON value");
    }
    if (!ok)
        m_nodes.clear();
    return ok;
}

// Returns the index of the node it made, or -1 on a syntax error (m_error says which).
int JsonView::parseValue()
{
    skipSpace();
    if (m_at >= m_input.size()) {
        fail("a value is missing at the end");
        return -1;
    }
    const int index = int(m_nodes.size());
    m_nodes.emplace_back();
    const qsizetype begin = m_at;
    bool ok = false;
    switch (m_input[m_at]) {
    case '{':
    case '[':
        ok = parseContainer(index, m_input[m_at] == '{');
        break;
    case '"': {
        QByteArrayView text;
        ok = parseString(&text);
        m_nodes[size_t(index)].kind = Kind::String;
        m_nodes[size_t(index)].text = text;
        break;
    }
    case 't':
        ok = parseLiteral(index, "true");
        break;
    case 'f':
        ok = parseLiteral(index, "false");
        break;
    case 'n':
        ok = parseLiteral(index, "null");
        break;
    default:
        ok = parseNumber(index);
    }
    if (!ok)
        return -1;
    m_nodes[size_t(index)].json = m_input.sliced(begin, m_at - begin);
    return index;
}

bool JsonView::parseContainer(int index, bool object)
{
    if (++m_depth > MaximumDepth)
        return fail("objects and arrays are nested too deeply");
    const char close = object ? '}' : ']';
    m_nodes[size_t(index)].kind = object ? Kind::Object : Kind::Array;
    ++m_at;
    skipSpace();
    if (m_at < m_input.size() && m_input[m_at] == close) {
        ++m_at;
        --m_depth;
        return true;
    }
    int previous = -1;
    while (true) {
        QByteArrayView key;
        if (object) {
            skipSpace();
            if (m_at >= m_input.size() || m_input[m_at] != '"')
                return fail("a property name (a string in double quotes) is expected");
            if (!parseString(&key))
                return false;
            const qsizetype afterKey = m_at;
            skipSpace();
            if (m_at >= m_input.size() || m_input[m_at] != ':') {
                m_at = afterKey; // where the colon is missing
                return fail("a colon is expected after the property name");
            }
            ++m_at;
        }
        const int child = parseValue();
        if (child < 0)
            return false;
        m_nodes[size_t(child)].key = key;
        if (previous < 0)
            m_nodes[size_t(index)].first = child;
        else
            m_nodes[size_t(previous)].next = child;
        previous = child;
        ++m_nodes[size_t(index)].count;
        const qsizetype afterValue = m_at;
        skipSpace();
        if (m_at < m_input.size() && m_input[m_at] == ',') {
            ++m_at;
            continue;
        }
        if (m_at >= m_input.size() || m_input[m_at] != close) {
            // Said where the comma is missing, just after the value, not at the next line's text.
            m_at = afterValue;
            return fail(object ? "a comma or a closing brace is expected" : "a comma or a closing bracket is expected");
        }
        ++m_at;
        --m_depth;
        return true;
    }
}

bool JsonView::parseString(QByteArrayView* out)
{
    ++m_at; // opening quote
    const qsizetype start = m_at;
    const char* data = m_input.data();
    const char* end = data + m_input.size();
    bool escaped = false;
    bool ascii = true;
    // One pass to the closing quote; a backslash on the way means the string has to be decoded, a byte past ASCII
    // that it has to be checked for UTF-8.
    const char* p = data + m_at;
    while (p < end && *p != '"') {
        ascii &= uchar(*p) < 0x80;
        if (uchar(*p) < 0x20) {
            // RFC 8259 (section 7): control characters are escaped in strings (QJsonDocument lets them through).
            m_at = p - data;
            return fail("a control character (a tab or a line break, say) is in a string; write it escaped, as \\t "
                        "or \\n (RFC 8259)");
        }
        if (*p == '\\') {
            escaped = true;
            ++p;
        }
        ++p;
    }
    if (p >= end) {
        m_at = m_input.size();
        return fail("a string is not closed");
    }
    const QByteArrayView raw = m_input.sliced(start, p - data - start);
    if (!ascii) {
        if (const qsizetype bad = invalidUtf8At(raw); bad >= 0) {
            m_at = start + bad;
            return fail("a string is not valid UTF-8");
        }
    }
    m_at = p - data + 1; // past the closing quote
    if (!escaped) {
        *out = raw;
        return true;
    }
    if (!decode(raw, out)) {
        m_at = start;
        return fail("a string has a malformed escape sequence");
    }
    return true;
}

// Decodes the escapes of a string into m_decoded, as QJsonDocument does.
bool JsonView::decode(QByteArrayView raw, QByteArrayView* out)
{
    const size_t begin = m_decoded.size();
    auto hex4 = [&](qsizetype at) -> int {
        if (at + 4 > raw.size())
            return -1;
        int code = 0;
        for (qsizetype i = at; i < at + 4; ++i) {
            const int digit = hexValue(raw[i]);
            if (digit < 0)
                return -1;
            code = code * 16 + digit;
        }
        return code;
    };
    for (qsizetype i = 0; i < raw.size(); ++i) {
        char c = raw[i];
        if (c != '\\') {
            m_decoded.push_back(c);
            continue;
        }
        c = raw[++i]; // the loop to the closing quote never ends a string on a backslash
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
            const int code = hex4(i + 1);
            if (code < 0)
                return false;
            i += 4;
            char32_t point = char32_t(code);
            if (code >= 0xD800 && code <= 0xDBFF && i + 2 < raw.size() && raw[i + 1] == '\\' && raw[i + 2] == 'u') {
                const int low = hex4(i + 3);
                if (low >= 0xDC00 && low <= 0xDFFF) {
                    point = 0x10000 + ((char32_t(code) - 0xD800) << 10) + (char32_t(low) - 0xDC00);
                    i += 6;
                }
            }
            if (point >= 0xD800 && point <= 0xDFFF)
                point = 0xFFFD; // a lone surrogate: Qt keeps it, UTF-8 cannot hold it
            appendUtf8(m_decoded, point);
            break;
        }
        case '"':
        case '\\':
        case '/':
            m_decoded.push_back(c);
            break;
        default:
            // RFC 8259 has no other escape (QJsonDocument reads \x as x).
            return false;
        }
    }
    *out = QByteArrayView(m_decoded.data() + begin, qsizetype(m_decoded.size() - begin));
    return true;
}

// number = [ minus ] int [ frac ] [ exp ], scanned the way QJsonDocument does, then converted whole.
bool JsonView::parseNumber(int index)
{
    const char* begin = m_input.data() + m_at;
    const char* end = m_input.data() + m_input.size();
    const char* p = begin;
    if (p < end && *p == '-')
        ++p;
    if (p < end && *p == '0') {
        ++p;
    } else {
        while (p < end && isDigit(*p))
            ++p;
    }
    if (p < end && *p == '.') {
        ++p;
        while (p < end && isDigit(*p))
            ++p;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        ++p;
        if (p < end && (*p == '-' || *p == '+'))
            ++p;
        while (p < end && isDigit(*p))
            ++p;
    }
    double number = 0;
    const auto [stop, error] = std::from_chars(begin, p, number);
    if (p == begin || error != std::errc() || stop != p)
        return fail(p == begin ? "a value is expected (an object, array, string, number, true, false or null)"
                               : "a number is malformed or out of range");
    m_at = p - m_input.data();
    m_nodes[size_t(index)].kind = Kind::Number;
    m_nodes[size_t(index)].number = number;
    return true;
}

bool JsonView::parseLiteral(int index, QByteArrayView word)
{
    if (m_input.sliced(m_at).first(std::min(word.size(), m_input.size() - m_at)) != word)
        return fail("a value is expected (an object, array, string, number, true, false or null)");
    m_at += word.size();
    m_nodes[size_t(index)].kind = word == "null" ? Kind::Null : Kind::Bool;
    m_nodes[size_t(index)].boolean = word == "true";
    return true;
}
