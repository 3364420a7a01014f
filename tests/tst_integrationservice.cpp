#include "InMemorySecretStore.h"
#include "ServiceCall.h"
#include "TestStore.h"

#include "integrations/IntegrationService.h"

#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

// The service's rules and bookkeeping, on a real SQLite store. The keychain itself is proven in
// tst_keychainsecretstore and tst_nokeychain; here secrets go to an in-memory store.
class TestIntegrationService final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestStore> m_fixture;
    std::unique_ptr<InMemorySecretStore> m_secrets;
    std::unique_ptr<IntegrationService> m_service;

private Q_SLOTS:
    void init()
    {
        m_fixture = std::make_unique<TestStore>();
        QVERIFY(m_fixture->isValid());
        m_secrets = std::make_unique<InMemorySecretStore>();
        m_service = std::make_unique<IntegrationService>(m_fixture->store(), *m_secrets);
    }
    void cleanup()
    {
        m_service.reset();
        m_secrets.reset();
        m_fixture.reset();
    }

    void addStoresRowAndSecretApart()
    {
        QSignalSpy changed(m_service.get(), &IntegrationService::integrationsChanged);
        const IntegrationOutcome outcome = addAndWait(*m_service, sampleIntegration(), QStringLiteral("s3cret-1"));
        QVERIFY2(outcome.ok, qPrintable(outcome.error));
        QVERIFY(outcome.integration.id > 0);
        QVERIFY(!outcome.integration.uid.isEmpty());
        QCOMPARE(changed.count(), 1);
        QCOMPARE(m_secrets->entries.value(SecretStore::integrationKey(outcome.integration.uid)),
                 QStringLiteral("s3cret-1"));

        QString error;
        const auto stored = m_service->repository().byId(outcome.integration.id, &error);
        QVERIFY(stored);
        QCOMPARE(stored->name, QStringLiteral("Acme LRS"));
        QCOMPARE(stored->emails, QStringList{QStringLiteral("ops@acme.example")});
        QVERIFY(stored->hasSecret);
        QCOMPARE(stored->health(), Integration::Health::Healthy);
        QVERIFY(!m_fixture->fileBytes().contains("s3cret-1"));
    }

    void nameAndProviderAreUnique()
    {
        QVERIFY(addAndWait(*m_service, sampleIntegration(), QStringLiteral("a")).ok);

        IntegrationOutcome sameName = addAndWait(
            *m_service, sampleIntegration(QStringLiteral(" acme lrs "), QStringLiteral("other")), QStringLiteral("b"));
        QVERIFY(!sameName.ok);
        QCOMPARE(issuesForField(sameName.issues, QStringLiteral("name")).size(), 1);
        QVERIFY(sameName.issues.first().message.contains(QLatin1String("already used")));

        IntegrationOutcome sameProvider = addAndWait(
            *m_service, sampleIntegration(QStringLiteral("Second"), QStringLiteral("ACME")), QStringLiteral("c"));
        QVERIFY(!sameProvider.ok);
        const FieldIssues providerIssues = issuesForField(sameProvider.issues, QStringLiteral("provider"));
        QCOMPARE(providerIssues.size(), 1);
        QVERIFY2(providerIssues.first().message.contains(QLatin1String("only one integration per provider")),
                 qPrintable(providerIssues.first().message));
        QVERIFY(providerIssues.first().message.contains(QLatin1String("Acme LRS")));
        QCOMPARE(m_secrets->entries.size(), 1); // nothing written for the refused ones
        QString error;
        QCOMPARE(m_service->list(&error).size(), 1);
    }

    void refusedInputWritesNothing()
    {
        Integration bad = sampleIntegration();
        bad.statementUrl = QUrl(QStringLiteral("not a url"));
        const IntegrationOutcome outcome = addAndWait(*m_service, bad, QStringLiteral("x"));
        QVERIFY(!outcome.ok);
        QCOMPARE(issuesForField(outcome.issues, QStringLiteral("statementUrl")).size(), 1);
        QVERIFY(m_secrets->entries.isEmpty());
        QString error;
        QVERIFY(m_service->list(&error).isEmpty());
    }

    void editWithEmptySecretKeepsIt()
    {
        const IntegrationOutcome added = addAndWait(*m_service, sampleIntegration(), QStringLiteral("first"));
        QVERIFY(added.ok);
        Integration edited = added.integration;
        edited.name = QStringLiteral("Acme LRS (prod)");
        edited.statementUrl = QUrl(QStringLiteral("https://lrs2.acme.example/xapi/statements"));
        const IntegrationOutcome saved = updateAndWait(*m_service, edited, QString());
        QVERIFY2(saved.ok, qPrintable(saved.error));
        QCOMPARE(saved.integration.revision, added.integration.revision + 1);
        QCOMPARE(m_secrets->entries.value(SecretStore::integrationKey(added.integration.uid)), QStringLiteral("first"));

        const IntegrationOutcome rotated = updateAndWait(*m_service, saved.integration, QStringLiteral("second"));
        QVERIFY(rotated.ok);
        QCOMPARE(m_secrets->entries.value(SecretStore::integrationKey(added.integration.uid)),
                 QStringLiteral("second"));
        QString error;
        QCOMPARE(m_service->repository().byId(added.integration.id, &error)->name, QStringLiteral("Acme LRS (prod)"));
    }

    void changingAuthKindNeedsNewSecretAndNoneDropsIt()
    {
        const IntegrationOutcome added = addAndWait(*m_service, sampleIntegration(), QStringLiteral("first"));
        QVERIFY(added.ok);
        Integration basic = added.integration;
        basic.auth = Integration::Auth::Basic;
        basic.username = QStringLiteral("courier");
        const IntegrationOutcome refused = updateAndWait(*m_service, basic, QString());
        QVERIFY(!refused.ok);
        QCOMPARE(issuesForField(refused.issues, QStringLiteral("password")).size(), 1);

        Integration none = added.integration;
        none.auth = Integration::Auth::None;
        const IntegrationOutcome saved = updateAndWait(*m_service, none, QString());
        QVERIFY2(saved.ok, qPrintable(saved.error));
        QVERIFY(!saved.integration.hasSecret);
        QVERIFY(saved.integration.clientId.isEmpty());
        QTRY_VERIFY(m_secrets->entries.isEmpty());
    }

    void deleteRemovesRowAndSecret()
    {
        const IntegrationOutcome added = addAndWait(*m_service, sampleIntegration(), QStringLiteral("gone"));
        QVERIFY(added.ok);
        const IntegrationOutcome removed = removeAndWait(*m_service, added.integration.id);
        QVERIFY2(removed.ok, qPrintable(removed.error));
        QVERIFY(m_secrets->entries.isEmpty());
        QString error;
        QVERIFY(!m_service->repository().byId(added.integration.id, &error));
        // The provider is free again.
        QVERIFY(addAndWait(*m_service, sampleIntegration(QStringLiteral("New")), QStringLiteral("x")).ok);
    }

    void enableAndDisable()
    {
        const IntegrationOutcome added = addAndWait(*m_service, sampleIntegration(), QStringLiteral("s"));
        QVERIFY(added.ok);
        QString error;
        QVERIFY(m_service->setEnabled(added.integration.id, false, &error));
        auto stored = m_service->repository().byId(added.integration.id, &error);
        QCOMPARE(stored->health(), Integration::Health::Disabled);
        QCOMPARE(stored->toJson().value(QStringLiteral("status")).toString(), QStringLiteral("Disabled"));
        QVERIFY(stored->revision > added.integration.revision);
        QVERIFY(m_service->setEnabled(added.integration.id, true, &error));
        QCOMPARE(m_service->repository().byId(added.integration.id, &error)->health(), Integration::Health::Healthy);
        QVERIFY(!m_service->setEnabled(9999, true, &error));
        QVERIFY(error.contains(QLatin1String("no longer exists")));
    }

    void findByNameOrId()
    {
        const IntegrationOutcome added = addAndWait(*m_service, sampleIntegration(), QStringLiteral("s"));
        QString error;
        QCOMPARE(m_service->repository().find(QStringLiteral("acme lrs"), &error)->id, added.integration.id);
        QCOMPARE(m_service->repository().find(QString::number(added.integration.id), &error)->name,
                 QStringLiteral("Acme LRS"));
        QVERIFY(!m_service->repository().find(QStringLiteral("nope"), &error));
    }

    void jsonHasCamelCaseKeysAndNoSecret()
    {
        const IntegrationOutcome added = addAndWait(*m_service, sampleIntegration(), QStringLiteral("top-secret-x"));
        const QJsonObject json = added.integration.toJson();
        for (const char* key :
             {"id", "name", "provider", "emails", "statementUrl", "auth", "authUrl", "clientId", "enabled", "health"})
            QVERIFY2(json.contains(QLatin1String(key)), key);
        QCOMPARE(json.value(QStringLiteral("auth")).toString(), QStringLiteral("oauth2"));
        QVERIFY(!QJsonDocument(json).toJson().contains("top-secret-x"));
    }
};

QTEST_GUILESS_MAIN(TestIntegrationService)
#include "tst_integrationservice.moc"
