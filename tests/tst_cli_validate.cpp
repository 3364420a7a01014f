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
};

QTEST_GUILESS_MAIN(TestCliValidate)
#include "tst_cli_validate.moc"
