#include "statements/FormatChecks.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QString>

#include <algorithm>
#include <array>
#include <cstring>

namespace {

constexpr bool isHex(char c)
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

// The parts of an ISO 8601 date and time as the validator accepts it.
struct Timestamp
{
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, millisecond = 0;
    int offsetMinutes = 0;
    bool hasOffset = false;
    bool unknownOffset = false; // -00, -0000 or -00:00: RFC 3339's "offset unknown", which ISO 8601 does not have
    bool hasSeconds = false;
    bool rfc3339Offset = false; // Z or ±hh:mm
    bool spaceSeparator = false; // "2026-11-22 09:14:32Z", which RFC 3339 allows and ISO 8601 does not
};

bool isLeapYear(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int daysInMonth(int year, int month)
{
    static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && isLeapYear(year) ? 29 : days[month - 1];
}

// YYYY-MM-DDThh:mm[:ss[.fraction]] followed by Z, ±hh, ±hhmm, ±hh:mm or nothing.
bool parseTimestamp(QByteArrayView text, Timestamp* parsed)
{
    if (!digitsAt(text, 0, 4) || charAt(text, 4) != '-' || !digitsAt(text, 5, 2) || charAt(text, 7) != '-' ||
        !digitsAt(text, 8, 2) || (charAt(text, 10) != 'T' && charAt(text, 10) != 't' && charAt(text, 10) != ' ') ||
        !digitsAt(text, 11, 2) || charAt(text, 13) != ':' || !digitsAt(text, 14, 2))
        return false;
    parsed->spaceSeparator = charAt(text, 10) == ' ';
    parsed->year = number(text, 0, 4);
    parsed->month = number(text, 5, 2);
    parsed->day = number(text, 8, 2);
    parsed->hour = number(text, 11, 2);
    parsed->minute = number(text, 14, 2);
    if (parsed->month < 1 || parsed->month > 12 || parsed->day < 1 ||
        parsed->day > daysInMonth(parsed->year, parsed->month) || parsed->hour > 23 || parsed->minute > 59)
        return false;
    qsizetype i = 16;
    if (charAt(text, i) == ':') {
        if (!digitsAt(text, i + 1, 2) || number(text, i + 1, 2) > 60)
            return false;
        parsed->second = number(text, i + 1, 2);
        parsed->hasSeconds = true;
        i += 3;
        if (charAt(text, i) == '.' || charAt(text, i) == ',') {
            ++i;
            const qsizetype start = i;
            while (i < text.size() && isDigit(text[i]))
                ++i;
            if (i == start)
                return false;
            parsed->millisecond = number(text, start, std::min<qsizetype>(i - start, 3));
            for (qsizetype digits = i - start; digits < 3; ++digits)
                parsed->millisecond *= 10;
        }
    }
    if (i == text.size())
        return true;
    parsed->hasOffset = true;
    if (text[i] == 'Z' || text[i] == 'z') {
        parsed->rfc3339Offset = true;
        return i + 1 == text.size();
    }
    if (text[i] != '+' && text[i] != '-')
        return false;
    const bool negative = text[i] == '-';
    parsed->rfc3339Offset = charAt(text, i + 3) == ':' && i + 6 == text.size();
    if (!digitsAt(text, i + 1, 2))
        return false;
    const int hours = number(text, i + 1, 2);
    int minutes = 0;
    i += 3;
    if (i != text.size()) {
        if (text[i] == ':')
            ++i;
        if (!digitsAt(text, i, 2) || i + 2 != text.size())
            return false;
        minutes = number(text, i, 2);
    }
    if (hours > 23 || minutes > 59)
        return false;
    parsed->offsetMinutes = (negative ? -1 : 1) * (hours * 60 + minutes);
    parsed->unknownOffset = negative && hours == 0 && minutes == 0;
    return true;
}

} // namespace

bool FormatChecks::isUuid(QByteArrayView text)
{
    if (text.size() != 36 || text[8] != '-' || text[13] != '-' || text[18] != '-' || text[23] != '-')
        return false;
    static constexpr auto hexDigit = [] {
        std::array<bool, 256> table{};
        for (int c = 0; c < 256; ++c)
            table[size_t(c)] = isHex(char(c));
        return table;
    }();
    static constexpr qsizetype digits[] = {0,  1,  2,  3,  4,  5,  6,  7,  9,  10, 11, 12, 14, 15, 16, 17,
                                           19, 20, 21, 22, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35};
    bool hex = true;
    for (const qsizetype i : digits)
        hex &= hexDigit[uchar(text[i])];
    return hex;
}

bool FormatChecks::isIri(QByteArrayView text)
{
    const qsizetype size = text.size();
    if (size < 3 || !isAlpha(text[0]))
        return false;
    qsizetype i = 1;
    if (size > 5 && std::memcmp(text.data(), "http:", 5) == 0) {
        i = 4; // the common scheme, known good
    } else if (size > 6 && std::memcmp(text.data(), "https:", 6) == 0) {
        i = 5;
    } else {
        for (; i < size && text[i] != ':'; ++i) {
            const char c = text[i];
            if (!isAlpha(c) && !isDigit(c) && c != '+' && c != '-' && c != '.')
                return false;
        }
    }
    if (i >= size - 1)
        return false;
    bool ascii = true;
    const char* p = text.data() + i;
    const char* end = text.data() + size;
    // Eight bytes at a time while none of them needs a look: no byte below '!', past ASCII, or one of < > ".
    constexpr quint64 ones = 0x0101010101010101ULL;
    constexpr quint64 highs = 0x8080808080808080ULL;
    const auto anyZero = [](quint64 word) {
        return ((word - ones) & ~word & highs) != 0;
    };
    while (end - p >= 8) {
        quint64 word = 0;
        std::memcpy(&word, p, 8);
        // '<' and '>' differ in one bit only: with it set, both are '>'.
        if ((word & highs) != 0 || ((word - ones * 0x21) & ~word & highs) != 0 ||
            anyZero((word | (ones * 0x02)) ^ (ones * '>')) || anyZero(word ^ (ones * '"')))
            break;
        p += 8;
    }
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
    Timestamp parsed;
    return parseTimestamp(text, &parsed) && !parsed.unknownOffset && !parsed.spaceSeparator;
}

bool FormatChecks::isRfc3339Timestamp(QByteArrayView text)
{
    Timestamp parsed;
    return parseTimestamp(text, &parsed) && !parsed.unknownOffset && parsed.hasSeconds && parsed.rfc3339Offset;
}

bool FormatChecks::hasUnknownOffset(QByteArrayView text)
{
    Timestamp parsed;
    return parseTimestamp(text, &parsed) && parsed.unknownOffset;
}

qint64 FormatChecks::timestampMsecs(QByteArrayView text)
{
    Timestamp parsed;
    if (!parseTimestamp(text, &parsed) || parsed.unknownOffset)
        return NoTime;
    const QDateTime at(QDate(parsed.year, parsed.month, parsed.day),
                       QTime(parsed.hour, parsed.minute, std::min(parsed.second, 59), parsed.millisecond),
                       Qt::UTC);
    // Without an offset the time is local to the sender; it is taken as UTC, which is as good a guess as any.
    return at.toMSecsSinceEpoch() - qint64(parsed.offsetMinutes) * 60 * 1000;
}

bool FormatChecks::isDuration(QByteArrayView text)
{
    if (text.size() < 3 || text[0] != 'P')
        return false;
    static constexpr char dateUnits[] = "YMWD";
    static constexpr char timeUnits[] = "HMS";
    const char* units = dateUnits;
    qsizetype unit = 0;
    int parts = 0;
    bool weeks = false;
    bool fraction = false; // only the last part may have one
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
        if (fraction)
            return false;
        const qsizetype start = i;
        while (i < text.size() && isDigit(text[i]))
            ++i;
        if (i == start)
            return false;
        if (i < text.size() && (text[i] == '.' || text[i] == ',')) {
            fraction = true;
            ++i;
            const qsizetype decimals = i;
            while (i < text.size() && isDigit(text[i]))
                ++i;
            if (i == decimals)
                return false;
        }
        if (i >= text.size())
            return false;
        const char* found = std::strchr(units + unit, text[i]);
        if (!found || *found == '\0')
            return false;
        weeks |= !inTime && *found == 'W';
        unit = found - units + 1;
        ++parts;
        ++i;
    }
    // Weeks stand alone: P4W, never P4W1D (ISO 8601:2004 4.4.3.2).
    return parts > 0 && (!weeks || (parts == 1 && !inTime));
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
