#include "CliRunner.h"
#include "TestStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

class TestCliCompletions final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void importListDelete()
    {
        TestStore fixture;
        CliRunner cli(fixture.path());
        QCOMPARE(cli.run({QStringLiteral("integration"), QStringLiteral("add"), QStringLiteral("--name"),
                          QStringLiteral("LRS"), QStringLiteral("--provider"), QStringLiteral("lrs"),
                          QStringLiteral("--statement-url"), QStringLiteral("https://lrs.example.com/xapi/statements"),
                          QStringLiteral("--auth"), QStringLiteral("none")})
                     .exitCode,
                 0);
        const QByteArray lines =
            R"({"contentId":"10","userId":"ada","score":8,"maxScore":10,"openedTimestamp":1763800000,"finishedTimestamp":1763800300,"completionTime":300})"
            "\n"
            R"({"contentId":"11","userId":"ada","score":2,"maxScore":10,"openedTimestamp":1763800000,"finishedTimestamp":1763800100,"completionTime":100})"
            "\n"
            R"({"contentId":"10","userId":"bob","score":12,"maxScore":10,"openedTimestamp":1763800000,"finishedTimestamp":1763800100})"
            "\n";
        const CliResult imported =
            cli.run({QStringLiteral("completions"), QStringLiteral("import"), QStringLiteral("-")}, lines);
        QCOMPARE(imported.exitCode, 1); // one line refused
        QVERIFY2(imported.err.contains("2 stored, 0 replaced, 0 unchanged, 1 refused"), imported.err.constData());
        QVERIFY(imported.err.contains("line 3: score: "));

        const CliResult list =
            cli.run({QStringLiteral("completions"), QStringLiteral("list"), QStringLiteral("--json")});
        QCOMPARE(list.exitCode, 0);
        const QJsonArray records = QJsonDocument::fromJson(list.out).array();
        QCOMPARE(records.size(), 2);
        for (const char* key :
             {"contentId", "userId", "score", "maxScore", "openedTimestamp", "finishedTimestamp", "completionTime"})
            QVERIFY2(records.first().toObject().contains(QLatin1String(key)), key);
        const CliResult byContent =
            cli.run({QStringLiteral("completions"), QStringLiteral("list"), QStringLiteral("--content"),
                     QStringLiteral("11"), QStringLiteral("--json")});
        QCOMPARE(QJsonDocument::fromJson(byContent.out).array().size(), 1);

        // Each stored completion became a statement queued to the integration.
        const CliResult queue = cli.run({QStringLiteral("queue"), QStringLiteral("status"), QStringLiteral("--json")});
        QCOMPARE(QJsonDocument::fromJson(queue.out).array().first().toObject().value(QStringLiteral("queued")).toInt(),
                 2);

        QCOMPARE(cli.run({QStringLiteral("completions"), QStringLiteral("delete"), QStringLiteral("--content"),
                          QStringLiteral("10")})
                     .exitCode,
                 2); // needs --yes off a terminal
        const CliResult deleted = cli.run({QStringLiteral("completions"), QStringLiteral("delete"),
                                           QStringLiteral("--content"), QStringLiteral("10"), QStringLiteral("--yes")});
        QCOMPARE(deleted.exitCode, 0);
        QVERIFY(deleted.err.contains("Deleted 1"));
        QCOMPARE(QJsonDocument::fromJson(
                     cli.run({QStringLiteral("completions"), QStringLiteral("list"), QStringLiteral("--json")}).out)
                     .array()
                     .size(),
                 1);
    }
};

QTEST_GUILESS_MAIN(TestCliCompletions)
#include "tst_cli_completions.moc"
