#pragma once

#include "integrations/Integration.h"

#include <QString>

#include <functional>

class QNetworkAccessManager;
class QObject;

// An integration whose xAPI version is "auto" asks its receiver's About resource (GET .../about) when it is added or
// edited, and keeps the answer: xapiDetected (empty when there was none) and xapiDetectedAt (when it asked). The CLI
// and the Integrations dialog both ask through this before they save, without blocking the event loop.
namespace XapiDetection {

struct Outcome
{
    Integration integration; // the draft with xapiDetected and xapiDetectedAt filled (cleared for 1.0.3 and 2.0.0)
    bool asked = false;      // the version is "auto"
    bool answered = false;   // the receiver named a version this program speaks
    QString detail;          // for a person: "GET https://…/about lists 1.0.3, 2.0.0" or why there is no answer
};

// Asks (for "auto") and calls done once, in context's thread; done is not called if context is destroyed first.
// Another version calls done at once, without asking.
void detect(QNetworkAccessManager& network, Integration draft, QObject* context,
            std::function<void(const Outcome&)> done, int timeoutMs = 10000);

// "2.0.0 (asked 2026-11-22 09:14)", "no answer (asked …): sent as 1.0.3", "not asked yet": what "auto" came to.
QString describe(const Integration& integration);

} // namespace XapiDetection
