#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

// One learner as xAPI identifies an Agent (xAPI 1.0.3 §2.4.2.1, inverse functional identifiers): by e-mail (mbox), by
// the SHA-1 of the mbox IRI, or by an account on a system. An e-mail learner also matches statements that name the
// same mbox by its SHA-1, and an SHA-1 learner statements that name an mbox with that hash.
class LearnerId final
{
public:
    enum class Kind { Mbox, Sha1, Account };

    // "mailto:ADDRESS", "mbox_sha1sum:HASH" or "HOMEPAGE::NAME"; nullopt with *error (naming --actor) otherwise.
    static std::optional<LearnerId> parse(const QString& text, QString* error);

    Kind kind() const { return m_kind; }
    // As the person gave it, normalised ("mailto:ada@example.com").
    QString display() const;

    bool matchesAgent(const QJsonObject& agent) const;
    // Whether the statement names the learner: as actor (or a member of the actor Group), as object, as context
    // instructor or team (or one of their members), in contextAgents / contextGroups (2.0.0), or as authority; a
    // SubStatement object is looked into the same way.
    bool matchesStatement(const QJsonObject& statement) const;
    // Whether an H5P user id is this learner as the provider profiles turn it into an actor: the mbox address, the
    // account name, or the address whose mbox has this SHA-1.
    bool matchesUserId(const QString& userId) const;
    // Texts one of which any stored JSON naming the learner contains (compared without case): to narrow a search
    // before each candidate is parsed and matched exactly.
    QStringList needles() const;

private:
    bool matchesGroupOrAgent(const QJsonValue& value) const;

    Kind m_kind = Kind::Mbox;
    QString m_mbox;     // "mailto:address", address in lower case
    QString m_sha1;     // lower-case hex: given, or of m_mbox
    QString m_homePage; // account
    QString m_name;
};
