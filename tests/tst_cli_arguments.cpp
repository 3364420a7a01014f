#include "CliRunner.h"
#include "TestStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

// Strict arguments on every command, through the real binary: what QCommandLineParser lets through (an option's
// value that is the next option, a stray argument) is a usage error (exit 2) naming what to write instead; an
// integration that does not exist is refused input (exit 1) wherever it is named.
class TestCliArguments final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestStore> m_fixture;
    std::unique_ptr<CliRunner> m_cli;

    static QStringList words(const char* line) { return QString::fromUtf8(line).split(QLatin1Char(' ')); }

    static QByteArray statementLine(int n)
    {
        const QByteArray id = QByteArray::number(n).rightJustified(12, '0');
        const QByteArray rest = "\",\"actor\":{\"mbox\":\"mailto:a@example.com\"},"
                                "\"verb\":{\"id\":\"http://adlnet.gov/expapi/verbs/completed\"},"
                                "\"object\":{\"id\":\"http://example.com/course/1\"}}";
        return "{\"id\":\"6b3f1e2a-0000-4000-8000-" + id + rest + '\n';
    }
    int queued() const
    {
        const CliResult status = m_cli->run(words("queue status --json"));
        return QJsonDocument::fromJson(status.out).array().first().toObject().value(QStringLiteral("queued")).toInt();
    }

