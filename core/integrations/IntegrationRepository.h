#pragma once

#include "common/FieldIssue.h"
#include "integrations/Integration.h"

#include <functional>
#include <optional>

class Store;

// Rows of the integrations table. Every write runs in its own transaction. Knows nothing of secrets.
class IntegrationRepository final
{
public:
    explicit IntegrationRepository(Store& store);

    QList<Integration> all(QString* error) const;
    // Changes whenever an integration is added, removed, edited, renamed, enabled or disabled (by any process); not
    // on health changes.
    QString fingerprint(QString* error) const;
    std::optional<Integration> byId(qint64 id, QString* error) const;
    // By id when the text is a number that names one, otherwise by name (case-insensitive).
    std::optional<Integration> find(const QString& nameOrId, QString* error) const;

    // Name and provider must each be unique (case-insensitive); returns the clashes with other integrations.
    FieldIssues checkUnique(const Integration& integration, QString* error) const;

    // Fill id, createdAt, updatedAt, revision. Unique clashes found by the database come back as issues.
    bool insert(Integration& integration, FieldIssues* issues, QString* error);
    bool update(Integration& integration, FieldIssues* issues, QString* error);
    // Also kept in health_changes, so the delivery charts end a held or retrying period at the disable. at: when
    // (unset: now).
    bool setEnabled(qint64 id, bool enabled, QString* error, const QDateTime& at = {});
    bool remove(qint64 id, QString* error);

    // What the delivery engine records about a lane; health_since moves only when the health changes, and then the
    // change is also kept in health_changes (the delivery charts shade the periods held or retrying).
    struct HealthChange
    {
        Integration::Health health = Integration::Health::Healthy;
        QString reason;
        QDateTime nextProbeAt;
        int heldRevision = 0;
    };
    // at: when it changed (unset: now).
    bool setHealth(qint64 id, const HealthChange& change, QString* error, const QDateTime& at = {});

private:
    // Inside the caller's transaction, before enabled changes: the change in health_changes, if it is one.
    bool recordEnabledChange(qint64 id, bool enabled, qint64 at, QString* error);
    // One statement in its own transaction that must touch exactly one integration, after `first` when given.
    bool updateOne(const QString& sql, const QVariantList& values, QString* error,
                   const std::function<bool(QString*)>& first = {});

    Store& m_store;
};
