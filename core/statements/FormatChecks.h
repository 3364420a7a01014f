#pragma once

#include <QByteArrayView>

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
// An ISO 8601 date and time: YYYY-MM-DDThh:mm[:ss[.fraction]] with Z or ±hh[:]mm, or none (xAPI Data 4.5).
bool isTimestamp(QByteArrayView text);
// An ISO 8601 duration: P[nY][nM][nW][nD][T[nH][nM][nS]], at least one part (xAPI Data 4.6).
bool isDuration(QByteArrayView text);
// 40 hexadecimal digits (a SHA-1, as in mbox_sha1sum).
bool isSha1(QByteArrayView text);

} // namespace FormatChecks