private Q_SLOTS:
    void init()
    {
        m_fixture = std::make_unique<TestStore>();
        QVERIFY(m_fixture->isValid());
        m_cli = std::make_unique<CliRunner>(m_fixture->path());
        QCOMPARE(m_cli->addOpenIntegration(QStringLiteral("LRS"), QStringLiteral("https://lrs.example.com/x")).exitCode,
                 0);
    }

    void optionValueThatIsAnOption_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        QTest::newRow("integration add") << words("integration add --name --provider p10 --statement-url "
                                                  "https://lrs.example.com/y --auth none")
                                         << QStringLiteral("--name needs a value, and “--provider” is an option. Give "
                                                           "--name its value; one that starts with -- is written "
                                                           "--name=--provider. (see xapi-courier integration add "
                                                           "--help)");
        QTest::newRow("integration edit") << words("integration edit LRS --client-id --json")
                                          << QStringLiteral("--client-id needs a value, and “--json” is an option");
        QTest::newRow("enqueue") << words("enqueue --integration --skip-invalid statements.json")
                                 << QStringLiteral("--integration needs a value, and “--skip-invalid” is an option");
        QTest::newRow("send") << words("send --integration --put statement.json")
                              << QStringLiteral("--integration needs a value, and “--put” is an option");
        QTest::newRow("queue list") << words("queue list --search --json")
                                    << QStringLiteral("--search needs a value, and “--json” is an option");
        QTest::newRow("queue replay") << words("queue replay --integration LRS --from --to 2026-11-02T00:00:00Z")
                                      << QStringLiteral("--from needs a value, and “--to” is an option");
        QTest::newRow("alerts list") << words("alerts list --integration --json")
                                     << QStringLiteral("--integration needs a value, and “--json” is an option");
        QTest::newRow("completions list") << words("completions list --user --json")
                                          << QStringLiteral("--user needs a value, and “--json” is an option");
        QTest::newRow("worker") << words("worker --receiver --until-idle")
                                << QStringLiteral("--receiver needs a value, and “--until-idle” is an option");
        QTest::newRow("check") << words("check --integration --json")
                               << QStringLiteral("--integration needs a value, and “--json” is an option");
        QTest::newRow("sandbox") << words("sandbox --faults --port 0")
                                 << QStringLiteral("--faults needs a value, and “--port” is an option");
        QTest::newRow("sandbox list") << words("sandbox list --db --json")
                                      << QStringLiteral("--db needs a value, and “--json” is an option");
        QTest::newRow("erase") << words("erase --actor --yes")
                               << QStringLiteral("--actor needs a value, and “--yes” is an option");
        QTest::newRow("queue prune") << words("queue prune --delivered-before --yes")
                                     << QStringLiteral("--delivered-before needs a value, and “--yes” is an option");
    }
    void optionValueThatIsAnOption()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        const CliResult result = m_cli->run(arguments);
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.all().contains(message), qPrintable(result.all()));
        QCOMPARE(m_cli->run(words("integration list --json")).out.count("\"id\""), 1); // nothing was added
    }

    void valueThatStartsWithDashesIsWrittenWithEquals()
    {
        const CliResult added = m_cli->run(words("integration add --name=--x --provider p10 --statement-url "
                                                 "https://lrs.example.com/y --auth none --json"));
        QVERIFY2(added.exitCode == 0, qPrintable(added.all()));
        QCOMPARE(QJsonDocument::fromJson(added.out).object().value(QStringLiteral("name")).toString(),
                 QStringLiteral("--x"));
    }

    void strayArgument_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        QTest::newRow("integration list") << words("integration list extra")
                                          << QStringLiteral("unexpected argument “extra”: xapi-courier integration "
                                                            "list takes no arguments, only options. (see xapi-courier "
                                                            "integration list --help)");
        QTest::newRow("integration add, the value after a forgotten one")
            << words("integration add --name Acme p10 --provider acme --statement-url https://lrs.example.com/y "
                     "--auth none")
            << QStringLiteral("unexpected argument “p10”: xapi-courier integration add takes no arguments");
        QTest::newRow("integration show") << words("integration show LRS other")
                                          << QStringLiteral("unexpected argument “other”: xapi-courier integration "
                                                            "show takes one argument.");
        QTest::newRow("queue status") << words("queue status extra")
                                      << QStringLiteral("unexpected argument “extra”: xapi-courier queue status");
        QTest::newRow("queue retry") << words("queue retry --integration LRS now")
                                     << QStringLiteral("unexpected argument “now”: xapi-courier queue retry");
        QTest::newRow("queue attempts") << words("queue attempts 1 2")
                                        << QStringLiteral("unexpected argument “2”: xapi-courier queue attempts takes "
                                                          "one argument.");
        QTest::newRow("queue list, an option of another action")
            << words("queue list --from 2026-11-01T00:00:00Z") << QStringLiteral("Unknown option 'from'.");
        QTest::newRow("alerts list") << words("alerts list all")
                                     << QStringLiteral("unexpected argument “all”: xapi-courier alerts list");
        QTest::newRow("settings smtp") << words("settings smtp show")
                                       << QStringLiteral("unexpected argument “show”: xapi-courier settings smtp");
        QTest::newRow("completions delete") << words("completions delete --content 10 --yes 11")
                                            << QStringLiteral("unexpected argument “11”: xapi-courier completions "
                                                              "delete");
        QTest::newRow("enqueue") << words("enqueue --integration LRS a.json b.json")
                                 << QStringLiteral("unexpected argument “b.json”: xapi-courier enqueue takes one "
                                                   "argument.");
        QTest::newRow("validate") << words("validate a.json b.json")
                                  << QStringLiteral("unexpected argument “b.json”: xapi-courier validate");
        QTest::newRow("worker") << words("worker --until-idle now")
                                << QStringLiteral("unexpected argument “now”: xapi-courier worker");
    }
    void strayArgument()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        const CliResult result = m_cli->run(arguments);
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.all().contains(message), qPrintable(result.all()));
    }

    void unknownIntegrationIsRefusedEverywhere_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::newRow("queue retry") << words("queue retry --integration Nope");
        QTest::newRow("queue replay") << words("queue replay --integration Nope --from 2026-11-01T00:00:00Z --to "
                                               "2026-11-02T00:00:00Z");
        QTest::newRow("queue list") << words("queue list --integration Nope");
        QTest::newRow("queue export") << words("queue export --integration Nope");
        QTest::newRow("integration show") << words("integration show Nope");
        QTest::newRow("integration test") << words("integration test Nope");
        QTest::newRow("alerts list") << words("alerts list --integration Nope");
        QTest::newRow("send") << QStringList{QStringLiteral("send"), QStringLiteral("--integration"),
                                             QStringLiteral("Nope"),
                                             QStringLiteral(COURIER_SAMPLES_DIR "/vendor-completed.json")};
        QTest::newRow("enqueue") << QStringList{QStringLiteral("enqueue"), QStringLiteral("--integration"),
                                                QStringLiteral("Nope"),
                                                QStringLiteral(COURIER_SAMPLES_DIR "/vendor-completed.json")};
    }
    void unknownIntegrationIsRefusedEverywhere()
    {
        QFETCH(QStringList, arguments);
        const CliResult result = m_cli->run(arguments);
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.err.contains("no integration is named “Nope”"), result.err.constData());
        // Not naming one where it is needed stays a usage error.
        QCOMPARE(m_cli->run(words("queue retry")).exitCode, 2);
    }

    void eachQueueActionHasItsOwnHelp()
    {
        const CliResult status = m_cli->run(words("queue status --help"));
        QCOMPARE(status.exitCode, 0);
        QVERIFY2(status.out.startsWith("Usage: xapi-courier queue status [options]\n"), status.out.constData());
        QVERIFY(status.out.contains("--json"));
        QVERIFY(!status.out.contains("--from"));
        const CliResult replay = m_cli->run(words("queue replay --help"));
        QCOMPARE(replay.exitCode, 0);
        QVERIFY2(replay.out.startsWith("Usage: xapi-courier queue replay [options]\n"), replay.out.constData());
        for (const char* option : {"--integration <NAME|ID>", "--from <T>", "--to <T>", "--verbose"})
            QVERIFY2(replay.out.contains(option), option);
        QVERIFY(!replay.out.contains("--state"));
        const CliResult attempts = m_cli->run(words("queue attempts --help"));
        QVERIFY2(attempts.out.startsWith("Usage: xapi-courier queue attempts [options] DELIVERY_ID\n"),
                 attempts.out.constData());
        // The overview stays where it was.
        QVERIFY(m_cli->run(words("queue --help")).out.contains("Actions:"));
    }

    void settingsHelpListsEverySetting()
    {
        const CliResult help = m_cli->run(words("settings --help"));
        QCOMPARE(help.exitCode, 0);
        QVERIFY2(help.out.contains("settings smtp"), help.out.constData());
        QVERIFY2(help.out.contains("settings receiver --webhook-token-stdin"), help.out.constData());
        const CliResult unknown = m_cli->run(words("settings proxy"));
        QCOMPARE(unknown.exitCode, 2);
        QVERIFY2(unknown.err.contains("unknown settings “proxy”: smtp or receiver."), unknown.err.constData());
    }

    // --skip-invalid skips a line of NDJSON that is not JSON as it skips an invalid statement (the first line too);
    // without it, such a line still stops the input.
    void skipInvalidSkipsLinesThatAreNotJson()
    {
        const QByteArray input = statementLine(1) + "{\"id\": \"truncated\n" + statementLine(2) + "not json\n";
        const QStringList enqueue = words("enqueue --integration LRS -");
        const CliResult stopped = m_cli->run(enqueue, input);
        QCOMPARE(stopped.exitCode, 2);
        QVERIFY2(stopped.err.contains("line 2 is not a JSON statement"), stopped.err.constData());
        QCOMPARE(queued(), 0);

        const CliResult skipped = m_cli->run(enqueue + QStringList{QStringLiteral("--skip-invalid")}, input);
        QVERIFY2(skipped.exitCode == 0, qPrintable(skipped.all()));
        QVERIFY2(skipped.err.contains("[1]: line 2 is not a JSON statement"), skipped.err.constData());
        QVERIFY2(skipped.err.contains("[3]: line 4 is not a JSON statement"), skipped.err.constData());
        QVERIFY2(skipped.err.contains("Skipped 2 invalid statement(s): [1, 3]."), skipped.err.constData());
        QVERIFY2(skipped.err.contains("Queued 2 statement(s)"), skipped.err.constData());
        QCOMPARE(queued(), 2);

        const CliResult firstBroken =
            m_cli->run(enqueue + QStringList{QStringLiteral("--skip-invalid")}, "{broken\n" + statementLine(3));
        QVERIFY2(firstBroken.exitCode == 0, qPrintable(firstBroken.all()));
        QVERIFY2(firstBroken.err.contains("Skipped 1 invalid statement(s): [0]."), firstBroken.err.constData());
        QCOMPARE(queued(), 3);
    }
};

QTEST_GUILESS_MAIN(TestCliArguments)
#include "tst_cli_arguments.moc"
