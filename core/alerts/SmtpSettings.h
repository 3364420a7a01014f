#pragma once

#include "common/FieldIssue.h"

#include <QString>

class Store;

// Where alerts are sent from. The password is not here: it lives in the keychain under passwordKey().
struct SmtpSettings
{
    enum class Security { None, StartTls, Tls };

    QString host;
    int port = 587;
    Security security = Security::StartTls;
    QString user;
    QString from; // sender address
    bool hasPassword = false;

    bool isConfigured() const { return !host.isEmpty() && !from.isEmpty(); }
    FieldIssues check() const;

    static SmtpSettings load(Store& store, QString* error);
    bool save(Store& store, QString* error) const;

    static QString securityName(Security security); // none, starttls, tls
    static bool securityFromName(const QString& name, Security* security);
    static QString passwordKey();
};
