#include "SecretCall.h"
#include "StoreFixtures.h"
#include "TestClock.h"
#include "TestStore.h"

#include "completions/CompletionReceiver.h"
#include "completions/CompletionStore.h"
#include "secrets/KeychainSecretStore.h"
#include "statements/StatementValidator.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkCookieJar>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QUrlQuery>
#include <QUuid>

// Cookies are set by hand in these tests, so the client keeps none of its own.
class NoCookies final : public QNetworkCookieJar
{
public:
    using QNetworkCookieJar::QNetworkCookieJar;
    bool setCookiesFromUrl(const QList<QNetworkCookie>&, const QUrl&) override { return false; }
};

// The H5P completion endpoint over real HTTP on 127.0.0.1, with its webhook token in the real keychain (the suite
// runs inside scripts/with-keychain.sh).
class TestCompletionReceiver final : public QObject
{
    Q_OBJECT

private:
    // A keychain service of this test's own, so no other test's entries meet these.
    KeychainSecretStore m_secrets{QStringLiteral("xapi-courier-test-receiver")};
    const QString m_token = QStringLiteral("hook-") + QUuid::createUuid().toString(QUuid::Id128);
    std::unique_ptr<TestStore> m_fixture;
    TestClock m_clock;
    std::unique_ptr<CompletionReceiver> m_receiver;
    QNetworkAccessManager m_network;
    qint64 m_enabled = 0;
    qint64 m_other = 0;
    qint64 m_disabled = 0;

