#pragma once

#include "secrets/SecretStore.h"

// Secrets in the OS keychain through QtKeychain (Secret Service on Linux). Never falls back to a plain file.
class KeychainSecretStore final : public SecretStore
{
public:
    explicit KeychainSecretStore(QString serviceName = SecretStore::serviceName());

    void read(const QString& key, QObject* context, SecretCallback done) override;
    void write(const QString& key, const QString& value, QObject* context, SecretCallback done) override;
    void remove(const QString& key, QObject* context, SecretCallback done) override;

    static QString noKeychainMessage();

private:
    QString m_serviceName;
};
