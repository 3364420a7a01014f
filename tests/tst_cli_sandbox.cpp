#include "TestStore.h"

#include "sandbox/Sandbox.h"
#include "statements/StatementTemplates.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <csignal>

// `xapi-courier sandbox` (a process of its own, as a user runs it) and `xapi-courier check` (against a sandbox in this
// process; the CLI runs without blocking our event loop).
class TestCliSandbox final : public QObject
{
    Q_OBJECT

private:
    struct Run
    {
        int exitCode = -1;
        QString out;
        QString err;
    };
    std::unique_ptr<TestStore> m_fixture;
    QNetworkAccessManager m_network;

    Run run(const QStringList& arguments)
    {
        QProcess process;
        process.start(QStringLiteral(COURIER_BINARY), QStringList{QStringLiteral("--db"), m_fixture->path()} + arguments);
        process.closeWriteChannel();
        QSignalSpy finished(&process, &QProcess::finished);
        finished.wait(60000);
        return {process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()),
                QString::fromUtf8(process.readAllStandardError())};
    }
    int post(const QUrl& url, const QByteArray& body)
    {
        QNetworkRequest request(url);
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
        request.setRawHeader("X-Experience-API-Version", "1.0.3");
        QNetworkReply* reply = m_network.post(request, body);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        finished.wait(10000);
        reply->deleteLater();
        return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    }
    static QByteArray statement(const QString& id)
    {
        TemplateValues values;
        values.id = id;
        values.actorEmail = QStringLiteral("learner@example.com");
        values.objectId = QStringLiteral("https://example.com/courses/1");
        return QJsonDocument(StatementTemplates::build(values)).toJson(QJsonDocument::Compact);
    }

