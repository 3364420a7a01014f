#include "CliRunner.h"
#include "SmtpTestServer.h"
#include "TestStore.h"

#include "alerts/AlertLog.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

// settings smtp, alerts test, alerts list and --alerts on|off, through the real binary, a real SMTP server and the
// real keychain.
class TestCliAlerts final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void smtpSettingsTestMailAndList()
    {
        TestStore fixture;
        QVERIFY(fixture.isValid());
        SmtpTestServer smtp;
        QVERIFY2(smtp.start(), qPrintable(smtp.error()));
        CliRunner cli(fixture.path());

        const CliResult refused =
            cli.run({QStringLiteral("settings"), QStringLiteral("smtp"), QStringLiteral("--host"),
                     QStringLiteral("127.0.0.1"), QStringLiteral("--from"), QStringLiteral("nobody")});
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.err.contains("from: "), refused.err.constData());

        const CliResult saved = cli.run(
            {QStringLiteral("settings"), QStringLiteral("smtp"), QStringLiteral("--host"), QStringLiteral("127.0.0.1"),
             QStringLiteral("--port"), QString::number(smtp.port()), QStringLiteral("--security"),
             QStringLiteral("none"), QStringLiteral("--user"), QStringLiteral("courier"),
             QStringLiteral("--password-stdin"), QStringLiteral("--from"), QStringLiteral("courier@example.com")},
            "smtp-Secret-8812\n");
        QVERIFY2(saved.exitCode == 0, qPrintable(saved.all()));
        const CliResult shown = cli.run({QStringLiteral("settings"), QStringLiteral("smtp")});
        const QJsonObject settings = QJsonDocument::fromJson(shown.out).object();
        QCOMPARE(settings.value(QStringLiteral("port")).toInt(), int(smtp.port()));
        QCOMPARE(settings.value(QStringLiteral("hasPassword")).toBool(), true);
        QVERIFY(!shown.out.contains("smtp-Secret-8812"));
        QVERIFY(!fixture.fileBytes().contains("smtp-Secret-8812")); // the keychain has it

        const CliResult test = cli.run({QStringLiteral("alerts"), QStringLiteral("test"), QStringLiteral("--to"),
                                        QStringLiteral("qa@example.com")});
        QVERIFY2(test.exitCode == 0, qPrintable(test.all()));
        QVERIFY(test.out.contains("250")); // the server's answer is shown
        QTRY_COMPARE_WITH_TIMEOUT(smtp.messages().size(), 1, 15000);
        QVERIFY(smtp.messages().first().contains("To: qa@example.com"));
        QVERIFY(!test.all().contains(QLatin1String("smtp-Secret-8812")));

        smtp.stop();
        const CliResult down = cli.run({QStringLiteral("alerts"), QStringLiteral("test"), QStringLiteral("--to"),
                                        QStringLiteral("qa@example.com")});
        QCOMPARE(down.exitCode, 1);
        QVERIFY2(down.err.contains("127.0.0.1"), down.err.constData());

        // alerts list --json: the keys the issue names.
        {
            Store::OpenResult opened = Store::open(StoreLocation::fromString(fixture.path()));
            QVERIFY(opened.store);
            AlertRecord alert;
            alert.integrationName = QStringLiteral("Acme LRS");
            alert.createdAt = QDateTime::currentDateTimeUtc();
            alert.kind = QStringLiteral("held");
            alert.recipients = {QStringLiteral("ops@acme.example")};
            alert.subject = QStringLiteral("[xAPI Courier] deliveries to Acme LRS are held");
            alert.state = AlertRecord::State::Failed;
            alert.error = QStringLiteral("SMTP server 127.0.0.1:1: Couldn't connect to server");
            QString error;
            QVERIFY(AlertLog(*opened.store).insert(alert, &error));
        }
        const CliResult list = cli.run({QStringLiteral("alerts"), QStringLiteral("list"), QStringLiteral("--json")});
        QCOMPARE(list.exitCode, 0);
        const QJsonArray alerts = QJsonDocument::fromJson(list.out).array();
        QCOMPARE(alerts.size(), 1);
        const QJsonObject first = alerts.first().toObject();
        for (const char* key : {"time", "integration", "recipients", "subject", "state", "error"})
            QVERIFY2(first.contains(QLatin1String(key)), key);
        QCOMPARE(first.value(QStringLiteral("state")).toString(), QStringLiteral("failed"));
    }

    void alertsSwitchPerIntegration()
    {
        TestStore fixture;
        CliRunner cli(fixture.path());
        QCOMPARE(cli.addOpenIntegration(QStringLiteral("Acme"), QStringLiteral("https://lrs.acme.example/x")).exitCode,
                 0);
        QCOMPARE(cli.run({QStringLiteral("integration"), QStringLiteral("edit"), QStringLiteral("Acme"),
                          QStringLiteral("--alerts"), QStringLiteral("off")})
                     .exitCode,
                 0);
        const CliResult shown = cli.run(
            {QStringLiteral("integration"), QStringLiteral("show"), QStringLiteral("Acme"), QStringLiteral("--json")});
        QCOMPARE(QJsonDocument::fromJson(shown.out).object().value(QStringLiteral("alerts")).toBool(), false);
        QCOMPARE(cli.run({QStringLiteral("integration"), QStringLiteral("edit"), QStringLiteral("Acme"),
                          QStringLiteral("--alerts"), QStringLiteral("maybe")})
                     .exitCode,
                 2);
    }
};

QTEST_GUILESS_MAIN(TestCliAlerts)
#include "tst_cli_alerts.moc"
