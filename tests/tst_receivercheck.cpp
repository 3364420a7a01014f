#include "InMemorySecretStore.h"
#include "LocalReceiver.h"
#include "TestClock.h"

#include "delivery/TokenClient.h"
#include "receiver/ReceiverCheck.h"
#include "sandbox/Sandbox.h"
#include "secrets/SecretStore.h"

#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTest>

// The receiver check against the sandbox LRS, conformant and in each of its fault modes, and against a deliberately
// lenient receiver that answers 200 to everything: every check's verdict asserted.
class TestReceiverCheck final : public QObject
{
    Q_OBJECT

private:
    using Verdicts = QMap<QString, QString>; // check id -> pass / warn / fail / skip

    std::unique_ptr<Sandbox> m_sandbox;
    TestClock m_clock;
    QNetworkAccessManager m_network;
    InMemorySecretStore m_secrets;
    std::unique_ptr<TokenClient> m_tokens;

    Integration integration(const QUrl& url, Integration::Auth auth = Integration::Auth::None)
    {
        Integration target;
        target.id = 7;
        target.uid = QStringLiteral("check-uid");
        target.name = QStringLiteral("Customer LRS");
        target.provider = QStringLiteral("adl-mbox");
        target.statementUrl = url;
        target.auth = auth;
        target.username = QStringLiteral("qa");
        return target;
    }
    // Runs a check to the end; the results in order.
    QList<ReceiverCheckResult> check(const Integration& target, bool keep = false,
                                     std::function<void(ReceiverCheck&, const ReceiverCheckResult&)> onChecked = {})
    {
        ReceiverCheck check(target, *m_tokens, m_network);
        check.setKeep(keep);
        check.setTimeout(3000);
        if (onChecked)
            connect(&check, &ReceiverCheck::checked, this,
                    [&check, onChecked](const ReceiverCheckResult& result) { onChecked(check, result); });
        QSignalSpy finished(&check, &ReceiverCheck::finished);
        check.start();
        if (!check.isFinished())
            finished.wait(60000);
        [&] { QVERIFY(check.isFinished()); }();
        m_lastJson = check.toJson();
        m_lastFailed = check.failed();
        return check.results();
    }
    static Verdicts verdicts(const QList<ReceiverCheckResult>& results)
    {
        Verdicts map;
        for (const ReceiverCheckResult& result : results)
            map.insert(result.id, ReceiverCheckResult::resultName(result.result));
        return map;
    }
    static Verdicts expect(const QString& about, const QString& authentication, const QString& post,
                           const QString& identical, const QString& conflicting, const QString& version,
                           const QString& batch, const QString& readBack, const QString& cleanup)
    {
        const QStringList values{about, authentication, post, identical, conflicting, version, batch, readBack, cleanup};
        Verdicts map;
        for (int i = 0; i < values.size(); ++i)
            map.insert(ReceiverCheck::checkIds().at(i), values.at(i));
        return map;
    }
    QJsonObject m_lastJson;
    bool m_lastFailed = false;

private Q_SLOTS:
    void init()
    {
        m_sandbox = std::make_unique<Sandbox>();
        QString error;
        QVERIFY2(m_sandbox->listen(0, &error), qPrintable(error));
        m_tokens = std::make_unique<TokenClient>(m_network, m_secrets, m_clock);
    }
    void cleanup()
    {
        m_tokens.reset();
        m_sandbox.reset();
    }

