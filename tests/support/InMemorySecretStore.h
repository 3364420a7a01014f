#pragma once

#include "secrets/SecretStore.h"

#include <QHash>

// For tests of pieces that only need somewhere to keep a secret; the keychain itself is tested for real.
// Answers asynchronously, like the keychain.
class InMemorySecretStore final : public SecretStore
{
public:
    void read(const QString& key, QObject* context, SecretCallback done) override;
    void write(const QString& key, const QString& value, QObject* context, SecretCallback done) override;
    void remove(const QString& key, QObject* context, SecretCallback done) override;

    QHash<QString, QString> entries;
};
