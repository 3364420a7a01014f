#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <optional>

// One outbox row: a statement on its way to one integration.
struct Delivery
{
    enum class State { Queued, Sending, Delivered, Duplicate, Held, Discarded };

    qint64 id = 0;
    qint64 integrationId = 0;
    QString statementId;
    QByteArray body; // the statement as it is sent, compact JSON
    State state = State::Queued;
    int attempts = 0;
    QDateTime nextAttemptAt; // invalid: now
    std::optional<int> lastStatus;
    QString lastError;
    QDateTime createdAt;
    QDateTime updatedAt;
    QDateTime deliveredAt;
    // For a duplicate (409): "identical", "conflicting" or "unverified" once triaged (empty before), and the
    // differences or the reason as JSON (DuplicateTriage).
    QString duplicateKind;
    QByteArray duplicateDetail;
    // How the statement was changed for the receiver's xAPI version (a 2.0.0 statement for a 1.0.3 receiver); empty
    // when it goes as it was queued.
    QString conversion;

    bool isFinished() const
    {
        return state == State::Delivered || state == State::Duplicate || state == State::Discarded;
    }
    QJsonObject toJson(bool withBody) const;

    static QString stateName(State state); // queued, sending, delivered, duplicate, held, discarded
    static std::optional<State> stateFromName(const QString& name);
};