    void conformantSandboxPassesAndIsCleanedUp()
    {
        const QList<ReceiverCheckResult> results = check(integration(m_sandbox->statementsUrl()));
        QStringList ids;
        for (const ReceiverCheckResult& result : results)
            ids << result.id;
        QCOMPARE(ids, ReceiverCheck::checkIds()); // every check, in the issue's order
        QCOMPARE(verdicts(results), expect("pass", "pass", "pass", "pass", "pass", "pass", "pass", "pass", "pass"));
        QVERIFY(!m_lastFailed);
        QCOMPARE(m_lastJson.value(QStringLiteral("integration")).toString(), QStringLiteral("Customer LRS"));
        QCOMPARE(m_lastJson.value(QStringLiteral("xapiVersions")).toArray(), QJsonArray{QStringLiteral("1.0.3")});
        const QJsonObject first = m_lastJson.value(QStringLiteral("checks")).toArray().first().toObject();
        QCOMPARE(first.keys(), (QStringList{QStringLiteral("detail"), QStringLiteral("id"), QStringLiteral("result"),
                                            QStringLiteral("status")}));
        QCOMPARE(first.value(QStringLiteral("status")).toInt(), 200);
        QCOMPARE(results.at(4).status.value_or(0), 409);
        QCOMPARE(results.at(5).status.value_or(0), 400);
        QVERIFY(results.at(2).sent.startsWith(QLatin1String("POST ")));
        QVERIFY(results.at(2).sent.contains(QLatin1String("xAPI Courier receiver check")));
        QVERIFY(results.at(2).received.startsWith(QLatin1String("HTTP 200")));

        // The one statement it stored is voided: listed only as voided, next to its voiding statement.
        SandboxStatements::Query query;
        query.withVoided = true;
        QString error;
        const QList<SandboxStatements::Stored> stored = m_sandbox->statements().list(query, &error);
        QCOMPARE(stored.size(), 2);
        int voided = 0;
        for (const SandboxStatements::Stored& row : stored) {
            voided += row.voided ? 1 : 0;
            if (!SandboxStatements::isVoiding(row.statement))
                QVERIFY(row.statement.value(QStringLiteral("context")).toObject().value(QStringLiteral("platform")) ==
                    ReceiverCheck::activityName());
        }
        QCOMPARE(voided, 1);
    }

    void keepLeavesTheTestStatements()
    {
        const QList<ReceiverCheckResult> results = check(integration(m_sandbox->statementsUrl()), true);
        QCOMPARE(verdicts(results).value(QStringLiteral("cleanup")), QStringLiteral("skip"));
        QVERIFY(results.last().detail.contains(QLatin1String("Kept")));
        QString error;
        QCOMPARE(m_sandbox->statements().count(&error), 1);
        QCOMPARE(m_sandbox->statements().list({}, &error).size(), 1); // not voided
    }

