#pragma once

#include <QByteArray>
#include <QString>

class QNetworkRequest;

// What may be shown of a request: every header as sent, except that the credentials in Authorization and in a token
// request's form body are replaced by "•••". Used for the attempt log, the Test Console and the send command alike.
namespace Redaction {

// "•••", in place of a credential.
QString mask();
// "Name: value" lines; "Authorization: Bearer •••" / "Authorization: Basic •••".
QString headers(const QNetworkRequest& request);
// One Authorization value: its scheme kept, the credentials masked.
QString authorization(const QByteArray& value);
// An application/x-www-form-urlencoded body with client_secret (and any password) masked.
QString formBody(const QByteArray& body);

} // namespace Redaction
