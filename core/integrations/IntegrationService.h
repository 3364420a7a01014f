#pragma once

#include "common/FieldIssue.h"
#include "integrations/Integration.h"
#include "integrations/IntegrationRepository.h"
#include "integrations/XapiDetection.h"
#include "retention/RetentionPolicies.h"

#include <QObject>

#include <functional>
#include <memory>

class QNetworkAccessManager;
class SecretStore;
struct SecretResult;
class Store;

// What a save or delete came to. On failure either issues (refused input, by field) or error (a sentence) is set.
struct IntegrationOutcome
{
    bool ok = false;
    Integration integration;
    FieldIssues issues; // errors and, on success too, warnings worth showing
    QString error;
};

using IntegrationCallback = std::function<void(const IntegrationOutcome&)>;

// The one way the GUI and the CLI change integrations: applies the portal's rules, keeps the secret in the keychain
// and the row in the store together (never one without the other), and announces changes.
class IntegrationService final : public QObject
{
    Q_OBJECT

public:
    IntegrationService(Store& store, SecretStore& secrets, QObject* parent = nullptr);
    ~IntegrationService() override;

    const IntegrationRepository& repository() const { return m_repository; }
    QList<Integration> list(QString* error) const { return m_repository.all(error); }

    // Every rule for a draft: its own fields and uniqueness. draft.id == 0 means a new integration.
    FieldIssues check(const Integration& draft, bool secretGiven, QString* error) const;
    // Whether a save of this draft must come with a secret (none stored yet, or the authentication kind changed).
    bool secretRequired(const Integration& draft, QString* error) const;

    // Before add or update: for an "auto" draft, asks the receiver's GET .../about and fills what it said (and
    // when) into the draft; another version clears that and calls done at once. Never blocks.
    void detectXapiVersion(Integration draft, std::function<void(const XapiDetection::Outcome&)> done);

    // secret: the client secret or Basic password; on update an empty one keeps the stored secret.
    void add(Integration draft, const QString& secret, IntegrationCallback done);
    void update(Integration draft, const QString& secret, IntegrationCallback done);
    // How long an integration keeps what it delivered (RetentionPolicies). Setting it leaves the integration's row
    // alone: no new revision, nothing held is released; a policy that RetentionPolicy::check() refuses is not saved.
    RetentionPolicy retention(qint64 id, QString* error) const { return RetentionPolicies(m_store).get(id, error); }
    bool setRetention(qint64 id, const RetentionPolicy& policy, QString* error)
    {
        return RetentionPolicies(m_store).set(id, policy, error);
    }
    // Removes the keychain entry and the row, or neither.
    void remove(qint64 id, IntegrationCallback done);
    bool setEnabled(qint64 id, bool enabled, QString* error);

    // After the store changed (another process committed): announces integrationsChanged() when the integrations
    // themselves changed (added, removed, edited, renamed, enabled or disabled), so every list, picker and column
    // that shows them follows.
    void followStore();

    // The stored client secret or Basic password of an integration.
    void readSecret(const Integration& integration, QObject* context, std::function<void(const SecretResult&)> done);

Q_SIGNALS:
    void integrationsChanged();

private:
    void saveRow(Integration draft, bool isNew, FieldIssues warnings, IntegrationCallback done,
                 std::function<void(IntegrationCallback)> undoSecret);

    Store& m_store;
    SecretStore& m_secrets;
    IntegrationRepository m_repository;
    std::unique_ptr<QNetworkAccessManager> m_network; // for GET .../about, made when first needed
    QString m_fingerprint; // of the integrations as last announced
};
