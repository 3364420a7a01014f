#pragma once

#include "alerts/EmailMessage.h"
#include "alerts/SmtpSettings.h"

#include <QObject>

#include <functional>

struct SmtpResult
{
    bool ok = false;
    QString error;       // for people; never contains the password
    QString serverReply; // what the server said, line by line
};

// Sends one e-mail through libcurl's SMTP on a pool thread, so a slow or dead server never blocks the event loop.
// done is called on the thread of context, while context lives.
class SmtpClient final
{
public:
    static constexpr int TimeoutSeconds = 30;

    static void send(const SmtpSettings& settings, const QString& password, const EmailMessage& message,
                     QObject* context, std::function<void(const SmtpResult&)> done);
    // The blocking part, for the pool thread.
    static SmtpResult sendNow(const SmtpSettings& settings, const QString& password, const EmailMessage& message);
};
