#pragma once

#include <QObject>
#include <QString>

#include <functional>

// The outcome of one keychain operation. message is a sentence for a person, never the secret.
struct SecretResult
{
    enum class Status { Ok, NotFound, NoBackend, AccessDenied, Failed };

    Status status = Status::Ok;
    QString value; // the secret, for a successful read only
    QString message;

    bool ok() const { return status == Status::Ok; }
};

using SecretCallback = std::function<void(const SecretResult&)>;

// Where secrets live: the OS keychain in the product; tests of other pieces may use an in-memory store.
// Operations are asynchronous; done is called once, on the thread of context, and only while context lives.
class SecretStore
{
public:
    virtual ~SecretStore() = default;
    virtual void read(const QString& key, QObject* context, SecretCallback done) = 0;
    virtual void write(const QString& key, const QString& value, QObject* context, SecretCallback done) = 0;
    virtual void remove(const QString& key, QObject* context, SecretCallback done) = 0;

    // The keychain service name under which every xAPI Courier secret is kept.
    static QString serviceName();
    // The stable key of an integration's client secret (or Basic password).
    static QString integrationKey(const QString& integrationUid);
};
