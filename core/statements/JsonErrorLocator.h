#pragma once

#include <QByteArrayView>
#include <QLatin1StringView>

#include <simdjson.h>

// Where text that simdjson refused stops being JSON, and what is wrong there, in a sentence for a person. simdjson
// decides whether text is JSON and says what kind of problem it met, but not where; this is the second, slow pass
// over refused text only (never over text that parsed): it reads the RFC 8259 grammar without building anything
// and stops at the first problem in reading order: a comma missing at the end of a line is reported just after the
// value it should follow, not at the next line's text.
namespace JsonErrorLocator {

struct Location
{
    qsizetype offset = 0;   // bytes from the start of the text
    QLatin1StringView what; // e.g. "a comma or a closing brace is expected"
    bool found = true;      // false: the grammar found nothing wrong, and what is simdjson's verdict, at offset 0
};

// error: what simdjson said of the text; used when the grammar finds nothing wrong (its limits aside, simdjson and
// the grammar agree, so this is a fallback). Also asked of text simdjson took (error SUCCESS) that holds a double
// zero: the grammar refuses a number that underflows to zero, as Qt JSON does.
Location locate(QByteArrayView text, simdjson::error_code error);

} // namespace JsonErrorLocator
