#include "InMemorySecretStore.h"
#include "StoreFixtures.h"
#include "TestClock.h"
#include "TestStore.h"

#include "completions/CompletionReceiver.h"
#include "completions/CompletionStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkCookieJar>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>

// Cookies are set by hand in these tests, so the client keeps none of its own.
class NoCookies final : public QNetworkCookieJar
{
public:
    using QNetworkCookieJar::QNetworkCookieJar;
    bool setCookiesFromUrl(const QList<QNetworkCookie>&, const QUrl&) override { return false; }
};

// The H5P completion endpoint over real HTTP on 127.0.0.1.
class TestCompletionReceiver final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestStore> m_fixture;
    InMemorySecretStore m_secrets;
    TestClock m_clock;
    std::unique_ptr<CompletionReceiver> m_receiver;
    QNetworkAccessManager m_network;
    qint64 m_enabled = 0;

    struct Answer
    {
        int status = 0;
        QJsonDocument json;
        QByteArray cookie;
    };
    Answer call(const QByteArray& method, const QString& path, const QByteArray& body = {},
                const QList<std::pair<QByteArray, QByteArray>>& headers = {})
    {
        QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_receiver->port()).arg(path)));
        for (const auto& [name, value] : headers)
            request.setRawHeader(name, value);
        QNetworkReply* reply = m_network.sendCustomRequest(request, method, body);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        if (!reply->isFinished())
            finished.wait(10000);
        Answer answer{reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
                      QJsonDocument::fromJson(reply->readAll()), reply->rawHeader("Set-Cookie")};
        reply->deleteLater();
        return answer;
    }
    std::pair<QString, QString> session(const QString& user)
    {
        const Answer answer = call("GET", QStringLiteral("/session?user=") + user);
        return {answer.json[QStringLiteral("session")].toString(), answer.json[QStringLiteral("csrf")].toString()};
    }
    int count(const QString& user = QString())
    {
        CompletionFilter filter;
        filter.userId = user;
        QString error;
        return CompletionStore(m_fixture->store()).count(filter, &error);
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

private Q_SLOTS:
    void init()
    {
        m_fixture = std::make_unique<TestStore>();
        m_network.setCookieJar(new NoCookies(&m_network));
        m_enabled = StoreFixtures::addOpenIntegration(m_fixture->store(), QStringLiteral("acme"));
        const qint64 disabled = StoreFixtures::addOpenIntegration(m_fixture->store(), QStringLiteral("off"));
        QString error;
        QVERIFY(IntegrationRepository(m_fixture->store()).setEnabled(disabled, false, &error));
        m_secrets.entries.insert(CompletionReceiver::webhookTokenKey(), QStringLiteral("hook-token-1"));
        m_receiver = std::make_unique<CompletionReceiver>(m_fixture->store(), m_secrets, m_clock);
        QVERIFY2(m_receiver->listen(QHostAddress::LocalHost, 0, &error), qPrintable(error));
        QTRY_VERIFY(call("POST", QStringLiteral("/completions")).status == 401); // token loaded
    }
    void cleanup()
    {
        m_receiver.reset();
        m_fixture.reset();
    }

    void setFinishedNeedsSessionAndCsrf()
    {
        const auto [token, csrf] = session(QStringLiteral("ada"));
        QVERIFY(!token.isEmpty() && !csrf.isEmpty());
        const QByteArray form = "contentId=42&score=7&maxScore=10&opened=1763800000&finished=1763800090&time=90";
        const QByteArray cookie = "courier_session=" + token.toLatin1();
        // No CSRF token, a wrong one, one from another session: 403, nothing stored.
        QCOMPARE(call("POST", QStringLiteral("/setFinished"), form, {{"Cookie", cookie}}).status, 403);
        QCOMPARE(call("POST", QStringLiteral("/setFinished?_csrf=forged"), form, {{"Cookie", cookie}}).status, 403);
        const auto other = session(QStringLiteral("bob"));
        QCOMPARE(call("POST", QStringLiteral("/setFinished?_csrf=") + other.second, form, {{"Cookie", cookie}}).status,
                 403);
        QCOMPARE(call("POST", QStringLiteral("/setFinished?_csrf=") + csrf, form).status, 403); // no session
        QCOMPARE(count(), 0);

        // Right: stored for the session's user, form-encoded or JSON, query or header.
        const Answer ok = call("POST", QStringLiteral("/setFinished?_csrf=") + csrf, form, {{"Cookie", cookie}});
        QCOMPARE(ok.status, 200);
        QCOMPARE(ok.json[QStringLiteral("success")].toBool(), true);
        QCOMPARE(count(QStringLiteral("ada")), 1);
        const QByteArray json =
            R"({"contentId":"43","score":3,"maxScore":5,"opened":1763800000,"finished":1763800030,"time":30})";
        QCOMPARE(call("POST", QStringLiteral("/setFinished"), json,
                      {{"X-Session-Token", token.toLatin1()}, {"X-CSRF-Token", csrf.toLatin1()}})
                     .status,
                 200);
        QCOMPARE(count(QStringLiteral("ada")), 2);

        // One statement per enabled integration for each completion.
        QString error;
        QCOMPARE(DeliveryQueue(m_fixture->store()).count({}, &error), 2);

        // Sessions expire.
        m_receiver->setSessionLifetime(60);
        const auto shortLived = session(QStringLiteral("cy"));
        m_clock.advance(61 * 1000);
        QCOMPARE(call("POST", QStringLiteral("/setFinished?_csrf=") + shortLived.second, form,
                      {{"Cookie", "courier_session=" + shortLived.first.toLatin1()}})
                     .status,
                 403);
    }

    void trustedHeaderNamesTheUser()
    {
        m_receiver->setTrustedUserHeader("X-Remote-User");
        QCOMPARE(call("GET", QStringLiteral("/session?user=mallory")).status, 400); // the query is not trusted
        const Answer answer = call("GET", QStringLiteral("/session"), {}, {{"X-Remote-User", "ada@school.example"}});
        QCOMPARE(answer.status, 200);
        const QString token = answer.json[QStringLiteral("session")].toString();
        const QString csrf = answer.json[QStringLiteral("csrf")].toString();
        QCOMPARE(call("POST", QStringLiteral("/setFinished?_csrf=") + csrf,
                      "contentId=5&score=1&maxScore=1&opened=1763800000&finished=1763800010&time=10",
                      {{"Cookie", "courier_session=" + token.toLatin1()}})
                     .status,
                 200);
        QCOMPARE(count(QStringLiteral("ada@school.example")), 1);
    }

    void badInputNamesTheField_data()
    {
        QTest::addColumn<QByteArray>("form");
        QTest::addColumn<QString>("field");
        QTest::newRow("missing contentId")
            << QByteArray("score=1&maxScore=2&opened=1&finished=2&time=1") << "contentId";
        QTest::newRow("score not a number")
            << QByteArray("contentId=1&score=lots&maxScore=2&opened=1&finished=2") << "score";
        QTest::newRow("score above maxScore")
            << QByteArray("contentId=1&score=3&maxScore=2&opened=1&finished=2") << "score";
        QTest::newRow("finished before opened")
            << QByteArray("contentId=1&score=1&maxScore=2&opened=5&finished=2") << "finished";
        QTest::newRow("body too large") << QByteArray(CompletionReceiver::MaxBodyBytes + 10, 'x') << "body";
    }
    void badInputNamesTheField()
    {
        QFETCH(QByteArray, form);
        QFETCH(QString, field);
        const auto [token, csrf] = session(QStringLiteral("ada"));
        const Answer answer = call("POST", QStringLiteral("/setFinished?_csrf=") + csrf, form,
                                   {{"Cookie", "courier_session=" + token.toLatin1()}});
        QCOMPARE(answer.status, 400);
        QCOMPARE(answer.json[QStringLiteral("field")].toString(), field);
        QVERIFY(!answer.json[QStringLiteral("message")].toString().isEmpty());
        QCOMPARE(count(), 0);
    }

    void webhookUpsertRetrievalAndDelete()
    {
        const QByteArray bearer = "Bearer hook-token-1";
        QCOMPARE(call("POST", QStringLiteral("/completions"),
                      webhook(QStringLiteral("9"), QStringLiteral("ada"), 5, 1763800100),
                      {{"Authorization", "Bearer wrong"}})
                     .status,
                 401);
        QCOMPARE(call("POST", QStringLiteral("/completions"),
                      webhook(QStringLiteral("9"), QStringLiteral("ada"), 5, 1763800100), {{"Authorization", bearer}})
                     .status,
                 200);
        // The same message again makes no second statement; a newer one replaces the record.
        QCOMPARE(call("POST", QStringLiteral("/completions"),
                      webhook(QStringLiteral("9"), QStringLiteral("ada"), 5, 1763800100), {{"Authorization", bearer}})
                     .status,
                 200);
        QString error;
        QCOMPARE(DeliveryQueue(m_fixture->store()).count({}, &error), 1);
        QCOMPARE(call("POST", QStringLiteral("/completions"),
                      webhook(QStringLiteral("9"), QStringLiteral("ada"), 8, 1763800200), {{"Authorization", bearer}})
                     .status,
                 200);
        QCOMPARE(count(), 1);
        QCOMPARE(DeliveryQueue(m_fixture->store()).count({}, &error), 2);
        QCOMPARE(call("POST", QStringLiteral("/completions"),
                      webhook(QStringLiteral("9"), QStringLiteral("bob"), 3, 1763800300), {{"Authorization", bearer}})
                     .status,
                 200);
        const QByteArray bad =
            R"({"contentId":"9","userId":"cy","score":11,"maxScore":10,"openedTimestamp":1,"finishedTimestamp":2})";
        const Answer refused = call("POST", QStringLiteral("/completions"), bad, {{"Authorization", bearer}});
        QCOMPARE(refused.status, 400);
        QCOMPARE(refused.json[QStringLiteral("field")].toString(), QStringLiteral("score"));

        const Answer byContent = call("GET", QStringLiteral("/content/9/completions"), {}, {{"Authorization", bearer}});
        QCOMPARE(byContent.status, 200);
        QCOMPARE(byContent.json.array().size(), 2);
        QCOMPARE(byContent.json.array().last().toObject().value(QStringLiteral("score")).toDouble(), 8.0);
        const Answer byUser = call("GET", QStringLiteral("/users/bob/completions"), {}, {{"Authorization", bearer}});
        QCOMPARE(byUser.json.array().size(), 1);
        QCOMPARE(call("GET", QStringLiteral("/users/bob/completions")).status, 401);
        QCOMPARE(call("DELETE", QStringLiteral("/content/9/completions")).status, 401);
        const Answer deleted =
            call("DELETE", QStringLiteral("/content/9/completions"), {}, {{"Authorization", bearer}});
        QCOMPARE(deleted.json[QStringLiteral("deleted")].toInt(), 2);
        QCOMPARE(count(), 0);
    }
};

QTEST_GUILESS_MAIN(TestCompletionReceiver)
#include "tst_completionreceiver.moc"
