#include "statements/JsonView.h"

#include "statements/JsonErrorLocator.h"

#include <QChar>

namespace {

// A parser keeps the capacity of the largest text it took (its tape is about 8 bytes per input byte); after a large
// one it goes back to this much when the next text is small, so a 4 MB statement does not hold 40 MB for good.
constexpr size_t KeptCapacity = 256 * 1024;

// Whether a number in the tree is a double that is zero: simdjson reads 1e-400 as 0, where Qt JSON (which turns
// the statement into Qt JSON later) refuses it; such a zero has its text looked at.
bool hasZeroDouble(simdjson::dom::element element)
{
    switch (element.type()) {
    case simdjson::dom::element_type::DOUBLE: {
        double number = 1;
        return element.get_double().get(number) == simdjson::SUCCESS && number == 0;
    }
    case simdjson::dom::element_type::ARRAY: {
        simdjson::dom::array array;
        if (element.get_array().get(array) != simdjson::SUCCESS)
            return false;
        for (const simdjson::dom::element item : array) {
            if (hasZeroDouble(item))
                return true;
        }
        return false;
    }
    case simdjson::dom::element_type::OBJECT: {
        simdjson::dom::object object;
        if (element.get_object().get(object) != simdjson::SUCCESS)
            return false;
        for (const auto member : object) {
            if (hasZeroDouble(member.value))
                return true;
        }
        return false;
    }
    default:
        return false;
    }
}

// Whether the text may hold a number that is not zero and reads as zero (a double reaches down to about 4.9e-324),
// so that the tree has to be walked for one: a number with a negative exponent, or with a run of more than 300 zeros
// (without a negative exponent, it takes that many). A cheap look: most statements have neither.
bool mayUnderflow(QByteArrayView json)
{
    const auto isDigit = [](char c) {
        return c >= '0' && c <= '9';
    };
    const char* data = json.data();
    const char* end = data + json.size();
    for (const char* dash = data; (dash = static_cast<const char*>(std::memchr(dash, '-', size_t(end - dash))));
         ++dash) {
        if (dash - data < 2 || (dash[-1] != 'e' && dash[-1] != 'E') || !isDigit(dash[-2]))
            continue;
        // The exponent's digits end the number: a UUID's "1e-4f55" is no number.
        const char* digit = dash + 1;
        while (digit < end && isDigit(*digit))
            ++digit;
        if (digit > dash + 1 && (digit == end || *digit == ',' || *digit == '}' || *digit == ']' || *digit == ' ' ||
                                 *digit == '\n' || *digit == '\r' || *digit == '\t'))
            return true;
    }
    // Such a run covers two bytes 128 apart, at multiples of 128 (any run of 255 does).
    constexpr qsizetype stride = 128;
    for (qsizetype at = stride; at < json.size(); at += stride) {
        if (data[at] == '0' && data[at - stride] == '0')
            return true;
    }
    return false;
}

} // namespace

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

QByteArray JsonView::padded(QByteArrayView text)
{
    QByteArray copy;
    copy.reserve(text.size() + Padding + 1); // and the terminating zero QByteArray keeps
    copy.append(text);
    Q_ASSERT(copy.data_ptr().freeSpaceAtEnd() > Padding);
    return copy;
}

bool JsonView::parse(QByteArrayView json, qsizetype padding)
{
    m_parsed = false;
    m_errorOffset = 0;
    m_error = {};
    const auto size = size_t(json.size());
    if (m_parser.capacity() > KeptCapacity && size <= KeptCapacity &&
        m_parser.allocate(KeptCapacity, MaximumDepth) != simdjson::SUCCESS) {
        m_error = QLatin1StringView("there is not enough memory to parse it");
        return false;
    }
    // Without the padding after it, simdjson copies the text into a padded buffer of its own (kept between parses).
    const simdjson::error_code error =
        m_parser.parse(json.data() ? json.data() : "", size, padding < Padding).get(m_root);
    JsonErrorLocator::Location location;
    if (error == simdjson::SUCCESS) {
        // The grammar refuses a number that is not zero but reads as zero (too close to it for a double).
        if (!mayUnderflow(json) || !hasZeroDouble(m_root) ||
            !(location = JsonErrorLocator::locate(json, error)).found) {
            m_parsed = true;
            return true;
        }
    } else {
        location = JsonErrorLocator::locate(json, error);
    }
    m_errorOffset = location.offset;
    m_error = location.what;
    return false;
}
