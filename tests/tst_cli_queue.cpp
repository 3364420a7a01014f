#include "CliRunner.h"
#include "TestStore.h"

#include <QTest>

// `xapi-courier queue ...` refusing what it cannot do, running the real binary: each says what is wrong and what to
// give instead, with the documented exit code.
class TestCliQueue final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
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
};

QTEST_MAIN(TestCliQueue)
#include "tst_cli_queue.moc"
