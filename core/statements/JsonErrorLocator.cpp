#include "statements/JsonErrorLocator.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>

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

// Reads the grammar of RFC 8259 with simdjson's limits (integers within 64 bits, numbers finite as a double, no
// lone surrogate escapes, 1024 levels), building nothing, up to the first problem.
class Scanner
{
public:
    explicit Scanner(QByteArrayView text)
        : m_text(text)
    {}

    // False at the first problem: at() and what() say where and what.
    bool document()
    {
        if (!value(0))
            return false;
        skipSpace();
        return m_at == m_text.size() || fail("there is more text after the JSON value");
    }
    qsizetype at() const { return m_at; }
    QLatin1StringView what() const { return m_what; }

private:
    bool fail(const char* what)
    {
        m_what = QLatin1StringView(what);
        return false;
    }

    bool atEnd() const { return m_at >= m_text.size(); }
    char current() const { return m_text[m_at]; }

    void skipSpace()
    {
        while (!atEnd() && (current() == ' ' || current() == '\n' || current() == '\r' || current() == '\t'))
            ++m_at;
    }

    bool value(int depth)
    {
        skipSpace();
        if (atEnd())
            return fail("a value is missing at the end");
        switch (current()) {
        case '{':
        case '[':
            return container(depth + 1, current() == '{');
        case '"':
            return string();
        case 't':
            return literal("true");
        case 'f':
            return literal("false");
        case 'n':
            return literal("null");
        default:
            return number();
        }
    }

    bool container(int depth, bool object)
    {
        if (depth > JsonViewMaximumDepth)
            return fail("objects and arrays are nested too deeply (more than 1024 levels)");
        const char close = object ? '}' : ']';
        ++m_at;
        skipSpace();
        if (!atEnd() && current() == close) {
            ++m_at;
            return true;
        }
        for (;;) {
            if (object) {
                skipSpace();
                if (atEnd() || current() != '"')
                    return fail("a property name (a string in double quotes) is expected");
                if (!string())
                    return false;
                const qsizetype afterKey = m_at;
                skipSpace();
                if (atEnd() || current() != ':') {
                    m_at = afterKey; // where the colon is missing
                    return fail("a colon is expected after the property name");
                }
                ++m_at;
            }
            if (!value(depth))
                return false;
            const qsizetype afterValue = m_at;
            skipSpace();
            if (!atEnd() && current() == ',') {
                ++m_at;
                continue;
            }
            if (atEnd() || current() != close) {
                // Where the comma is missing: just after the value, not at the next line's text.
                m_at = afterValue;
                return fail(object ? "a comma or a closing brace is expected"
                                   : "a comma or a closing bracket is expected");
            }
            ++m_at;
            return true;
        }
    }

    bool string()
    {
        const qsizetype start = ++m_at; // past the opening quote
        bool ascii = true;
        while (!atEnd() && current() != '"') {
            const uchar c = uchar(current());
            ascii &= c < 0x80;
            if (c < 0x20)
                return fail("a control character (a tab or a line break, say) is in a string; write it escaped, as "
                            "\\t or \\n (RFC 8259)");
            if (c == '\\' && !escape())
                return false;
            if (c != '\\')
                ++m_at;
        }
        if (atEnd()) {
            m_at = start - 1;
            return fail("a string is not closed (it runs from here to the end of the text)");
        }
        if (!ascii) {
            if (const qsizetype bad = invalidUtf8At(m_text.sliced(start, m_at - start)); bad >= 0) {
                m_at = start + bad;
                return fail("a string is not valid UTF-8 (save the text as UTF-8)");
            }
        }
        ++m_at; // the closing quote
        return true;
    }

    // At a backslash: one escape of RFC 8259, a \u surrogate only as a pair; moves past it.
    bool escape()
    {
        const qsizetype start = m_at;
        auto hex4 = [&](qsizetype at) -> int {
            if (at + 4 > m_text.size())
                return -1;
            int code = 0;
            for (qsizetype i = at; i < at + 4; ++i) {
                const int digit = hexValue(m_text[i]);
                if (digit < 0)
                    return -1;
                code = code * 16 + digit;
            }
            return code;
        };
        const char kind = m_at + 1 < m_text.size() ? m_text[m_at + 1] : '\0';
        if (kind != 'u') {
            if (kind != '"' && kind != '\\' && kind != '/' && kind != 'b' && kind != 'f' && kind != 'n' &&
                kind != 'r' && kind != 't')
                return fail("a string has an escape RFC 8259 does not know: after a backslash comes one of \" \\ / "
                            "b f n r t or u and four hexadecimal digits");
            m_at += 2;
            return true;
        }
        const int code = hex4(m_at + 2);
        if (code < 0)
            return fail("a string has a malformed \\u escape: four hexadecimal digits follow \\u");
        m_at += 6;
        if (code >= 0xDC00 && code <= 0xDFFF) {
            m_at = start;
            return fail("a string has a \\u escape of a lone low surrogate; give the pair (e.g. \\ud83d\\ude00) or "
                        "write the character itself");
        }
        if (code >= 0xD800 && code <= 0xDBFF) {
            const bool pair = m_at + 1 < m_text.size() && m_text[m_at] == '\\' && m_text[m_at + 1] == 'u';
            const int low = pair ? hex4(m_at + 2) : -1;
            if (low < 0xDC00 || low > 0xDFFF) {
                m_at = start;
                return fail("a string has a \\u escape of a lone high surrogate; give the pair (e.g. \\ud83d\\ude00) "
                            "or write the character itself");
            }
            m_at += 6;
        }
        return true;
    }

