#include "store/DatabasePassword.h"

#include "common/Logging.h"

#include <QEventLoop>

namespace DatabasePassword {

QString key(const StoreLocation& location)
{
    return QStringLiteral("database/") + location.displayName();
}

SecretResult waitFor(const std::function<void(QObject* context, SecretCallback done)>& operation)
{
    QEventLoop loop;
    SecretResult result;
    bool answered = false;
    operation(&loop, [&](const SecretResult& answer) {
        result = answer;
        answered = true;
        loop.quit();
    });
    if (!answered)
        loop.exec();
    return result;
}

StoreLocation withKeychainPassword(StoreLocation location, SecretStore& secrets)
{
    if (location.kind() != StoreLocation::Kind::PostgreSql || !location.password().isEmpty())
        return location;
    const QString entry = key(location);
    const SecretResult found =
        waitFor([&](QObject* context, SecretCallback done) { secrets.read(entry, context, std::move(done)); });
    if (found.ok())
        location.setPassword(found.value);
    else if (found.status != SecretResult::Status::NotFound)
        qCInfo(lcSecrets) << "No database password from the keychain (" << found.message << "); libpq's own apply";
    return location;
}

} // namespace DatabasePassword