    // Each fault mode, from the first request on (about, then post, then the rest).
    void faultModes_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<Verdicts>("expected");
        QTest::newRow("503 throughout") << QStringLiteral("503*50")
                                        << expect("warn", "skip", "fail", "skip", "skip", "warn", "warn", "skip", "skip");
        QTest::newRow("500 throughout") << QStringLiteral("500*50")
                                        << expect("warn", "skip", "fail", "skip", "skip", "warn", "warn", "skip", "skip");
        QTest::newRow("400 throughout") << QStringLiteral("400*50")
                                        << expect("warn", "pass", "fail", "skip", "skip", "pass", "pass", "skip", "skip");
        QTest::newRow("401 throughout") << QStringLiteral("401*50")
                                        << expect("warn", "fail", "fail", "skip", "skip", "warn", "warn", "skip", "skip");
        QTest::newRow("429 throughout") << QStringLiteral("429*50:retry-after=1")
                                        << expect("warn", "skip", "fail", "skip", "skip", "warn", "warn", "skip", "skip");
        QTest::newRow("drop throughout") << QStringLiteral("drop*50")
                                         << expect("warn", "skip", "fail", "skip", "skip", "warn", "warn", "skip", "skip");
        QTest::newRow("slow") << QStringLiteral("delay=200")
                              << expect("pass", "pass", "pass", "pass", "pass", "pass", "pass", "pass", "pass");
        QTest::newRow("outage on about and post") << QStringLiteral("503*2")
                                                  << expect("warn", "skip", "fail", "skip", "skip", "pass", "pass", "skip", "skip");
        QTest::newRow("about only") << QStringLiteral("500*1")
                                    << expect("warn", "pass", "pass", "pass", "pass", "pass", "pass", "pass", "pass");
    }
    void faultModes()
    {
        QFETCH(QString, spec);
        QFETCH(Verdicts, expected);
        QString error;
        QVERIFY(m_sandbox->setFaults(spec, &error));
        const QList<ReceiverCheckResult> results = check(integration(m_sandbox->statementsUrl()));
        QCOMPARE(verdicts(results), expected);
        QCOMPARE(m_lastFailed, expected.values().contains(QStringLiteral("fail")));
    }

    // Faults started in the middle of the check: the resends fail the way the delivery policy would suffer them.
    void resendFaults_data()
    {
        QTest::addColumn<QString>("after");
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("check");
        QTest::addColumn<QString>("verdict");
        QTest::newRow("identical resend 500") << QStringLiteral("post") << QStringLiteral("500*1")
                                              << QStringLiteral("resend-identical") << QStringLiteral("fail");
        QTest::newRow("identical resend 400") << QStringLiteral("post") << QStringLiteral("400*1")
                                              << QStringLiteral("resend-identical") << QStringLiteral("fail");
        QTest::newRow("conflicting resend 400") << QStringLiteral("resend-identical") << QStringLiteral("400*1")
                                                << QStringLiteral("resend-conflicting") << QStringLiteral("fail");
        QTest::newRow("read-back refused") << QStringLiteral("batch-duplicate-ids") << QStringLiteral("401*1")
                                           << QStringLiteral("read-back") << QStringLiteral("skip");
        QTest::newRow("read-back 503") << QStringLiteral("batch-duplicate-ids") << QStringLiteral("503*1")
                                       << QStringLiteral("read-back") << QStringLiteral("warn");
        QTest::newRow("cleanup dropped") << QStringLiteral("read-back") << QStringLiteral("drop*5")
                                         << QStringLiteral("cleanup") << QStringLiteral("warn");
    }
    void resendFaults()
    {
        QFETCH(QString, after);
        QFETCH(QString, spec);
        QFETCH(QString, check);
        QFETCH(QString, verdict);
        Sandbox* sandbox = m_sandbox.get();
        const QList<ReceiverCheckResult> results =
            this->check(integration(m_sandbox->statementsUrl()), false,
                        [sandbox, after, spec](ReceiverCheck&, const ReceiverCheckResult& result) {
                            QString error;
                            if (result.id == after)
                                sandbox->setFaults(spec, &error);
                        });
        QCOMPARE(verdicts(results).value(check), verdict);
        for (const ReceiverCheckResult& result : results) {
            if (result.id != check && result.id != QLatin1String("cleanup") && result.id != QLatin1String("read-back"))
                QVERIFY2(result.result == ReceiverCheckResult::Result::Pass, qPrintable(result.id + result.detail));
        }
    }

    void basicCredentials()
    {
        m_sandbox->setBasicAuth(QStringLiteral("qa"), QStringLiteral("right"));
        const Integration target = integration(m_sandbox->statementsUrl(), Integration::Auth::Basic);
        m_secrets.entries.insert(SecretStore::integrationKey(target.uid), QStringLiteral("right"));
        QCOMPARE(verdicts(check(target)),
                 expect("pass", "pass", "pass", "pass", "pass", "pass", "pass", "pass", "pass"));
        m_tokens = std::make_unique<TokenClient>(m_network, m_secrets, m_clock); // no cached header
        m_secrets.entries.insert(SecretStore::integrationKey(target.uid), QStringLiteral("wrong"));
        QCOMPARE(verdicts(check(target)),
                 expect("pass", "fail", "fail", "skip", "skip", "warn", "warn", "skip", "skip"));
        // No credentials where the receiver wants them.
        QCOMPARE(verdicts(check(integration(m_sandbox->statementsUrl()))),
                 expect("pass", "fail", "fail", "skip", "skip", "warn", "warn", "skip", "skip"));
    }

    // OAuth 2.0: the token comes from a token endpoint (a LocalReceiver's /token), the statements go to the sandbox.
    void oauthToken()
    {
        LocalReceiver tokens;
        QVERIFY(tokens.start());
        tokens.setTokenReplies({LocalReceiver::token("check-token")});
        Integration target = integration(m_sandbox->statementsUrl(), Integration::Auth::OAuth2);
        target.authUrl = tokens.tokenUrl();
        target.clientId = QStringLiteral("courier");
        m_secrets.entries.insert(SecretStore::integrationKey(target.uid), QStringLiteral("client-secret"));
        QCOMPARE(verdicts(check(target)),
                 expect("pass", "pass", "pass", "pass", "pass", "pass", "pass", "pass", "pass"));
        QCOMPARE(tokens.tokenRequests.size(), 1);
        QCOMPARE(m_sandbox->requests().at(1).header("Authorization"), QByteArray("Bearer check-token"));

        // A token endpoint that refuses the client: nothing is sent to the receiver but the about request.
        m_tokens = std::make_unique<TokenClient>(m_network, m_secrets, m_clock);
        tokens.setTokenReplies({{401, R"({"error":"invalid_client"})", {}, 0}});
        m_sandbox->clearRequests();
        const QList<ReceiverCheckResult> refused = check(target);
        QCOMPARE(verdicts(refused), expect("pass", "fail", "skip", "skip", "skip", "skip", "skip", "skip", "skip"));
        QVERIFY2(refused.at(1).detail.contains(QLatin1String("Invalid Credentials")), qPrintable(refused.at(1).detail));
        QCOMPARE(m_sandbox->requests().size(), 1);
    }

    // A receiver that says 200 to everything: delivery "works", and the check shows what it hides.
    void lenientReceiver()
    {
        LocalReceiver lenient;
        QVERIFY(lenient.start());
        const QList<ReceiverCheckResult> results = check(integration(lenient.statementsUrl()));
        QCOMPARE(verdicts(results), expect("warn", "pass", "pass", "pass", "fail", "warn", "warn", "warn", "pass"));
        QVERIFY(m_lastFailed);
        QVERIFY(results.at(4).detail.contains(QLatin1String("silently keeps or overwrites")));
        QCOMPARE(m_lastJson.value(QStringLiteral("xapiVersions")).toArray(), QJsonArray());
        // What it was sent: about, post, 2 resends, no-version, batch, read-back, cleanup voiding 3 statements.
        QCOMPARE(lenient.statementRequests.size(), 8);
        QCOMPARE(lenient.statementRequests.at(4).header("X-Experience-API-Version"), QByteArray());
        QCOMPARE(lenient.statementRequests.last().statementIds().size(), 3);
    }

    // A receiver that takes statements but refuses reads: read-back is skipped, nothing fails.
    void receiverThatRefusesReads()
    {
        LocalReceiver receiver;
        QVERIFY(receiver.start());
        Sandbox* sandbox = m_sandbox.get();
        Q_UNUSED(sandbox)
        receiver.setStatementReplier([](const LocalReceiver::Request& request) -> LocalReceiver::Reply {
            if (request.method == "GET")
                return {403, R"({"error":"this key may not read"})", {}, 0};
            if (request.header("X-Experience-API-Version").isEmpty())
                return {400, "version header missing", {}, 0};
            if (request.body.startsWith('[') && request.statementIds().size() == 2 &&
                request.statementIds().first() == request.statementIds().last())
                return {400, "duplicate ids", {}, 0};
            return {200, {}, {}, 0};
        });
        const QList<ReceiverCheckResult> results = check(integration(receiver.statementsUrl()));
        QCOMPARE(verdicts(results).value(QStringLiteral("read-back")), QStringLiteral("skip"));
        QCOMPARE(results.at(7).status.value_or(0), 403);
    }
};

QTEST_GUILESS_MAIN(TestReceiverCheck)
#include "tst_receivercheck.moc"
