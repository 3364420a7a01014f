#include "CliRunner.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <sys/resource.h>

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
        QCOMPARE(findings.first().toObject().value(QStringLiteral("rule")).toString(),
                 QStringLiteral("2.4.2.3.s3.table1.row1"));
        QVERIFY2(invalid.out.contains("(xAPI 1.0.3 Data 2.4.2.3.s3.table1.row1)"), invalid.out.constData());

        QCOMPARE(cli.run({QStringLiteral("validate"), QStringLiteral("-")}, "not json").exitCode, 2);
        // A pretty-printed statement with a comma missing at the end of line 3 is reported at line 3.
        const CliResult comma = cli.run({QStringLiteral("validate"), QStringLiteral("-")},
                                        "{\n  \"actor\": {\"mbox\": \"mailto:ada@example.com\"},\n"
                                        "  \"verb\": {\"id\": \"http://example.com/v\"}\n"
                                        "  \"object\": {\"id\": \"http://example.com/a\"}\n}\n");
        QCOMPARE(comma.exitCode, 2);
        QVERIFY2(comma.err.contains("line 3, column 41: a comma or a closing brace is expected"), comma.err.constData());
        QCOMPARE(cli.run({QStringLiteral("validate"), QStringLiteral("/nonexistent/file.json")}).exitCode, 2);
        QCOMPARE(cli.run({QStringLiteral("validate")}).exitCode, 2);
    }

    // The largest resident size of any child process waited for so far (this test's own runs are the only children).
    static qint64 childrenPeakBytes()
    {
        rusage usage{};
        getrusage(RUSAGE_CHILDREN, &usage);
        return qint64(usage.ru_maxrss) * 1024;
    }

    // Input of any size is refused or processed in little memory, with exit 2 for what is not statements, never an
    // abort: the form is told from the first bytes, arrays are read an element at a time, and a line or a single
    // statement over the limit is refused. Before, 1 GB of zeros took 1.98 GB and 200 MB of garbage 849 MB.
    void hugeInputsTakeLittleMemory()
    {
        constexpr qint64 limit = 200LL * 1024 * 1024;
        // 1 GB of zeros on standard input: refused from its first byte.
        QProcess zeros;
        zeros.start(QStringLiteral(COURIER_BINARY), {QStringLiteral("validate"), QStringLiteral("-")});
        QVERIFY(zeros.waitForStarted());
        const QByteArray chunk(1 << 20, '\0');
        for (qint64 written = 0; written < (1LL << 30) && zeros.state() == QProcess::Running;) {
            if (zeros.bytesToWrite() < 8 * chunk.size()) {
                if (zeros.write(chunk) < 0)
                    break; // it stopped reading
                written += chunk.size();
            }
            if (!zeros.waitForBytesWritten(50) && zeros.waitForFinished(1))
                break;
        }
        zeros.closeWriteChannel();
        if (zeros.state() != QProcess::NotRunning)
            QVERIFY(zeros.waitForFinished(60000));
        QCOMPARE(zeros.exitStatus(), QProcess::NormalExit);
        QCOMPARE(zeros.exitCode(), 2);
        QVERIFY2(zeros.readAllStandardError().contains("line 1, column 1"), "the error says where");

        QTemporaryDir dir;
        CliRunner cli;
        // 200 MB that start like a statement and never end a line.
        const QString garbage = dir.filePath(QStringLiteral("garbage.json"));
        {
            QFile file(garbage);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("{");
            const QByteArray junk(1 << 20, 'x');
            for (int i = 0; i < 200; ++i)
                file.write(junk);
        }
        const CliResult refused = cli.run({QStringLiteral("validate"), garbage});
        QCOMPARE(refused.exitCode, 2);
        QVERIFY2(refused.err.contains("longer than"), refused.err.constData());

        // A 100 MB array of valid statements: read an element at a time.
        const QString array = dir.filePath(QStringLiteral("array.json"));
        int count = 0;
        {
            QFile file(array);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("[\n");
            const QString padding(2000, QLatin1Char('p'));
            while (file.size() < 100LL * 1024 * 1024) {
                const QJsonObject statement{
                    {QStringLiteral("actor"),
                     QJsonObject{{QStringLiteral("mbox"), QStringLiteral("mailto:a@b.example")}}},
                    {QStringLiteral("verb"),
                     QJsonObject{{QStringLiteral("id"), QStringLiteral("http://adlnet.gov/expapi/verbs/completed")}}},
                    {QStringLiteral("object"),
                     QJsonObject{{QStringLiteral("id"), QStringLiteral("http://e.example/a/%1").arg(count)},
                                 {QStringLiteral("definition"),
                                  QJsonObject{{QStringLiteral("description"),
                                               QJsonObject{{QStringLiteral("en-US"), padding}}}}}}}};
                file.write((count ? ",\n" : "") + QJsonDocument(statement).toJson(QJsonDocument::Compact));
                ++count;
            }
            file.write("\n]\n");
        }
        const CliResult streamed = cli.run({QStringLiteral("validate"), array});
        QVERIFY2(streamed.exitCode == 0, streamed.err.left(500).constData());
        QVERIFY2(streamed.err.contains(QStringLiteral("%1 statements, all valid.").arg(count).toUtf8()),
                 streamed.err.constData());
        // send takes one request's worth: the same 100 MB are refused, not read whole.
        const CliResult tooLarge =
            cli.run({QStringLiteral("send"), QStringLiteral("--integration"), QStringLiteral("nobody"), array});
        QCOMPARE(tooLarge.exitCode, 2);
        QVERIFY2(tooLarge.err.contains("more than 16 MB"), tooLarge.err.constData());
        const qint64 peak = childrenPeakBytes();
        qInfo("the largest of these runs peaked at %lld MB", peak >> 20);
        QVERIFY2(peak < limit, qPrintable(QStringLiteral("%1 MB").arg(peak >> 20)));
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

    void xapiVersion()
    {
        CliRunner cli;
        const QByteArray twoZero =
            R"({"actor":{"mbox":"mailto:ada@example.com"},"verb":{"id":"http://example.com/v"},"object":{"id":"http://e.com/a"},)"
            R"("context":{"contextAgents":[{"objectType":"contextAgent","agent":{"mbox":"mailto:t@example.com"}}]},)"
            R"("timestamp":"2026-11-22T09:14:32Z","version":"2.0.0"})";
        const CliResult asOne = cli.run({QStringLiteral("validate"), QStringLiteral("-")}, twoZero);
        QCOMPARE(asOne.exitCode, 1);
        QVERIFY2(asOne.out.contains("context.contextAgents: is xAPI 2.0.0"), asOne.out.constData());
        QVERIFY2(asOne.out.contains("version: 2.0.0 is xAPI 2.0"), asOne.out.constData());
        const CliResult asTwo = cli.run(
            {QStringLiteral("validate"), QStringLiteral("--xapi-version"), QStringLiteral("2.0.0"), QStringLiteral("-")},
            twoZero);
        QCOMPARE(asTwo.exitCode, 0);
        QCOMPARE(cli.run({QStringLiteral("validate"), QStringLiteral("--xapi-version"), QStringLiteral("1.1"),
                          QStringLiteral("-")},
                         twoZero)
                     .exitCode,
                 2);
    }

    void rulesTable()
    {
        CliRunner cli;
        const CliResult json = cli.run({QStringLiteral("validate"), QStringLiteral("--rules"), QStringLiteral("--json")});
        QCOMPARE(json.exitCode, 0);
        const QJsonArray rules = QJsonDocument::fromJson(json.out).array();
        QVERIFY(rules.size() > 100);
        bool authority = false;
        for (const QJsonValue& rule : rules) {
            if (rule[QStringLiteral("rule")].toString() == QLatin1String("2.4.9.s3.b1")) {
                authority = true;
                QCOMPARE(rule[QStringLiteral("status")].toString(), QStringLiteral("checked"));
                QCOMPARE(rule[QStringLiteral("citation")].toString(), QStringLiteral("xAPI 1.0.3 Data 2.4.9.s3.b1"));
            }
        }
        QVERIFY(authority);
        const CliResult markdown =
            cli.run({QStringLiteral("validate"), QStringLiteral("--rules"), QStringLiteral("--markdown")});
        QVERIFY(markdown.out.startsWith("| Rule | Section |"));
    }
};

QTEST_GUILESS_MAIN(TestCliValidate)
#include "tst_cli_validate.moc"
