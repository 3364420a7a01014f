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

    // alerts list is a table: a header, and each column as wide as its longest value, so a state never runs into the
    // integration ("suppressedBad LRS"); an error of several lines stays on one line below its alert.
    void listIsATable()
    {
        TestStore fixture;
        QVERIFY(fixture.isValid());
        const auto insert = [&fixture](const char* integration, AlertRecord::State state, const char* subject,
                                       const char* error) {
            AlertRecord alert;
            alert.integrationName = QLatin1String(integration);
            alert.createdAt = QDateTime::currentDateTimeUtc();
            alert.kind = QStringLiteral("held");
            alert.recipients = {QStringLiteral("ops@acme.example")};
            alert.subject = QLatin1String(subject);
            alert.state = state;
            alert.error = QString::fromUtf8(error);
            QString insertError;
            return AlertLog(fixture.store()).insert(alert, &insertError);
        };
        QVERIFY(insert("Bad LRS", AlertRecord::State::Suppressed, "Bad LRS is held", ""));
        QVERIFY(insert("A much longer LRS name", AlertRecord::State::Failed, "A much longer LRS name is held",
                       "SMTP server 127.0.0.1:1:\nCouldn't connect\r\n to server"));
        const CliResult list = CliRunner(fixture.path()).run({QStringLiteral("alerts"), QStringLiteral("list")});
        QCOMPARE(list.exitCode, 0);
        const QStringList lines = QString::fromUtf8(list.out).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QVERIFY2(!list.out.contains("suppressedBad"), list.out.constData());
        QVERIFY2(lines.size() == 4, list.out.constData()); // header, two alerts, one error line
        QVERIFY2(lines.at(0).startsWith(QLatin1String("TIME")), list.out.constData());
        const qsizetype state = lines.at(0).indexOf(QLatin1String("STATE"));
        const qsizetype integration = lines.at(0).indexOf(QLatin1String("INTEGRATION"));
        const qsizetype subject = lines.at(0).indexOf(QLatin1String("SUBJECT"));
        QVERIFY(state > 0 && integration > state && subject > integration);
        QStringList rows;
        for (const QString& line : lines.mid(1)) {
            if (!line.startsWith(QLatin1String("    ")))
                rows << line;
        }
        QCOMPARE(rows.size(), 2);
        for (const QString& row : std::as_const(rows)) {
            // Each value starts at its column's header, after at least one space.
            QVERIFY2(row.mid(state).startsWith(QLatin1String("suppressed")) ||
                         row.mid(state).startsWith(QLatin1String("failed")),
                     qPrintable(row));
            QVERIFY2(row.mid(integration).startsWith(QLatin1String("Bad LRS")) ||
                         row.mid(integration).startsWith(QLatin1String("A much longer LRS name")),
                     qPrintable(row));
            QVERIFY2(row.at(integration - 1) == QLatin1Char(' ') && row.at(subject - 1) == QLatin1Char(' '),
                     qPrintable(row));
            QVERIFY2(row.mid(subject).contains(QLatin1String(" is held")), qPrintable(row));
        }
        QVERIFY2(list.out.contains("\n    SMTP server 127.0.0.1:1: Couldn't connect to server\n"),
                 list.out.constData());
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
