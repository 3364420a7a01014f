#include "BrokenServer.h"
#include "LocalReceiver.h"
#include "TestStore.h"

#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
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
    // The command on a real terminal (a pseudo-terminal that script(1) opens): what a person's terminal would get.
    QByteArray onTerminal(const QStringList& arguments)
    {
        QStringList quoted;
        for (const QString& argument :
             QStringList{QStringLiteral(COURIER_BINARY), QStringLiteral("--db"), m_fixture->path()} + arguments)
            quoted << QLatin1Char('\'') + QString(argument).replace(QLatin1Char('\''), QLatin1String("'\\''")) +
                          QLatin1Char('\'');
        QProcess process;
        process.start(QStringLiteral("script"),
                      {QStringLiteral("-qec"), quoted.join(QLatin1Char(' ')), QStringLiteral("/dev/null")});
        process.closeWriteChannel();
        QSignalSpy finished(&process, &QProcess::finished);
        finished.wait(60000);
        return process.readAllStandardOutput();
    }
    // Nothing that starts an escape sequence or rings the bell reached the terminal, and the sequences are shown.
    static void verifyInert(const QByteArray& screen)
    {
        QVERIFY2(!screen.contains('\x1b'), screen.constData());
        QVERIFY2(!screen.contains('\x07'), screen.constData());
        QVERIFY2(!screen.contains("\xc2\x9b"), screen.constData());
        QVERIFY2(screen.contains("\\x1b"), screen.constData());
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
        // The status line with its reason, the timings, and the body as sent: the file, byte for byte.
        QVERIFY(accepted.out.contains(QLatin1String("< HTTP 200 OK\n")));
        QVERIFY(accepted.out.contains(QLatin1String("> POST ") + m_receiver->statementsUrl().toString()));
        QVERIFY(accepted.out.contains(QLatin1String("> Content-Type: application/json")));
        QVERIFY(accepted.out.contains(QLatin1String(" ms to the first byte")));
        QFile sample(QStringLiteral(COURIER_SAMPLES_DIR "/vendor-completed.json"));
        QVERIFY(sample.open(QIODevice::ReadOnly));
        const QByteArray file = sample.readAll().trimmed();
        QCOMPARE(m_receiver->statementRequests.first().body, file);
        QVERIFY(accepted.out.contains(QString::fromUtf8(file)));

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

    void anArrayFromStandardInput()
    {
        const QByteArray array =
            R"([{"id":"11111111-1111-4111-8111-111111111111","actor":{"mbox":"mailto:a@example.com"},)"
            R"("verb":{"id":"http://adlnet.gov/expapi/verbs/completed"},)"
            R"("object":{"id":"http://example.com/course/1"}},)"
            R"({"id":"22222222-2222-4222-8222-222222222222","actor":{"mbox":"mailto:b@example.com"},)"
            R"("verb":{"id":"http://adlnet.gov/expapi/verbs/completed"},)"
            R"("object":{"id":"http://example.com/course/1"}}])";
        const Run sent =
            run({QStringLiteral("send"), QStringLiteral("--integration"), QStringLiteral("Open"), QStringLiteral("-")},
                array);
        QCOMPARE(sent.exitCode, 0);
        QCOMPARE(m_receiver->statementRequests.size(), 1); // one request, not one per statement
        QCOMPARE(m_receiver->statementRequests.first().statementIds(),
                 QStringList({QStringLiteral("11111111-1111-4111-8111-111111111111"),
                              QStringLiteral("22222222-2222-4222-8222-222222222222")}));
    }

    void failuresExitOne_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("fragment");
        QTest::newRow("403") << 403 << QStringLiteral("HTTP 403 Forbidden: not yours (http)");
        QTest::newRow("413") << 413 << QStringLiteral("HTTP 413");
        QTest::newRow("500") << 500 << QStringLiteral("HTTP 500 Internal Server Error: not yours (http)");
    }

    void failuresExitOne()
    {
        QFETCH(int, status);
        QFETCH(QString, fragment);
        m_receiver->setStatementReplies({{status, "not yours", {}, 0}});
        const Run refused = run(sendArguments(QStringLiteral("Open")));
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.err.contains(fragment), qPrintable(refused.err));
        QVERIFY(refused.out.contains(QStringLiteral("< HTTP %1").arg(status)));
    }

    void noAnswerExitsOne()
    {
        BrokenServer silent(BrokenServer::Mode::Silent);
        QVERIFY(silent.start());
        BrokenServer dropping(BrokenServer::Mode::Drop);
        QVERIFY(dropping.start());
        for (const auto& [name, url] : {std::pair{QStringLiteral("Silent"), silent.url()},
                                        std::pair{QStringLiteral("Dropping"), dropping.url()}}) {
            QCOMPARE(run({QStringLiteral("integration"), QStringLiteral("add"), QStringLiteral("--name"), name,
                          QStringLiteral("--provider"), name.toLower(), QStringLiteral("--statement-url"),
                          url.toString(), QStringLiteral("--auth"), QStringLiteral("none")})
                         .exitCode,
                     0);
        }
        QStringList slow = sendArguments(QStringLiteral("Silent"));
        slow << QStringLiteral("--timeout") << QStringLiteral("0.5");
        const Run timedOut = run(slow);
        QCOMPARE(timedOut.exitCode, 1);
        QVERIFY2(timedOut.err.contains(QLatin1String("No complete answer within 0.5 s (timeout).")),
                 qPrintable(timedOut.err));
        QVERIFY(!timedOut.out.contains(QLatin1String("< HTTP")));

        const Run dropped = run(sendArguments(QStringLiteral("Dropping")));
        QCOMPARE(dropped.exitCode, 1);
        QVERIFY2(dropped.err.contains(QLatin1String("(network)")), qPrintable(dropped.err));

        QStringList wrong = sendArguments(QStringLiteral("Open"));
        wrong << QStringLiteral("--timeout") << QStringLiteral("soon");
        QCOMPARE(run(wrong).exitCode, 2);
        QCOMPARE(run({QStringLiteral("send"), QStringLiteral("--integration"), QStringLiteral("Open"),
                      QStringLiteral("/nonexistent/statement.json")})
                     .exitCode,
                 2);
    }

    // A receiver's answer with terminal escape sequences in its reason phrase, headers and body reaches the terminal
    // with them visible and inert (\x1b...), through send, the worker's log, queue attempts and queue status.
    void escapeSequencesFromAReceiverReachNoTerminal()
    {
        BrokenServer hostile(BrokenServer::Mode::Hostile);
        QVERIFY(hostile.start());
        QCOMPARE(run({QStringLiteral("integration"), QStringLiteral("add"), QStringLiteral("--name"),
                      QStringLiteral("Hostile"), QStringLiteral("--provider"), QStringLiteral("hostile"),
                      QStringLiteral("--statement-url"), hostile.url().toString(), QStringLiteral("--auth"),
                      QStringLiteral("none")})
                     .exitCode,
                 0);
        const QByteArray sent = onTerminal(sendArguments(QStringLiteral("Hostile")));
        verifyInert(sent);
        QVERIFY2(sent.contains("\\x1b]0;pwned-body\\x07") && sent.contains("\\xc2\\x9b31m") == false &&
                     sent.contains("\\x9b31m"),
                 sent.constData());

        QCOMPARE(run({QStringLiteral("enqueue"), QStringLiteral("--integration"), QStringLiteral("Hostile"),
                      QStringLiteral(COURIER_SAMPLES_DIR "/vendor-completed.json")})
                     .exitCode,
                 0);
        const Run worker = run({QStringLiteral("worker"), QStringLiteral("--until-idle")});
        QCOMPARE(worker.exitCode, 0);
        verifyInert(worker.err.toUtf8());
        const QByteArray status = onTerminal({QStringLiteral("queue"), QStringLiteral("status")});
        verifyInert(status);
        QVERIFY2(status.contains("pwned-body"), status.constData());
        const QByteArray attempts =
            onTerminal({QStringLiteral("queue"), QStringLiteral("attempts"), QStringLiteral("1")});
        verifyInert(attempts);
        QVERIFY2(attempts.contains("\\x1b[2J\\x1b[H"), attempts.constData());
        QVERIFY2(attempts.contains("pwned-reason"), attempts.constData());
    }

    // When the connection fails before the request goes out (refused, a name that does not resolve), send says
    // nothing was sent, not "280 bytes sent", and Qt's socket warnings stay off standard error.
    void nothingSentIsSaidWhenTheConnectionFailsFirst()
    {
        quint16 closedPort = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost));
            closedPort = probe.serverPort();
        }
        const QStringList urls = {QStringLiteral("http://127.0.0.1:%1/xapi/statements").arg(closedPort),
                                  QStringLiteral("https://courier-test.invalid/xapi/statements")};
        for (int i = 0; i < urls.size(); ++i) {
            const QString name = QStringLiteral("Unreachable%1").arg(i);
            QCOMPARE(run({QStringLiteral("integration"), QStringLiteral("add"), QStringLiteral("--name"), name,
                          QStringLiteral("--provider"), name.toLower(), QStringLiteral("--statement-url"), urls.at(i),
                          QStringLiteral("--auth"), QStringLiteral("none")})
                         .exitCode,
                     0);
            QStringList arguments = sendArguments(name);
            arguments << QStringLiteral("--timeout") << QStringLiteral("10");
            const Run failed = run(arguments);
            QCOMPARE(failed.exitCode, 1);
            QVERIFY2(failed.out.contains(QLatin1String("* nothing was sent")), qPrintable(failed.out));
            QVERIFY2(!failed.out.contains(QLatin1String("bytes sent")), qPrintable(failed.out));
            QVERIFY2(!failed.err.contains(QLatin1String("QSocketNotifier")), qPrintable(failed.err));
        }
        // Once it went out, the size is said as before.
        const Run accepted = run(sendArguments(QStringLiteral("Open")));
        QVERIFY2(accepted.out.contains(QLatin1String(" bytes sent")), qPrintable(accepted.out));
    }

    void oauthTokenIsRefreshedOnceAndNeverShown()
    {
        QCOMPARE(run({QStringLiteral("integration"), QStringLiteral("add"), QStringLiteral("--name"),
                      QStringLiteral("OAuth"), QStringLiteral("--provider"), QStringLiteral("oauth"),
                      QStringLiteral("--statement-url"), m_receiver->statementsUrl().toString(),
                      QStringLiteral("--auth-url"), m_receiver->tokenUrl().toString(), QStringLiteral("--client-id"),
                      QStringLiteral("courier"), QStringLiteral("--client-secret-stdin")},
                     "oauth-Secret-91")
                     .exitCode,
                 0);
        m_receiver->setTokenReplies({LocalReceiver::token("revoked-tok"), LocalReceiver::token("fresh-tok")});
        m_receiver->setStatementReplies({{401, "token revoked", {}, 0}, {200, {}, {}, 0}});
        QStringList arguments = sendArguments(QStringLiteral("OAuth"));
        arguments << QStringLiteral("--client-auth") << QStringLiteral("body");
        const Run sent = run(arguments);
        QCOMPARE(sent.exitCode, 0);
        QCOMPARE(m_receiver->tokenRequests.size(), 2);
        QCOMPARE(m_receiver->statementRequests.size(), 2);
        QVERIFY(m_receiver->tokenRequests.first().body.contains("client_secret=oauth-Secret-91"));
        QCOMPARE(m_receiver->statementRequests.last().header("Authorization"), QByteArray("Bearer fresh-tok"));
        QVERIFY2(sent.out.contains(QLatin1String("fetched a new one")), qPrintable(sent.out + sent.err));
        QVERIFY(sent.out.contains(QStringLiteral("> Authorization: Bearer •••")));
        for (const QString& hidden :
             {QStringLiteral("oauth-Secret-91"), QStringLiteral("revoked-tok"), QStringLiteral("fresh-tok")})
            QVERIFY2(!QString(sent.out + sent.err).contains(hidden), qPrintable(hidden));

        // The token endpoint refuses: the portal's sentence, the endpoint's answer, exit 1.
        // (Each run is a new process: no token is cached across them.)
        m_receiver->setTokenReplies({{400, R"({"error":"invalid_client"})", {}, 0}});
        const Run refused = run(sendArguments(QStringLiteral("OAuth")));
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.err.contains(QLatin1String("Invalid Credentials (Client Id, Client Secret or Authentication "
                                                    "URL may be incorrect)")),
                 qPrintable(refused.err));
        QVERIFY(refused.err.contains(QLatin1String("(token)")));
        QVERIFY(refused.out.contains(QLatin1String("> POST ") + m_receiver->tokenUrl().toString()));
        QVERIFY(refused.out.contains(QLatin1String("invalid_client")));
        QVERIFY(!QString(refused.out + refused.err).contains(QLatin1String("oauth-Secret-91")));
        QCOMPARE(m_receiver->statementRequests.size(), 2); // no statement went out without a token
    }

    // A one-off command says what happened itself: the courier.* log lines stay out of its output unless --verbose
    // asks for them (the worker keeps its own lines).
    void logLinesOnlyWithVerbose()
    {
        QCOMPARE(run({QStringLiteral("integration"), QStringLiteral("add"), QStringLiteral("--name"),
                      QStringLiteral("OAuth"), QStringLiteral("--provider"), QStringLiteral("oauth"),
                      QStringLiteral("--statement-url"), m_receiver->statementsUrl().toString(),
                      QStringLiteral("--auth-url"), m_receiver->tokenUrl().toString(), QStringLiteral("--client-id"),
                      QStringLiteral("courier"), QStringLiteral("--client-secret-stdin")},
                     "log-Secret-77")
                     .exitCode,
                 0);
        const auto refusedToken = [this] {
            m_receiver->setTokenReplies({{401, R"({"error":"invalid_client"})", {}, 0}});
        };
        refusedToken();
        const Run sent = run(sendArguments(QStringLiteral("OAuth")));
        QCOMPARE(sent.exitCode, 1);
        QVERIFY2(sent.err.contains(QLatin1String("Invalid Credentials")), qPrintable(sent.err));
        QVERIFY2(!sent.err.contains(QLatin1String("courier.")), qPrintable(sent.err));
        refusedToken();
        const Run tested = run({QStringLiteral("integration"), QStringLiteral("test"), QStringLiteral("OAuth")});
        QCOMPARE(tested.exitCode, 1);
        QVERIFY2(!tested.err.contains(QLatin1String("courier.")), qPrintable(tested.err));

        // --verbose after the command or before it: the log lines on standard error.
        refusedToken();
        QStringList verbose = sendArguments(QStringLiteral("OAuth"));
        verbose << QStringLiteral("--verbose");
        const Run logged = run(verbose);
        QCOMPARE(logged.exitCode, 1);
        QVERIFY2(logged.err.contains(QLatin1String("courier.delivery: Token request for")), qPrintable(logged.err));
        refusedToken();
        const Run loggedTest = run({QStringLiteral("--verbose"), QStringLiteral("integration"), QStringLiteral("test"),
                                    QStringLiteral("OAuth")});
        QCOMPARE(loggedTest.exitCode, 1);
        QVERIFY2(loggedTest.err.contains(QLatin1String("courier.delivery: Token request for")),
                 qPrintable(loggedTest.err));
        QVERIFY(!QString(logged.out + logged.err + loggedTest.out + loggedTest.err)
                     .contains(QLatin1String("log-Secret-77")));
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
