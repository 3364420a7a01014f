#include "CliRunner.h"
#include "SecretCall.h"
#include "ServiceCall.h"
#include "TestStore.h"

#include "integrations/IntegrationService.h"
#include "secrets/KeychainSecretStore.h"

#include <QTest>
#include <QUuid>

// Against the real Secret Service (gnome-keyring inside dbus-run-session, see scripts/with-keychain.sh).
class TestKeychainSecretStore final : public QObject
{
    Q_OBJECT

private:
    static QString uniqueKey() { return QStringLiteral("test/") + QUuid::createUuid().toString(QUuid::WithoutBraces); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"),
                 "run inside scripts/with-keychain.sh (a D-Bus session with an unlocked gnome-keyring)");
    }

    void roundTrip()
    {
        KeychainSecretStore store;
        const QString key = uniqueKey();
        QCOMPARE(SecretCall::write(store, key, QStringLiteral("pässwörd ✓ 1")).status, SecretResult::Status::Ok);
        const SecretResult read = SecretCall::read(store, key);
        QVERIFY2(read.ok(), qPrintable(read.message));
        QCOMPARE(read.value, QStringLiteral("pässwörd ✓ 1"));

        QVERIFY(SecretCall::write(store, key, QStringLiteral("second")).ok());
        QCOMPARE(SecretCall::read(store, key).value, QStringLiteral("second"));

        QVERIFY(SecretCall::remove(store, key).ok());
        QCOMPARE(SecretCall::read(store, key).status, SecretResult::Status::NotFound);
    }

    void missingEntryIsNotFoundNotAnError()
    {
        KeychainSecretStore store;
        const SecretResult read = SecretCall::read(store, uniqueKey());
        QCOMPARE(read.status, SecretResult::Status::NotFound);
        QVERIFY(read.value.isEmpty());
    }

    void servicesAreSeparate()
    {
        KeychainSecretStore courier;
        KeychainSecretStore other(QStringLiteral("xapi-courier-other"));
        const QString key = uniqueKey();
        QVERIFY(SecretCall::write(courier, key, QStringLiteral("mine")).ok());
        QCOMPARE(SecretCall::read(other, key).status, SecretResult::Status::NotFound);
        QVERIFY(SecretCall::remove(courier, key).ok());
    }

    // The whole path an admin takes: the secret reaches the keychain and never the database.
    void integrationSecretLivesOnlyInTheKeychain()
    {
        TestStore fixture;
        QVERIFY(fixture.isValid());
        KeychainSecretStore secrets;
        IntegrationService service(fixture.store(), secrets);
        const QString secret = QStringLiteral("kc-secret-") + QUuid::createUuid().toString(QUuid::Id128);

        const IntegrationOutcome added = addAndWait(service, sampleIntegration(), secret);
        QVERIFY2(added.ok, qPrintable(added.error));
        const QString key = SecretStore::integrationKey(added.integration.uid);
        QCOMPARE(SecretCall::read(secrets, key).value, secret);
        QVERIFY(!fixture.fileBytes().contains(secret.toUtf8()));

        Integration edited = added.integration;
        edited.clientId = QStringLiteral("courier-2");
        QVERIFY(updateAndWait(service, edited, QString()).ok);
        QCOMPARE(SecretCall::read(secrets, key).value, secret);

        QVERIFY(removeAndWait(service, added.integration.id).ok);
        QCOMPARE(SecretCall::read(secrets, key).status, SecretResult::Status::NotFound);
        QVERIFY(!fixture.fileBytes().contains(secret.toUtf8()));
    }
};

QTEST_GUILESS_MAIN(TestKeychainSecretStore)
#include "tst_keychainsecretstore.moc"
