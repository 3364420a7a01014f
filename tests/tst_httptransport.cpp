#include "BrokenServer.h"
#include "InMemorySecretStore.h"
#include "LocalReceiver.h"
#include "TestClock.h"

#include "delivery/CurlTransport.h"
#include "delivery/HttpTransport.h"
#include "delivery/TokenClient.h"
#include "secrets/SecretStore.h"

#include <QNetworkAccessManager>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

Q_DECLARE_METATYPE(TransportResult::Verdict)
Q_DECLARE_METATYPE(TransportResult::ErrorKind)

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
        HttpTransport http{network, tokens, clock};
        CurlTransport curl{tokens, clock};
        // The same tests for both transports: Qt Network (send, Test Console) and libcurl (the queue), chosen by
        // the test's registration in CMake.
        const bool useCurl = qEnvironmentVariable("COURIER_TEST_TRANSPORT") == QLatin1String("curl");

        DeliveryTransport& transport() { return useCurl ? static_cast<DeliveryTransport&>(curl) : http; }
        void setTimeout(int ms) { http.setTimeout(ms), curl.setTimeout(ms); }
        void setConnectTimeout(int ms) { http.setConnectTimeout(ms), curl.setConnectTimeout(ms); }
        void setResponseBodyCap(int bytes) { http.setResponseBodyCap(bytes), curl.setResponseBodyCap(bytes); }
        void setUsePut(bool put) { http.setUsePut(put), curl.setUsePut(put); }
    };

    static TransportResult deliver(Rig& rig, const Integration& integration, const QByteArray& body)
    {
        std::optional<TransportResult> result;
        QObject context;
        rig.transport().deliver(integration, body, &context, [&](const TransportResult& r) { result = r; });
        [&] {
            QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 20000);
        }();
        return result.value_or(TransportResult{});
    }

    // Every text a result carries, as the CLI, the Test Console and the attempt log may show it.
    static QStringList shownTexts(const TransportResult& result)
    {
        const AttemptRecord& a = result.attempt;
        return {result.error,
                QString::fromUtf8(result.requestBody),
                QString::fromLatin1(result.reason),
                a.requestLine,
                a.requestHeaders,
                a.responseHeaders,
                a.responseBody,
                a.error};
    }

    static bool showsAnywhere(const TransportResult& result, const QString& needle)
    {
        const QStringList texts = shownTexts(result);
        return std::any_of(texts.begin(), texts.end(), [&](const QString& text) { return text.contains(needle); });
    }

