#include "BrokenServer.h"
#include "InMemorySecretStore.h"
#include "LocalReceiver.h"
#include "TestClock.h"

#include "delivery/TokenClient.h"
#include "secrets/SecretStore.h"

#include <QNetworkAccessManager>
#include <QTest>

Q_DECLARE_METATYPE(TransportResult::Verdict)

// The OAuth 2.0 client-credentials grant (RFC 6749 §4.4) against a real token endpoint on 127.0.0.1.
class TestTokenClient final : public QObject
{
    Q_OBJECT

private:
    // A secret with characters that form encoding must escape.
    const QString m_secret = QStringLiteral("s3cr:et +&é");
    const QString m_clientId = QStringLiteral("courier client");

    struct Rig
    {
        QNetworkAccessManager network;
        InMemorySecretStore secrets;
        TestClock clock;
        TokenClient tokens{network, secrets, clock};
    };

    Integration oauth(const QUrl& tokenUrl, Rig& rig) const
    {
        Integration i;
        i.id = 7;
        i.uid = QStringLiteral("uid-7");
        i.name = QStringLiteral("Vendor");
        i.statementUrl = QUrl(QStringLiteral("http://127.0.0.1:1/xapi/statements"));
        i.auth = Integration::Auth::OAuth2;
        i.authUrl = tokenUrl;
        i.clientId = m_clientId;
        rig.secrets.entries.insert(SecretStore::integrationKey(i.uid), m_secret);
        return i;
    }

    static AuthorizationResult authorize(Rig& rig, const Integration& integration)
    {
        std::optional<AuthorizationResult> result;
        QObject context;
        rig.tokens.authorization(integration, &context, [&](const AuthorizationResult& r) { result = r; });
        [&] {
            QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 20000);
        }();
        return result.value_or(AuthorizationResult{});
    }

    // Nothing a person or a log can see may carry the secret, the Basic credentials or a token.
    void verifyNothingSecret(const AuthorizationResult& result, const QByteArray& token = QByteArray()) const
    {
        const QByteArray basic =
            QByteArray(TokenClient::formEncode(m_clientId) + ':' + TokenClient::formEncode(m_secret)).toBase64();
        const QStringList shown{result.error,       result.requestLine,     result.requestHeaders,
                                result.requestBody, result.responseHeaders, result.responseBody};
        for (const QString& text : shown) {
            QVERIFY2(!text.contains(m_secret), qPrintable(text));
            QVERIFY2(!text.contains(QString::fromLatin1(TokenClient::formEncode(m_secret))), qPrintable(text));
            QVERIFY2(!text.contains(QString::fromLatin1(basic)), qPrintable(text));
            if (!token.isEmpty())
                QVERIFY2(!text.contains(QString::fromLatin1(token)), qPrintable(text));
        }
    }

