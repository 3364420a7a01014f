#pragma once

#include "statements/XapiVersion.h"

#include <QDateTime>
#include <QJsonObject>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QUrl>

// Everything the integration portal knows about one destination, plus its delivery health. Never holds a secret:
// the client secret (or Basic password) lives in the keychain under SecretStore::integrationKey(uid).
struct Integration
{
    enum class Auth { OAuth2, Basic, None };
    enum class Health { Healthy, Retrying, Held, Disabled };

    qint64 id = 0;
    QString uid; // stable keychain key, a UUID
    QString name;
    QString provider;
    QStringList emails;
    QUrl statementUrl;
    Auth auth = Auth::OAuth2;
    QUrl authUrl;     // OAuth 2.0 token endpoint
    QString clientId; // OAuth 2.0
    // Where the client id and secret go on the token request (RFC 6749 §2.3.1): an HTTP Basic header (what every
    // server must support) or the form body.
    bool clientCredentialsInBody = false;
    QString username; // HTTP Basic
    bool hasSecret = false;
    bool enabled = true;
    Health storedHealth = Health::Healthy; // as the delivery engine left it
    QString holdReason;
    QDateTime nextProbeAt;
    int revision = 1;     // bumped by every saved edit; a held lane resumes when it changes
    int heldRevision = 0; // the revision that was current when the lane was held
    QDateTime healthSince;
    QDateTime failingSince;        // the first failure of the current episode (held or retrying); invalid while healthy
    int retryIntervalSeconds = 60; // between probes while retrying
    int concurrency = 4;           // requests in flight while healthy
    int batchSize = 1;             // statements per POST
    bool alertsEnabled = true;     // e-mail the technical contacts when deliveries fail
    // The xAPI version the receiver speaks: "1.0.3", "2.0.0" or "auto" (its GET .../about, asked when the
    // integration is added or edited; xapiDetected keeps the answer, empty when it could not be had).
    QString xapiVersion = QStringLiteral("1.0.3");
    QString xapiDetected;
    QDateTime xapiDetectedAt; // when "auto" last asked (answered or not); invalid when it never did
    QDateTime createdAt;
    QDateTime updatedAt;

    // Disabled wins over whatever the engine recorded.
    Health health() const { return enabled ? storedHealth : Health::Disabled; }
    bool needsSecret() const { return auth != Auth::None; }
    // The version statements are validated, converted and sent as (the X-Experience-API-Version header): the
    // setting, or for "auto" the receiver's answer, 1.0.3 when there is none.
    XapiVersion effectiveXapiVersion() const;

    // camelCase keys, never a secret.
    QJsonObject toJson() const;
    bool operator==(const Integration&) const = default;

    static QString authName(Auth auth); // "oauth2", "basic", "none"
    static bool authFromName(const QString& name, Auth* auth);
    static QString authLabel(Auth auth);      // "OAuth 2.0 client credentials", ...
    static QString healthName(Health health); // "healthy", "retrying", "held", "disabled"
    static Health healthFromName(const QString& name);
    static QString healthLabel(Health health); // "Healthy", ...
    static QStringList parseEmails(const QString& commaSeparated);
};

Q_DECLARE_METATYPE(Integration)
