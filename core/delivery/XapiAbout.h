#pragma once

#include "statements/XapiVersion.h"

#include <QString>
#include <QUrl>

#include <optional>

class QNetworkAccessManager;

// The receiver's About resource (GET .../about, xAPI Communication 2.8): which xAPI versions it speaks, for an
// integration whose version is "auto". Asked when the integration is added or edited, never while delivering.
namespace XapiAbout {

// The About resource beside the Statement URL: .../xapi/statements -> .../xapi/about (or .../about added).
QUrl aboutUrl(const QUrl& statementUrl);

// The version to send as, from the "version" array of an About answer: 2.0.0 when it lists a 2.0 version, 1.0.3
// when it lists a 1.0 one, nothing otherwise.
std::optional<XapiVersion> pick(const QByteArray& aboutJson);

struct Answer
{
    std::optional<XapiVersion> version;
    QString detail; // what happened, for a person: "the receiver speaks 1.0.3, 2.0.0" or why there is no answer
};

// Asks and waits (at most timeoutMs); meant for the command line and dialogs, not the delivery engine.
Answer ask(QNetworkAccessManager& network, const QUrl& statementUrl, int timeoutMs = 10000);

} // namespace XapiAbout