private Q_SLOTS:
    void init()
    {
        // No socket notifier may outlive its connection (the curl transport keeps read notifiers on between
        // transfers): Qt would warn "QSocketNotifier: Invalid socket".
        QTest::failOnWarning(QRegularExpression(QStringLiteral("QSocketNotifier")));
    }

    void statuses_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<TransportResult::Verdict>("verdict");
        QTest::addColumn<QByteArray>("reason");
        using V = TransportResult::Verdict;
        QTest::newRow("200 with ids") << 200 << QByteArray() << V::Accepted << QByteArray("OK");
        QTest::newRow("204") << 204 << QByteArray() << V::Accepted << QByteArray("No Content");
        QTest::newRow("400 with a body") << 400 << QByteArray(R"({"error":"actor is missing"})") << V::Rejected
                                         << QByteArray("Bad Request");
        QTest::newRow("403") << 403 << QByteArray("forbidden") << V::Rejected << QByteArray("Forbidden");
        QTest::newRow("409 duplicate") << 409 << QByteArray("already have it") << V::Duplicate
                                       << QByteArray("Conflict");
        QTest::newRow("413") << 413 << QByteArray("too large") << V::Rejected << QByteArray("Request Entity Too Large");
        QTest::newRow("408") << 408 << QByteArray() << V::Retryable << QByteArray("Request Timeout");
        QTest::newRow("500") << 500 << QByteArray("boom") << V::Retryable << QByteArray("Internal Server Error");
        QTest::newRow("503") << 503 << QByteArray("maintenance") << V::Retryable << QByteArray("Service Unavailable");
    }

    void statuses()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(TransportResult::Verdict, verdict);
        QFETCH(QByteArray, reason);
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
        // The status line, the kind of failure, the request as sent and the answer.
        QCOMPARE(result.reason, reason);
        QCOMPARE(result.errorKind,
                 result.delivered() ? TransportResult::ErrorKind::None : TransportResult::ErrorKind::Http);
        QCOMPARE(result.error.isEmpty(), result.delivered());
        QCOMPARE(result.requestBody, m_statement);
        QVERIFY(result.attempt.requestHeaders.contains(QLatin1String("X-Experience-API-Version: 1.0.3")));
        QVERIFY(result.attempt.requestHeaders.contains(QLatin1String("Content-Type: application/json")));
        QVERIFY(!result.attempt.requestHeaders.contains(QLatin1String("Authorization")));
        QVERIFY(result.firstByteMs > 0);
        QVERIFY(result.firstByteMs <= result.attempt.durationMs + 1);
        if (status == 200) // the receiver's ids
            QCOMPARE(result.attempt.responseBody, QStringLiteral(R"(["6a1d3c34-7c1e-4f55-9a4f-8f1a2a3b4c5d"])"));
        else
            QCOMPARE(result.attempt.responseBody, QString::fromUtf8(body));
        QCOMPARE(result.responseSize, result.attempt.responseBody.toUtf8().size());
        QVERIFY(result.attempt.responseHeaders.contains(QLatin1String("Content-Length")));
    }

    void retryAfterIsRead_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("retryAfter");
        QTest::addColumn<int>("seconds");
        QTest::newRow("429, seconds") << 429 << QByteArray("120") << 120;
        // The test clock stands at Sun, 22 Nov 2026 12:00:00 GMT.
        QTest::newRow("503, HTTP-date") << 503 << QByteArray("Sun, 22 Nov 2026 12:01:30 GMT") << 90;
        QTest::newRow("429, none") << 429 << QByteArray() << 0;
    }

    void retryAfterIsRead()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, retryAfter);
        QFETCH(int, seconds);
        LocalReceiver receiver;
        QVERIFY(receiver.start());
        LocalReceiver::Reply reply{status, "slow down", {}, 0};
        if (!retryAfter.isEmpty())
            reply.headers = {{"Retry-After", retryAfter}};
        receiver.setStatementReplies({reply});
        Rig rig;
        const TransportResult result = deliver(rig, integration(receiver.statementsUrl()), m_statement);
        QCOMPARE(result.verdict, TransportResult::Verdict::Retryable);
        QCOMPARE(result.errorKind, TransportResult::ErrorKind::Http);
        QCOMPARE(result.retryAfterSeconds, seconds);
        if (!retryAfter.isEmpty())
            QVERIFY(result.attempt.responseHeaders.contains(QString::fromLatin1("Retry-After: " + retryAfter)));
    }

    void slowReceiverTimesOut()
    {
        LocalReceiver receiver;
        QVERIFY(receiver.start());
        receiver.setStatementReplies({{200, "late", {}, 3000}});
        Rig rig;
        rig.setTimeout(300);
        const TransportResult result = deliver(rig, integration(receiver.statementsUrl()), m_statement);
        QCOMPARE(result.verdict, TransportResult::Verdict::Retryable);
        QCOMPARE(result.errorKind, TransportResult::ErrorKind::Timeout);
        QVERIFY(!result.status);
        QVERIFY2(result.error.contains(QLatin1String("timeout")), qPrintable(result.error));
        QVERIFY(result.attempt.durationMs < 3000);
    }

    void silentAndDroppingServersAreRetryable()
    {
        BrokenServer silent(BrokenServer::Mode::Silent);
        QVERIFY(silent.start());
        BrokenServer dropping(BrokenServer::Mode::Drop);
        QVERIFY(dropping.start());
        Rig rig;
        rig.setTimeout(300);
        const TransportResult quiet = deliver(rig, integration(silent.url()), m_statement);
        QCOMPARE(quiet.verdict, TransportResult::Verdict::Retryable);
        QCOMPARE(quiet.errorKind, TransportResult::ErrorKind::Timeout);
        QVERIFY2(quiet.error.contains(QLatin1String("No complete answer within 0.3 s")), qPrintable(quiet.error));
        QCOMPARE(silent.connections(), 1);
        const TransportResult dropped = deliver(rig, integration(dropping.url()), m_statement);
        QCOMPARE(dropped.verdict, TransportResult::Verdict::Retryable);
        QCOMPARE(dropped.errorKind, TransportResult::ErrorKind::Network);
        QVERIFY(!dropped.status);
        QVERIFY(!dropped.error.isEmpty());
        QVERIFY(dropping.connections() >= 1);
        QCOMPARE(dropped.requestBody, m_statement); // what was tried, even though nothing came back
    }

    void theConnectTimeoutCoversTheTlsHandshake()
    {
        // TCP connects, the TLS handshake never completes: the connect timeout passes long before the total one.
        BrokenServer silent(BrokenServer::Mode::Silent);
        QVERIFY(silent.start());
        Rig rig;
        rig.setConnectTimeout(300);
        rig.setTimeout(15000);
        const TransportResult result = deliver(rig, integration(silent.url(QStringLiteral("https"))), m_statement);
        QCOMPARE(result.errorKind, TransportResult::ErrorKind::Timeout);
        QCOMPARE(result.verdict, TransportResult::Verdict::Retryable);
        QVERIFY2(result.error.contains(QLatin1String("No connection within 0.3 s (connect timeout)")),
                 qPrintable(result.error));
        QVERIFY(result.attempt.durationMs < 15000);
    }

    void aSlowAnswerOnAnOpenConnectionIsNoConnectTimeout()
    {
        LocalReceiver receiver;
        QVERIFY(receiver.start());
        receiver.setStatementReplies({{200, {}, {}, 600}});
        Rig rig;
        rig.setConnectTimeout(200);
        rig.setTimeout(10000);
        const TransportResult result = deliver(rig, integration(receiver.statementsUrl()), m_statement);
        QCOMPARE(result.verdict, TransportResult::Verdict::Accepted);
        // Timings: the first byte came after the receiver's delay, and the total is no less.
        QVERIFY2(result.firstByteMs >= 500, qPrintable(QString::number(result.firstByteMs)));
        QVERIFY(result.attempt.durationMs >= result.firstByteMs);
    }

    void tlsErrorsAreReportedNeverIgnored()
    {
        LocalReceiver receiver; // a self-signed certificate for "localhost", reached as 127.0.0.1
        QVERIFY(receiver.startTls());
        QCOMPARE(receiver.statementsUrl().scheme(), QStringLiteral("https"));
        Rig rig;
        const TransportResult result = deliver(rig, integration(receiver.statementsUrl()), m_statement);
        QCOMPARE(result.errorKind, TransportResult::ErrorKind::Tls);
        QCOMPARE(result.verdict, TransportResult::Verdict::Retryable);
        QVERIFY(!result.status);
        QVERIFY2(result.error.startsWith(QLatin1String("TLS error: ")), qPrintable(result.error));
        QVERIFY2(result.error.contains(QLatin1String("self"), Qt::CaseInsensitive), qPrintable(result.error));
        QCOMPARE(receiver.statementRequests.size(), 0); // nothing went over the untrusted connection
    }

    void theResponseBodyIsCapped()
    {
        LocalReceiver receiver;
        QVERIFY(receiver.start());
        const QByteArray large(100 * 1024, 'x');
        receiver.setStatementReplies({{400, large, {}, 0}});
        Rig rig;
        const TransportResult capped = deliver(rig, integration(receiver.statementsUrl()), m_statement);
        QCOMPARE(capped.responseSize, large.size());
        QCOMPARE(capped.attempt.responseBody.size(), HttpTransport::DefaultResponseBodyCap);
        rig.setResponseBodyCap(1000);
        const TransportResult smaller = deliver(rig, integration(receiver.statementsUrl()), m_statement);
        QCOMPARE(smaller.attempt.responseBody.size(), 1000);
        QVERIFY(smaller.error.size() < 1000); // the sentence carries an excerpt only
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
                 "Basic " + QByteArray("courier+client:client-secret-xyz").toBase64());
        QCOMPARE(receiver.statementRequests.first().header("Authorization"), QByteArray("Bearer tok-1"));
        QVERIFY(first.attempt.requestHeaders.contains(QStringLiteral("Authorization: Bearer •••")));
        QVERIFY(!showsAnywhere(first, QStringLiteral("tok-1")));
        QVERIFY(!showsAnywhere(first, m_secret));

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
        QVERIFY(result.tokenRefreshed);
        QVERIFY(!showsAnywhere(result, QStringLiteral("fresh")));

        // A second 401 with a fresh token is a hold, not a loop.
        receiver.setStatementReplies({{401, "still no", {}, 0}});
        receiver.setTokenReplies({LocalReceiver::token("again")});
        rig.tokens.invalidate(oauth.id);
        const TransportResult refused = deliver(rig, oauth, m_statement);
        QCOMPARE(refused.verdict, TransportResult::Verdict::Rejected);
        QCOMPARE(refused.errorKind, TransportResult::ErrorKind::Http);
        QCOMPARE(refused.status.value_or(0), 401);
        QVERIFY(refused.tokenRefreshed);
        // invalidated: a token for the first try, a fresh one for the one retry; then no more.
        QCOMPARE(receiver.tokenRequests.size(), 4);
        QCOMPARE(receiver.statementRequests.size(), 4);
        QVERIFY(refused.error.contains(QLatin1String("still no")));
    }

    void basicAndNoAuthenticationAreNotRetriedOn401()
    {
        LocalReceiver receiver;
        QVERIFY(receiver.start());
        receiver.setStatementReplies({{401, "wrong password", {}, 0}});
        Rig rig;
        Integration basic = integration(receiver.statementsUrl(), Integration::Auth::Basic);
        rig.secrets.entries.insert(SecretStore::integrationKey(basic.uid), m_secret);
        const TransportResult result = deliver(rig, basic, m_statement);
        QCOMPARE(result.verdict, TransportResult::Verdict::Rejected);
        QCOMPARE(receiver.statementRequests.size(), 1);
        QVERIFY(!result.tokenRefreshed);
        QVERIFY(!showsAnywhere(result, m_secret));
    }

    void tokenFailures_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<TransportResult::Verdict>("verdict");
        QTest::addColumn<QString>("fragment");
        QTest::newRow("400 invalid_client")
            << 400 << TransportResult::Verdict::Rejected << TokenClient::invalidCredentials();
        QTest::newRow("500") << 500 << TransportResult::Verdict::Retryable << TokenClient::invalidCredentials();
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
        // The attempt is the token request, with its answer; the credentials are masked.
        QCOMPARE(result.errorKind, TransportResult::ErrorKind::Token);
        QCOMPARE(result.attempt.requestLine, QStringLiteral("POST ") + receiver.tokenUrl().toString());
        QVERIFY(result.attempt.requestHeaders.contains(QStringLiteral("Authorization: Basic •••")));
        QVERIFY(result.attempt.responseBody.contains(QLatin1String("invalid_client")));
        QCOMPARE(result.attempt.status.value_or(0), status);
        QVERIFY(!showsAnywhere(result, m_secret));
        QVERIFY(
            !showsAnywhere(result, QString::fromLatin1(QByteArray("courier+client:" + m_secret.toUtf8()).toBase64())));
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
        rig.secrets.entries.insert(SecretStore::integrationKey(basic.uid), QStringLiteral("basic-Secret-77"));
        const TransportResult result = deliver(rig, basic, m_statement);
        QCOMPARE(result.verdict, TransportResult::Verdict::Accepted);
        QCOMPARE(receiver.statementRequests.first().header("Authorization"),
                 "Basic " + QByteArray("lrs-user:basic-Secret-77").toBase64());
        QVERIFY(result.attempt.requestHeaders.contains(QStringLiteral("Authorization: Basic •••")));
        QVERIFY(!showsAnywhere(result, QStringLiteral("basic-Secret-77")));
        QVERIFY(!showsAnywhere(result, QString::fromLatin1(QByteArray("lrs-user:basic-Secret-77").toBase64())));
    }

    // Bodies past curl's default upload buffer (64 KiB) go through handles with a larger one, kept apart from the
    // others: large, small and large again, each arrives whole and in order.
    void largeAndSmallBodiesArriveWhole()
    {
        LocalReceiver receiver;
        QVERIFY(receiver.start());
        Rig rig;
        const Integration local = integration(receiver.statementsUrl());
        const auto array = [this](int statements) -> QByteArray {
            QByteArrayList copies;
            for (int i = 0; i < statements; ++i)
                copies << QByteArray(m_statement).replace("6a1d3c34", QByteArray::number(10000000 + i));
            return "[" + copies.join(',') + "]";
        };
        const QList<QByteArray> bodies{array(3000), m_statement, array(12000), array(5)};
        QVERIFY(bodies[0].size() > 256 * 1024);
        QVERIFY(bodies[2].size() > CurlTransport::LargeUploadBuffer);
        for (const QByteArray& body : bodies)
            QCOMPARE(deliver(rig, local, body).verdict, TransportResult::Verdict::Accepted);
        QCOMPARE(receiver.statementRequests.size(), bodies.size());
        for (qsizetype i = 0; i < bodies.size(); ++i) {
            QCOMPARE(receiver.statementRequests[i].body.size(), bodies[i].size());
            QVERIFY(receiver.statementRequests[i].body == bodies[i]);
        }
    }

    void putWithStatementId()
    {
        LocalReceiver receiver;
        QVERIFY(receiver.start());
        receiver.setStatementReplies({{204, {}, {}, 0}});
        Rig rig;
        rig.setUsePut(true);
        const TransportResult result = deliver(rig, integration(receiver.statementsUrl()), m_statement);
        QCOMPARE(result.verdict, TransportResult::Verdict::Accepted);
        QCOMPARE(receiver.statementRequests.first().method, QByteArray("PUT"));
        QVERIFY(result.attempt.requestLine.contains(QLatin1String("statementId=6a1d3c34-7c1e-4f55-9a4f-8f1a2a3b4c5d")));
        QCOMPARE(receiver.statementRequests.first().query,
                 QStringLiteral("statementId=6a1d3c34-7c1e-4f55-9a4f-8f1a2a3b4c5d"));

        // An array (or a statement without an id) has no statementId to PUT: it goes by POST.
        const QByteArray array = "[" + m_statement + "]";
        const TransportResult batch = deliver(rig, integration(receiver.statementsUrl()), array);
        QCOMPARE(receiver.statementRequests.last().method, QByteArray("POST"));
        QVERIFY(receiver.statementRequests.last().query.isEmpty());
        QCOMPARE(batch.requestBody, array);
    }
};

QTEST_GUILESS_MAIN(TestHttpTransport)
#include "tst_httptransport.moc"
