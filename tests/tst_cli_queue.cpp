#include "CliRunner.h"
#include "TestStore.h"

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
};

QTEST_MAIN(TestCliQueue)
#include "tst_cli_queue.moc"
