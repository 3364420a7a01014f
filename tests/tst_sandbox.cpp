#include "sandbox/Sandbox.h"
#include "statements/StatementComparison.h"
#include "statements/StatementTemplates.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

// The sandbox LRS over real HTTP on 127.0.0.1: what a conformant LRS does for statements, every fault of its script,
// and the statement comparison it (and the 409 triage) rests on.
class TestSandbox final : public QObject
{
    Q_OBJECT

private:
    struct Reply
    {
        int status = 0;
        QNetworkReply::NetworkError error = QNetworkReply::NoError;
        QByteArray body;
        QHash<QByteArray, QByteArray> headers;
        QJsonObject object() const { return QJsonDocument::fromJson(body).object(); }
        QJsonArray array() const { return QJsonDocument::fromJson(body).array(); }
    };

    QNetworkAccessManager m_network;
    std::unique_ptr<Sandbox> m_sandbox;

    static QString newId() { return QUuid::createUuid().toString(QUuid::WithoutBraces); }
    static QJsonObject statement(const QString& id, double score = 80)
    {
        TemplateValues values;
        values.id = id;
        values.actorEmail = QStringLiteral("learner@example.com");
        values.actorName = QStringLiteral("Learner");
        values.objectId = QStringLiteral("https://example.com/courses/safety");
        values.objectName = QStringLiteral("Safety");
        values.scoreRaw = score;
        values.scoreMin = 0.0;
        values.scoreMax = 100.0;
        values.timestamp = QDateTime(QDate(2026, 11, 1), QTime(9, 30), Qt::UTC);
        return StatementTemplates::build(values);
    }
    static QByteArray body(const QJsonObject& object) { return QJsonDocument(object).toJson(QJsonDocument::Compact); }
    static QByteArray body(const QJsonArray& array) { return QJsonDocument(array).toJson(QJsonDocument::Compact); }

    Reply call(const QByteArray& method, const QString& pathAndQuery, const QByteArray& data = {},
               bool versionHeader = true, const QByteArray& authorization = {})
    {
        QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_sandbox->port()).arg(pathAndQuery)));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
        if (versionHeader)
            request.setRawHeader("X-Experience-API-Version", "1.0.3");
        if (!authorization.isEmpty())
            request.setRawHeader("Authorization", authorization);
        request.setTransferTimeout(10000);
        QNetworkReply* reply = m_network.sendCustomRequest(request, method, data);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        if (!reply->isFinished())
            finished.wait(15000);
        Reply result;
        result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        result.error = reply->error();
        result.body = reply->readAll();
        for (const auto& [name, value] : reply->rawHeaderPairs())
            result.headers.insert(name.toLower(), value);
        reply->deleteLater();
        return result;
    }
    Reply post(const QByteArray& data) { return call("POST", QStringLiteral("/xapi/statements"), data); }

