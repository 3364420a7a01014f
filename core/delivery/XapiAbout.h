#pragma once

#include "statements/XapiVersion.h"

#include <QString>
#include <QUrl>

#include <optional>

// The receiver's About resource (GET .../about, xAPI Communication 2.8): which xAPI versions it speaks, for an
// integration whose version is "auto". Asked when the integration is added or edited, never while delivering.
namespace XapiAbout {

// The About resource beside the Statement URL: .../xapi/statements -> .../xapi/about (or .../about added).
QUrl aboutUrl(const QUrl& statementUrl);

// The version to send as, from the "version" array of an About answer: 2.0.0 when it lists a 2.0 version, 1.0.3
// when it lists a 1.0 one, nothing otherwise.
std::optional<XapiVersion> pick(const QByteArray& aboutJson);

} // namespace XapiAbout
