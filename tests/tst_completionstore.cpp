#include "StoreFixtures.h"
#include "TestStore.h"

#include "completions/CompletionStore.h"
#include "statements/StatementValidator.h"
#include "store/Transaction.h"

#include <QJsonDocument>
#include <QSqlQuery>
#include <QTest>

class TestCompletionStore final : public QObject
{
    Q_OBJECT

private:
    static CompletionRecord record(const QString& user, const QString& content, double score, qint64 finished)
    {
        CompletionRecord r;
        r.userId = user;
        r.contentId = content;
        r.score = score;
        r.maxScore = 10;
        r.openedTimestamp = finished - 120;
        r.finishedTimestamp = finished;
        r.completionTime = 120;
        r.source = QStringLiteral("test");
        return r;
    }

private Q_SLOTS:
    void upsertQueuesOneValidStatementPerEnabledIntegration()
    {
        TestStore fixture;
        const qint64 acme = StoreFixtures::addOpenIntegration(fixture.store(), QStringLiteral("acme"));
        const qint64 typsy = StoreFixtures::addOpenIntegration(fixture.store(), QStringLiteral("typsy"));
        const qint64 off = StoreFixtures::addOpenIntegration(fixture.store(), QStringLiteral("off"));
        QString error;
        QVERIFY(IntegrationRepository(fixture.store()).setEnabled(off, false, &error));
        CompletionStore completions(fixture.store());

        CompletionRecord first = record(QStringLiteral("learner-1"), QStringLiteral("42"), 7, 1763800000);
        QCOMPARE(completions.save(first, &error), CompletionStore::Outcome::Stored);
        DeliveryQueue queue(fixture.store());
        QCOMPARE(queue.count({}, &error), 2); // acme and typsy, not the disabled one
        for (const Delivery& delivery : queue.list({}, 10, 0, &error)) {
            QVERIFY(delivery.integrationId == acme || delivery.integrationId == typsy);
            QCOMPARE(delivery.statementId, first.derivedStatementId());
            const QJsonObject statement = QJsonDocument::fromJson(delivery.body).object();
            QVERIFY2(StatementValidator::validate(statement).isEmpty(), delivery.body.constData());
            QCOMPARE(statement[QStringLiteral("result")][QStringLiteral("score")][QStringLiteral("scaled")].toDouble(),
                     0.7);
            QCOMPARE(statement[QStringLiteral("result")][QStringLiteral("duration")].toString(),
                     QStringLiteral("PT2M"));
            QCOMPARE(statement[QStringLiteral("timestamp")].toString(),
                     QDateTime::fromSecsSinceEpoch(1763800000, Qt::UTC).toString(Qt::ISODateWithMs));
        }
        DeliveryFilter toTypsy;
        toTypsy.integrationId = typsy;
        const QString typsyVerb = QJsonDocument::fromJson(queue.list(toTypsy, 1, 0, &error).first().body)
                                      .object()[QStringLiteral("verb")][QStringLiteral("id")]
                                      .toString();
        QCOMPARE(typsyVerb, QStringLiteral("http://xapi.typsy.com/verbs/completed")); // the provider's profile

        // The same message again: nothing new.
        CompletionRecord again = record(QStringLiteral("learner-1"), QStringLiteral("42"), 7, 1763800000);
        QCOMPARE(completions.save(again, &error), CompletionStore::Outcome::Unchanged);
        QCOMPARE(queue.count({}, &error), 2);
        // A newer completion replaces the record and makes a new statement.
        CompletionRecord newer = record(QStringLiteral("learner-1"), QStringLiteral("42"), 9, 1763900000);
        QCOMPARE(completions.save(newer, &error), CompletionStore::Outcome::Replaced);
        QCOMPARE(completions.count({}, &error), 1);
        QCOMPARE(queue.count({}, &error), 4);
        QVERIFY(newer.derivedStatementId() != first.derivedStatementId());
        QCOMPARE(completions.page({}, CompletionStore::Sort::Finished, true, 10, 0, &error).first().score, 9.0);
    }

