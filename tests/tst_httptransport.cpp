#include "InMemorySecretStore.h"
#include "LocalReceiver.h"
#include "TestClock.h"

#include "delivery/HttpTransport.h"
#include "delivery/TokenClient.h"
#include "secrets/SecretStore.h"

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

Q_DECLARE_METATYPE(TransportResult::Verdict)

// Sending and tokens against real local receivers on 127.0.0.1.
class TestHttpTransport final : public QObject
{
    Q_OBJECT

private:
    const QByteArray m_statement =
        R"({"id":"6a1d3c34-7c1e-4f55-9a4f-8f1a2a3b4c5d","verb":{"id":"http://adlnet.gov/expapi/verbs/completed"}})";
    const QString m_secret = QStringLiteral("client-secret-xyz");

    Integration integration(const QUrl& statements, Integration::Auth auth = Integration::Auth::None,
                            const QUrl& token = QUrl())
    {
        Integration i;
        i.id = 1;
        i.uid = QStringLiteral("uid-1");
        i.name = QStringLiteral("Local");
        i.statementUrl = statements;
        i.auth = auth;
        i.authUrl = token;
        i.clientId = QStringLiteral("courier client");
        i.username = QStringLiteral("lrs-user");
        return i;
    }

    struct Rig
    {
        QNetworkAccessManager network;
        InMemorySecretStore secrets;
        TestClock clock;
        TokenClient tokens{network, secrets, clock};
        HttpTransport transport{network, tokens, clock};
    };

    static TransportResult deliver(Rig& rig, const Integration& integration, const QByteArray& body)
    {
        std::optional<TransportResult> result;
        QObject context;
        rig.transport.deliver(integration, body, &context, [&](const TransportResult& r) { result = r; });
        [&] {
            QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 20000);
        }();
        return result.value_or(TransportResult{});
    }