private Q_SLOTS:
    void init()
    {
        m_fixture = std::make_unique<TestStore>();
        QVERIFY(m_fixture->isValid());
    }

    void sandboxRunsFailsOnPurposeAndLists()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("sandbox.sqlite"));
        QProcess sandbox;
        sandbox.start(QStringLiteral(COURIER_BINARY),
                      {QStringLiteral("sandbox"), QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--faults"),
                       QStringLiteral("503*1"), QStringLiteral("--db"), file});
        QVERIFY(sandbox.waitForStarted(10000));
        QTRY_VERIFY_WITH_TIMEOUT(sandbox.canReadLine(), 10000);
        const QUrl url(QString::fromUtf8(sandbox.readLine()).trimmed());
        QCOMPARE(url.host(), QStringLiteral("127.0.0.1"));
        QCOMPARE(url.path(), QStringLiteral("/xapi/statements"));
        const QString id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        QCOMPARE(post(url, statement(id)), 503); // the script first
        QCOMPARE(post(url, statement(id)), 200);

        const Run live = run({QStringLiteral("sandbox"), QStringLiteral("list"), QStringLiteral("--port"),
                              QString::number(url.port()), QStringLiteral("--requests"), QStringLiteral("--json")});
        QCOMPARE(live.exitCode, 0);
        const QJsonObject listed = QJsonDocument::fromJson(live.out.toUtf8()).object();
        QCOMPARE(listed.value(QStringLiteral("statements")).toArray().size(), 1);
        QCOMPARE(listed.value(QStringLiteral("statements")).toArray().first().toObject().value(QStringLiteral("id")),
                 QJsonValue(id));
        const QJsonArray requests = listed.value(QStringLiteral("requests")).toArray();
        QCOMPARE(requests.size(), 2);
        QCOMPARE(requests.at(0).toObject().value(QStringLiteral("status")).toInt(), 503);
        QCOMPARE(requests.at(0).toObject().value(QStringLiteral("fault")).toString(), QStringLiteral("503 (1 of 1)"));
        QCOMPARE(requests.at(1).toObject().value(QStringLiteral("status")).toInt(), 200);
        const Run text = run({QStringLiteral("sandbox"), QStringLiteral("list"), QStringLiteral("--port"),
                              QString::number(url.port()), QStringLiteral("--requests")});
        QVERIFY2(text.out.contains(QLatin1String("1 statement received")), qPrintable(text.out));
        QVERIFY(text.out.contains(id));
        QVERIFY(text.out.contains(QLatin1String("-> 503 Sandbox fault 503 (1 of 1)")));

        ::kill(pid_t(sandbox.processId()), SIGTERM);
        QVERIFY(sandbox.waitForFinished(10000));
        QCOMPARE(sandbox.exitCode(), 0);
        const QString log = QString::fromUtf8(sandbox.readAllStandardError());
        QVERIFY2(log.contains(QLatin1String("faults: 503*1")), qPrintable(log));
        QVERIFY(log.contains(QLatin1String("POST /xapi/statements -> 503")));

        // What it kept outlives it, in its own file.
        const Run fromFile = run({QStringLiteral("sandbox"), QStringLiteral("list"), QStringLiteral("--db"), file});
        QCOMPARE(fromFile.exitCode, 0);
        QVERIFY(fromFile.out.contains(id));
    }

    void sandboxUsageErrors()
    {
        const Run badFaults = run({QStringLiteral("sandbox"), QStringLiteral("--port"), QStringLiteral("0"),
                                   QStringLiteral("--faults"), QStringLiteral("404*2")});
        QCOMPARE(badFaults.exitCode, 2);
        QVERIFY2(badFaults.err.contains(QStringLiteral("faults: “404*2” is not a fault")), qPrintable(badFaults.err));
        QCOMPARE(run({QStringLiteral("sandbox")}).exitCode, 2);
        QCOMPARE(run({QStringLiteral("sandbox"), QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--basic"),
                      QStringLiteral("nocolon")})
                     .exitCode,
                 2);
        QCOMPARE(run({QStringLiteral("sandbox"), QStringLiteral("list")}).exitCode, 2);
        QCOMPARE(run({QStringLiteral("sandbox"), QStringLiteral("list"), QStringLiteral("--db"),
                      QStringLiteral("/nonexistent/sandbox.sqlite")})
                     .exitCode,
                 1);
    }

    void checkPrintsTheChecklistAndItsVerdict()
    {
        Sandbox sandbox;
        QString error;
        QVERIFY(sandbox.listen(0, &error));
        QCOMPARE(run({QStringLiteral("integration"), QStringLiteral("add"), QStringLiteral("--name"),
                      QStringLiteral("Sandbox"), QStringLiteral("--provider"), QStringLiteral("sandbox"),
                      QStringLiteral("--statement-url"), sandbox.statementsUrl().toString(), QStringLiteral("--auth"),
                      QStringLiteral("none")})
                     .exitCode,
                 0);
        const Run passed = run({QStringLiteral("check"), QStringLiteral("--integration"), QStringLiteral("Sandbox"),
                                QStringLiteral("--json")});
        QCOMPARE(passed.exitCode, 0);
        QVERIFY2(passed.err.contains(QLatin1String("voided afterwards")), qPrintable(passed.err)); // said first
        const QJsonObject json = QJsonDocument::fromJson(passed.out.toUtf8()).object();
        QCOMPARE(json.value(QStringLiteral("integration")).toString(), QStringLiteral("Sandbox"));
        QCOMPARE(json.value(QStringLiteral("xapiVersions")).toArray(), QJsonArray{QStringLiteral("1.0.3")});
        QStringList ids;
        for (const QJsonValue& check : json.value(QStringLiteral("checks")).toArray()) {
            ids << check.toObject().value(QStringLiteral("id")).toString();
            QCOMPARE(check.toObject().value(QStringLiteral("result")).toString(), QStringLiteral("pass"));
            QVERIFY(check.toObject().contains(QStringLiteral("status")));
            QVERIFY(!check.toObject().value(QStringLiteral("detail")).toString().isEmpty());
        }
        QCOMPARE(ids, (QStringList{QStringLiteral("about"), QStringLiteral("authentication"), QStringLiteral("post"),
                                   QStringLiteral("resend-identical"), QStringLiteral("resend-conflicting"),
                                   QStringLiteral("missing-version-header"), QStringLiteral("batch-duplicate-ids"),
                                   QStringLiteral("read-back"), QStringLiteral("cleanup")}));
        QCOMPARE(sandbox.statements().list({}, &error).size(), 1); // the voiding statement; the test one is voided

        QVERIFY(sandbox.setFaults(QStringLiteral("503*50"), &error));
        const Run failed = run({QStringLiteral("check"), QStringLiteral("--integration"), QStringLiteral("Sandbox"),
                                QStringLiteral("--keep")});
        QCOMPARE(failed.exitCode, 1);
        QVERIFY2(failed.out.contains(QLatin1String("FAIL  post")), qPrintable(failed.out));
        QVERIFY(failed.out.contains(QLatin1String("retrying")));
        QVERIFY(failed.err.contains(QLatin1String("They are kept as asked")));

        QCOMPARE(run({QStringLiteral("check"), QStringLiteral("--integration"), QStringLiteral("Nobody")}).exitCode, 1);
        QCOMPARE(run({QStringLiteral("check")}).exitCode, 2);
    }
};

QTEST_GUILESS_MAIN(TestCliSandbox)
#include "tst_cli_sandbox.moc"
