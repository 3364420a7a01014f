#include "integrations/IntegrationRules.h"

#include <QTest>

namespace {

Integration validOAuth()
{
    Integration integration;
    integration.name = QStringLiteral("Acme LRS");
    integration.provider = QStringLiteral("acme");
    integration.emails = {QStringLiteral("ops@acme.example"), QStringLiteral("lrs@acme.example")};
    integration.statementUrl = QUrl(QStringLiteral("https://lrs.acme.example/xapi/statements"));
    integration.auth = Integration::Auth::OAuth2;
    integration.authUrl = QUrl(QStringLiteral("https://auth.acme.example/oauth/token"));
    integration.clientId = QStringLiteral("courier");
    return integration;
}

} // namespace

class TestIntegrationRules final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rules_data()
    {
        QTest::addColumn<Integration>("integration");
        QTest::addColumn<bool>("secretGiven");
        QTest::addColumn<bool>("secretRequired");
        QTest::addColumn<QString>("field");    // empty: no finding at all
        QTest::addColumn<bool>("isError");     // the finding on field is an error (else a warning)
        QTest::addColumn<QString>("fragment"); // a piece of its sentence

        auto row = [](const char* name, Integration integration, const QString& field = QString(), bool isError = true,
                      const QString& fragment = QString(), bool secretGiven = true, bool secretRequired = true) {
            QTest::newRow(name) << integration << secretGiven << secretRequired << field << isError << fragment;
        };
        Integration i;

        row("valid oauth", validOAuth());
        i = validOAuth();
        i.statementUrl = QUrl(QStringLiteral("http://127.0.0.1:8080/xapi/statements"));
        i.authUrl = QUrl(QStringLiteral("http://localhost:8080/token"));
        row("plain http to loopback is fine", i);
        i = validOAuth();
        i.statementUrl = QUrl(QStringLiteral("http://[::1]:8080/xapi"));
        row("plain http to ipv6 loopback is fine", i);

        i = validOAuth();
        i.name = QStringLiteral("   ");
        row("name required", i, QStringLiteral("name"), true, QStringLiteral("Name is required"));
        i = validOAuth();
        i.name = QString(101, QLatin1Char('n'));
        row("name too long", i, QStringLiteral("name"), true, QStringLiteral("too long"));
        i = validOAuth();
        i.provider.clear();
        row("provider required", i, QStringLiteral("provider"), true, QStringLiteral("Provider is required"));

        i = validOAuth();
        i.emails = {QStringLiteral("ops@acme")};
        row("email without domain dot", i, QStringLiteral("emails"), true, QStringLiteral("“ops@acme”"));
        i = validOAuth();
        i.emails = {QStringLiteral("ops.acme.example")};
        row("email without at", i, QStringLiteral("emails"), true, QStringLiteral("not a valid e-mail"));
        i = validOAuth();
        i.emails = {QStringLiteral("ops@acme.example"), QStringLiteral("two words@acme.example")};
        row("second email invalid", i, QStringLiteral("emails"), true, QStringLiteral("“two words@acme.example”"));
        i = validOAuth();
        i.emails = Integration::parseEmails(QStringLiteral(" a@x.com ,b@y.org,  "));
        row("spaces and trailing comma tolerated", i);
        i = validOAuth();
        i.emails.clear();
        row("no emails is a warning", i, QStringLiteral("emails"), false, QStringLiteral("nobody will be alerted"));

        i = validOAuth();
        i.statementUrl.clear();
        row("statement url required", i, QStringLiteral("statementUrl"), true, QStringLiteral("is required"));
        i = validOAuth();
        i.statementUrl = QUrl(QStringLiteral("lrs.acme.example/xapi"));
        row("statement url relative", i, QStringLiteral("statementUrl"), true, QStringLiteral("absolute http"));
        i = validOAuth();
        i.statementUrl = QUrl(QStringLiteral("ftp://lrs.acme.example/xapi"));
        row("statement url ftp", i, QStringLiteral("statementUrl"), true, QStringLiteral("absolute http"));
        i = validOAuth();
        i.statementUrl = QUrl(QStringLiteral("https://user:pw@lrs.acme.example/xapi"));
        row("statement url with credentials", i, QStringLiteral("statementUrl"), true, QStringLiteral("keychain"));
        i = validOAuth();
        i.statementUrl = QUrl(QStringLiteral("http://lrs.acme.example/xapi"));
        row("plain http to a remote host warns", i, QStringLiteral("statementUrl"), false,
            QStringLiteral("unencrypted"));

        i = validOAuth();
        i.authUrl.clear();
        row("auth url required for oauth", i, QStringLiteral("authUrl"), true, QStringLiteral("is required"));
        i = validOAuth();
        i.authUrl = QUrl(QStringLiteral("mailto:auth@acme.example"));
        row("auth url must be http", i, QStringLiteral("authUrl"), true, QStringLiteral("absolute http"));
        i = validOAuth();
        i.authUrl = QUrl(QStringLiteral("http://auth.acme.example/token"));
        row("auth url plain http warns", i, QStringLiteral("authUrl"), false, QStringLiteral("unencrypted"));
        i = validOAuth();
        i.clientId = QStringLiteral(" ");
        row("client id required for oauth", i, QStringLiteral("clientId"), true,
            QStringLiteral("Client ID is required"));
        row("client secret required when none stored", validOAuth(), QStringLiteral("clientSecret"), true,
            QStringLiteral("Client Secret is required"), false, true);
        row("client secret may be left empty when stored", validOAuth(), QString(), true, QString(), false, false);

        i = validOAuth();
        i.auth = Integration::Auth::Basic;
        i.username = QStringLiteral("courier");
        row("valid basic", i);
        i.username.clear();
        row("basic needs a username", i, QStringLiteral("username"), true, QStringLiteral("Username is required"));
        i.username = QStringLiteral("a:b");
        row("basic username without colon", i, QStringLiteral("username"), true, QStringLiteral("“:”"));
        i.username = QStringLiteral("courier");
        row("basic needs a password when none stored", i, QStringLiteral("password"), true,
            QStringLiteral("Password is required"), false, true);

        i = validOAuth();
        i.retryIntervalSeconds = 0;
        row("retry interval at least one second", i, QStringLiteral("retryInterval"), true,
            QStringLiteral("between 1"));
        i = validOAuth();
        i.concurrency = 65;
        row("concurrency at most 64", i, QStringLiteral("concurrency"), true, QStringLiteral("and 64"));
        i = validOAuth();
        i.batchSize = 0;
        row("batch size at least one", i, QStringLiteral("batchSize"), true, QStringLiteral("statements per request"));
        i = validOAuth();
        i.retryIntervalSeconds = 5;
        i.concurrency = 1;
        i.batchSize = 100;
        row("short probe, strict order, batches", i);

        i = validOAuth();
        i.auth = Integration::Auth::None;
        i.authUrl.clear();
        i.clientId.clear();
        row("none needs no credentials", i, QString(), true, QString(), false, false);
    }

    void rules()
    {
        QFETCH(Integration, integration);
        QFETCH(bool, secretGiven);
        QFETCH(bool, secretRequired);
        QFETCH(QString, field);
        QFETCH(bool, isError);
        QFETCH(QString, fragment);

        const FieldIssues issues = IntegrationRules::check(integration, secretGiven, secretRequired);
        if (field.isEmpty()) {
            QStringList texts;
            for (const FieldIssue& issue : issues)
                texts << issue.toText();
            QVERIFY2(issues.isEmpty(), qPrintable(texts.join(QLatin1Char('\n'))));
            return;
        }
        const FieldIssues onField = issuesForField(issues, field);
        QCOMPARE(onField.size(), 1);
        QCOMPARE(onField.first().isError(), isError);
        QVERIFY2(onField.first().message.contains(fragment), qPrintable(onField.first().message));
        // Only that field is wrong in these rows.
        QCOMPARE(issues.size(), 1);
    }

    void loopbackHosts()
    {
        QVERIFY(IntegrationRules::isLoopbackHost(QStringLiteral("localhost")));
        QVERIFY(IntegrationRules::isLoopbackHost(QStringLiteral("127.0.0.1")));
        QVERIFY(IntegrationRules::isLoopbackHost(QStringLiteral("127.5.6.7")));
        QVERIFY(IntegrationRules::isLoopbackHost(QStringLiteral("::1")));
        QVERIFY(!IntegrationRules::isLoopbackHost(QStringLiteral("10.0.0.1")));
        QVERIFY(!IntegrationRules::isLoopbackHost(QStringLiteral("localhost.example.com")));
    }

    void emailListParsing()
    {
        QCOMPARE(Integration::parseEmails(QStringLiteral("a@x.com, b@y.org")),
                 (QStringList{QStringLiteral("a@x.com"), QStringLiteral("b@y.org")}));
        QCOMPARE(Integration::parseEmails(QStringLiteral("a@x.com,,A@X.com , ")),
                 QStringList{QStringLiteral("a@x.com")});
        QVERIFY(Integration::parseEmails(QStringLiteral(" , ")).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestIntegrationRules)
#include "tst_integrationrules.moc"
