#include "CliRunner.h"
#include "TestStore.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

// `xapi-courier completions list|import|delete`, running the real binary.
class TestCliCompletions final : public QObject
{
    Q_OBJECT

private:
    static QStringList args(const char* first, std::initializer_list<const char*> rest = {})
    {
        QStringList list{QStringLiteral("completions"), QLatin1String(first)};
        for (const char* arg : rest)
            list << QLatin1String(arg);
        return list;
    }
    static QJsonArray listJson(const CliRunner& cli, std::initializer_list<const char*> rest = {})
    {
        QStringList arguments = args("list", rest);
        arguments << QStringLiteral("--json");
        const CliResult result = cli.run(arguments);
        if (result.exitCode != 0)
            qWarning("%s", result.err.constData());
        return QJsonDocument::fromJson(result.out).array();
    }
    static int queued(const CliRunner& cli)
    {
        const CliResult queue = cli.run({QStringLiteral("queue"), QStringLiteral("status"), QStringLiteral("--json")});
        return QJsonDocument::fromJson(queue.out).array().first().toObject().value(QStringLiteral("queued")).toInt();
    }

    static constexpr const char* Lines =
        R"({"contentId":"10","userId":"ada","score":8,"maxScore":10,"openedTimestamp":1763800000,"finishedTimestamp":1763800300,"completionTime":300})"
        "\n"
        R"({"contentId":"11","userId":"ada","score":2,"maxScore":10,"openedTimestamp":1763800000,"finishedTimestamp":1763800100,"completionTime":100})"
        "\n"
        R"({"contentId":"10","userId":"bob","score":12,"maxScore":10,"openedTimestamp":1763800000,"finishedTimestamp":1763800100})"
        "\n"
        R"({"contentId":"12","userId":"cy","score":"x","maxScore":10,"openedTimestamp":1763800000,"finishedTimestamp":1763800100})"
        "\n"
        "{broken\n"
        R"({"contentId":"10","userId":"bob","score":6,"maxScore":10,"openedTimestamp":1763800000,"finishedTimestamp":1763800200,"completionTime":200})"
        "\n";

private Q_SLOTS:
    void importListDelete()
    {
        TestStore fixture;
        CliRunner cli(fixture.path());
        QCOMPARE(
            cli.addOpenIntegration(QStringLiteral("LRS"), QStringLiteral("https://lrs.example.com/xapi/statements"))
                .exitCode,
            0);

        // From standard input: the good lines are kept, each refusal named by line and field, exit 1.
        const CliResult imported = cli.run(args("import", {"-"}), Lines);
        QCOMPARE(imported.exitCode, 1);
        QVERIFY2(imported.err.contains("3 stored, 0 replaced, 0 unchanged, 0 older, 3 refused; 3 statements queued."),
                 imported.err.constData());
        QVERIFY2(imported.err.contains("-: line 3: score: score (12) is above maxScore (10)."),
                 imported.err.constData());
        QVERIFY2(imported.err.contains("-: line 4: score: score must be a number"), imported.err.constData());
        QVERIFY2(imported.err.contains("-: line 5: not JSON"), imported.err.constData());

        const QJsonArray records = listJson(cli);
        QCOMPARE(records.size(), 3);
        for (const char* key :
             {"contentId", "userId", "score", "maxScore", "openedTimestamp", "finishedTimestamp", "completionTime"})
            QVERIFY2(records.first().toObject().contains(QLatin1String(key)), key);
        QCOMPARE(records.first()[QStringLiteral("finishedTimestamp")].toInteger(), 1763800300); // newest first
        QCOMPARE(listJson(cli, {"--content", "10"}).size(), 2);
        QCOMPARE(listJson(cli, {"--user", "ada"}).size(), 2);
        QCOMPARE(listJson(cli, {"--content", "10", "--user", "bob"}).first()[QStringLiteral("score")].toDouble(), 6.0);
        QCOMPARE(listJson(cli, {"--user", "nobody"}).size(), 0);

        // Each stored completion became a statement queued to the integration.
        QCOMPARE(queued(cli), 3);

        // The same file again from a path: nothing new, no second statement.
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("completions.jsonl"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(Lines);
        file.close();
        const CliResult again = cli.run(args("import", {qPrintable(path)}));
        QCOMPARE(again.exitCode, 1);
        QVERIFY2(again.err.contains("0 stored, 0 replaced, 3 unchanged, 0 older, 3 refused; 0 statements queued."),
                 again.err.constData());
        QVERIFY(again.err.contains(QByteArray(path.toUtf8() + ": line 3: score:")));
        QCOMPARE(queued(cli), 3);

        // A clean file: exit 0; a newer record replaces the old one.
        const CliResult newer = cli.run(
            args("import", {"-"}),
            R"({"contentId":"11","userId":"ada","score":9,"maxScore":10,"openedTimestamp":1763900000,"finishedTimestamp":1763900100,"completionTime":100})");
        QCOMPARE(newer.exitCode, 0);
        QVERIFY2(newer.err.contains("0 stored, 1 replaced"), newer.err.constData());
        QCOMPARE(queued(cli), 4);

        // The table for people, and a note when not everything is shown.
        const CliResult table = cli.run(args("list", {"--limit", "2"}));
        QCOMPARE(table.exitCode, 0);
        QVERIFY2(table.out.contains("CONTENT") && table.out.contains("9/10"), table.out.constData());
        QCOMPARE(table.out.count('\n'), 3); // header + 2
        QVERIFY2(table.err.contains("Showing 2 of 3 records"), table.err.constData());

        // Delete: confirmation needed off a terminal, then --yes.
        const CliResult unconfirmed = cli.run(args("delete", {"--content", "10"}));
        QCOMPARE(unconfirmed.exitCode, 2);
        QVERIFY(unconfirmed.err.contains("--yes"));
        QCOMPARE(listJson(cli).size(), 3);
        const CliResult deleted = cli.run(args("delete", {"--content", "10", "--yes"}));
        QCOMPARE(deleted.exitCode, 0);
        QVERIFY2(deleted.err.contains("Deleted 2 completion records of content “10”."), deleted.err.constData());
        QCOMPARE(listJson(cli).size(), 1);
        QCOMPARE(queued(cli), 4); // statements already queued stay
    }

    // An integration that cannot take a record (its provider identifies actors by e-mail, the user id is not one):
    // the import says so once, as a warning, not a second time as a log line.
    void importWarnsOnceAboutAStatementItCouldNotMake()
    {
        TestStore fixture;
        CliRunner cli(fixture.path());
        QCOMPARE(cli.run({QStringLiteral("integration"), QStringLiteral("add"), QStringLiteral("--name"),
                          QStringLiteral("Mail LRS"), QStringLiteral("--provider"), QStringLiteral("adl-mbox"),
                          QStringLiteral("--statement-url"), QStringLiteral("https://lrs.example.com/x"),
                          QStringLiteral("--auth"), QStringLiteral("none")})
                     .exitCode,
                 0);
        const CliResult imported = cli.run(
            args("import", {"-"}),
            R"({"contentId":"10","userId":"4711","score":8,"maxScore":10,"openedTimestamp":1763800000,"finishedTimestamp":1763800300,"completionTime":300})"
            "\n");
        QVERIFY2(imported.exitCode == 0, imported.err.constData());
        QCOMPARE(imported.err.count("No statement for integration “Mail LRS”"), 1);
        QVERIFY2(imported.err.contains("warning: No statement for integration “Mail LRS” from the completion of user "
                                       "“4711”"),
                 imported.err.constData());
        QVERIFY2(!imported.err.contains("courier."), imported.err.constData());
    }

    void usageErrorsExitTwo_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QByteArray>("message");
        QTest::newRow("no action") << QStringList{QStringLiteral("completions")} << QByteArray("name an action");
        QTest::newRow("unknown action") << args("purge") << QByteArray("unknown action “purge”");
        QTest::newRow("import without a file") << args("import") << QByteArray("name one file");
        QTest::newRow("import of a missing file")
            << args("import", {"/nonexistent/completions.jsonl"}) << QByteArray("cannot be read");
        QTest::newRow("delete without --content")
            << args("delete", {"--yes"}) << QByteArray("--content ID is required");
        QTest::newRow("bad --limit") << args("list", {"--limit", "many"}) << QByteArray("--limit");
        QTest::newRow("unknown option") << args("list", {"--colour"}) << QByteArray("Unknown option");
    }
    void usageErrorsExitTwo()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QByteArray, message);
        TestStore fixture;
        const CliResult result = CliRunner(fixture.path()).run(arguments);
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains(message), result.err.constData());
    }

    void emptyStoreSaysWhereRecordsComeFrom()
    {
        TestStore fixture;
        CliRunner cli(fixture.path());
        const CliResult list = cli.run(args("list"));
        QCOMPARE(list.exitCode, 0);
        QVERIFY2(list.err.contains("No completion records yet"), list.err.constData());
        QCOMPARE(listJson(cli).size(), 0);
        const CliResult help = cli.run(args("import", {"--help"}));
        QCOMPARE(help.exitCode, 0);
        QVERIFY2(help.out.startsWith("Usage: xapi-courier completions import [options]"), help.out.constData());
        QVERIFY(help.out.contains("webhook format"));
    }
};

QTEST_GUILESS_MAIN(TestCliCompletions)
#include "tst_cli_completions.moc"
