#pragma once

#include <QByteArrayView>

#include <limits>

// The formats of xAPI's special data types, each a test on a value's UTF-8 text: what a rule asks of a value that
// must be an IRI, a UUID, a language tag, a timestamp or a duration. The rules that use them are in StatementRules.
namespace FormatChecks {

// A UUID in its standard string form: 8-4-4-4-12 hexadecimal digits (xAPI Data 4.4).
bool isUuid(QByteArrayView text);
// An absolute IRI: a scheme, a colon, something after it, and no white space (xAPI Data 2.2.s3.b1, 2.2.s4.b1.b8).
bool isIri(QByteArrayView text);
// An IRL: an IRI that locates something (scheme://authority...).
bool isIrl(QByteArrayView text);
// An RFC 5646 language tag (xAPI Data 4.2).
bool isLanguageTag(QByteArrayView text);
// An ISO 8601 date and time: YYYY-MM-DDThh:mm[:ss[.fraction]] with Z, ±hh, ±hhmm, ±hh:mm or no offset, a real
// day of a real month (xAPI Data 4.5). The offsets -00, -0000 and -00:00 are refused: they are RFC 3339's "offset
// unknown", which ISO 8601 does not have (the ADL conformance suite refuses them too).
bool isTimestamp(QByteArrayView text);
// An RFC 3339 timestamp, as xAPI 2.0.0 asks: seconds and an offset (Z or ±hh:mm) required, -00:00 refused, a space
// allowed instead of the T.
bool isRfc3339Timestamp(QByteArrayView text);
// A timestamp but for its offset, which is -00, -0000 or -00:00 (to say so in the finding).
bool hasUnknownOffset(QByteArrayView text);
// The timestamp's time in milliseconds since the epoch (UTC when it has no offset); NoTime when it is not one.
constexpr qint64 NoTime = std::numeric_limits<qint64>::min();
qint64 timestampMsecs(QByteArrayView text);
// An ISO 8601 duration: P[nY][nM][nD][T[nH][nM][nS]] with at least one part and a fraction only on the last, or
// PnW alone (xAPI Data 4.6).
bool isDuration(QByteArrayView text);
// 40 hexadecimal digits (a SHA-1, as in mbox_sha1sum).
bool isSha1(QByteArrayView text);

} // namespace FormatChecks
