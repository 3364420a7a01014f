#pragma once

#include "common/FieldIssue.h"
#include "integrations/Integration.h"
#include "integrations/IntegrationRepository.h"

#include <QObject>

#include <functional>

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

    const IntegrationRepository& repository() const { return m_repository; }
    QList<Integration> list(QString* error) const { return m_repository.all(error); }

    // Every rule for a draft: its own fields and uniqueness. draft.id == 0 means a new integration.
    FieldIssues check(const Integration& draft, bool secretGiven, QString* error) const;
    // Whether a save of this draft must come with a secret (none stored yet, or the authentication kind changed).
    bool secretRequired(const Integration& draft, QString* error) const;

    // secret: the client secret or Basic password; on update an empty one keeps the stored secret.
    void add(Integration draft, const QString& secret, IntegrationCallback done);
    void update(Integration draft, const QString& secret, IntegrationCallback done);
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

    SecretStore& m_secrets;
    IntegrationRepository m_repository;
    QString m_fingerprint; // of the integrations as last announced
};
