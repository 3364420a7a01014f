#include "InMemorySecretStore.h"

#include <QTimer>

namespace {
void answer(QObject* context, SecretCallback done, SecretResult result)
{
    QTimer::singleShot(0, context, [done = std::move(done), result] { done(result); });
}
} // namespace

void InMemorySecretStore::read(const QString& key, QObject* context, SecretCallback done)
{
    SecretResult result;
    if (entries.contains(key))
        result.value = entries.value(key);
    else
        result.status = SecretResult::Status::NotFound;
    answer(context, std::move(done), result);
}

void InMemorySecretStore::write(const QString& key, const QString& value, QObject* context, SecretCallback done)
{
    entries.insert(key, value);
    answer(context, std::move(done), {});
}

void InMemorySecretStore::remove(const QString& key, QObject* context, SecretCallback done)
{
    SecretResult result;
    if (entries.remove(key) == 0)
        result.status = SecretResult::Status::NotFound;
    answer(context, std::move(done), result);
}