    bool literal(const char* word)
    {
        const QByteArrayView expected(word);
        if (m_text.sliced(m_at).first(std::min(expected.size(), m_text.size() - m_at)) != expected)
            return fail("a value is expected (an object, array, string, number, true, false or null)");
        m_at += expected.size();
        return true;
    }

    // number = [ minus ] int [ frac ] [ exp ]
    bool number()
    {
        const qsizetype start = m_at;
        auto digits = [&] {
            const qsizetype from = m_at;
            while (!atEnd() && isDigit(current()))
                ++m_at;
            return m_at > from;
        };
        if (!atEnd() && current() == '-')
            ++m_at;
        if (atEnd() || !isDigit(current())) {
            if (m_at == start)
                return fail("a value is expected (an object, array, string, number, true, false or null)");
            return fail("a number is malformed: a digit is expected after the minus sign");
        }
        if (current() == '0')
            ++m_at; // a leading zero stands alone: what follows it is the next token's problem
        else
            digits();
        bool integer = true;
        if (!atEnd() && current() == '.') {
            ++m_at;
            integer = false;
            if (!digits())
                return fail("a number is malformed: a digit is expected after the decimal point");
        }
        if (!atEnd() && (current() == 'e' || current() == 'E')) {
            ++m_at;
            integer = false;
            if (!atEnd() && (current() == '+' || current() == '-'))
                ++m_at;
            if (!digits())
                return fail("a number is malformed: a digit is expected in the exponent");
        }
        const char* begin = m_text.data() + start;
        const char* end = m_text.data() + m_at;
        if (integer) {
            // simdjson keeps integers as 64-bit ones: from -2^63 to 2^64 - 1.
            std::int64_t negative = 0;
            std::uint64_t positive = 0;
            const bool fits = *begin == '-' ? std::from_chars(begin, end, negative).ec == std::errc()
                                            : std::from_chars(begin, end, positive).ec == std::errc();
            if (!fits) {
                m_at = start;
                return fail("an integer is out of range: whole numbers must fit in 64 bits (up to "
                            "18446744073709551615); write a larger one as a string");
            }
            return true;
        }
        const double value = std::strtod(std::string(begin, end).c_str(), nullptr);
        if (!std::isfinite(value)) {
            m_at = start;
            return fail("a number is out of range: it is larger than a double holds (about 1.8e308)");
        }
        const char* mantissaEnd = std::find_if(begin, end, [](char c) { return c == 'e' || c == 'E'; });
        if (value == 0 && std::any_of(begin, mantissaEnd, [](char c) { return c >= '1' && c <= '9'; })) {
            m_at = start;
            return fail("a number is out of range: it is too close to zero for a double (below about 4.9e-324); "
                        "write 0, or a larger number");
        }
        return true;
    }

    static constexpr int JsonViewMaximumDepth = 1024;
    QByteArrayView m_text;
    qsizetype m_at = 0;
    QLatin1StringView m_what;
};

// simdjson's verdict in our words, for the rare text the grammar above finds nothing wrong with.
QLatin1StringView sentenceFor(simdjson::error_code error)
{
    switch (error) {
    case simdjson::EMPTY:
        return QLatin1StringView("there is no JSON value: the text is empty");
    case simdjson::NUMBER_ERROR:
        return QLatin1StringView("a number is malformed or out of range");
    case simdjson::STRING_ERROR:
        return QLatin1StringView("a string has a malformed escape sequence");
    case simdjson::UNESCAPED_CHARS:
        return QLatin1StringView("a control character (a tab or a line break, say) is in a string; write it escaped, "
                                 "as \\t or \\n (RFC 8259)");
    case simdjson::UNCLOSED_STRING:
        return QLatin1StringView("a string is not closed");
    case simdjson::UTF8_ERROR:
        return QLatin1StringView("the text is not valid UTF-8 (save it as UTF-8)");
    case simdjson::DEPTH_ERROR:
        return QLatin1StringView("objects and arrays are nested too deeply (more than 1024 levels)");
    case simdjson::CAPACITY:
    case simdjson::MEMALLOC:
        return QLatin1StringView("the text is too large to parse");
    default:
        return QLatin1StringView("the structure is broken: a comma, a colon, a brace, a bracket or a property name "
                                 "is missing or too many");
    }
}

} // namespace

JsonErrorLocator::Location JsonErrorLocator::locate(QByteArrayView text, simdjson::error_code error)
{
    Scanner scanner(text);
    if (!scanner.document())
        return {scanner.at(), scanner.what(), true};
    return {0, sentenceFor(error), false};
}
