#include "delivery/Delivery.h"

#include <QJsonDocument>

namespace {
constexpr Delivery::State allStates[] = {Delivery::State::Queued,    Delivery::State::Sending,
                                         Delivery::State::Delivered, Delivery::State::Duplicate,
                                         Delivery::State::Held,      Delivery::State::Discarded};

QJsonValue timeValue(const QDateTime& time)
{
    return time.isValid() ? QJsonValue(time.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue();
}
} // namespace

QString Delivery::stateName(State state)
{
    switch (state) {
    case State::Queued:
        return QStringLiteral("queued");
    case State::Sending:
        return QStringLiteral("sending");
    case State::Delivered:
        return QStringLiteral("delivered");
    case State::Duplicate:
        return QStringLiteral("duplicate");
    case State::Held:
        return QStringLiteral("held");
    case State::Discarded:
        break;
    }
    return QStringLiteral("discarded");
}

std::optional<Delivery::State> Delivery::stateFromName(const QString& name)
{
    for (State state : allStates) {
        if (stateName(state) == name)
            return state;
    }
    return std::nullopt;
}

QJsonObject Delivery::toJson(bool withBody) const
{
    QJsonObject json{
        {QStringLiteral("id"), id},
        {QStringLiteral("integrationId"), integrationId},
        {QStringLiteral("statementId"), statementId},
        {QStringLiteral("state"), stateName(state)},
        {QStringLiteral("attempts"), attempts},
        {QStringLiteral("nextAttemptAt"), timeValue(nextAttemptAt)},
        {QStringLiteral("lastStatus"), lastStatus ? QJsonValue(*lastStatus) : QJsonValue()},
        {QStringLiteral("lastError"), lastError},
        {QStringLiteral("createdAt"), timeValue(createdAt)},
        {QStringLiteral("updatedAt"), timeValue(updatedAt)},
        {QStringLiteral("deliveredAt"), timeValue(deliveredAt)},
        {QStringLiteral("conversion"), conversion.isEmpty() ? QJsonValue() : QJsonValue(conversion)},
    };
    if (state == State::Duplicate) {
        json.insert(QStringLiteral("duplicateKind"),
                    duplicateKind.isEmpty() ? QJsonValue() : QJsonValue(duplicateKind)); // null: not triaged yet
        const QJsonObject detail = QJsonDocument::fromJson(duplicateDetail).object();
        if (!detail.isEmpty())
            json.insert(QStringLiteral("duplicateDetail"), detail);
    }
    if (withBody)
        json.insert(QStringLiteral("statement"), QJsonDocument::fromJson(body).object());
    return json;
}
