#include "LocalReceiver.h"
#include "TestStore.h"

#include <QProcess>
#include <QSignalSpy>
#include <QTest>

// `xapi-courier send` against a receiver in this process (the CLI runs without blocking our event loop).
class TestCliSend final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestStore> m_fixture;
    std::unique_ptr<LocalReceiver> m_receiver;

    struct Run
    {
        int exitCode = -1;
        QString out;
        QString err;
    };
    Run run(const QStringList& arguments, const QByteArray& input = QByteArray())
    {
        QProcess process;
        process.start(QStringLiteral(COURIER_BINARY),
                      QStringList{QStringLiteral("--db"), m_fixture->path()} + arguments);
        process.write(input);
        process.closeWriteChannel();
        QSignalSpy finished(&process, &QProcess::finished);
        finished.wait(30000);
        return {process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()),
                QString::fromUtf8(process.readAllStandardError())};
    }
    QStringList sendArguments(const QString& integration) const
    {
        return {QStringLiteral("send"), QStringLiteral("--integration"), integration,
                QStringLiteral(COURIER_SAMPLES_DIR "/vendor-completed.json")};
    }

private Q_SLOTS:
    void init()
    {
        m_fixture = std::make_unique<TestStore>();
        m_receiver = std::make_unique<LocalReceiver>();
        QVERIFY(m_receiver->start());
        QCOMPARE(
            run({QStringLiteral("integration"), QStringLiteral("add"), QStringLiteral("--name"), QStringLiteral("Open"),
                 QStringLiteral("--provider"), QStringLiteral("open"), QStringLiteral("--statement-url"),
                 m_receiver->statementsUrl().toString(), QStringLiteral("--auth"), QStringLiteral("none")})
                .exitCode,
            0);
    }

    void answers()
    {
        const Run accepted = run(sendArguments(QStringLiteral("Open")));
        QCOMPARE(accepted.exitCode, 0);
        QVERIFY2(accepted.out.contains(QLatin1String("< HTTP 200")), qPrintable(accepted.out + accepted.err));
        QVERIFY(accepted.out.contains(QLatin1String("> X-Experience-API-Version: 1.0.3")));
        QVERIFY(accepted.out.contains(QLatin1String("f4178dfb-d61c-4a16-8ab3-5b9fccae7d8c"))); // the receiver's ids
        QCOMPARE(m_receiver->statementRequests.size(), 1);

        m_receiver->setStatementReplies({{409, "already stored", {}, 0}});
        const Run duplicate = run(sendArguments(QStringLiteral("Open")));
        QCOMPARE(duplicate.exitCode, 0);
        QVERIFY(duplicate.err.contains(QLatin1String("Duplicate")));

        m_receiver->setStatementReplies({{400, R"({"error":"bad verb"})", {}, 0}});
        const Run refused = run(sendArguments(QStringLiteral("Open")));
        QCOMPARE(refused.exitCode, 1);
        QVERIFY(refused.out.contains(QLatin1String("bad verb")));
        QVERIFY(refused.err.contains(QLatin1String("HTTP 400")));

        QCOMPARE(run({QStringLiteral("send"), QStringLiteral("-")}).exitCode, 2);
        QCOMPARE(
            run({QStringLiteral("send"), QStringLiteral("--integration"), QStringLiteral("Open"), QStringLiteral("-")},
                "not json")
                .exitCode,
            2);
    }

    void testConnectionFromTheCommandLine()
    {
        m_receiver->setTokenReplies({LocalReceiver::token("abc"), {400, R"({"error":"invalid_client"})", {}, 0}});
        QCOMPARE(run({QStringLiteral("integration"), QStringLiteral("add"), QStringLiteral("--name"),
                      QStringLiteral("OAuth"), QStringLiteral("--provider"), QStringLiteral("oauth"),
                      QStringLiteral("--statement-url"), m_receiver->statementsUrl().toString(),
                      QStringLiteral("--auth-url"), m_receiver->tokenUrl().toString(), QStringLiteral("--client-id"),
                      QStringLiteral("courier"), QStringLiteral("--client-secret-stdin")},
                     "cli-Token-Secret")
                     .exitCode,
                 0);
        const Run ok = run({QStringLiteral("integration"), QStringLiteral("test"), QStringLiteral("OAuth")});
        QCOMPARE(ok.exitCode, 0);
        QVERIFY2(ok.err.contains(QLatin1String("Connected")), qPrintable(ok.err));
        const Run refused = run({QStringLiteral("integration"), QStringLiteral("test"), QStringLiteral("OAuth")});
        QCOMPARE(refused.exitCode, 1);
        QVERIFY(
            refused.err.contains(QLatin1String("Invalid Credentials (Client Id, Client Secret or Authentication URL "
                                               "may be incorrect)")));
        QVERIFY(!refused.err.contains(QLatin1String("cli-Token-Secret")));
    }

    void basicCredentialsComeFromTheKeychainAndStayHidden()
    {
        QCOMPARE(run({QStringLiteral("integration"), QStringLiteral("add"), QStringLiteral("--name"),
                      QStringLiteral("Basic"), QStringLiteral("--provider"), QStringLiteral("basic"),
                      QStringLiteral("--statement-url"), m_receiver->statementsUrl().toString(),
                      QStringLiteral("--auth"), QStringLiteral("basic"), QStringLiteral("--username"),
                      QStringLiteral("lrs"), QStringLiteral("--password-stdin")},
                     "send-Secret-55")
                     .exitCode,
                 0);
        const Run sent = run(sendArguments(QStringLiteral("Basic")));
        QCOMPARE(sent.exitCode, 0);
        QCOMPARE(m_receiver->statementRequests.last().header("Authorization"),
                 "Basic " + QByteArray("lrs:send-Secret-55").toBase64());
        QVERIFY(sent.out.contains(QStringLiteral("> Authorization: Basic •••")));
        QVERIFY(!sent.out.contains(QLatin1String("send-Secret-55")));
        QVERIFY(!sent.out.contains(QString::fromLatin1(QByteArray("lrs:send-Secret-55").toBase64())));
    }
};

QTEST_GUILESS_MAIN(TestCliSend)
#include "tst_cli_send.moc"
