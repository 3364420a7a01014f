#pragma once

#include "alerts/EmailMessage.h"
#include "integrations/Integration.h"

// What an on-call engineer needs in their inbox: which integration, what happened (with the receiver's own
// words), since when, how much waits, what the queue does next and what to do. Never a secret.
struct AlertFacts
{
    Integration integration;
    QString kind;   // held, retrying, unhealthy (reminder), recovered
    QString reason; // the error as the engine recorded it, with the receiver's status and body
    int waiting = 0;
    QDateTime now;
};

namespace AlertComposer {
constexpr int ReasonCap = 2000;
EmailMessage compose(const AlertFacts& facts, const QString& from);
EmailMessage testMessage(const QString& from, const QString& to);
} // namespace AlertComposer