private Q_SLOTS:
    void statuses_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<TransportResult::Verdict>("verdict");
        using V = TransportResult::Verdict;
        QTest::newRow("200 with ids") << 200 << QByteArray() << V::Accepted;
        QTest::newRow("204") << 204 << QByteArray() << V::Accepted;
        QTest::newRow("400 with a body") << 400 << QByteArray(R"({"error":"actor is missing"})") << V::Rejected;
        QTest::newRow("403") << 403 << QByteArray("forbidden") << V::Rejected;
        QTest::newRow("409 duplicate") << 409 << QByteArray("already have it") << V::Duplicate;
        QTest::newRow("413") << 413 << QByteArray("too large") << V::Rejected;
        QTest::newRow("408") << 408 << QByteArray() << V::Retryable;
        QTest::newRow("500") << 500 << QByteArray("boom") << V::Retryable;
        QTest::newRow("503") << 503 << QByteArray("maintenance") << V::Retryable;
    }

    void statuses()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(TransportResult::Verdict, verdict);
        LocalReceiver receiver;
        QVERIFY(receiver.start());
        receiver.setStatementReplies({{status, body, {}, 0}});
        Rig rig;
        const TransportResult result = deliver(rig, integration(receiver.statementsUrl()), m_statement);
        QCOMPARE(result.verdict, verdict);
        QCOMPARE(result.status.value_or(0), status);
        QCOMPARE(receiver.statementRequests.size(), 1);
        const LocalReceiver::Request& request = receiver.statementRequests.first();
        QCOMPARE(request.method, QByteArray("POST"));
        QCOMPARE(request.header("X-Experience-API-Version"), QByteArray("1.0.3"));
        QCOMPARE(request.header("Content-Type"), QByteArray("application/json"));
        QCOMPARE(request.body, m_statement);
        QCOMPARE(result.attempt.status.value_or(0), status);
        QVERIFY(result.attempt.requestLine.startsWith(QLatin1String("POST http://127.0.0.1:")));
        QCOMPARE(result.attempt.requestBodySize, m_statement.size());
        if (!body.isEmpty() && verdict == TransportResult::Verdict::Rejected)
            QVERIFY2(result.error.contains(QString::fromUtf8(body)), qPrintable(result.error));
    }

    void retryAfterIsRead()
    {
        LocalReceiver receiver;
        QVERIFY(receiver.start());
        receiver.setStatementReplies({{429, "slow down", {{"Retry-After", "120"}}, 0}});
        Rig rig;
        const TransportResult result = deliver(rig, integration(receiver.statementsUrl()), m_statement);
        QCOMPARE(result.verdict, TransportResult::Verdict::Retryable);
        QCOMPARE(result.retryAfterSeconds, 120);
    }

    void slowReceiverTimesOut()
    {
        LocalReceiver receiver;
        QVERIFY(receiver.start());
        receiver.setStatementReplies({{200, "late", {}, 3000}});
        Rig rig;
        rig.transport.setTimeout(300);
        const TransportResult result = deliver(rig, integration(receiver.statementsUrl()), m_statement);
        QCOMPARE(result.verdict, TransportResult::Verdict::Retryable);
        QVERIFY(!result.status);
        QVERIFY2(result.error.contains(QLatin1String("timeout")), qPrintable(result.error));
    }

    void silentAndDroppingServersAreRetryable()
    {
        QTcpServer silent; // accepts and never answers
        QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
        QTcpServer dropping; // closes at once
        QVERIFY(dropping.listen(QHostAddress::LocalHost, 0));
        connect(&dropping, &QTcpServer::newConnection, &dropping, [&dropping] {
            while (QTcpSocket* socket = dropping.nextPendingConnection())
                socket->abort();
        });
        Rig rig;
        rig.transport.setTimeout(300);
        const TransportResult quiet = deliver(
            rig, integration(QUrl(QStringLiteral("http://127.0.0.1:%1/x").arg(silent.serverPort()))), m_statement);
        QCOMPARE(quiet.verdict, TransportResult::Verdict::Retryable);
        const TransportResult dropped = deliver(
            rig, integration(QUrl(QStringLiteral("http://127.0.0.1:%1/x").arg(dropping.serverPort()))), m_statement);
        QCOMPARE(dropped.verdict, TransportResult::Verdict::Retryable);
        QVERIFY(!dropped.error.isEmpty());
    }

    void oauthTokenIsFetchedCachedAndRedacted()
    {
        LocalReceiver receiver;
        QVERIFY(receiver.start());
        receiver.setTokenReplies({LocalReceiver::token("tok-1", 600), LocalReceiver::token("tok-2", 600)});
        Rig rig;
        Integration oauth = integration(receiver.statementsUrl(), Integration::Auth::OAuth2, receiver.tokenUrl());
        rig.secrets.entries.insert(SecretStore::integrationKey(oauth.uid), m_secret);

        TransportResult first = deliver(rig, oauth, m_statement);
        QCOMPARE(first.verdict, TransportResult::Verdict::Accepted);
        QCOMPARE(receiver.tokenRequests.size(), 1);
        const LocalReceiver::Request& tokenRequest = receiver.tokenRequests.first();
        QCOMPARE(tokenRequest.body, QByteArray("grant_type=client_credentials"));
        QCOMPARE(tokenRequest.header("Content-Type"), QByteArray("application/x-www-form-urlencoded"));
        QCOMPARE(tokenRequest.header("Authorization"),
                 "Basic " + QByteArray("courier%20client:client-secret-xyz").toBase64());
        QCOMPARE(receiver.statementRequests.first().header("Authorization"), QByteArray("Bearer tok-1"));
        QVERIFY(first.attempt.requestHeaders.contains(QStringLiteral("Authorization: Bearer •••")));
        QVERIFY(!first.attempt.requestHeaders.contains(QLatin1String("tok-1")));

        // Cached while valid…
        deliver(rig, oauth, m_statement);
        QCOMPARE(receiver.tokenRequests.size(), 1);
        // …fetched anew shortly before expires_in.
        rig.clock.advance((600 - TokenClient::ExpiryMarginSeconds + 1) * 1000LL);
        deliver(rig, oauth, m_statement);
        QCOMPARE(receiver.tokenRequests.size(), 2);
        QCOMPARE(receiver.statementRequests.last().header("Authorization"), QByteArray("Bearer tok-2"));
    }

    void unauthorizedRefreshesTheTokenOnce()
    {
        LocalReceiver receiver;
        QVERIFY(receiver.start());
        receiver.setTokenReplies({LocalReceiver::token("stale"), LocalReceiver::token("fresh")});
        receiver.setStatementReplies({{401, "token revoked", {}, 0}, {200, {}, {}, 0}});
        Rig rig;
        Integration oauth = integration(receiver.statementsUrl(), Integration::Auth::OAuth2, receiver.tokenUrl());
        rig.secrets.entries.insert(SecretStore::integrationKey(oauth.uid), m_secret);
        const TransportResult result = deliver(rig, oauth, m_statement);
        QCOMPARE(result.verdict, TransportResult::Verdict::Accepted);
        QCOMPARE(receiver.tokenRequests.size(), 2);
        QCOMPARE(receiver.statementRequests.size(), 2);
        QCOMPARE(receiver.statementRequests.last().header("Authorization"), QByteArray("Bearer fresh"));

        // A second 401 with a fresh token is a hold, not a loop.
        receiver.setStatementReplies({{401, "still no", {}, 0}});
        receiver.setTokenReplies({LocalReceiver::token("again")});
        rig.tokens.invalidate(oauth.id);
        const TransportResult refused = deliver(rig, oauth, m_statement);
        QCOMPARE(refused.verdict, TransportResult::Verdict::Rejected);
        QCOMPARE(refused.status.value_or(0), 401);
    }

    void tokenFailures_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<TransportResult::Verdict>("verdict");
        QTest::addColumn<QString>("fragment");
        QTest::newRow("400 invalid_client")
            << 400 << TransportResult::Verdict::Rejected << TokenClient::invalidCredentials();
        QTest::newRow("500") << 500 << TransportResult::Verdict::Retryable << QStringLiteral("No access token");
    }

    void tokenFailures()
    {
        QFETCH(int, status);
        QFETCH(TransportResult::Verdict, verdict);
        QFETCH(QString, fragment);
        LocalReceiver receiver;
        QVERIFY(receiver.start());
        receiver.setTokenReplies({{status, R"({"error":"invalid_client"})", {}, 0}});
        Rig rig;
        Integration oauth = integration(receiver.statementsUrl(), Integration::Auth::OAuth2, receiver.tokenUrl());
        rig.secrets.entries.insert(SecretStore::integrationKey(oauth.uid), m_secret);
        const TransportResult result = deliver(rig, oauth, m_statement);
        QCOMPARE(result.verdict, verdict);
        QVERIFY2(result.error.contains(fragment), qPrintable(result.error));
        QVERIFY(result.error.contains(QStringLiteral("HTTP %1").arg(status)));
        QVERIFY(result.error.contains(QLatin1String("invalid_client"))); // the receiver's own words beneath
        QVERIFY(!result.error.contains(m_secret));
        QCOMPARE(receiver.statementRequests.size(), 0);
    }

    void testConnectionFetchesAFreshToken()
    {
        LocalReceiver receiver;
        QVERIFY(receiver.start());
        receiver.setTokenReplies({LocalReceiver::token("t1", 900), {401, R"({"error":"invalid_client"})", {}, 0}});
        Rig rig;
        Integration oauth = integration(receiver.statementsUrl(), Integration::Auth::OAuth2, receiver.tokenUrl());
        rig.secrets.entries.insert(SecretStore::integrationKey(oauth.uid), m_secret);
        auto test = [&] {
            std::optional<std::pair<bool, QString>> outcome;
            QObject context;
            rig.tokens.testConnection(oauth, &context, [&](bool ok, const QString& message) {
                outcome = {ok, message};
            });
            [&] {
                QTRY_VERIFY_WITH_TIMEOUT(outcome.has_value(), 20000);
            }();
            return outcome.value_or(std::pair{false, QString()});
        };
        const auto connected = test();
        QVERIFY2(connected.first, qPrintable(connected.second));
        QVERIFY(connected.second.contains(QLatin1String("valid for 900 s")));
        const auto refused = test(); // never the cached token: a fresh request
        QCOMPARE(receiver.tokenRequests.size(), 2);
        QVERIFY(!refused.first);
        QVERIFY(refused.second.startsWith(TokenClient::invalidCredentials()));
        QVERIFY(refused.second.contains(QLatin1String("invalid_client")));
        QVERIFY(!refused.second.contains(m_secret));
    }

    void basicAuthentication()
    {
        LocalReceiver receiver;
        QVERIFY(receiver.start());
        Rig rig;
        Integration basic = integration(receiver.statementsUrl(), Integration::Auth::Basic);
        rig.secrets.entries.insert(SecretStore::integrationKey(basic.uid), QStringLiteral("pw"));
        const TransportResult result = deliver(rig, basic, m_statement);
        QCOMPARE(result.verdict, TransportResult::Verdict::Accepted);
        QCOMPARE(receiver.statementRequests.first().header("Authorization"),
                 "Basic " + QByteArray("lrs-user:pw").toBase64());
        QVERIFY(result.attempt.requestHeaders.contains(QStringLiteral("Authorization: Basic •••")));
    }

    void putWithStatementId()
    {
        LocalReceiver receiver;
        QVERIFY(receiver.start());
        receiver.setStatementReplies({{204, {}, {}, 0}});
        Rig rig;
        rig.transport.setUsePut(true);
        const TransportResult result = deliver(rig, integration(receiver.statementsUrl()), m_statement);
        QCOMPARE(result.verdict, TransportResult::Verdict::Accepted);
        QCOMPARE(receiver.statementRequests.first().method, QByteArray("PUT"));
        QVERIFY(result.attempt.requestLine.contains(QLatin1String("statementId=6a1d3c34-7c1e-4f55-9a4f-8f1a2a3b4c5d")));
    }
};

QTEST_GUILESS_MAIN(TestHttpTransport)
#include "tst_httptransport.moc"