    void importReportsStoredReplacedRefused()
    {
        TestStore fixture;
        CompletionStore completions(fixture.store());
        const QByteArray lines =
            R"({"contentId":"1","userId":"u1","score":3,"maxScore":5,"openedTimestamp":100,"finishedTimestamp":160,"completionTime":60})"
            "\n"
            R"({"contentId":"1","userId":"u1","score":4,"maxScore":5,"openedTimestamp":100,"finishedTimestamp":200,"completionTime":100})"
            "\n"
            R"({"contentId":"2","userId":"u1","score":"many","maxScore":5,"openedTimestamp":100,"finishedTimestamp":160})"
            "\n"
            R"({"contentId":"3","userId":"u1","score":6,"maxScore":5,"openedTimestamp":100,"finishedTimestamp":160})"
            "\n"
            R"({"contentId":"4","userId":"u1","score":1,"maxScore":5,"openedTimestamp":200,"finishedTimestamp":100})"
            "\n"
            R"({"userId":"u1","score":1,"maxScore":5,"openedTimestamp":100,"finishedTimestamp":160})"
            "\n"
            "not json\n";
        QString error;
        const CompletionStore::ImportReport report = completions.importLines(lines, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(report.stored, 1);
        QCOMPARE(report.replaced, 1);
        QCOMPARE(report.refused.size(), 5);
        QVERIFY(report.refused[0].startsWith(QLatin1String("line 3: score:")));
        QVERIFY(report.refused[1].contains(QLatin1String("above maxScore")));
        QVERIFY(report.refused[2].contains(QLatin1String("finishedTimestamp")));
        QVERIFY(report.refused[3].contains(QLatin1String("contentId")));
        QVERIFY(report.refused[4].startsWith(QLatin1String("line 7")));
    }

    void filtersSortsAndPagesOverManyRecords()
    {
        TestStore fixture;
        constexpr int total = 20000;
        {
            // Generated straight into the table, fast: the query side is what is tested here.
            Transaction transaction(fixture.store());
            QSqlQuery insert(fixture.store().database());
            insert.prepare(QStringLiteral("INSERT INTO completions (content_id, user_id, score, max_score, ratio, "
                                          "opened_ts, finished_ts, completion_time, received_at, source, statement_id) "
                                          "VALUES (?, ?, ?, 10, ?, ?, ?, 60, 0, 'generated', ?)"));
            for (int i = 0; i < total; ++i) {
                insert.addBindValue(QString::number(i % 50));
                insert.addBindValue(QStringLiteral("user-%1").arg(i));
                insert.addBindValue(double(i % 11));
                insert.addBindValue((i % 11) / 10.0);
                insert.addBindValue(qint64(1700000000 + i));
                insert.addBindValue(qint64(1700000060 + i));
                insert.addBindValue(QStringLiteral("s-%1").arg(i));
                QVERIFY(insert.exec());
            }
            QVERIFY(transaction.commit());
        }
        CompletionStore completions(fixture.store());
        QString error;
        QCOMPARE(completions.count({}, &error), total);
        CompletionFilter content;
        content.contentId = QStringLiteral("7");
        QCOMPARE(completions.count(content, &error), total / 50);
        CompletionFilter passed;
        passed.passed = true;
        passed.passThreshold = 0.8;
        QCOMPARE(completions.count(passed, &error), 3 * total / 11 + (total % 11 > 8 ? 1 : 0));
        CompletionFilter range;
        range.finishedFrom = QDateTime::fromSecsSinceEpoch(1700000060 + 100, Qt::UTC);
        range.finishedTo = QDateTime::fromSecsSinceEpoch(1700000060 + 199, Qt::UTC);
        QCOMPARE(completions.count(range, &error), 100);
        CompletionFilter scores;
        scores.minScore = 10;
        QCOMPARE(completions.count(scores, &error), total / 11 + (total % 11 > 10 ? 1 : 0));

        const QList<CompletionRecord> newest =
            completions.page({}, CompletionStore::Sort::Finished, true, 100, 0, &error);
        QCOMPARE(newest.size(), 100);
        QCOMPARE(newest.first().userId, QStringLiteral("user-%1").arg(total - 1));
        const QList<CompletionRecord> second =
            completions.page({}, CompletionStore::Sort::Finished, true, 100, 100, &error);
        QCOMPARE(second.first().userId, QStringLiteral("user-%1").arg(total - 101));
        const QList<CompletionRecord> byScore = completions.page({}, CompletionStore::Sort::Score, true, 5, 0, &error);
        QCOMPARE(byScore.first().score, 10.0);

        QCOMPARE(completions.removeContent(QStringLiteral("7"), &error), total / 50);
        QCOMPARE(completions.count(content, &error), 0);
        QCOMPARE(completions.count({}, &error), total - total / 50);
    }
};

QTEST_GUILESS_MAIN(TestCompletionStore)
#include "tst_completionstore.moc"
