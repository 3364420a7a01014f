#include "CliRunner.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

class TestCliValidate final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void exitCodesAndOutput()
    {
        CliRunner cli;
        const CliResult valid =
            cli.run({QStringLiteral("validate"), QStringLiteral(COURIER_SAMPLES_DIR "/vendor-completed.json")});
        QCOMPARE(valid.exitCode, 0);
        QVERIFY(valid.out.isEmpty());

        const QByteArray bad =
            R"({"actor":{"mbox":"ada@example.com"},"verb":{"id":"completed"},"object":{"id":"http://e.com/a"}})";
        const CliResult invalid = cli.run({QStringLiteral("validate"), QStringLiteral("-")}, bad);
        QCOMPARE(invalid.exitCode, 1);
        QVERIFY2(invalid.out.contains("actor.mbox: must be a mailto IRI"), invalid.out.constData());
        QVERIFY(invalid.out.contains("verb.id: "));

        const CliResult json =
            cli.run({QStringLiteral("validate"), QStringLiteral("--json"), QStringLiteral("-")}, bad);
        QCOMPARE(json.exitCode, 1);
        const QJsonArray findings = QJsonDocument::fromJson(json.out).array();
        QCOMPARE(findings.size(), 2);
        QCOMPARE(findings.first().toObject().value(QStringLiteral("path")).toString(), QStringLiteral("actor.mbox"));

        QCOMPARE(cli.run({QStringLiteral("validate"), QStringLiteral("-")}, "not json").exitCode, 2);
        QCOMPARE(cli.run({QStringLiteral("validate"), QStringLiteral("/nonexistent/file.json")}).exitCode, 2);
        QCOMPARE(cli.run({QStringLiteral("validate")}).exitCode, 2);
    }

    // --json prints findings of input that parses; input that does not parse gets its error on standard error and
    // no JSON on standard output (a script reading it sees no verdict, not an empty "all valid" array).
    void jsonOnlyForInputThatParses_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::newRow("not json") << QByteArray("{broken");
        QTest::newRow("an array cut short") << QByteArray("[{\"id\":1},");
        QTest::newRow("ndjson with a broken line") << QByteArray("{\"actor\":{}}\n{\"actor\":{}}\n{broken\n");
        QTest::newRow("empty") << QByteArray();
    }
    void jsonOnlyForInputThatParses()
    {
        QFETCH(QByteArray, input);
        const CliResult result =
            CliRunner().run({QStringLiteral("validate"), QStringLiteral("--json"), QStringLiteral("-")}, input);
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.out.isEmpty(), result.out.constData());
        QVERIFY2(result.err.startsWith("error: -: "), result.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestCliValidate)
#include "tst_cli_validate.moc"
