#include "statements/FormatChecks.h"

#include <QRegularExpression>
#include <QString>

#include <algorithm>
#include <cstring>

namespace {

bool isHex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

bool isAlpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

char charAt(QByteArrayView text, qsizetype i)
{
    return i < text.size() ? text[i] : '\0';
}

bool digitsAt(QByteArrayView text, qsizetype from, qsizetype count)
{
    if (from + count > text.size())
        return false;
    for (qsizetype i = from; i < from + count; ++i) {
        if (!isDigit(text[i]))
            return false;
    }
    return true;
}

int number(QByteArrayView text, qsizetype from, qsizetype count)
{
    int value = 0;
    for (qsizetype i = from; i < from + count; ++i)
        value = value * 10 + (text[i] - '0');
    return value;
}

} // namespace

bool FormatChecks::isUuid(QByteArrayView text)
{
    if (text.size() != 36)
        return false;
    for (qsizetype i = 0; i < 36; ++i) {
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? text[i] != '-' : !isHex(text[i]))
            return false;
    }
    return true;
}

bool FormatChecks::isIri(QByteArrayView text)
{
    const qsizetype size = text.size();
    if (size < 3 || !isAlpha(text[0]))
        return false;
    qsizetype i = 1;
    for (; i < size && text[i] != ':'; ++i) {
        const char c = text[i];
        if (!isAlpha(c) && !isDigit(c) && c != '+' && c != '-' && c != '.')
            return false;
    }
    if (i >= size - 1)
        return false;
    bool ascii = true;
    const char* p = text.data() + i;
    const char* end = text.data() + size;
    for (; p < end; ++p) {
        const uchar c = uchar(*p);
        if (c <= '>') {
            if (c <= ' ' || c == '<' || c == '>' || c == '"')
                return false;
        } else {
            ascii &= c < 0x80;
        }
    }
    if (ascii)
        return true;
    const QString wide = QString::fromUtf8(text); // rare: look for Unicode white space
    return std::none_of(wide.cbegin(), wide.cend(), [](QChar c) { return c.isSpace(); });
}

bool FormatChecks::isIrl(QByteArrayView text)
{
    return isIri(text) && text.indexOf(QByteArrayView("://")) > 0;
}

bool FormatChecks::isLanguageTag(QByteArrayView text)
{
    // RFC 5646 (language-extlang-script-region-variant-extension-privateuse, or a private use tag). Primary language
    // subtags of 4 to 8 letters are well-formed on paper but none is registered, so they are refused: "english" is
    // a mistake, not a tag.
    static const QRegularExpression pattern(
        QStringLiteral("^(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|[0-9]{3}))?"
                       "(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z0-9]{2,8})+)*"
                       "(?:-[xX](?:-[A-Za-z0-9]{1,8})+)?|[xX](?:-[A-Za-z0-9]{1,8})+|i-[A-Za-z]{2,8})$"));
    if (text.size() == 2 && isAlpha(text[0]) && isAlpha(text[1]))
        return true; // the common cases, without the regex
    if (text.size() == 5 && isAlpha(text[0]) && isAlpha(text[1]) && text[2] == '-' && isAlpha(text[3]) &&
        isAlpha(text[4]))
        return true;
    return pattern.match(QString::fromUtf8(text)).hasMatch();
}

bool FormatChecks::isTimestamp(QByteArrayView text)
{
    if (!digitsAt(text, 0, 4) || charAt(text, 4) != '-' || !digitsAt(text, 5, 2) || charAt(text, 7) != '-' ||
        !digitsAt(text, 8, 2) || (charAt(text, 10) != 'T' && charAt(text, 10) != 't') || !digitsAt(text, 11, 2) ||
        charAt(text, 13) != ':' || !digitsAt(text, 14, 2))
        return false;
    const int month = number(text, 5, 2);
    const int day = number(text, 8, 2);
    if (month < 1 || month > 12 || day < 1 || day > 31 || number(text, 11, 2) > 23 || number(text, 14, 2) > 59)
        return false;
    qsizetype i = 16;
    if (charAt(text, i) == ':') {
        if (!digitsAt(text, i + 1, 2) || number(text, i + 1, 2) > 60)
            return false;
        i += 3;
        if (charAt(text, i) == '.' || charAt(text, i) == ',') {
            ++i;
            const qsizetype start = i;
            while (i < text.size() && isDigit(text[i]))
                ++i;
            if (i == start)
                return false;
        }
    }
    if (i == text.size())
        return true;
    if (text[i] == 'Z' || text[i] == 'z')
        return i + 1 == text.size();
    if (text[i] != '+' && text[i] != '-')
        return false;
    if (!digitsAt(text, i + 1, 2))
        return false;
    i += 3;
    if (i == text.size())
        return true;
    if (text[i] == ':')
        ++i;
    return digitsAt(text, i, 2) && i + 2 == text.size();
}

bool FormatChecks::isDuration(QByteArrayView text)
{
    if (text.size() < 3 || text[0] != 'P')
        return false;
    static constexpr char dateUnits[] = "YMWD";
    static constexpr char timeUnits[] = "HMS";
    const char* units = dateUnits;
    qsizetype unit = 0;
    bool parts = false;
    bool inTime = false;
    for (qsizetype i = 1; i < text.size();) {
        if (text[i] == 'T') {
            if (inTime || i + 1 == text.size())
                return false;
            inTime = true;
            units = timeUnits;
            unit = 0;
            ++i;
            continue;
        }
        const qsizetype start = i;
        while (i < text.size() && isDigit(text[i]))
            ++i;
        if (i < text.size() && (text[i] == '.' || text[i] == ',')) {
            ++i;
            while (i < text.size() && isDigit(text[i]))
                ++i;
        }
        if (i == start || i >= text.size())
            return false;
        const char* found = std::strchr(units + unit, text[i]);
        if (!found)
            return false;
        unit = found - units + 1;
        parts = true;
        ++i;
    }
    return parts;
}

bool FormatChecks::isSha1(QByteArrayView text)
{
    if (text.size() != 40)
        return false;
    for (qsizetype i = 0; i < 40; ++i) {
        if (!isHex(text[i]))
            return false;
    }
    return true;
}
