#include "CliRunner.h"
#include "TestStore.h"

#include "integrations/IntegrationRepository.h"

#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

// `xapi-courier queue ...` refusing what it cannot do, running the real binary: each says what is wrong and what to
// give instead, with the documented exit code.
class TestCliQueue final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // A command that only reads finds no store where none is, says so, exits 1 and creates nothing there (not the
    // folder, not an empty store); a command that writes makes the store.
    void readOnlyCommandsCreateNoStore()
    {
        QTemporaryDir dir;
        const QString missing = dir.filePath(QStringLiteral("missing/dir/x.sqlite"));
        CliRunner cli(missing);
        const QList<QStringList> readers = {
            {QStringLiteral("queue"), QStringLiteral("status")},
            {QStringLiteral("queue"), QStringLiteral("list")},
            {QStringLiteral("queue"), QStringLiteral("attempts"), QStringLiteral("1")},
            {QStringLiteral("integration"), QStringLiteral("list")},
            {QStringLiteral("integration"), QStringLiteral("show"), QStringLiteral("1")},
            {QStringLiteral("completions"), QStringLiteral("list")},
            {QStringLiteral("alerts"), QStringLiteral("list")}};
        for (const QStringList& reader : readers) {
            const CliResult result = cli.run(reader);
            QVERIFY2(result.exitCode == 1, qPrintable(reader.join(' ') + QLatin1String(": ") + result.all()));
            const QByteArray expected = QByteArray("There is no store at ") + missing.toUtf8();
            QVERIFY2(result.err.contains(expected), result.err.constData());
            QVERIFY2(!QFileInfo::exists(dir.filePath(QStringLiteral("missing"))), qPrintable(reader.join(' ')));
        }
        QCOMPARE(cli.addOpenIntegration(QStringLiteral("LRS"), QStringLiteral("https://lrs.example.com/x")).exitCode,
                 0);
        QVERIFY(QFileInfo::exists(missing));
        QCOMPARE(cli.run({QStringLiteral("queue"), QStringLiteral("status")}).exitCode, 0);
    }

    void refusalsNameWhatIsWrong()
    {
        TestStore fixture;
        CliRunner cli(fixture.path());
        QCOMPARE(
            cli.addOpenIntegration(QStringLiteral("LRS"), QStringLiteral("https://lrs.example.com/xapi/statements"))
                .exitCode,
            0);

        const CliResult attempts = cli.run({QStringLiteral("queue"), QStringLiteral("attempts"), QStringLiteral("99")});
        QCOMPARE(attempts.exitCode, 1);
        QVERIFY2(attempts.err.contains("There is no delivery 99 (see xapi-courier queue list)."),
                 attempts.err.constData());

        const CliResult discard = cli.run(
            {QStringLiteral("queue"), QStringLiteral("discard"), QStringLiteral("98"), QStringLiteral("--yes")});
        QCOMPARE(discard.exitCode, 1);
        QVERIFY2(discard.err.contains("There is no delivery 98 (see xapi-courier queue list)."),
                 discard.err.constData());

        const QStringList replay{QStringLiteral("queue"), QStringLiteral("replay"), QStringLiteral("--integration"),
                                 QStringLiteral("LRS")};
        const CliResult noRange = cli.run(replay);
        QCOMPARE(noRange.exitCode, 2);
        QVERIFY2(noRange.err.contains("--from is required: a time such as 2026-11-01T00:00:00Z"),
                 noRange.err.constData());

        const CliResult notATime = cli.run(replay + QStringList{QStringLiteral("--from"), QStringLiteral("yesterday"),
                                                                QStringLiteral("--to"), QStringLiteral("now")});
        QCOMPARE(notATime.exitCode, 2);
        QVERIFY2(notATime.err.contains("--from: “yesterday” is not a time; use ISO 8601"), notATime.err.constData());

        const CliResult reversed =
            cli.run(replay + QStringList{QStringLiteral("--from"), QStringLiteral("2026-11-02T00:00:00Z"),
                                         QStringLiteral("--to"), QStringLiteral("2026-11-01T00:00:00Z")});
        QCOMPARE(reversed.exitCode, 1);
        QVERIFY2(reversed.err.contains("The time range is empty or reversed"), reversed.err.constData());

        const CliResult empty =
            cli.run(replay + QStringList{QStringLiteral("--from"), QStringLiteral("2026-11-01T00:00:00Z"),
                                         QStringLiteral("--to"), QStringLiteral("2026-11-02T00:00:00Z")});
        QCOMPARE(empty.exitCode, 0);
        QVERIFY2(empty.err.contains("Queued 0 statements again"), empty.err.constData());
    }

    // A hold reason of several lines (a receiver's answer) is folded into its row: one line per integration, cut
    // with … when long, whole in integration show.
    void statusShowsOneLinePerIntegration()
    {
        TestStore fixture;
        CliRunner cli(fixture.path());
        for (const char* name : {"Held LRS", "Open LRS"})
            QCOMPARE(cli.addOpenIntegration(QLatin1String(name), QStringLiteral("https://lrs.example.com/x")).exitCode,
                     0);
        const QString reason =
            QStringLiteral("HTTP 400 Bad Request: {\r\n  \"error\": \"actor.mbox is\n\nnot a mailto IRI\"\n}");
        const QString longReason = QStringLiteral("HTTP 400 Bad Request:\n") + QString(150, QLatin1Char('x'));
        {
            IntegrationRepository repository(fixture.store());
            QString error;
            const auto held = repository.find(QStringLiteral("Held LRS"), &error);
            QVERIFY2(held, qPrintable(error));
            QVERIFY2(repository.setHealth(held->id, {Integration::Health::Held, reason, {}, held->revision}, &error),
                     qPrintable(error));
        }
        const CliResult status = cli.run({QStringLiteral("queue"), QStringLiteral("status")});
        QCOMPARE(status.exitCode, 0);
        const QStringList lines = QString::fromUtf8(status.out).split(QLatin1Char('\n'));
        QVERIFY2(lines.size() >= 3, status.out.constData());
        QVERIFY2(lines.at(0).startsWith(QLatin1String("NAME")), status.out.constData());
        QVERIFY2(lines.at(1).startsWith(QLatin1String("Held LRS")), status.out.constData());
        QVERIFY2(lines.at(1).endsWith(
                     QLatin1String("HTTP 400 Bad Request: { \"error\": \"actor.mbox is not a mailto IRI\" }")),
                 status.out.constData());
        QVERIFY2(lines.at(2).startsWith(QLatin1String("Open LRS")), status.out.constData());
        QVERIFY(!status.out.contains("integration show NAME"));

        {
            IntegrationRepository repository(fixture.store());
            QString error;
            const auto held = repository.find(QStringLiteral("Held LRS"), &error);
            QVERIFY(
                repository.setHealth(held->id, {Integration::Health::Held, longReason, {}, held->revision}, &error));
        }
        const CliResult cut = cli.run({QStringLiteral("queue"), QStringLiteral("status")});
        const QStringList cutLines = QString::fromUtf8(cut.out).split(QLatin1Char('\n'));
        QVERIFY2(cutLines.at(1).endsWith(QStringLiteral("HTTP 400 Bad Request: ") + QString(77, QLatin1Char('x')) +
                                         QStringLiteral("…")),
                 cut.out.constData());
        QVERIFY2(cutLines.at(2).startsWith(QLatin1String("Open LRS")), cut.out.constData());
        QVERIFY2(cut.out.contains("(A reason that ends in … is whole in xapi-courier integration show NAME.)"),
                 cut.out.constData());
        const CliResult shown =
            cli.run({QStringLiteral("integration"), QStringLiteral("show"), QStringLiteral("Held LRS")});
        QVERIFY2(shown.out.contains(QString(150, QLatin1Char('x')).toUtf8()), shown.out.constData());
    }
};

QTEST_MAIN(TestCliQueue)
#include "tst_cli_queue.moc"
