#include "secrets/KeychainSecretStore.h"

#include "common/Logging.h"

#include <qt6keychain/keychain.h>

#include <QStringList>

#include <algorithm>

namespace {

bool isUnreachableBackend(const QString& errorString)
{
    static const QStringList markers = {
        QStringLiteral("D-Bus"),
        QStringLiteral("DBus"),
        QStringLiteral("Could not connect"),
        QStringLiteral("org.freedesktop.secrets"),
        QStringLiteral("ServiceUnknown"),
        QStringLiteral("autolaunch"),
    };
    return std::any_of(markers.cbegin(), markers.cend(),
                       [&](const QString& marker) { return errorString.contains(marker, Qt::CaseInsensitive); });
}

SecretResult resultOf(const QKeychain::Job* job, const QString& operation)
{
    SecretResult result;
    switch (job->error()) {
    case QKeychain::NoError:
        return result;
    case QKeychain::EntryNotFound:
        result.status = SecretResult::Status::NotFound;
        result.message = QStringLiteral("No secret is stored in the keychain for this entry.");
        return result;
    case QKeychain::NoBackendAvailable:
        result.status = SecretResult::Status::NoBackend;
        result.message = KeychainSecretStore::noKeychainMessage();
        break;
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        result.status = SecretResult::Status::AccessDenied;
        result.message = QStringLiteral("The keychain refused access (it may be locked, or the request was "
                                        "cancelled). Unlock your keychain and try again.");
        break;
    default:
        result.status = SecretResult::Status::Failed;
        // Without a reachable session bus or Secret Service, libsecret reports a connection failure rather than
        // NoBackendAvailable.
        if (isUnreachableBackend(job->errorString())) {
            result.status = SecretResult::Status::NoBackend;
            result.message = KeychainSecretStore::noKeychainMessage();
        } else {
            result.message =
                QStringLiteral("The keychain could not %1 the secret: %2").arg(operation, job->errorString());
        }
        break;
    }
    // No keychain at all is the caller's to tell (a PostgreSQL store then reads libpq's .pgpass, quietly).
    if (result.status == SecretResult::Status::NoBackend)
        qCInfo(lcSecrets) << "Keychain" << operation << "failed for" << job->key() << ":" << job->errorString();
    else
        qCWarning(lcSecrets) << "Keychain" << operation << "failed for" << job->key() << ":" << job->errorString();
    return result;
}

template <typename JobType> void start(JobType* job, const QString& operation, QObject* context, SecretCallback done)
{
    job->setInsecureFallback(false);
    job->setAutoDelete(true);
    QObject::connect(job, &QKeychain::Job::finished, context, [done = std::move(done), operation](QKeychain::Job* j) {
        SecretResult result = resultOf(j, operation);
        if (result.ok()) {
            if (auto* readJob = qobject_cast<QKeychain::ReadPasswordJob*>(j))
                result.value = readJob->textData();
        }
        done(result);
    });
    job->start();
}

} // namespace

KeychainSecretStore::KeychainSecretStore(QString serviceName)
    : m_serviceName(std::move(serviceName))
{}

QString KeychainSecretStore::noKeychainMessage()
{
    return QStringLiteral(
        "No keychain is running. xAPI Courier keeps secrets only in the OS keychain (the Secret "
        "Service: GNOME Keyring or KWallet). Log in to a desktop session with an unlocked keychain; on "
        "a server, start the worker inside `dbus-run-session` with an unlocked "
        "gnome-keyring-daemon.");
}

void KeychainSecretStore::read(const QString& key, QObject* context, SecretCallback done)
{
    auto* job = new QKeychain::ReadPasswordJob(m_serviceName); // deletes itself when finished
    job->setKey(key);
    start(job, QStringLiteral("read"), context, std::move(done));
}

void KeychainSecretStore::write(const QString& key, const QString& value, QObject* context, SecretCallback done)
{
    auto* job = new QKeychain::WritePasswordJob(m_serviceName); // deletes itself when finished
    job->setKey(key);
    job->setTextData(value);
    start(job, QStringLiteral("store"), context, std::move(done));
}

void KeychainSecretStore::remove(const QString& key, QObject* context, SecretCallback done)
{
    auto* job = new QKeychain::DeletePasswordJob(m_serviceName); // deletes itself when finished
    job->setKey(key);
    start(job, QStringLiteral("delete"), context, std::move(done));
}