private Q_SLOTS:
    void init()
    {
        m_sandbox = std::make_unique<Sandbox>();
        QString error;
        QVERIFY2(m_sandbox->listen(0, &error), qPrintable(error));
    }
    void cleanup() { m_sandbox.reset(); }

    void faultSpecs_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QString>("normal");
        QTest::addColumn<int>("remaining");
        QTest::newRow("empty") << QString() << true << QString() << 0;
        QTest::newRow("503*2") << QStringLiteral("503*2") << true << QStringLiteral("503*2") << 2;
        QTest::newRow("several")
            << QStringLiteral(" 500*1, 400*2 ,401*1,drop*3,delay=250")
            << true << QStringLiteral("500*1,400*2,401*1,drop*3,delay=250") << 7;
        QTest::newRow("429 with retry-after")
            << QStringLiteral("429*4:retry-after=30") << true << QStringLiteral("429*4:retry-after=30") << 4;
        QTest::newRow("429 without") << QStringLiteral("429*1") << true << QStringLiteral("429*1") << 1;
        QTest::newRow("upper case") << QStringLiteral("DROP*1") << true << QStringLiteral("drop*1") << 1;
        QTest::newRow("other status") << QStringLiteral("404*1") << false << QString() << 0;
        QTest::newRow("no count") << QStringLiteral("503") << false << QString() << 0;
        QTest::newRow("zero") << QStringLiteral("503*0") << false << QString() << 0;
        QTest::newRow("retry-after on 503") << QStringLiteral("503*1:retry-after=5") << false << QString() << 0;
        QTest::newRow("delay words") << QStringLiteral("delay=fast") << false << QString() << 0;
        QTest::newRow("delay too long") << QStringLiteral("delay=900000") << false << QString() << 0;
    }
    void faultSpecs()
    {
        QFETCH(QString, spec);
        QFETCH(bool, valid);
        QFETCH(QString, normal);
        QFETCH(int, remaining);
        SandboxFaults faults;
        QString error;
        QCOMPARE(faults.parse(spec, &error), valid);
        if (!valid) {
            QVERIFY(error.startsWith(QLatin1String("faults: ")));
            return;
        }
        QCOMPARE(faults.spec(), normal);
        QCOMPARE(faults.remaining(), remaining);
        for (int i = 0; i < remaining; ++i)
            QVERIFY(faults.next().kind != SandboxFaults::Fault::Kind::None);
        QCOMPARE(faults.next().kind, SandboxFaults::Fault::Kind::None);
    }

    void aboutOffersTheVersion()
    {
        const Reply about = call("GET", QStringLiteral("/xapi/about"), {}, false);
        QCOMPARE(about.status, 200);
        QCOMPARE(about.object().value(QStringLiteral("version")).toArray(), QJsonArray{QStringLiteral("1.0.3")});
    }

    void storesAndReadsBack()
    {
        const QString id = newId();
        const Reply posted = post(body(statement(id)));
        QCOMPARE(posted.status, 200);
        QCOMPARE(posted.array(), QJsonArray{id});
        const Reply read = call("GET", QStringLiteral("/xapi/statements?statementId=") + id);
        QCOMPARE(read.status, 200);
        const QJsonObject stored = read.object();
        QCOMPARE(stored.value(QStringLiteral("id")).toString(), id);
        QVERIFY(stored.contains(QStringLiteral("stored")));
        QVERIFY(stored.contains(QStringLiteral("authority")));
        QCOMPARE(stored.value(QStringLiteral("version")).toString(), QStringLiteral("1.0.3"));
        QVERIFY(StatementComparison::matches(statement(id), stored));
        QCOMPARE(call("GET", QStringLiteral("/xapi/statements?statementId=") + newId()).status, 404);

        // A statement without an id gets one; PUT stores under the statementId.
        QJsonObject anonymous = statement(id);
        anonymous.remove(QStringLiteral("id"));
        const Reply assigned = post(body(anonymous));
        QCOMPARE(assigned.status, 200);
        QVERIFY(!QUuid::fromString(assigned.array().first().toString()).isNull());
        const QString putId = newId();
        QCOMPARE(call("PUT", QStringLiteral("/xapi/statements?statementId=") + putId, body(statement(putId))).status,
                 204);
        QCOMPARE(call("PUT", QStringLiteral("/xapi/statements?statementId=") + newId(), body(statement(putId))).status,
                 400);
        QString error;
        QCOMPARE(m_sandbox->statements().count(&error), 3);
    }

    void identicalResendChangesNothingAndConflictIs409()
    {
        const QString id = newId();
        QCOMPARE(post(body(statement(id))).status, 200);
        const QDateTime firstStored = [&] {
            QString error;
            return m_sandbox->statements().find(id, &error)->stored;
        }();
        QTest::qWait(5);
        // The same statement, with its id in upper case and its properties in another order: identical.
        QJsonObject same = statement(id);
        same.insert(QStringLiteral("id"), id.toUpper());
        const Reply resent = post(body(same));
        QCOMPARE(resent.status, 200);
        QCOMPARE(call("PUT", QStringLiteral("/xapi/statements?statementId=") + id, body(statement(id))).status, 204);
        QString error;
        QCOMPARE(m_sandbox->statements().count(&error), 1);
        QCOMPARE(m_sandbox->statements().find(id, &error)->stored, firstStored);

        const Reply conflict = post(body(statement(id, 55)));
        QCOMPARE(conflict.status, 409);
        const QJsonArray differences = conflict.object()
                                           .value(QStringLiteral("conflicts"))
                                           .toArray()
                                           .first()
                                           .toObject()
                                           .value(QStringLiteral("differences"))
                                           .toArray();
        QCOMPARE(differences.size(), 2); // result.score.raw and result.score.scaled
        QCOMPARE(differences.first().toObject().value(QStringLiteral("path")).toString(),
                 QStringLiteral("result.score.raw"));
        QCOMPARE(call("PUT", QStringLiteral("/xapi/statements?statementId=") + id, body(statement(id, 55))).status, 409);
        // A batch with one conflicting statement stores nothing of the batch.
        const QString other = newId();
        QCOMPARE(post(body(QJsonArray{statement(other), statement(id, 55)})).status, 409);
        QVERIFY(!m_sandbox->statements().find(other, &error));
    }

    void invalidStatementsAndRequestsAre400()
    {
        QJsonObject invalid = statement(newId());
        invalid.insert(QStringLiteral("verb"), QJsonObject{{QStringLiteral("id"), QStringLiteral("completed")}});
        const Reply refused = post(body(invalid));
        QCOMPARE(refused.status, 400);
        const QJsonArray findings = refused.object().value(QStringLiteral("findings")).toArray();
        QVERIFY(!findings.isEmpty());
        QCOMPARE(findings.first().toObject().value(QStringLiteral("path")).toString(), QStringLiteral("verb.id"));

        const QString id = newId();
        const Reply missingHeader = call("POST", QStringLiteral("/xapi/statements"), body(statement(id)), false);
        QCOMPARE(missingHeader.status, 400);
        QVERIFY(missingHeader.object().value(QStringLiteral("error")).toString().contains(
            QLatin1String("X-Experience-API-Version")));
        const Reply duplicateIds = post(body(QJsonArray{statement(id), statement(id, 10)}));
        QCOMPARE(duplicateIds.status, 400);
        QCOMPARE(post("{not json").status, 400);
        QString error;
        QCOMPARE(m_sandbox->statements().count(&error), 0);
    }

    void listsWithSinceLimitAndMore()
    {
        QJsonArray batch;
        QStringList ids;
        for (int i = 0; i < 5; ++i) {
            ids << newId();
            batch << statement(ids.last(), i);
        }
        QCOMPARE(post(body(batch)).status, 200);
        const Reply first = call("GET", QStringLiteral("/xapi/statements?limit=2&ascending=true"));
        QCOMPARE(first.status, 200);
        QJsonArray page = first.object().value(QStringLiteral("statements")).toArray();
        QCOMPARE(page.size(), 2);
        QCOMPARE(page.at(0).toObject().value(QStringLiteral("id")).toString(), ids.at(0));
        QString more = first.object().value(QStringLiteral("more")).toString();
        QVERIFY(!more.isEmpty());
        QStringList seen{ids.at(0), ids.at(1)};
        while (!more.isEmpty()) {
            const Reply next = call("GET", more);
            QCOMPARE(next.status, 200);
            for (const QJsonValue& value : next.object().value(QStringLiteral("statements")).toArray())
                seen << value.toObject().value(QStringLiteral("id")).toString();
            more = next.object().value(QStringLiteral("more")).toString();
        }
        QCOMPARE(seen, ids);
        const Reply later = call("GET", QStringLiteral("/xapi/statements?since=") +
                                            QDateTime::currentDateTimeUtc().addSecs(60).toString(Qt::ISODate));
        QCOMPARE(later.object().value(QStringLiteral("statements")).toArray().size(), 0);
        QCOMPARE(call("GET", QStringLiteral("/xapi/statements?verb=x")).status, 400);
    }

    void voidingHidesTheStatement()
    {
        const QString id = newId();
        QCOMPARE(post(body(statement(id))).status, 200);
        const QJsonObject voiding{
            {QStringLiteral("id"), newId()},
            {QStringLiteral("actor"), statement(id).value(QStringLiteral("actor"))},
            {QStringLiteral("verb"), QJsonObject{{QStringLiteral("id"), QStringLiteral("http://adlnet.gov/expapi/verbs/voided")}}},
            {QStringLiteral("object"),
             QJsonObject{{QStringLiteral("objectType"), QStringLiteral("StatementRef")}, {QStringLiteral("id"), id}}}};
        QCOMPARE(post(body(voiding)).status, 200);
        QCOMPARE(call("GET", QStringLiteral("/xapi/statements?statementId=") + id).status, 404);
        QCOMPARE(call("GET", QStringLiteral("/xapi/statements?voidedStatementId=") + id).status, 200);
    }

    void basicAuthentication()
    {
        m_sandbox->setBasicAuth(QStringLiteral("qa"), QStringLiteral("secret"));
        const QString id = newId();
        const Reply refused = post(body(statement(id)));
        QCOMPARE(refused.status, 401);
        QVERIFY(refused.headers.value("www-authenticate").startsWith("Basic"));
        QCOMPARE(call("POST", QStringLiteral("/xapi/statements"), body(statement(id)), true,
                      "Basic " + QByteArray("qa:wrong").toBase64())
                     .status,
                 401);
        const Reply accepted = call("POST", QStringLiteral("/xapi/statements"), body(statement(id)), true,
                                    "Basic " + QByteArray("qa:secret").toBase64());
        QCOMPARE(accepted.status, 200);
        QCOMPARE(call("GET", QStringLiteral("/sandbox/received")).status, 401);
    }

    // Each status fault answers exactly N requests, then the sandbox behaves again.
    void statusFaults_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<int>("status");
        QTest::addColumn<int>("count");
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<QByteArray>("value");
        QTest::newRow("503*2") << QStringLiteral("503*2") << 503 << 2 << QByteArray() << QByteArray();
        QTest::newRow("500*1") << QStringLiteral("500*1") << 500 << 1 << QByteArray() << QByteArray();
        QTest::newRow("400*3") << QStringLiteral("400*3") << 400 << 3 << QByteArray() << QByteArray();
        QTest::newRow("401*1") << QStringLiteral("401*1") << 401 << 1 << QByteArray("www-authenticate")
                               << QByteArray("Basic realm=\"xAPI Courier sandbox\"");
        QTest::newRow("429*2:retry-after=7")
            << QStringLiteral("429*2:retry-after=7") << 429 << 2 << QByteArray("retry-after") << QByteArray("7");
    }
    void statusFaults()
    {
        QFETCH(QString, spec);
        QFETCH(int, status);
        QFETCH(int, count);
        QFETCH(QByteArray, header);
        QFETCH(QByteArray, value);
        QString error;
        QVERIFY(m_sandbox->setFaults(spec, &error));
        for (int i = 0; i < count; ++i) {
            const Reply faulted = post(body(statement(newId())));
            QCOMPARE(faulted.status, status);
            if (!header.isEmpty())
                QCOMPARE(faulted.headers.value(header), value);
            QCOMPARE(m_sandbox->requests().constLast().fault, QStringLiteral("%1 (%2 of %3)").arg(status).arg(i + 1).arg(count));
        }
        QCOMPARE(post(body(statement(newId()))).status, 200);
        QCOMPARE(m_sandbox->statements().count(&error), 1); // a faulted request stores nothing
        QCOMPARE(m_sandbox->faults().remaining(), 0);
    }

    void faultsApplyInOrder()
    {
        QString error;
        QVERIFY(m_sandbox->setFaults(QStringLiteral("500*1,401*1,503*1"), &error));
        QCOMPARE(post(body(statement(newId()))).status, 500);
        QCOMPARE(call("GET", QStringLiteral("/xapi/about"), {}, false).status, 401);
        QCOMPARE(post(body(statement(newId()))).status, 503);
        QCOMPARE(post(body(statement(newId()))).status, 200);
    }

    // A raw connection, so no client retries on its own: the sandbox reads the request and closes without a byte.
    void dropClosesWithoutAnAnswer()
    {
        QString error;
        QVERIFY(m_sandbox->setFaults(QStringLiteral("drop*1"), &error));
        const QString id = newId();
        const QByteArray data = body(statement(id));
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_sandbox->port());
        QVERIFY(socket.waitForConnected(5000));
        socket.write("POST /xapi/statements HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Experience-API-Version: 1.0.3\r\n"
                     "Content-Type: application/json\r\nContent-Length: " +
                     QByteArray::number(data.size()) + "\r\n\r\n" + data);
        QSignalSpy disconnected(&socket, &QTcpSocket::disconnected);
        QVERIFY(disconnected.wait(5000));
        QCOMPARE(socket.readAll(), QByteArray());
        QCOMPARE(m_sandbox->requests().constFirst().status, 0);
        QCOMPARE(m_sandbox->requests().constFirst().fault, QStringLiteral("drop (1 of 1)"));
        QVERIFY(!m_sandbox->statements().find(id, &error));
        QCOMPARE(post(data).status, 200);
    }

    // Qt Network tries a dropped request again on a new connection by itself: each try is one drop.
    void clientsThatRetryUseUpSeveralDrops()
    {
        QString error;
        QVERIFY(m_sandbox->setFaults(QStringLiteral("drop*10"), &error));
        const Reply dropped = post(body(statement(newId())));
        QCOMPARE(dropped.status, 0);
        QVERIFY(dropped.error != QNetworkReply::NoError);
        QVERIFY(m_sandbox->faults().remaining() < 10);
    }

    void delayHoldsEveryAnswer()
    {
        QString error;
        QVERIFY(m_sandbox->setFaults(QStringLiteral("delay=400,503*1"), &error));
        QElapsedTimer timer;
        timer.start();
        QCOMPARE(post(body(statement(newId()))).status, 503);
        QVERIFY(timer.elapsed() >= 390);
        timer.restart();
        QCOMPARE(post(body(statement(newId()))).status, 200);
        QVERIFY(timer.elapsed() >= 390);
    }

    void keepsStatementsInItsOwnFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("sandbox.sqlite"));
        const QString id = newId();
        {
            m_sandbox = std::make_unique<Sandbox>();
            QString error;
            QVERIFY2(m_sandbox->open(path, &error), qPrintable(error));
            QVERIFY2(m_sandbox->listen(0, &error), qPrintable(error));
            QCOMPARE(post(body(statement(id))).status, 200);
        }
        m_sandbox = std::make_unique<Sandbox>();
        QString error;
        QVERIFY2(m_sandbox->open(path, &error), qPrintable(error));
        QVERIFY2(m_sandbox->listen(0, &error), qPrintable(error));
        QCOMPARE(m_sandbox->statements().count(&error), 1);
        QCOMPARE(post(body(statement(id, 1))).status, 409); // it still knows the first content
        const Reply received = call("GET", QStringLiteral("/sandbox/received"), {}, false);
        QCOMPARE(received.object().value(QStringLiteral("statements")).toArray().size(), 1);
        QCOMPARE(received.object().value(QStringLiteral("requests")).toArray().size(), 1);
    }

    void comparison_data()
    {
        QTest::addColumn<QJsonObject>("other");
        QTest::addColumn<QStringList>("paths");
        const QString id = QStringLiteral("5d1f1c0e-8f4e-4b5e-9a51-2c0b8f3e7a10");
        const QJsonObject base = statement(id);
        auto with = [&base](const QString& key, const QJsonValue& value) {
            QJsonObject changed = base;
            changed.insert(key, value);
            return changed;
        };
        QJsonObject actor = base.value(QStringLiteral("actor")).toObject();
        QJsonObject verb = base.value(QStringLiteral("verb")).toObject();
        QJsonObject object = base.value(QStringLiteral("object")).toObject();
        QTest::newRow("same") << base << QStringList();
        QJsonObject lrsAdded = base;
        lrsAdded.insert(QStringLiteral("stored"), QStringLiteral("2026-11-02T00:00:00Z"));
        lrsAdded.insert(QStringLiteral("authority"), QJsonObject{{QStringLiteral("mbox"), QStringLiteral("mailto:a@b.c")}});
        lrsAdded.insert(QStringLiteral("version"), QStringLiteral("1.0.0"));
        QTest::newRow("assigned by the LRS") << lrsAdded << QStringList();
        QTest::newRow("id in upper case") << with(QStringLiteral("id"), id.toUpper()) << QStringList();
        QTest::newRow("timestamp in another zone")
            << with(QStringLiteral("timestamp"), QStringLiteral("2026-11-01T11:30:00+02:00")) << QStringList();
        QTest::newRow("timestamp another instant")
            << with(QStringLiteral("timestamp"), QStringLiteral("2026-11-01T11:30:00Z")) << QStringList{QStringLiteral("timestamp")};
        QJsonObject noTimestamp = base;
        noTimestamp.remove(QStringLiteral("timestamp"));
        QTest::newRow("timestamp set by the LRS") << noTimestamp << QStringList();
        actor.insert(QStringLiteral("mbox"), QStringLiteral("mailto:learner@EXAMPLE.com"));
        QTest::newRow("mbox domain case") << with(QStringLiteral("actor"), actor) << QStringList();
        actor.insert(QStringLiteral("mbox"), QStringLiteral("mailto:Learner@example.com"));
        QTest::newRow("mbox local case") << with(QStringLiteral("actor"), actor) << QStringList{QStringLiteral("actor.mbox")};
        verb.insert(QStringLiteral("display"), QJsonObject{{QStringLiteral("de"), QStringLiteral("abgeschlossen")}});
        QTest::newRow("verb display") << with(QStringLiteral("verb"), verb) << QStringList();
        verb.insert(QStringLiteral("id"), QStringLiteral("HTTP://ADLNET.GOV/expapi/verbs/completed"));
        QTest::newRow("verb IRI scheme and host case") << with(QStringLiteral("verb"), verb) << QStringList();
        verb.insert(QStringLiteral("id"), QStringLiteral("http://adlnet.gov/expapi/verbs/Completed"));
        QTest::newRow("verb IRI path case") << with(QStringLiteral("verb"), verb) << QStringList{QStringLiteral("verb.id")};
        object.insert(QStringLiteral("definition"), QJsonObject{{QStringLiteral("name"), QJsonObject{{QStringLiteral("en"), QStringLiteral("Other")}}}});
        QTest::newRow("activity definition") << with(QStringLiteral("object"), object) << QStringList();
        QTest::newRow("result missing")
            << [&] { QJsonObject c = base; c.remove(QStringLiteral("result")); return c; }()
            << QStringList{QStringLiteral("result")};
        QTest::newRow("duration is a string")
            << [&] {
                   QJsonObject c = base;
                   QJsonObject result = c.value(QStringLiteral("result")).toObject();
                   result.insert(QStringLiteral("duration"), QStringLiteral("PT60S"));
                   c.insert(QStringLiteral("result"), result);
                   return c;
               }()
            << QStringList{QStringLiteral("result.duration")};
    }
    void comparison()
    {
        QFETCH(QJsonObject, other);
        QFETCH(QStringList, paths);
        const QJsonObject base = statement(QStringLiteral("5d1f1c0e-8f4e-4b5e-9a51-2c0b8f3e7a10"));
        QStringList found;
        for (const StatementComparison::Difference& difference : StatementComparison::differences(base, other))
            found << difference.path;
        QCOMPARE(found, paths);
    }

    void groupMembersAreUnordered()
    {
        const QJsonObject a{{QStringLiteral("mbox"), QStringLiteral("mailto:a@example.com")}};
        const QJsonObject b{{QStringLiteral("mbox"), QStringLiteral("mailto:b@EXAMPLE.com")}};
        const QJsonObject bLower{{QStringLiteral("mbox"), QStringLiteral("mailto:b@example.com")}};
        const QJsonObject c{{QStringLiteral("mbox"), QStringLiteral("mailto:c@example.com")}};
        QJsonObject first = statement(newId());
        QJsonObject second = first;
        first.insert(QStringLiteral("actor"), QJsonObject{{QStringLiteral("objectType"), QStringLiteral("Group")},
                                                          {QStringLiteral("member"), QJsonArray{a, b}}});
        second.insert(QStringLiteral("actor"), QJsonObject{{QStringLiteral("objectType"), QStringLiteral("Group")},
                                                           {QStringLiteral("member"), QJsonArray{bLower, a}}});
        QVERIFY(StatementComparison::matches(first, second));
        second.insert(QStringLiteral("actor"), QJsonObject{{QStringLiteral("objectType"), QStringLiteral("Group")},
                                                           {QStringLiteral("member"), QJsonArray{c, a}}});
        const QList<StatementComparison::Difference> differences = StatementComparison::differences(first, second);
        QCOMPARE(differences.size(), 1);
        QCOMPARE(differences.first().path, QStringLiteral("actor.member"));
    }
};

QTEST_GUILESS_MAIN(TestSandbox)
#include "tst_sandbox.moc"
