#include "CliRunner.h"
#include "SecretCall.h"
#include "ServiceCall.h"
#include "TestStore.h"

#include "integrations/IntegrationService.h"
#include "secrets/KeychainSecretStore.h"

#include "common/Clock.h"
#include "completions/CompletionReceiver.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTest>

// Runs with DBUS_SESSION_BUS_ADDRESS pointing nowhere: the real QtKeychain finds no Secret Service.
class TestNoKeychain final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void operationsSayNoKeychainIsRunning()
    {
        KeychainSecretStore store;
        const SecretResult written = SecretCall::write(store, QStringLiteral("test/x"), QStringLiteral("s"));
        QCOMPARE(written.status, SecretResult::Status::NoBackend);
        QVERIFY2(written.message.contains(QLatin1String("No keychain is running")), qPrintable(written.message));
        QCOMPARE(SecretCall::read(store, QStringLiteral("test/x")).status, SecretResult::Status::NoBackend);
    }

    void addSavesNothing()
    {
        TestStore fixture;
        KeychainSecretStore secrets;
        IntegrationService service(fixture.store(), secrets);
        const IntegrationOutcome outcome = addAndWait(service, sampleIntegration(), QStringLiteral("never-stored"));
        QVERIFY(!outcome.ok);
        QVERIFY2(outcome.error.contains(QLatin1String("was not saved")), qPrintable(outcome.error));
        QVERIFY(outcome.error.contains(QLatin1String("No keychain is running")));
        QString error;
        QVERIFY(service.list(&error).isEmpty());
        QVERIFY(!fixture.fileBytes().contains("never-stored"));
    }

    void integrationsWithoutSecretsStillWork()
    {
        TestStore fixture;
        KeychainSecretStore secrets;
        IntegrationService service(fixture.store(), secrets);
        Integration open = sampleIntegration();
        open.auth = Integration::Auth::None;
        const IntegrationOutcome added = addAndWait(service, open, QString());
        QVERIFY2(added.ok, qPrintable(added.error));
        QVERIFY(removeAndWait(service, added.integration.id).ok);
    }

    void editWithNewSecretKeepsTheOldRow()
    {
        TestStore fixture;
        {
            // A row that claims a secret, as left by a session that had a keychain.
            QSqlQuery insert(fixture.store().database());
            QVERIFY(insert.exec(QStringLiteral(
                "INSERT INTO integrations (uid, name, name_key, provider, provider_key, statement_url, auth_kind, "
                "auth_url, client_id, has_secret, created_at, updated_at) VALUES ('u-1', 'Acme LRS', 'acme lrs', "
                "'acme', 'acme', 'https://lrs.acme.example/x', 'oauth2', 'https://auth.acme.example/t', 'old-id', 1, "
                "1, 1)")));
        }
        KeychainSecretStore secrets;
        IntegrationService service(fixture.store(), secrets);
        QString error;
        Integration stored = *service.repository().find(QStringLiteral("Acme LRS"), &error);
        stored.clientId = QStringLiteral("new-id");
        const IntegrationOutcome outcome = updateAndWait(service, stored, QStringLiteral("new-secret"));
        QVERIFY(!outcome.ok);
        QVERIFY(outcome.error.contains(QLatin1String("No keychain is running")));
        QCOMPARE(service.repository().byId(stored.id, &error)->clientId, QStringLiteral("old-id"));

        // Delete cannot remove the secret, so the row stays too.
        const IntegrationOutcome removed = removeAndWait(service, stored.id);
        QVERIFY(!removed.ok);
        QVERIFY(removed.error.contains(QLatin1String("was not deleted")));
        QVERIFY(service.repository().byId(stored.id, &error));
    }

    void cliExplainsAndSavesNothing()
    {
        TestStore fixture;
        const QString path = fixture.path();
        fixture.close();
        CliRunner cli(path);
        const CliResult result =
            cli.run({QStringLiteral("integration"), QStringLiteral("add"), QStringLiteral("--name"),
                     QStringLiteral("Acme"), QStringLiteral("--provider"), QStringLiteral("acme"),
                     QStringLiteral("--statement-url"), QStringLiteral("https://lrs.acme.example/x"),
                     QStringLiteral("--auth-url"), QStringLiteral("https://auth.acme.example/t"),
                     QStringLiteral("--client-id"), QStringLiteral("c"), QStringLiteral("--client-secret-stdin")},
                    "cli-secret-value\n");
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.all().contains(QLatin1String("No keychain is running")), qPrintable(result.all()));
        QVERIFY(!result.all().contains(QLatin1String("cli-secret-value")));
        const CliResult list =
            cli.run({QStringLiteral("integration"), QStringLiteral("list"), QStringLiteral("--json")});
        QCOMPARE(list.exitCode, 0);
        QCOMPARE(list.out.trimmed(), QByteArray("[\n]"));
        QVERIFY(fixture.reopen());
        QVERIFY(!fixture.fileBytes().contains("cli-secret-value"));
    }

    // With no keychain to ask, the webhook says the keychain cannot be read (503), not that no token is set (401):
    // a token that is fine is not rotated because of it.
    void receiverSaysTheKeychainCannotBeRead()
    {
        TestStore fixture;
        KeychainSecretStore secrets;
        CompletionReceiver receiver(fixture.store(), secrets, Clock::system());
        QString error;
        QVERIFY2(receiver.start(0, &error), qPrintable(error));
        QNetworkAccessManager network;
        QJsonObject answer;
        int status = 0;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1/completions").arg(receiver.port())));
                request.setRawHeader("Authorization", "Bearer some-token");
                request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
                QNetworkReply* reply = network.post(request, QByteArray("{}"));
                QSignalSpy finished(reply, &QNetworkReply::finished);
                finished.wait(5000);
                status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                answer = QJsonDocument::fromJson(reply->readAll()).object();
                reply->deleteLater();
                return answer[QStringLiteral("message")].toString().contains(QLatin1String("keychain cannot be read"));
            }(),
            10000);
        QCOMPARE(status, 503);
        QVERIFY(!answer[QStringLiteral("message")].toString().contains(QLatin1String("No webhook token")));
        QCOMPARE(answer[QStringLiteral("field")].toString(), QStringLiteral("Authorization"));
    }
};

QTEST_GUILESS_MAIN(TestNoKeychain)
#include "tst_nokeychain.moc"