private Q_SLOTS:
    void formEncodingFollowsAppendixB()
    {
        // RFC 6749 Appendix B's own example.
        QCOMPARE(TokenClient::formEncode(QStringLiteral(" %&+£€")), QByteArray("+%25%26%2B%C2%A3%E2%82%AC"));
        QCOMPARE(TokenClient::formEncode(QStringLiteral("a-b_c.d~e")), QByteArray("a-b_c.d~e"));
    }

    void clientCredentialsInTheBasicHeader()
    {
        LocalReceiver receiver;
        QVERIFY(receiver.start());
        receiver.setTokenReplies({LocalReceiver::token("tok-basic", 600)});
        Rig rig;
        const AuthorizationResult result = authorize(rig, oauth(receiver.tokenUrl(), rig));
        QVERIFY2(result.ok, qPrintable(result.error));
        QCOMPARE(result.header, QByteArray("Bearer tok-basic"));
        QCOMPARE(receiver.tokenRequests.size(), 1);
        const LocalReceiver::Request& request = receiver.tokenRequests.first();
        QCOMPARE(request.method, QByteArray("POST"));
        QCOMPARE(request.path, QStringLiteral("/token"));
        QCOMPARE(request.header("Content-Type"), QByteArray("application/x-www-form-urlencoded"));
        QCOMPARE(request.header("Accept"), QByteArray("application/json"));
        QCOMPARE(request.body, QByteArray("grant_type=client_credentials"));
        QCOMPARE(request.header("Authorization"),
                 "Basic " + QByteArray("courier+client:s3cr%3Aet+%2B%26%C3%A9").toBase64());
        // What is kept of the exchange shows the scheme, never the credentials or the token.
        QVERIFY(result.requestHeaders.contains(QStringLiteral("Authorization: Basic •••")));
        QCOMPARE(result.requestBody, QStringLiteral("grant_type=client_credentials"));
        QCOMPARE(result.status.value_or(0), 200);
        verifyNothingSecret(result, "tok-basic");
    }

    void clientCredentialsInTheFormBody()
    {
        LocalReceiver receiver;
        QVERIFY(receiver.start());
        receiver.setTokenReplies({LocalReceiver::token("tok-form", 600)});
        Rig rig;
        Integration inBody = oauth(receiver.tokenUrl(), rig);
        inBody.clientCredentialsInBody = true;
        const AuthorizationResult result = authorize(rig, inBody);
        QVERIFY2(result.ok, qPrintable(result.error));
        QCOMPARE(result.header, QByteArray("Bearer tok-form"));
        const LocalReceiver::Request& request = receiver.tokenRequests.first();
        QVERIFY(request.header("Authorization").isEmpty());
        QCOMPARE(request.body, QByteArray("grant_type=client_credentials&client_id=courier+client"
                                          "&client_secret=s3cr%3Aet+%2B%26%C3%A9"));
        QCOMPARE(result.requestBody,
                 QStringLiteral("grant_type=client_credentials&client_id=courier+client&client_secret=•••"));
        verifyNothingSecret(result, "tok-form");
    }

    void tokenIsCachedUntilShortlyBeforeExpiry_data()
    {
        QTest::addColumn<int>("expiresIn");
        QTest::addColumn<int>("stillCachedAt"); // seconds after the fetch
        QTest::addColumn<int>("fetchedAgainAt");
        QTest::newRow("an hour: 30 s early") << 3600 << 3569 << 3571;
        QTest::newRow("ten minutes") << 600 << 569 << 571;
        QTest::newRow("20 s: a tenth early") << 20 << 17 << 19;
    }

    void tokenIsCachedUntilShortlyBeforeExpiry()
    {
        QFETCH(int, expiresIn);
        QFETCH(int, stillCachedAt);
        QFETCH(int, fetchedAgainAt);
        LocalReceiver receiver;
        QVERIFY(receiver.start());
        receiver.setTokenReplies({LocalReceiver::token("first", expiresIn), LocalReceiver::token("second", expiresIn)});
        Rig rig;
        const Integration integration = oauth(receiver.tokenUrl(), rig);
        QCOMPARE(authorize(rig, integration).header, QByteArray("Bearer first"));
        QCOMPARE(authorize(rig, integration).header, QByteArray("Bearer first"));
        rig.clock.advance(stillCachedAt * 1000LL);
        QCOMPARE(authorize(rig, integration).header, QByteArray("Bearer first"));
        QCOMPARE(receiver.tokenRequests.size(), 1);
        rig.clock.advance((fetchedAgainAt - stillCachedAt) * 1000LL);
        QCOMPARE(authorize(rig, integration).header, QByteArray("Bearer second"));
        QCOMPARE(receiver.tokenRequests.size(), 2);
        QCOMPARE(rig.tokens.fetchCount(), 2);
    }

    void expiresInAsAStringOrMissing_data()
    {
        QTest::addColumn<QByteArray>("answer");
        QTest::addColumn<int>("lifetime");
        QTest::newRow("string") << QByteArray(R"({"access_token":"t","token_type":"bearer","expires_in":"120"})")
                                << 120;
        QTest::newRow("missing") << QByteArray(R"({"access_token":"t","token_type":"Bearer"})")
                                 << TokenClient::DefaultLifetimeSeconds;
        QTest::newRow("no token_type") << QByteArray(R"({"access_token":"t","expires_in":300})") << 300;
    }

    void expiresInAsAStringOrMissing()
    {
        QFETCH(QByteArray, answer);
        QFETCH(int, lifetime);
        LocalReceiver receiver;
        QVERIFY(receiver.start());
        receiver.setTokenReplies({{200, answer, {{"Content-Type", "application/json"}}, 0}});
        Rig rig;
        std::optional<std::pair<bool, QString>> outcome;
        QObject context;
        rig.tokens.testConnection(oauth(receiver.tokenUrl(), rig), &context, [&](bool ok, const QString& message) {
            outcome = {ok, message};
        });
        QTRY_VERIFY_WITH_TIMEOUT(outcome.has_value(), 20000);
        QVERIFY2(outcome->first, qPrintable(outcome->second));
        QVERIFY2(outcome->second.contains(QStringLiteral("valid for %1 s").arg(lifetime)), qPrintable(outcome->second));
    }

    void invalidateAndEditsFetchANewToken()
    {
        LocalReceiver receiver;
        QVERIFY(receiver.start());
        receiver.setTokenReplies({LocalReceiver::token("a"), LocalReceiver::token("b"), LocalReceiver::token("c")});
        Rig rig;
        Integration integration = oauth(receiver.tokenUrl(), rig);
        QCOMPARE(authorize(rig, integration).header, QByteArray("Bearer a"));
        rig.tokens.invalidate(integration.id); // after a 401
        QCOMPARE(authorize(rig, integration).header, QByteArray("Bearer b"));
        ++integration.revision; // the integration was edited: its credentials may have changed
        QCOMPARE(authorize(rig, integration).header, QByteArray("Bearer c"));
        QCOMPARE(receiver.tokenRequests.size(), 3);
    }

    void concurrentRequestsShareOneFetch()
    {
        LocalReceiver receiver;
        QVERIFY(receiver.start());
        LocalReceiver::Reply slow = LocalReceiver::token("shared");
        slow.delayMs = 200;
        receiver.setTokenReplies({slow});
        Rig rig;
        const Integration integration = oauth(receiver.tokenUrl(), rig);
        QList<QByteArray> headers;
        QObject context;
        for (int i = 0; i < 3; ++i)
            rig.tokens.authorization(integration, &context,
                                     [&](const AuthorizationResult& result) { headers << result.header; });
        QTRY_COMPARE_WITH_TIMEOUT(headers.size(), 3, 20000);
        QCOMPARE(headers, QList<QByteArray>(3, QByteArray("Bearer shared")));
        QCOMPARE(receiver.tokenRequests.size(), 1);
    }

    void aGoneContextIsNotCalled()
    {
        LocalReceiver receiver;
        QVERIFY(receiver.start());
        LocalReceiver::Reply slow = LocalReceiver::token("late");
        slow.delayMs = 100;
        receiver.setTokenReplies({slow});
        Rig rig;
        const Integration integration = oauth(receiver.tokenUrl(), rig);
        bool called = false;
        {
            QObject gone;
            rig.tokens.authorization(integration, &gone, [&](const AuthorizationResult&) { called = true; });
        }
        QTRY_COMPARE_WITH_TIMEOUT(receiver.tokenRequests.size(), 1, 20000);
        // The token still arrives and is cached for the next caller.
        QCOMPARE(authorize(rig, integration).header, QByteArray("Bearer late"));
        QCOMPARE(receiver.tokenRequests.size(), 1);
        QVERIFY(!called);
    }

    void endpointRefuses_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<TransportResult::Verdict>("verdict");
        QTest::addColumn<QString>("fragment");
        using V = TransportResult::Verdict;
        const QByteArray invalidClient =
            R"({"error":"invalid_client","error_description":"Client authentication failed"})";
        QTest::newRow("400 invalid_client") << 400 << invalidClient << V::Rejected << QStringLiteral("HTTP 400");
        QTest::newRow("401 invalid_client") << 401 << invalidClient << V::Rejected << QStringLiteral("HTTP 401");
        QTest::newRow("500") << 500 << QByteArray("upstream database down") << V::Retryable
                             << QStringLiteral("HTTP 500");
        QTest::newRow("503") << 503 << QByteArray("maintenance") << V::Retryable << QStringLiteral("HTTP 503");
        QTest::newRow("429") << 429 << QByteArray("slow down") << V::Retryable << QStringLiteral("HTTP 429");
        QTest::newRow("200 without access_token")
            << 200 << QByteArray(R"({"token":"x"})") << V::Rejected << QStringLiteral("no access_token");
        QTest::newRow("200 not JSON") << 200 << QByteArray("<html>login</html>") << V::Rejected
                                      << QStringLiteral("<html>login</html>");
        QTest::newRow("302 to a login page") << 302 << QByteArray() << V::Rejected << QStringLiteral("HTTP 302");
    }

    void endpointRefuses()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(TransportResult::Verdict, verdict);
        QFETCH(QString, fragment);
        LocalReceiver receiver;
        QVERIFY(receiver.start());
        LocalReceiver::Reply reply{status, body, {}, 0};
        if (status == 302)
            reply.headers = {{"Location", "https://idp.example/login"}};
        receiver.setTokenReplies({reply});
        Rig rig;
        const Integration integration = oauth(receiver.tokenUrl(), rig);
        const AuthorizationResult result = authorize(rig, integration);
        QVERIFY(!result.ok);
        QCOMPARE(result.verdict, verdict);
        QCOMPARE(result.errorKind, TransportResult::ErrorKind::Token);
        QCOMPARE(result.status.value_or(0), status);
        // The portal's sentence first, the endpoint's own status and words beneath.
        QVERIFY2(result.error.startsWith(TokenClient::invalidCredentials() + QLatin1Char('\n')),
                 qPrintable(result.error));
        QVERIFY2(result.error.contains(fragment), qPrintable(result.error));
        QVERIFY(result.error.contains(receiver.tokenUrl().toString()));
        if (!body.isEmpty() && status != 200)
            QVERIFY2(result.error.contains(QString::fromUtf8(body)), qPrintable(result.error));
        if (status == 302)
            QVERIFY(result.error.contains(QLatin1String("redirects to https://idp.example/login")));
        QCOMPARE(result.responseBody, QString::fromUtf8(body));
        verifyNothingSecret(result);
        // A failure is not cached: the next request asks again.
        authorize(rig, integration);
        QCOMPARE(receiver.tokenRequests.size(), 2);
    }

    void aTokenThatIsNotBearerIsRefusedWithoutShowingIt()
    {
        LocalReceiver receiver;
        QVERIFY(receiver.start());
        receiver.setTokenReplies(
            {{200, R"({"access_token":"mac-key-123","token_type":"mac","expires_in":60})", {}, 0}});
        Rig rig;
        const AuthorizationResult result = authorize(rig, oauth(receiver.tokenUrl(), rig));
        QVERIFY(!result.ok);
        QCOMPARE(result.verdict, TransportResult::Verdict::Rejected);
        QVERIFY(result.error.startsWith(TokenClient::invalidCredentials()));
        QVERIFY2(result.error.contains(QStringLiteral("“mac”")), qPrintable(result.error));
        verifyNothingSecret(result, "mac-key-123");
    }

    void endpointUnreachable_data()
    {
        QTest::addColumn<int>("mode"); // 0 silent, 1 drops, 2 nothing listening
        QTest::addColumn<QString>("fragment");
        QTest::newRow("never answers") << 0 << QStringLiteral("(timeout)");
        QTest::newRow("drops the connection") << 1 << QStringLiteral("could not be reached");
        QTest::newRow("nothing listening") << 2 << QStringLiteral("could not be reached");
    }

    void endpointUnreachable()
    {
        QFETCH(int, mode);
        QFETCH(QString, fragment);
        BrokenServer server(mode == 0 ? BrokenServer::Mode::Silent : BrokenServer::Mode::Drop);
        QVERIFY(server.start());
        QUrl url = server.url();
        url.setPath(QStringLiteral("/token"));
        if (mode == 2) {
            QTcpServer probe; // a port that was free a moment ago, and is closed again
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            url.setPort(probe.serverPort());
        }
        Rig rig;
        rig.tokens.setTimeout(300);
        const AuthorizationResult result = authorize(rig, oauth(url, rig));
        QVERIFY(!result.ok);
        QCOMPARE(result.verdict, TransportResult::Verdict::Retryable);
        QCOMPARE(result.errorKind, TransportResult::ErrorKind::Token);
        QVERIFY(!result.status);
        QVERIFY2(result.error.startsWith(TokenClient::invalidCredentials()), qPrintable(result.error));
        QVERIFY2(result.error.contains(fragment), qPrintable(result.error));
        verifyNothingSecret(result);
    }

    void aMissingSecretIsACredentialsError()
    {
        LocalReceiver receiver;
        QVERIFY(receiver.start());
        Rig rig;
        const Integration integration = oauth(receiver.tokenUrl(), rig);
        rig.secrets.entries.clear();
        const AuthorizationResult result = authorize(rig, integration);
        QVERIFY(!result.ok);
        QCOMPARE(result.errorKind, TransportResult::ErrorKind::Credentials);
        QCOMPARE(result.verdict, TransportResult::Verdict::Rejected);
        QVERIFY(result.error.contains(QLatin1String("could not be read")));
        QCOMPARE(receiver.tokenRequests.size(), 0);
    }

    void basicAndNoAuthentication()
    {
        Rig rig;
        Integration basic = oauth(QUrl(), rig);
        basic.auth = Integration::Auth::Basic;
        basic.username = QStringLiteral("lrs");
        const AuthorizationResult result = authorize(rig, basic);
        QVERIFY(result.ok);
        QCOMPARE(result.header, "Basic " + QByteArray("lrs:" + m_secret.toUtf8()).toBase64());
        // Kept in memory for the next requests: the keychain is asked again only after an edit (or a while).
        rig.secrets.entries.clear();
        QCOMPARE(authorize(rig, basic).header, result.header);
        Integration edited = basic;
        ++edited.revision;
        QVERIFY(!authorize(rig, edited).ok); // read again, and the keychain no longer has it

        Integration none = basic;
        none.auth = Integration::Auth::None;
        rig.secrets.entries.clear(); // not even asked for
        const AuthorizationResult open = authorize(rig, none);
        QVERIFY(open.ok);
        QVERIFY(open.header.isEmpty());
        QCOMPARE(rig.tokens.fetchCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestTokenClient)
#include "tst_tokenclient.moc"
