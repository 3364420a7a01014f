#pragma once

#include "secrets/SecretStore.h"

#include <QSignalSpy>

#include <optional>

// Waits in the event loop for one asynchronous SecretStore operation.
class SecretCall final : public QObject
{
    Q_OBJECT

public:
    SecretCallback callback()
    {
        return [this](const SecretResult& result) {
            m_result = result;
            Q_EMIT finished();
        };
    }
    SecretResult wait(int timeoutMs = 20000)
    {
        if (!m_result) {
            QSignalSpy spy(this, &SecretCall::finished);
            spy.wait(timeoutMs);
        }
        return m_result.value_or(SecretResult{SecretResult::Status::Failed, {}, QStringLiteral("timed out")});
    }

    static SecretResult read(SecretStore& store, const QString& key)
    {
        SecretCall call;
        store.read(key, &call, call.callback());
        return call.wait();
    }
    static SecretResult write(SecretStore& store, const QString& key, const QString& value)
    {
        SecretCall call;
        store.write(key, value, &call, call.callback());
        return call.wait();
    }
    static SecretResult remove(SecretStore& store, const QString& key)
    {
        SecretCall call;
        store.remove(key, &call, call.callback());
        return call.wait();
    }

Q_SIGNALS:
    void finished();

private:
    std::optional<SecretResult> m_result;
};
