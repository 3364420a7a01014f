#pragma once

#include "common/FieldIssue.h"

#include <QHash>
#include <QJsonObject>
#include <QString>

#include <optional>

class Store;

// How long one integration keeps what it delivered. Unset: kept for ever (the default).
struct RetentionPolicy
{
    // Delivered and duplicate statements older than this many days are pruned with their attempts.
    std::optional<int> retentionDays;
    // Their statement bodies and response bodies are erased after this many days; the attempt metadata (status,
    // time, duration) stays for the statistics.
    std::optional<int> keepBodiesDays;

    bool isEmpty() const { return !retentionDays && !keepBodiesDays; }
    // What is wrong with it, by field ("retentionDays", "keepBodiesDays": the keys of integration show --json): a
    // number of days out of range, or bodies kept longer than their statements. The CLI and the Integrations dialog
    // show these same sentences.
    FieldIssues check() const;
    // {"retentionDays": N|null, "keepBodiesDays": N|null}
    QJsonObject toJson() const;
    // "keep everything", "30 days", ...
    static QString daysText(const std::optional<int>& days);
    bool operator==(const RetentionPolicy&) const = default;

    static constexpr int MaxDays = 36500;
};

// The retention_policies table. Writing one does not touch the integration's row: changing how long it keeps its
// history neither bumps its revision nor releases what is held.
class RetentionPolicies final
{
public:
    explicit RetentionPolicies(Store& store);

    RetentionPolicy get(qint64 integrationId, QString* error) const;
    // Every integration that has a policy.
    QHash<qint64, RetentionPolicy> all(QString* error) const;
    // Refuses a policy that check() finds wrong, with its first sentence.
    bool set(qint64 integrationId, const RetentionPolicy& policy, QString* error);

    // "--retention-days": a whole number of days from 1 to MaxDays, or "keep" (also "off", "0") for no limit.
    // Sets *error naming the option when the text is neither.
    static bool parseDays(const QString& option, const QString& text, std::optional<int>* days, QString* error);

private:
    Store& m_store;
};
