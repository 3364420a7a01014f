#include "CliRunner.h"
#include "LocalReceiver.h"
#include "TestStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

// The xAPI version of an integration, as a user sets it and a receiver sees it: --xapi-version 1.0.3|2.0.0|auto
// (auto asks GET .../about when the integration is added and again on every edit), shown by integration show
// --json, and the X-Experience-API-Version header of what is sent.
class TestXapiVersion final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestStore> m_fixture;
    std::unique_ptr<LocalReceiver> m_receiver;
    std::unique_ptr<CliRunner> m_cli;
    QTemporaryDir m_dir;

    CliResult add(const QString& name, const QString& version)
    {
        return m_cli->runServing({QStringLiteral("integration"), QStringLiteral("add"), QStringLiteral("--name"), name,
                                  QStringLiteral("--provider"), name.toLower(), QStringLiteral("--statement-url"),
                                  m_receiver->statementsUrl().toString(), QStringLiteral("--auth"),
                                  QStringLiteral("none"), QStringLiteral("--xapi-version"), version,
                                  QStringLiteral("--json")});
    }
    QJsonObject show(const QString& name)
    {
        const CliResult shown = m_cli->run(
            {QStringLiteral("integration"), QStringLiteral("show"), name, QStringLiteral("--json")});
        return QJsonDocument::fromJson(shown.out).object();
    }
    QString file(const QString& name, const QByteArray& content)
    {
        const QString path = m_dir.filePath(name);
        QFile out(path);
        if (!out.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", qPrintable(path));
        out.write(content);
        return path;
    }

private Q_SLOTS:
    void init()
    {
        m_fixture = std::make_unique<TestStore>();
        m_receiver = std::make_unique<LocalReceiver>();
        QVERIFY(m_receiver->start());
        m_cli = std::make_unique<CliRunner>(m_fixture->path());
    }

    void settingAutoAndTheHeader()
    {
        m_receiver->setAboutVersions({QStringLiteral("1.0.0"), QStringLiteral("1.0.3"), QStringLiteral("2.0.0")});
        const CliResult two = add(QStringLiteral("Two"), QStringLiteral("auto"));
        QVERIFY2(two.exitCode == 0, qPrintable(two.all()));
        QCOMPARE(m_receiver->aboutRequests.size(), 1);
        QCOMPARE(show(QStringLiteral("Two")).value(QStringLiteral("xapiVersion")).toString(), QStringLiteral("auto"));
        QCOMPARE(show(QStringLiteral("Two")).value(QStringLiteral("xapiDetected")).toString(), QStringLiteral("2.0.0"));
        QVERIFY2(two.all().contains(QLatin1String("xAPI version: auto, 2.0.0")), qPrintable(two.all()));
        // When it asked: in JSON, and in the text of show.
        const QDateTime asked = QDateTime::fromString(
            show(QStringLiteral("Two")).value(QStringLiteral("xapiDetectedAt")).toString(), Qt::ISODateWithMs);
        QVERIFY(asked.isValid() && qAbs(asked.secsTo(QDateTime::currentDateTimeUtc())) < 60);
        const CliResult text = m_cli->run({QStringLiteral("integration"), QStringLiteral("show"), QStringLiteral("Two")});
        QVERIFY2(text.out.contains("xAPI version:       auto: 2.0.0 (the receiver's answer, asked "),
                 text.out.constData());

        const CliResult one = add(QStringLiteral("One"), QStringLiteral("1.0.3"));
        QVERIFY2(one.exitCode == 0, qPrintable(one.all()));
        QCOMPARE(show(QStringLiteral("One")).value(QStringLiteral("xapiVersion")).toString(), QStringLiteral("1.0.3"));
        QCOMPARE(m_receiver->aboutRequests.size(), 1); // only auto asks
        QCOMPARE(add(QStringLiteral("Bad"), QStringLiteral("1.1.0")).exitCode, 2);

        // The header follows the integration's version; a 2.0 statement is checked against 2.0.0's rules.
        const QString statement = file(
            QStringLiteral("two.json"),
            R"({"id":"5a1b6d0e-1f63-4bb6-9c52-0d7b3c1e2f40","actor":{"mbox":"mailto:ada@example.com"},)"
            R"("verb":{"id":"http://adlnet.gov/expapi/verbs/completed"},"object":{"id":"http://example.com/a"},)"
            R"("context":{"contextAgents":[{"objectType":"contextAgent","agent":{"mbox":"mailto:t@example.com"}}]},)"
            R"("timestamp":"2026-11-22T09:14:32.577Z"})");
        const CliResult sentTwo = m_cli->runServing(
            {QStringLiteral("send"), QStringLiteral("--integration"), QStringLiteral("Two"), statement});
        QVERIFY2(sentTwo.exitCode == 0, qPrintable(sentTwo.all()));
        QVERIFY2(!sentTwo.all().contains(QLatin1String("is xAPI 2.0.0")), qPrintable(sentTwo.all())); // no warning
        QCOMPARE(m_receiver->statementRequests.last().header("X-Experience-API-Version"), QByteArray("2.0.0"));
        const CliResult sentOne = m_cli->runServing(
            {QStringLiteral("send"), QStringLiteral("--integration"), QStringLiteral("One"),
             QStringLiteral(COURIER_SAMPLES_DIR "/vendor-completed.json")});
        QVERIFY2(sentOne.exitCode == 0, qPrintable(sentOne.all()));
        QCOMPARE(m_receiver->statementRequests.last().header("X-Experience-API-Version"), QByteArray("1.0.3"));

        // Every edit asks again: the receiver now speaks 1.0.3 only.
        m_receiver->setAboutVersions({QStringLiteral("1.0.3")});
        const CliResult edited = m_cli->runServing({QStringLiteral("integration"), QStringLiteral("edit"),
                                                    QStringLiteral("Two"), QStringLiteral("--retry-interval"),
                                                    QStringLiteral("30")});
        QVERIFY2(edited.exitCode == 0, qPrintable(edited.all()));
        QCOMPARE(m_receiver->aboutRequests.size(), 2);
        QCOMPARE(show(QStringLiteral("Two")).value(QStringLiteral("xapiDetected")).toString(), QStringLiteral("1.0.3"));
        QCOMPARE(show(QStringLiteral("Two")).value(QStringLiteral("xapiEffective")).toString(), QStringLiteral("1.0.3"));

        // No About resource: auto sends as 1.0.3 and says why.
        m_receiver->setAboutVersions({});
        const CliResult noAbout = m_cli->runServing({QStringLiteral("integration"), QStringLiteral("edit"),
                                                     QStringLiteral("Two"), QStringLiteral("--retry-interval"),
                                                     QStringLiteral("40")});
        QVERIFY2(noAbout.exitCode == 0, qPrintable(noAbout.all()));
        QVERIFY2(noAbout.all().contains(QLatin1String("answered 404")), qPrintable(noAbout.all()));
        QCOMPARE(show(QStringLiteral("Two")).value(QStringLiteral("xapiEffective")).toString(), QStringLiteral("1.0.3"));
    }

    // A 2.0 statement queued for a 1.0.3 receiver goes converted (contextAgents removed, version 1.0.0), the
    // conversion recorded on its delivery; a 2.0.0 receiver gets it as it is. What stays invalid after the
    // conversion is refused at enqueue.
    void conversionForA103Receiver()
    {
        QVERIFY(add(QStringLiteral("One"), QStringLiteral("1.0.3")).exitCode == 0);
        QVERIFY(add(QStringLiteral("Two"), QStringLiteral("2.0.0")).exitCode == 0);
        const QByteArray twoZero =
            R"({"id":"7c1d2e3f-4a5b-4c6d-8e7f-901a2b3c4d5e","actor":{"mbox":"mailto:ada@example.com"},)"
            R"("verb":{"id":"http://adlnet.gov/expapi/verbs/completed"},"object":{"id":"http://example.com/a"},)"
            R"("context":{"contextAgents":[{"objectType":"contextAgent","agent":{"mbox":"mailto:t@example.com"},)"
            R"("relevantTypes":["https://w3id.org/xapi/cmi5/activities/instructor"]}],"platform":"LMS"},)"
            R"("timestamp":"2026-11-22 09:14:32.577Z","version":"2.0.0"})";
        for (const QString& name : {QStringLiteral("One"), QStringLiteral("Two")}) {
            const CliResult queued = m_cli->run(
                {QStringLiteral("enqueue"), QStringLiteral("--integration"), name, QStringLiteral("-")}, twoZero);
            QVERIFY2(queued.exitCode == 0, qPrintable(name + u": " + queued.all()));
        }
        const CliResult listed = m_cli->run({QStringLiteral("queue"), QStringLiteral("list"), QStringLiteral("--json")});
        const QJsonArray deliveries = QJsonDocument::fromJson(listed.out).array();
        QCOMPARE(deliveries.size(), 2);
        QString conversion;
        for (const QJsonValue& delivery : deliveries)
            conversion += delivery[QStringLiteral("conversion")].toString();
        QVERIFY2(conversion.startsWith(QLatin1String("converted from xAPI 2.0.0 for a 1.0.3 receiver: removed "
                                                     "context.contextAgents (1 entry)")),
                 qPrintable(conversion));
        QVERIFY2(conversion.contains(QLatin1String("version 2.0.0 -> 1.0.0")), qPrintable(conversion));
        QVERIFY2(conversion.contains(QLatin1String("timestamp: the space before the time replaced by T")),
                 qPrintable(conversion));

        const CliResult worker = m_cli->runServing({QStringLiteral("worker"), QStringLiteral("--until-idle")});
        QVERIFY2(worker.exitCode == 0, qPrintable(worker.all()));
        QCOMPARE(m_receiver->statementRequests.size(), 2);
        for (const LocalReceiver::Request& request : std::as_const(m_receiver->statementRequests)) {
            const QJsonObject statement = QJsonDocument::fromJson(request.body).object();
            if (request.header("X-Experience-API-Version") == "1.0.3") {
                QVERIFY(!statement[QStringLiteral("context")].toObject().contains(QStringLiteral("contextAgents")));
                QCOMPARE(statement[QStringLiteral("context")][QStringLiteral("platform")].toString(),
                         QStringLiteral("LMS"));
                QCOMPARE(statement[QStringLiteral("version")].toString(), QStringLiteral("1.0.0"));
                QCOMPARE(statement[QStringLiteral("timestamp")].toString(), QStringLiteral("2026-11-22T09:14:32.577Z"));
            } else {
                QCOMPARE(request.header("X-Experience-API-Version"), QByteArray("2.0.0"));
                QVERIFY(statement[QStringLiteral("context")].toObject().contains(QStringLiteral("contextAgents")));
                QCOMPARE(statement[QStringLiteral("version")].toString(), QStringLiteral("2.0.0"));
            }
        }

        // Still invalid once converted: refused at enqueue, with the finding, and nothing queued.
        QByteArray broken = twoZero;
        broken.replace("http://adlnet.gov/expapi/verbs/completed", "completed");
        const CliResult refused = m_cli->run(
            {QStringLiteral("enqueue"), QStringLiteral("--integration"), QStringLiteral("One"), QStringLiteral("-")},
            broken);
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.all().contains(QLatin1String("verb.id")), qPrintable(refused.all()));
        QVERIFY2(refused.all().contains(QLatin1String("after converting the statement from xAPI 2.0.0")),
                 qPrintable(refused.all()));
    }
};

QTEST_GUILESS_MAIN(TestXapiVersion)
#include "tst_xapiversion.moc"