    struct Answer
    {
        int status = 0;
        QJsonDocument json;
        QByteArray raw;
        QNetworkReply::NetworkError error = QNetworkReply::NoError;
        QByteArray header(const QByteArray& name) const { return headers.value(name.toLower()); }
        QHash<QByteArray, QByteArray> headers;
        QString field() const { return json[QStringLiteral("field")].toString(); }
    };
    Answer call(const QByteArray& method, const QString& path, const QByteArray& body = {},
                const QList<std::pair<QByteArray, QByteArray>>& headers = {}, quint16 port = 0)
    {
        QNetworkRequest request(
            QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(port ? port : m_receiver->port()).arg(path)));
        request.setTransferTimeout(10000);
        if (!body.isEmpty())
            request.setHeader(QNetworkRequest::ContentTypeHeader,
                              body.startsWith('{') ? QByteArray("application/json")
                                                   : QByteArray("application/x-www-form-urlencoded"));
        for (const auto& [name, value] : headers)
            request.setRawHeader(name, value);
        QNetworkReply* reply = m_network.sendCustomRequest(request, method, body);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        if (!reply->isFinished())
            finished.wait(15000);
        Answer answer;
        answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        answer.raw = reply->readAll();
        answer.json = QJsonDocument::fromJson(answer.raw);
        answer.error = reply->error();
        for (const auto& [name, value] : reply->rawHeaderPairs())
            answer.headers.insert(name.toLower(), value);
        reply->deleteLater();
        return answer;
    }
    struct Session
    {
        QString token;
        QString csrf;
        QByteArray cookie() const { return "courier_session=" + token.toLatin1(); }
    };
    Session session(const QString& user)
    {
        const Answer answer = call("GET", QStringLiteral("/session?user=") + user);
        return {answer.json[QStringLiteral("session")].toString(), answer.json[QStringLiteral("csrf")].toString()};
    }
    Answer finish(const Session& s, const QByteArray& body)
    {
        return call("POST", QStringLiteral("/setFinished?_csrf=") + s.csrf, body, {{"Cookie", s.cookie()}});
    }
    Answer hook(const QByteArray& body, const QByteArray& token = {})
    {
        return call("POST", QStringLiteral("/completions"), body,
                    {{"Authorization", "Bearer " + (token.isEmpty() ? m_token.toUtf8() : token)}});
    }
    QList<std::pair<QByteArray, QByteArray>> bearer() const
    {
        return {{"Authorization", "Bearer " + m_token.toUtf8()}};
    }
    int records(const QString& user = QString())
    {
        CompletionFilter filter;
        filter.userId = user;
        QString error;
        return CompletionStore(m_fixture->store()).count(filter, &error);
    }
    int statements()
    {
        QString error;
        return DeliveryQueue(m_fixture->store()).count({}, &error);
    }
    static QByteArray webhook(const QString& content, const QString& user, double score, qint64 finished)
    {
        return QJsonDocument(QJsonObject{{QStringLiteral("contentId"), content},
                                         {QStringLiteral("userId"), user},
                                         {QStringLiteral("score"), score},
                                         {QStringLiteral("maxScore"), 10},
                                         {QStringLiteral("openedTimestamp"), finished - 60},
                                         {QStringLiteral("finishedTimestamp"), finished},
                                         {QStringLiteral("completionTime"), 60}})
            .toJson(QJsonDocument::Compact);
    }
    static constexpr const char* Form =
        "contentId=42&score=7&maxScore=10&opened=1763800000&finished=1763800090&time=90";

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"),
                 "run inside scripts/with-keychain.sh (a D-Bus session with an unlocked gnome-keyring)");
        const SecretResult written = SecretCall::write(m_secrets, CompletionReceiver::webhookTokenKey(), m_token);
        QVERIFY2(written.ok(), qPrintable(written.message));
        m_network.setCookieJar(new NoCookies(&m_network));
    }
    void cleanupTestCase() { SecretCall::remove(m_secrets, CompletionReceiver::webhookTokenKey()); }

    void init()
    {
        m_fixture = std::make_unique<TestStore>();
        QVERIFY(m_fixture->isValid());
        m_enabled = StoreFixtures::addOpenIntegration(m_fixture->store(), QStringLiteral("acme"));
        m_other = StoreFixtures::addOpenIntegration(m_fixture->store(), QStringLiteral("typsy"));
        m_disabled = StoreFixtures::addOpenIntegration(m_fixture->store(), QStringLiteral("off"));
        QString error;
        QVERIFY(IntegrationRepository(m_fixture->store()).setEnabled(m_disabled, false, &error));
        m_clock.set(QDateTime(QDate(2026, 11, 22), QTime(12, 0), Qt::UTC));
        m_receiver = std::make_unique<CompletionReceiver>(m_fixture->store(), m_secrets, m_clock);
        QVERIFY2(m_receiver->start(0, &error), qPrintable(error));
        QVERIFY(m_receiver->isListening());
        QVERIFY(m_receiver->port() > 0);
        // The token comes from the keychain: 503 until it answered, then 401 for a wrong one.
        QTRY_COMPARE(hook({}, "not-the-token").status, 401);
    }
    void cleanup()
    {
        m_receiver.reset();
        m_fixture.reset();
    }

    void sessionGivesTokenAndCsrf()
    {
        const Answer answer = call("GET", QStringLiteral("/session?user=ada%40school.example"));
        QCOMPARE(answer.status, 200);
        const QString token = answer.json[QStringLiteral("session")].toString();
        const QString csrf = answer.json[QStringLiteral("csrf")].toString();
        QVERIFY(!token.isEmpty() && !csrf.isEmpty() && token != csrf);
        QCOMPARE(answer.json[QStringLiteral("setFinishedUrl")].toString(),
                 QStringLiteral("/setFinished?_csrf=") + csrf);
        QVERIFY(answer.header("Set-Cookie").startsWith(QByteArray("courier_session=" + token.toLatin1())));
        QVERIFY(answer.header("Set-Cookie").contains("HttpOnly"));
        const Answer missing = call("GET", QStringLiteral("/session"));
        QCOMPARE(missing.status, 400);
        QCOMPARE(missing.field(), QStringLiteral("user"));
    }

    void setFinishedNeedsSessionAndCsrf()
    {
        QSignalSpy stored(m_receiver.get(), &CompletionReceiver::stored);
        const Session ada = session(QStringLiteral("ada"));
        QVERIFY(!ada.token.isEmpty());
        // CSRF missing, wrong, from another session; no session at all; a forged session: 403, nothing stored.
        Answer refused = call("POST", QStringLiteral("/setFinished"), Form, {{"Cookie", ada.cookie()}});
        QCOMPARE(refused.status, 403);
        QCOMPARE(refused.field(), QStringLiteral("_csrf"));
        QCOMPARE(call("POST", QStringLiteral("/setFinished?_csrf=forged"), Form, {{"Cookie", ada.cookie()}}).status,
                 403);
        QCOMPARE(call("POST", QStringLiteral("/setFinished"), Form, {{"Cookie", ada.cookie()}, {"X-CSRF-Token", "x"}})
                     .status,
                 403);
        const Session bob = session(QStringLiteral("bob"));
        QCOMPARE(
            call("POST", QStringLiteral("/setFinished?_csrf=") + bob.csrf, Form, {{"Cookie", ada.cookie()}}).status,
            403);
        refused = call("POST", QStringLiteral("/setFinished?_csrf=") + ada.csrf, Form);
        QCOMPARE(refused.status, 403);
        QCOMPARE(refused.field(), QStringLiteral("session"));
        Session forged = bob;
        forged.token =
            ada.token.section(QLatin1Char('.'), 0, 0) + QLatin1Char('.') + bob.token.section(QLatin1Char('.'), 1);
        QCOMPARE(finish(forged, Form).status, 403);
        QCOMPARE(records(), 0);
        QCOMPARE(statements(), 0);
        QCOMPARE(stored.size(), 0);

        // Right: stored for the session's user, with H5P's answer; form-encoded with the token in the query ...
        const Answer ok = finish(ada, Form);
        QCOMPARE(ok.status, 200);
        QCOMPARE(ok.json.object(), (QJsonObject{{QStringLiteral("success"), true}}));
        QCOMPARE(records(QStringLiteral("ada")), 1);
        QCOMPARE(stored.size(), 1);
        QString error;
        const auto record =
            CompletionStore(m_fixture->store()).byKey(QStringLiteral("ada"), QStringLiteral("42"), &error);
        QVERIFY(record);
        QCOMPARE(record->score, 7.0);
        QCOMPARE(record->maxScore, 10.0);
        QCOMPARE(record->openedTimestamp, 1763800000);
        QCOMPARE(record->finishedTimestamp, 1763800090);
        QCOMPARE(record->completionTime, 90);
        QCOMPARE(record->source, QStringLiteral("setFinished"));
        QCOMPARE(record->receivedAt, m_clock.now());
        // ... or JSON with both tokens in headers.
        const QByteArray json =
            R"({"contentId":"43","score":3,"maxScore":5,"opened":1763800000,"finished":1763800030,"time":30})";
        QCOMPARE(call("POST", QStringLiteral("/setFinished"), json,
                      {{"X-Session-Token", ada.token.toLatin1()}, {"X-CSRF-Token", ada.csrf.toLatin1()}})
                     .status,
                 200);
        QCOMPARE(records(QStringLiteral("ada")), 2);
        QCOMPARE(statements(), 4); // two completions, two enabled integrations
    }

    void sessionsExpire()
    {
        m_receiver->setSessionLifetime(60);
        const Session shortLived = session(QStringLiteral("cy"));
        m_clock.advance(59 * 1000);
        QCOMPARE(finish(shortLived, Form).status, 200);
        m_clock.advance(2 * 1000);
        const Answer expired = finish(shortLived, "contentId=7&score=1&maxScore=1&opened=1&finished=2&time=1");
        QCOMPARE(expired.status, 403);
        QCOMPARE(expired.field(), QStringLiteral("session"));
        QVERIFY(expired.json[QStringLiteral("message")].toString().contains(QLatin1String("expired")));
        QCOMPARE(records(), 1);
        QCOMPARE(
            finish(session(QStringLiteral("cy")), "contentId=7&score=1&maxScore=1&opened=1&finished=2&time=1").status,
            200);
    }

    void trustedHeaderNamesTheUser()
    {
        m_receiver->setTrustedUserHeader("X-Remote-User");
        QCOMPARE(call("GET", QStringLiteral("/session?user=mallory")).status, 400); // the query is not trusted
        const Answer answer = call("GET", QStringLiteral("/session"), {}, {{"X-Remote-User", "ada@school.example"}});
        QCOMPARE(answer.status, 200);
        const Session s{answer.json[QStringLiteral("session")].toString(),
                        answer.json[QStringLiteral("csrf")].toString()};
        QCOMPARE(finish(s, "contentId=5&score=1&maxScore=1&opened=1763800000&finished=1763800010&time=10").status, 200);
        QCOMPARE(records(QStringLiteral("ada@school.example")), 1);
        QCOMPARE(records(QStringLiteral("mallory")), 0);
    }

    void setFinishedBadInputNamesTheField_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("field");
        QTest::newRow("missing contentId")
            << QByteArray("score=1&maxScore=2&opened=1&finished=2&time=1") << "contentId";
        QTest::newRow("empty contentId") << QByteArray("contentId=&score=1&maxScore=2&opened=1&finished=2&time=1")
                                         << "contentId";
        QTest::newRow("score not a number")
            << QByteArray("contentId=1&score=lots&maxScore=2&opened=1&finished=2") << "score";
        QTest::newRow("score not finite")
            << QByteArray("contentId=1&score=inf&maxScore=2&opened=1&finished=2") << "score";
        QTest::newRow("missing maxScore") << QByteArray("contentId=1&score=1&opened=1&finished=2") << "maxScore";
        QTest::newRow("score above maxScore")
            << QByteArray("contentId=1&score=3&maxScore=2&opened=1&finished=2") << "score";
        QTest::newRow("negative score") << QByteArray("contentId=1&score=-1&maxScore=2&opened=1&finished=2") << "score";
        QTest::newRow("opened not a number")
            << QByteArray("contentId=1&score=1&maxScore=2&opened=yesterday&finished=2") << "opened";
        QTest::newRow("missing finished") << QByteArray("contentId=1&score=1&maxScore=2&opened=1") << "finished";
        QTest::newRow("finished before opened")
            << QByteArray("contentId=1&score=1&maxScore=2&opened=5&finished=2") << "finished";
        QTest::newRow("negative time") << QByteArray("contentId=1&score=1&maxScore=2&opened=1&finished=2&time=-5")
                                       << "time";
        QTest::newRow("JSON that does not parse") << QByteArray(R"({"contentId":"1","score":)") << "body";
        QTest::newRow("JSON score as text")
            << QByteArray(R"({"contentId":"1","score":"x","maxScore":2,"opened":1,"finished":2})") << "score";
        QTest::newRow("body too large") << QByteArray(CompletionReceiver::MaxBodyBytes + 10, 'x') << "body";
    }
    void setFinishedBadInputNamesTheField()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, field);
        const Answer answer = finish(session(QStringLiteral("ada")), body);
        // Too large is told from Content-Length, before the body is read: 413.
        QCOMPARE(answer.status, body.size() > CompletionReceiver::MaxBodyBytes ? 413 : 400);
        QCOMPARE(answer.json[QStringLiteral("success")].toBool(true), false);
        QCOMPARE(answer.field(), field);
        QVERIFY(!answer.json[QStringLiteral("message")].toString().isEmpty());
        QCOMPARE(records(), 0);
        QCOMPARE(statements(), 0);
    }

    void webhookBadInputNamesTheField_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("field");
        QTest::newRow("missing contentId")
            << QByteArray(R"({"userId":"u","score":1,"maxScore":2,"openedTimestamp":1,"finishedTimestamp":2})")
            << "contentId";
        QTest::newRow("missing userId")
            << QByteArray(R"({"contentId":"1","score":1,"maxScore":2,"openedTimestamp":1,"finishedTimestamp":2})")
            << "userId";
        QTest::newRow("score not a number") << QByteArray(R"({"contentId":"1","userId":"u","score":"lots",)"
                                                          R"("maxScore":2,"openedTimestamp":1,"finishedTimestamp":2})")
                                            << "score";
        QTest::newRow("score above maxScore") << QByteArray(R"({"contentId":"1","userId":"u","score":3,"maxScore":2,)"
                                                            R"("openedTimestamp":1,"finishedTimestamp":2})")
                                              << "score";
        QTest::newRow("finished before opened") << QByteArray(R"({"contentId":"1","userId":"u","score":1,"maxScore":2,)"
                                                              R"("openedTimestamp":5,"finishedTimestamp":2})")
                                                << "finishedTimestamp";
        QTest::newRow("not JSON") << QByteArray("contentId=1") << "body";
        QTest::newRow("an array") << QByteArray("[]") << "body";
        QTest::newRow("body too large") << QByteArray(CompletionReceiver::MaxBodyBytes + 10, ' ') << "body";
    }
    void webhookBadInputNamesTheField()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, field);
        const Answer answer = hook(body);
        QCOMPARE(answer.status, body.size() > CompletionReceiver::MaxBodyBytes ? 413 : 400);
        QCOMPARE(answer.field(), field);
        QVERIFY(!answer.json[QStringLiteral("message")].toString().isEmpty());
        QCOMPARE(records(), 0);
        QCOMPARE(statements(), 0);
    }

    void webhookNeedsTheBearerTokenFromTheKeychain()
    {
        const QByteArray body = webhook(QStringLiteral("9"), QStringLiteral("ada"), 5, 1763800100);
        QCOMPARE(hook(body, "wrong").status, 401);
        QCOMPARE(hook(body, m_token.toUtf8() + "x").status, 401);
        const Answer none = call("POST", QStringLiteral("/completions"), body);
        QCOMPARE(none.status, 401);
        QCOMPARE(none.field(), QStringLiteral("Authorization"));
        QCOMPARE(call("POST", QStringLiteral("/completions"), body, {{"Authorization", m_token.toUtf8()}}).status, 401);
        QCOMPARE(records(), 0);
        const Answer ok = hook(body);
        QCOMPARE(ok.status, 200);
        QCOMPARE(ok.json[QStringLiteral("success")].toBool(), true);
        QCOMPARE(ok.json[QStringLiteral("outcome")].toString(), QStringLiteral("stored"));
        QCOMPARE(ok.json[QStringLiteral("queued")].toInt(), 2);
        QCOMPARE(records(), 1);
        // Retrieval and deletion need it too.
        QCOMPARE(call("GET", QStringLiteral("/users/ada/completions")).status, 401);
        QCOMPARE(call("GET", QStringLiteral("/content/9/completions"), {}, {{"Authorization", "Bearer nope"}}).status,
                 401);
        QCOMPARE(call("DELETE", QStringLiteral("/content/9/completions")).status, 401);
        QCOMPARE(records(), 1);
    }

    void withoutATokenInTheKeychainTheWebhookIsClosed()
    {
        QVERIFY(SecretCall::remove(m_secrets, CompletionReceiver::webhookTokenKey()).ok());
        CompletionReceiver receiver(m_fixture->store(), m_secrets, m_clock);
        QString error;
        QVERIFY(receiver.start(0, &error));
        Answer answer;
        QTRY_VERIFY((answer = call("POST", QStringLiteral("/completions"),
                                   webhook(QStringLiteral("9"), QStringLiteral("ada"), 5, 1763800100), bearer(),
                                   receiver.port()))
                        .status != 503);
        QCOMPARE(answer.status, 401);
        QVERIFY2(answer.json[QStringLiteral("message")].toString().contains(QLatin1String("settings receiver")),
                 answer.raw.constData());
        QVERIFY(SecretCall::write(m_secrets, CompletionReceiver::webhookTokenKey(), m_token).ok());
        QCOMPARE(records(), 0);
    }

    void upsertRetrievalAndDeleteByContent()
    {
        QCOMPARE(hook(webhook(QStringLiteral("9"), QStringLiteral("ada"), 5, 1763800100)).status, 200);
        // The same message again makes no second statement; a newer one replaces the record and makes one.
        const Answer repeated = hook(webhook(QStringLiteral("9"), QStringLiteral("ada"), 5, 1763800100));
        QCOMPARE(repeated.status, 200);
        QCOMPARE(repeated.json[QStringLiteral("outcome")].toString(), QStringLiteral("unchanged"));
        QCOMPARE(statements(), 2);
        // The player's own format for the same completion is a repeat, too.
        const Answer samePlayer =
            finish(session(QStringLiteral("ada")),
                   "contentId=9&score=5&maxScore=10&opened=1763800040&finished=1763800100&time=60");
        QCOMPARE(samePlayer.status, 200);
        QCOMPARE(statements(), 2);
        const Answer newer = hook(webhook(QStringLiteral("9"), QStringLiteral("ada"), 8, 1763800200));
        QCOMPARE(newer.json[QStringLiteral("outcome")].toString(), QStringLiteral("replaced"));
        QCOMPARE(records(), 1);
        QCOMPARE(statements(), 4);
        QCOMPARE(hook(webhook(QStringLiteral("9"), QStringLiteral("bob"), 3, 1763800300)).status, 200);
        QCOMPARE(hook(webhook(QStringLiteral("10"), QStringLiteral("bob"), 4, 1763800400)).status, 200);

        const Answer byContent = call("GET", QStringLiteral("/content/9/completions"), {}, bearer());
        QCOMPARE(byContent.status, 200);
        QCOMPARE(byContent.header("X-Total-Count"), QByteArray("2"));
        const QJsonArray content = byContent.json.array();
        QCOMPARE(content.size(), 2);
        QCOMPARE(content.first()[QStringLiteral("userId")].toString(), QStringLiteral("bob")); // newest first
        QCOMPARE(content.last()[QStringLiteral("score")].toDouble(), 8.0);
        for (const char* key :
             {"contentId", "userId", "score", "maxScore", "openedTimestamp", "finishedTimestamp", "completionTime"})
            QVERIFY2(content.first().toObject().contains(QLatin1String(key)), key);
        const Answer byUser = call("GET", QStringLiteral("/users/bob/completions?limit=1&offset=1"), {}, bearer());
        QCOMPARE(byUser.status, 200);
        QCOMPARE(byUser.header("X-Total-Count"), QByteArray("2"));
        QCOMPARE(byUser.json.array().size(), 1);
        QCOMPARE(byUser.json.array().first()[QStringLiteral("contentId")].toString(), QStringLiteral("9"));
        const Answer badLimit = call("GET", QStringLiteral("/users/bob/completions?limit=lots"), {}, bearer());
        QCOMPARE(badLimit.status, 400);
        QCOMPARE(badLimit.field(), QStringLiteral("limit"));
        QCOMPARE(call("GET", QStringLiteral("/users/nobody/completions"), {}, bearer()).json.array().size(), 0);

        const Answer deleted = call("DELETE", QStringLiteral("/content/9/completions"), {}, bearer());
        QCOMPARE(deleted.status, 200);
        QCOMPARE(deleted.json[QStringLiteral("success")].toBool(), true);
        QCOMPARE(deleted.json[QStringLiteral("deleted")].toInt(), 2);
        QCOMPARE(records(), 1); // content 10 stays
        QCOMPARE(call("GET", QStringLiteral("/content/9/completions"), {}, bearer()).json.array().size(), 0);
        QCOMPARE(statements(), 8); // statements already queued are not taken back
    }

    void storedCompletionQueuesOneValidStatementPerEnabledIntegration()
    {
        QCOMPARE(finish(session(QStringLiteral("learner-7")), Form).status, 200);
        QString error;
        const auto record =
            CompletionStore(m_fixture->store()).byKey(QStringLiteral("learner-7"), QStringLiteral("42"), &error);
        QVERIFY(record);
        const QList<Delivery> queued = DeliveryQueue(m_fixture->store()).list({}, 10, 0, &error);
        QCOMPARE(queued.size(), 2);
        QSet<qint64> integrations;
        for (const Delivery& delivery : queued) {
            integrations.insert(delivery.integrationId);
            QCOMPARE(delivery.statementId, record->statementId);
            QCOMPARE(delivery.state, Delivery::State::Queued);
            const QList<Finding> findings = StatementValidator::validate(QByteArrayView(delivery.body));
            QVERIFY2(findings.isEmpty(), qPrintable(findings.isEmpty() ? QString() : findings.first().toText()));
            const QJsonObject statement = QJsonDocument::fromJson(delivery.body).object();
            QCOMPARE(statement[QStringLiteral("result")][QStringLiteral("score")][QStringLiteral("max")].toDouble(),
                     10.0);
            QCOMPARE(statement[QStringLiteral("result")][QStringLiteral("duration")].toString(),
                     QStringLiteral("PT1M30S"));
        }
        QCOMPARE(integrations, (QSet<qint64>{m_enabled, m_other})); // none for the disabled integration
        // The id is derived from (user, content, finished): the same message again makes no second statement.
        QCOMPARE(finish(session(QStringLiteral("learner-7")), Form).status, 200);
        QCOMPARE(statements(), 2);
    }

    // A connection of its own, speaking raw HTTP: what a hostile client sends, byte for byte.
    std::unique_ptr<QTcpSocket> raw(quint16 port = 0)
    {
        auto socket = std::make_unique<QTcpSocket>();
        socket->connectToHost(QHostAddress::LocalHost, port ? port : m_receiver->port());
        socket->waitForConnected(5000);
        return socket;
    }
    // What came back within timeoutMs (the receiver runs in this event loop, so it is waited for with it).
    static QByteArray answerOf(QTcpSocket& socket, int timeoutMs = 3000, const QByteArray& until = "\r\n\r\n")
    {
        QByteArray answer;
        QElapsedTimer elapsed;
        elapsed.start();
        while (elapsed.elapsed() < timeoutMs) {
            answer += socket.readAll();
            const qsizetype head = answer.indexOf(until);
            if (head >= 0 &&
                (until != "\r\n\r\n" || !answer.contains("Content-Length: ") ||
                 answer.size() >=
                     head + 4 + answer.mid(answer.indexOf("Content-Length: ") + 16).split('\r').first().toInt()))
                break;
            QTest::qWait(5);
        }
        return answer;
    }
    static QByteArray bodyOf(const QByteArray& answer) { return answer.mid(answer.indexOf("\r\n\r\n") + 4); }

    // Credentials and Content-Length are checked from the headers: 300 MB announced without credentials get 403 or
    // 401 at once, without one byte of the body sent; with credentials, 413 at once; a chunked body is refused as
    // soon as it passes the limit. Before, the whole body was read first.
    void credentialsAndSizeAreCheckedBeforeTheBody()
    {
        const QByteArray huge = "Content-Length: 314572800\r\n\r\n";
        auto noSession = raw();
        noSession->write("POST /setFinished HTTP/1.1\r\nHost: x\r\n" + huge);
        QByteArray answer = answerOf(*noSession);
        QVERIFY2(answer.startsWith("HTTP/1.1 403 "), answer.constData());
        QVERIFY(answer.contains("Connection: close"));
        QCOMPARE(QJsonDocument::fromJson(bodyOf(answer))[QStringLiteral("field")].toString(),
                 QStringLiteral("session"));

        auto wrongBearer = raw();
        wrongBearer->write("POST /completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer wrong\r\n" + huge);
        answer = answerOf(*wrongBearer);
        QVERIFY2(answer.startsWith("HTTP/1.1 401 "), answer.constData());

        auto tooLarge = raw();
        tooLarge->write("POST /completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + m_token.toUtf8() + "\r\n" +
                        huge);
        answer = answerOf(*tooLarge);
        QVERIFY2(answer.startsWith("HTTP/1.1 413 "), answer.constData());
        QVERIFY(QJsonDocument::fromJson(bodyOf(answer))[QStringLiteral("message")].toString().contains(
            QString::number(CompletionReceiver::MaxBodyBytes)));

        const Session ada = session(QStringLiteral("ada"));
        auto tooLargeFinish = raw();
        tooLargeFinish->write("POST /setFinished?_csrf=" + ada.csrf.toLatin1() +
                              " HTTP/1.1\r\nHost: x\r\nCookie: " + ada.cookie() + "\r\n" + huge);
        answer = answerOf(*tooLargeFinish);
        QVERIFY2(answer.startsWith("HTTP/1.1 413 "), answer.constData());

        // Chunked: refused once it passes 64 KB, however much more would follow.
        auto chunked = raw();
        chunked->write("POST /completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + m_token.toUtf8() +
                       "\r\nTransfer-Encoding: chunked\r\n\r\n");
        const QByteArray chunk = "4000\r\n" + QByteArray(0x4000, ' ') + "\r\n";
        for (int i = 0; i < 6 && chunked->state() == QAbstractSocket::ConnectedState; ++i) {
            chunked->write(chunk);
            QTest::qWait(20);
        }
        answer = answerOf(*chunked);
        QVERIFY2(answer.startsWith("HTTP/1.1 413 "), answer.constData());

        // A small chunked body, and one sent after 100 Continue, are taken as any other.
        const QByteArray record = webhook(QStringLiteral("7"), QStringLiteral("ada"), 1, 1763800100);
        auto small = raw();
        small->write("POST /completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + m_token.toUtf8() +
                     "\r\nTransfer-Encoding: chunked\r\n\r\n" + QByteArray::number(record.size(), 16) + "\r\n" +
                     record + "\r\n0\r\n\r\n");
        answer = answerOf(*small);
        QVERIFY2(answer.startsWith("HTTP/1.1 200 "), answer.constData());
        auto expecting = raw();
        const QByteArray other = webhook(QStringLiteral("8"), QStringLiteral("ada"), 1, 1763800100);
        expecting->write("POST /completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + m_token.toUtf8() +
                         "\r\nExpect: 100-continue\r\nContent-Length: " + QByteArray::number(other.size()) +
                         "\r\n\r\n");
        answer = answerOf(*expecting);
        QVERIFY2(answer.startsWith("HTTP/1.1 100 Continue"), answer.constData());
        expecting->write(other);
        answer = answerOf(*expecting);
        QVERIFY2(answer.startsWith("HTTP/1.1 200 "), answer.constData());
        QCOMPARE(records(), 2);
    }

    // Connections whose request does not complete in time are closed, and at most maxConnections are open: a new
    // one closes the one that waited longest, so a legitimate request gets through while others hold connections.
    void connectionsThatNeverFinishAreClosed()
    {
        BoundedHttpServer::Limits limits = m_receiver->connectionLimits();
        limits.requestTimeoutMs = 400;
        limits.idleTimeoutMs = 400;
        limits.maxConnections = 20;
        m_receiver->setConnectionLimits(limits);
        QString error;
        QVERIFY2(m_receiver->start(0, &error), qPrintable(error));
        std::vector<std::unique_ptr<QTcpSocket>> slow;
        for (int i = 0; i < 30; ++i) {
            slow.push_back(raw());
            slow.back()->write("GET /session?user=mallory HTTP/1.1\r\nHost: x\r\nX-Never: ");
        }
        QTRY_VERIFY(m_receiver->connectionCount() > 0);
        QVERIFY(m_receiver->connectionCount() <= 20);
        QCOMPARE(call("GET", QStringLiteral("/session?user=ada")).status, 200);
        // Every one of them is closed by the timeout, the legitimate keep-alive connection too once idle.
        QTRY_COMPARE_WITH_TIMEOUT(m_receiver->connectionCount(), 0, 5000);
        for (const auto& socket : slow)
            QTRY_COMPARE(socket->state(), QAbstractSocket::UnconnectedState);
        // Headers that never end are refused at the header limit, not read on and on.
        auto endless = raw();
        endless->write("GET /session?user=a HTTP/1.1\r\nX-Long: " + QByteArray(limits.maxHeaderBytes + 10, 'a'));
        const QByteArray answer = answerOf(*endless);
        QVERIFY2(answer.startsWith("HTTP/1.1 431 "), answer.constData());
    }

    // Pipelined requests from a client that does not read its answers wait once the answers not yet read pass a
    // limit (they are not piled up in memory), and are all answered, in order, once it reads.
    void pipelinedRequestsWaitForTheClientToRead()
    {
        constexpr int requests = 3000;
        auto client = raw();
        QByteArray pipeline;
        for (int i = 0; i < requests; ++i)
            pipeline += "GET /session?user=u" + QByteArray::number(i) + " HTTP/1.1\r\nHost: x\r\n\r\n";
        client->write(pipeline);
        QTest::qWait(500); // the receiver answers until the unread answers pass the limit, then waits
        QByteArray answers;
        QElapsedTimer elapsed;
        elapsed.start();
        while (answers.count("HTTP/1.1 200 OK") < requests && elapsed.elapsed() < 30000) {
            QTest::qWait(5);
            answers += client->readAll();
        }
        QCOMPARE(int(answers.count("HTTP/1.1 200 OK")), requests);
        QVERIFY(answers.contains("X-Content-Type-Options: nosniff"));
    }

    // The session key is kept in the store's settings: a session survives a restart of the receiver, and another
    // receiver on the same store (a second worker) honours it. Before, each process made a random key of its own.
    void sessionsSurviveARestartAndEveryReceiverOfTheStore()
    {
        const Session ada = session(QStringLiteral("ada"));
        m_receiver = std::make_unique<CompletionReceiver>(m_fixture->store(), m_secrets, m_clock);
        QString error;
        QVERIFY2(m_receiver->start(0, &error), qPrintable(error));
        QCOMPARE(finish(ada, Form).status, 200);
        CompletionReceiver second(m_fixture->store(), m_secrets, m_clock);
        QVERIFY2(second.start(0, &error), qPrintable(error));
        QCOMPARE(call("POST", QStringLiteral("/setFinished?_csrf=") + ada.csrf,
                      "contentId=43&score=1&maxScore=2&opened=1763800000&finished=1763800010&time=10",
                      {{"Cookie", ada.cookie()}}, second.port())
                     .status,
                 200);
        QCOMPARE(records(QStringLiteral("ada")), 2);
        QSqlQuery query(m_fixture->store().database());
        QVERIFY(query.exec(QStringLiteral("SELECT value FROM settings WHERE key = 'receiver.session-key'")));
        QVERIFY(query.next());
        QCOMPARE(QByteArray::fromBase64(query.value(0).toString().toLatin1()).size(), 32);
    }

    // maxScore 0 makes a valid statement (the raw score alone); times outside 1970..9999 are refused with 400 naming
    // the field and the range. Before, both were answered 200 with no statement, and 1e300 was stored as -2^63.
    void completionsThatCannotBeStatementsAreRefusedOrMadeValid()
    {
        QJsonObject zero =
            QJsonDocument::fromJson(webhook(QStringLiteral("5"), QStringLiteral("ada"), 0, 1763800100)).object();
        zero[QStringLiteral("maxScore")] = 0;
        const Answer ok = hook(QJsonDocument(zero).toJson(QJsonDocument::Compact));
        QCOMPARE(ok.status, 200);
        QCOMPARE(ok.json[QStringLiteral("queued")].toInt(), 2);
        QString error;
        for (const Delivery& delivery : DeliveryQueue(m_fixture->store()).list({}, 10, 0, &error)) {
            QVERIFY(StatementValidator::validate(QByteArrayView(delivery.body)).isEmpty());
            const QJsonObject score =
                QJsonDocument::fromJson(delivery.body)[QStringLiteral("result")][QStringLiteral("score")].toObject();
            QVERIFY(!score.contains(QStringLiteral("max")) && !score.contains(QStringLiteral("scaled")));
        }
        const QList<std::pair<const char*, double>> outOfRange = {{"openedTimestamp", 1e300},
                                                                  {"finishedTimestamp", -62135596801.0},
                                                                  {"finishedTimestamp", 253402300800.0},
                                                                  {"completionTime", 1e300}};
        for (const auto& [field, value] : outOfRange) {
            QJsonObject record = zero;
            record[QStringLiteral("contentId")] = QStringLiteral("6");
            record[QLatin1String(field)] = value;
            if (QLatin1String(field) == QLatin1String("openedTimestamp"))
                record[QStringLiteral("finishedTimestamp")] = 1e300;
            const Answer refused = hook(QJsonDocument(record).toJson(QJsonDocument::Compact));
            QCOMPARE(refused.status, 400);
            QCOMPARE(refused.field(), QLatin1String(field));
            QVERIFY2(refused.json[QStringLiteral("message")].toString().contains(QLatin1String("253402300799")),
                     refused.raw.constData());
        }
        const Answer player =
            finish(session(QStringLiteral("bob")), "contentId=9&score=1&maxScore=2&opened=1e300&finished=1e300&time=1");
        QCOMPARE(player.status, 400);
        QCOMPARE(player.field(), QStringLiteral("opened"));
        QVERIFY2(player.json[QStringLiteral("message")].toString().startsWith(QLatin1String("opened ")),
                 player.raw.constData());
        QCOMPARE(records(), 1);
        QCOMPARE(statements(), 2);
    }

    void stopsAndStartsAgain()
    {
        const quint16 first = m_receiver->port();
        QCOMPARE(call("GET", QStringLiteral("/session?user=a")).status, 200);
        m_receiver->stop();
        QVERIFY(!m_receiver->isListening());
        QCOMPARE(m_receiver->port(), 0);
        QCOMPARE(call("GET", QStringLiteral("/session?user=a"), {}, {}, first).error,
                 QNetworkReply::ConnectionRefusedError);
        QString error;
        QVERIFY2(m_receiver->start(0, &error), qPrintable(error));
        QCOMPARE(call("GET", QStringLiteral("/session?user=a")).status, 200);

        // A port in use: a sentence that says what to do.
        QTcpServer taken;
        QVERIFY(taken.listen(QHostAddress::LocalHost));
        CompletionReceiver other(m_fixture->store(), m_secrets, m_clock);
        QVERIFY(!other.start(taken.serverPort(), &error));
        QVERIFY2(error.contains(QLatin1String("another port")), qPrintable(error));
        QVERIFY(!other.isListening());
    }
};

QTEST_GUILESS_MAIN(TestCompletionReceiver)
#include "tst_completionreceiver.moc"
