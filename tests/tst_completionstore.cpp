#include "StoreFixtures.h"
#include "TestStore.h"

#include "completions/CompletionStore.h"
#include "statements/StatementValidator.h"

#include <QBuffer>
#include <QJsonDocument>
#include <QTest>

#include <algorithm>

Q_DECLARE_METATYPE(CompletionFilter)

// Completion records in a real SQLite store: upsert, the statements made from them, import, and the queries a lazy
// paged view makes over many records.
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
    static QByteArray line(const CompletionRecord& r)
    {
        return QJsonDocument(QJsonObject{{QStringLiteral("contentId"), r.contentId},
                                         {QStringLiteral("userId"), r.userId},
                                         {QStringLiteral("score"), r.score},
                                         {QStringLiteral("maxScore"), r.maxScore},
                                         {QStringLiteral("openedTimestamp"), r.openedTimestamp},
                                         {QStringLiteral("finishedTimestamp"), r.finishedTimestamp},
                                         {QStringLiteral("completionTime"), r.completionTime}})
                   .toJson(QJsonDocument::Compact) +
               '\n';
    }
    static QList<Delivery> deliveries(Store& store)
    {
        QString error;
        return DeliveryQueue(store).list({}, 1000, 0, &error);
    }

    // The generated store of the paging tests, and the same records in memory to check every answer against.
    // 50,000 records make SQLite's query plans meaningful (they are checked on SQLite only); on PostgreSQL a tenth
    // proves the same paging in a tenth of the time.
    const int m_total = TestStore::usesPostgres() ? 5000 : 50000;
    static constexpr qint64 Base = 1760000000;
    std::unique_ptr<TestStore> m_many;
    QList<CompletionRecord> m_truth;

    static bool matches(const CompletionRecord& r, const CompletionFilter& f)
    {
        return (f.contentId.isEmpty() || r.contentId == f.contentId) && (f.userId.isEmpty() || r.userId == f.userId) &&
               (!f.finishedFrom.isValid() || r.finishedTimestamp >= f.finishedFrom.toSecsSinceEpoch()) &&
               (!f.finishedTo.isValid() || r.finishedTimestamp <= f.finishedTo.toSecsSinceEpoch()) &&
               (!f.minScore || r.score >= *f.minScore) && (!f.maxScore || r.score <= *f.maxScore) &&
               (!f.passed || ((r.score / r.maxScore >= f.passThreshold) == *f.passed));
    }
    // The order each sort promises, ties broken as the store breaks them.
    static bool before(const CompletionRecord& a, const CompletionRecord& b, CompletionStore::Sort sort)
    {
        switch (sort) {
        case CompletionStore::Sort::Finished:
            return std::tie(a.finishedTimestamp, a.id) < std::tie(b.finishedTimestamp, b.id);
        case CompletionStore::Sort::Content:
            return std::tie(a.contentId, a.finishedTimestamp, a.id) < std::tie(b.contentId, b.finishedTimestamp, b.id);
        case CompletionStore::Sort::User:
            return std::tie(a.userId, a.contentId) < std::tie(b.userId, b.contentId);
        case CompletionStore::Sort::Score:
            return std::tie(a.score, a.id) < std::tie(b.score, b.id);
        }
        return false;
    }
    QList<CompletionRecord> expected(const CompletionFilter& filter, CompletionStore::Sort sort, bool descending) const
    {
        QList<CompletionRecord> rows;
        std::copy_if(m_truth.cbegin(), m_truth.cend(), std::back_inserter(rows),
                     [&](const CompletionRecord& r) { return matches(r, filter); });
        std::sort(rows.begin(), rows.end(), [&](const CompletionRecord& a, const CompletionRecord& b) {
            return descending ? before(b, a, sort) : before(a, b, sort);
        });
        return rows;
    }
    static QStringList keys(const QList<CompletionRecord>& records)
    {
        QStringList keys;
        for (const CompletionRecord& r : records)
            keys << r.userId + QLatin1Char('/') + r.contentId;
        return keys;
    }

private Q_SLOTS:
    void initTestCase()
    {
        // m_total records through the import (one transaction): 50 contents, scores 0..10 of 10, finish times a
        // permutation of the insertion order so that no sort follows the ids.
        m_many = std::make_unique<TestStore>();
        QVERIFY(m_many->isValid());
        QByteArray lines;
        lines.reserve(m_total * 170);
        for (int i = 0; i < m_total; ++i) {
            CompletionRecord r = record(QStringLiteral("user-%1").arg(i % 9973, 5, 10, QLatin1Char('0')),
                                        QString::number(i % 50), double(i % 11), Base + (qint64(i) * 7919) % m_total);
            m_truth << r;
            lines += line(r);
        }
        QString error;
        const CompletionStore::ImportReport report = CompletionStore(m_many->store()).importLines(lines, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(report.stored, m_total);
        QCOMPARE(report.refused.size(), 0);
        // Ids as the store gave them, for the tie-breaks.
        for (CompletionRecord& r : m_truth) {
            const auto stored = CompletionStore(m_many->store()).byKey(r.userId, r.contentId, &error);
            QVERIFY(stored);
            r.id = stored->id;
        }
    }

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
        auto saved = completions.save(first, &error);
        QVERIFY2(saved, qPrintable(error));
        QCOMPARE(saved->outcome, CompletionStore::Outcome::Stored);
        QCOMPARE(saved->queued, 2);
        QVERIFY(first.id > 0);
        QCOMPARE(first.statementId, first.derivedStatementId());
        QCOMPARE(deliveries(fixture.store()).size(), 2); // acme and typsy, not the disabled one
        for (const Delivery& delivery : deliveries(fixture.store())) {
            QVERIFY(delivery.integrationId == acme || delivery.integrationId == typsy);
            QCOMPARE(delivery.statementId, first.statementId);
            const QJsonObject statement = QJsonDocument::fromJson(delivery.body).object();
            QVERIFY2(StatementValidator::validate(statement).isEmpty(), delivery.body.constData());
            QCOMPARE(statement[QStringLiteral("id")].toString(), first.statementId);
            const QJsonObject result = statement[QStringLiteral("result")].toObject();
            const QJsonObject score = result[QStringLiteral("score")].toObject();
            QCOMPARE(score[QStringLiteral("raw")].toDouble(), 7.0);
            QCOMPARE(score[QStringLiteral("min")].toDouble(), 0.0);
            QCOMPARE(score[QStringLiteral("max")].toDouble(), 10.0);
            QCOMPARE(score[QStringLiteral("scaled")].toDouble(), 0.7);
            QCOMPARE(result[QStringLiteral("completion")].toBool(), true);
            QCOMPARE(result[QStringLiteral("duration")].toString(), QStringLiteral("PT2M"));
            QVERIFY(statement[QStringLiteral("verb")][QStringLiteral("id")].toString().endsWith(
                QLatin1String("/completed")));
            QCOMPARE(QDateTime::fromString(statement[QStringLiteral("timestamp")].toString(), Qt::ISODateWithMs),
                     QDateTime::fromSecsSinceEpoch(1763800000, Qt::UTC));
            // What the detail pane shows is what was queued.
            const Integration integration =
                *IntegrationRepository(fixture.store()).byId(delivery.integrationId, &error);
            QCOMPARE(CompletionStore::statementFor(first, integration), statement);
        }
        DeliveryFilter toTypsy;
        toTypsy.integrationId = typsy;
        const QString typsyVerb =
            QJsonDocument::fromJson(DeliveryQueue(fixture.store()).list(toTypsy, 1, 0, &error).first().body)
                .object()[QStringLiteral("verb")][QStringLiteral("id")]
                .toString();
        QCOMPARE(typsyVerb, QStringLiteral("http://xapi.typsy.com/verbs/completed")); // the provider's profile

        // The same message again: nothing new.
        CompletionRecord again = record(QStringLiteral("learner-1"), QStringLiteral("42"), 7, 1763800000);
        saved = completions.save(again, &error);
        QCOMPARE(saved->outcome, CompletionStore::Outcome::Unchanged);
        QCOMPARE(saved->queued, 0);
        QCOMPARE(deliveries(fixture.store()).size(), 2);
        // A newer completion replaces the record and makes a new statement for each.
        CompletionRecord newer = record(QStringLiteral("learner-1"), QStringLiteral("42"), 9, 1763900000);
        saved = completions.save(newer, &error);
        QCOMPARE(saved->outcome, CompletionStore::Outcome::Replaced);
        QCOMPARE(saved->queued, 2);
        QCOMPARE(newer.id, first.id);
        QCOMPARE(completions.count({}, &error), 1);
        QCOMPARE(deliveries(fixture.store()).size(), 4);
        QVERIFY(newer.statementId != first.statementId);
        QCOMPARE(completions.byKey(QStringLiteral("learner-1"), QStringLiteral("42"), &error)->score, 9.0);

        // The same finish time with other values: the record takes them, but a statement never changes, so no
        // second statement with that id.
        CompletionRecord corrected = record(QStringLiteral("learner-1"), QStringLiteral("42"), 10, 1763900000);
        saved = completions.save(corrected, &error);
        QCOMPARE(saved->outcome, CompletionStore::Outcome::Replaced);
        QCOMPARE(saved->queued, 0);
        QCOMPARE(deliveries(fixture.store()).size(), 4);
        QCOMPARE(completions.byId(first.id, &error)->score, 10.0);

        // An older completion arriving late keeps the newer record, and its own statement is queued once.
        CompletionRecord late = record(QStringLiteral("learner-1"), QStringLiteral("42"), 3, 1763850000);
        saved = completions.save(late, &error);
        QCOMPARE(saved->outcome, CompletionStore::Outcome::Older);
        QCOMPARE(saved->queued, 2);
        QCOMPARE(completions.byKey(QStringLiteral("learner-1"), QStringLiteral("42"), &error)->finishedTimestamp,
                 1763900000);
        late = record(QStringLiteral("learner-1"), QStringLiteral("42"), 3, 1763850000);
        QCOMPARE(completions.save(late, &error)->queued, 0);
        QCOMPARE(deliveries(fixture.store()).size(), 6);

        // Deleted by content and sent again: still no second statement.
        QCOMPARE(completions.removeContent(QStringLiteral("42"), &error), 1);
        CompletionRecord resent = record(QStringLiteral("learner-1"), QStringLiteral("42"), 9, 1763900000);
        saved = completions.save(resent, &error);
        QCOMPARE(saved->outcome, CompletionStore::Outcome::Stored);
        QCOMPARE(saved->queued, 0);
        QCOMPARE(deliveries(fixture.store()).size(), 6);
    }

    void refusedRecordIsNotStored()
    {
        TestStore fixture;
        StoreFixtures::addOpenIntegration(fixture.store(), QStringLiteral("acme"));
        CompletionRecord bad = record(QStringLiteral("u"), QStringLiteral("1"), 11, 1763800000);
        QString error;
        QVERIFY(!CompletionStore(fixture.store()).save(bad, &error));
        QVERIFY2(error.startsWith(QLatin1String("score: ")), qPrintable(error));
        QCOMPARE(CompletionStore(fixture.store()).count({}, &error), 0);
        QCOMPARE(deliveries(fixture.store()).size(), 0);
    }

    void statementAProfileCannotMakeIsSkippedNotQueued()
    {
        TestStore fixture;
        // This provider identifies actors by e-mail; "learner-7" is not one.
        Integration mbox;
        mbox.uid = mbox.name = QStringLiteral("mail-lrs");
        mbox.provider = QStringLiteral("adl-mbox");
        mbox.statementUrl = QUrl(QStringLiteral("https://lrs.example.com/xapi/statements"));
        mbox.auth = Integration::Auth::None;
        FieldIssues issues;
        QString error;
        QVERIFY(IntegrationRepository(fixture.store()).insert(mbox, &issues, &error));
        StoreFixtures::addOpenIntegration(fixture.store(), QStringLiteral("acme"));

        CompletionRecord r = record(QStringLiteral("learner-7"), QStringLiteral("3"), 5, 1763800000);
        const auto saved = CompletionStore(fixture.store()).save(r, &error);
        QVERIFY2(saved, qPrintable(error));
        QCOMPARE(saved->queued, 1); // acme only
        QCOMPARE(saved->skipped.size(), 1);
        QCOMPARE(saved->skipped.first().integrationId, mbox.id);
        QVERIFY2(saved->skipped.first().reason.contains(QLatin1String("actor.mbox")),
                 qPrintable(saved->skipped.first().reason));
        QCOMPARE(deliveries(fixture.store()).size(), 1);

        CompletionRecord mail = record(QStringLiteral("ada@school.example"), QStringLiteral("3"), 5, 1763800000);
        QCOMPARE(CompletionStore(fixture.store()).save(mail, &error)->queued, 2);
    }

    void importReportsLineAndFieldOfEachRefusal()
    {
        TestStore fixture;
        StoreFixtures::addOpenIntegration(fixture.store(), QStringLiteral("acme"));
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
            "not json\n"
            "\n"
            R"({"contentId":1,"userId":"u1","score":4,"maxScore":5,"openedTimestamp":100,"finishedTimestamp":200,"completionTime":100})"
            "\n"
            R"({"contentId":"5","userId":"u2","score":2,"maxScore":5,"openedTimestamp":100,"finishedTimestamp":130})";
        QString error;
        const CompletionStore::ImportReport report = completions.importLines(lines, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(report.stored, 2);
        QCOMPARE(report.replaced, 1);
        QCOMPARE(report.unchanged, 1); // line 9: content 1 as a number is the same content
        QCOMPARE(report.queued, 3);
        QCOMPARE(report.refused.size(), 5);
        const QList<std::pair<qint64, QString>> refusals = {{3, QStringLiteral("score")},
                                                            {4, QStringLiteral("score")},
                                                            {5, QStringLiteral("finishedTimestamp")},
                                                            {6, QStringLiteral("contentId")},
                                                            {7, QString()}};
        for (qsizetype i = 0; i < refusals.size(); ++i) {
            QCOMPARE(report.refused[i].line, refusals[i].first);
            QCOMPARE(report.refused[i].field, refusals[i].second);
            QVERIFY(!report.refused[i].message.isEmpty());
        }
        QVERIFY(report.refused[1].message.contains(QLatin1String("above maxScore")));
        QCOMPARE(report.refused[0].toText(), QStringLiteral("line 3: score: score must be a number, not “many”."));
        QCOMPARE(report.summary(),
                 QStringLiteral("2 stored, 1 replaced, 1 unchanged, 0 older, 5 refused; 3 statements queued."));
        QCOMPARE(completions.count({}, &error), 2);
    }

    void cancelledImportKeepsNothing()
    {
        TestStore fixture;
        QByteArray lines;
        for (int i = 0; i < 12000; ++i)
            lines += line(record(QStringLiteral("u%1").arg(i), QStringLiteral("1"), 1, 1763800000));
        QBuffer buffer(&lines);
        buffer.open(QIODevice::ReadOnly);
        QString error;
        QList<qint64> progress;
        const CompletionStore::ImportReport report =
            CompletionStore(fixture.store()).importFrom(buffer, &error, [&progress](qint64 lines) {
                progress << lines;
                return lines < 10000;
            });
        QVERIFY(report.cancelled);
        QCOMPARE(progress, (QList<qint64>{5000, 10000}));
        QCOMPARE(CompletionStore(fixture.store()).count({}, &error), 0);
    }

    void overlongLineIsRefusedAndTheRestKept()
    {
        TestStore fixture;
        QByteArray lines = line(record(QStringLiteral("u1"), QStringLiteral("1"), 1, 1763800000));
        lines += "{\"contentId\":\"" + QByteArray(1100 * 1024, 'x') + "\"}\n";
        lines += line(record(QStringLiteral("u2"), QStringLiteral("1"), 1, 1763800000));
        QString error;
        const CompletionStore::ImportReport report = CompletionStore(fixture.store()).importLines(lines, &error);
        QCOMPARE(report.stored, 2);
        QCOMPARE(report.refused.size(), 1);
        QCOMPARE(report.refused.first().line, 2);
    }

    void countsEveryFilter_data()
    {
        QTest::addColumn<CompletionFilter>("filter");
        CompletionFilter f;
        QTest::newRow("all") << f;
        f.contentId = QStringLiteral("7");
        QTest::newRow("content") << f;
        f = {};
        f.userId = QStringLiteral("user-00042");
        QTest::newRow("user") << f;
        f = {};
        f.finishedFrom = QDateTime::fromSecsSinceEpoch(Base + 1000, Qt::UTC);
        f.finishedTo = QDateTime::fromSecsSinceEpoch(Base + 1999, Qt::UTC);
        QTest::newRow("date range") << f;
        f = {};
        f.finishedFrom = QDateTime::fromSecsSinceEpoch(Base + 40000, Qt::UTC);
        QTest::newRow("from a date") << f;
        f = {};
        f.minScore = 4;
        f.maxScore = 6;
        QTest::newRow("score range") << f;
        f = {};
        f.passed = true;
        f.passThreshold = 0.8;
        QTest::newRow("passed at 80%") << f;
        f.passed = false;
        QTest::newRow("failed at 80%") << f;
        f = {};
        f.contentId = QStringLiteral("7");
        f.passed = true;
        f.finishedTo = QDateTime::fromSecsSinceEpoch(Base + 25000, Qt::UTC);
        QTest::newRow("content, passed, up to a date") << f;
        f = {};
        f.contentId = QStringLiteral("nothing");
        QTest::newRow("no match") << f;
    }
    void countsEveryFilter()
    {
        QFETCH(CompletionFilter, filter);
        QString error;
        const int count = CompletionStore(m_many->store()).count(filter, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(count, int(expected(filter, CompletionStore::Sort::Finished, false).size()));
    }

    // Every sort, both ways, with and without filters: the first page, a page deep down and the last one hold
    // exactly the rows of the whole ordered set, and each query is served by an index (no full sort).
    void pagesFollowEverySortAndFilter_data()
    {
        QTest::addColumn<CompletionFilter>("filter");
        QTest::addColumn<int>("sort");
        QTest::addColumn<bool>("descending");
        const QList<std::pair<const char*, CompletionStore::Sort>> sorts = {
            {"finished", CompletionStore::Sort::Finished},
            {"content", CompletionStore::Sort::Content},
            {"user", CompletionStore::Sort::User},
            {"score", CompletionStore::Sort::Score}};
        QList<std::pair<const char*, CompletionFilter>> filters;
        filters.append({"all", CompletionFilter()});
        CompletionFilter f;
        f.contentId = QStringLiteral("7");
        filters.append({"content", f});
        f = {};
        f.passed = false;
        filters.append({"failed", f});
        f = {};
        f.finishedFrom = QDateTime::fromSecsSinceEpoch(Base + 5000, Qt::UTC);
        f.finishedTo = QDateTime::fromSecsSinceEpoch(Base + 44999, Qt::UTC);
        filters.append({"broad dates", f});
        f = {};
        f.finishedFrom = QDateTime::fromSecsSinceEpoch(Base + 300, Qt::UTC);
        f.finishedTo = QDateTime::fromSecsSinceEpoch(Base + 499, Qt::UTC);
        filters.append({"narrow dates", f});
        f = {};
        f.minScore = 2;
        f.maxScore = 9;
        f.passed = true;
        filters.append({"score range, passed", f});
        for (const auto& [filterName, filter] : filters) {
            for (const auto& [sortName, sort] : sorts) {
                for (bool descending : {false, true})
                    QTest::addRow("%s, by %s %s", filterName, sortName, descending ? "desc" : "asc")
                        << filter << int(sort) << descending;
            }
        }
    }
    void pagesFollowEverySortAndFilter()
    {
        QFETCH(CompletionFilter, filter);
        QFETCH(int, sort);
        QFETCH(bool, descending);
        const auto order = CompletionStore::Sort(sort);
        CompletionStore completions(m_many->store());
        const QList<CompletionRecord> all = expected(filter, order, descending);
        QString error;
        constexpr int pageSize = 100;
        const QList<qsizetype> offsets = {0, all.size() / 2, std::max<qsizetype>(0, all.size() - 30)};
        for (qsizetype offset : offsets) {
            const QList<CompletionRecord> page =
                completions.page(filter, order, descending, pageSize, int(offset), &error);
            QVERIFY2(error.isEmpty(), qPrintable(error));
            QCOMPARE(keys(page), keys(all.mid(offset, pageSize)));
        }
        QVERIFY(completions.page(filter, order, descending, pageSize, int(all.size()), &error).isEmpty());

        if (TestStore::usesPostgres())
            QSKIP("the pages are right; the query plan check reads SQLite's EXPLAIN QUERY PLAN");
        const QStringList plan = completions.explainPage(filter, order, descending, &error);
        QVERIFY2(!plan.isEmpty(), qPrintable(error));
        for (const QString& step : plan) {
            QVERIFY2(!step.startsWith(QLatin1String("SCAN completions")) || step.contains(QLatin1String("INDEX")),
                     qPrintable(plan.join(QLatin1String(" | "))));
            // A filter that matches many rows is read in the order of the sort's index: never sorted in full.
            if (all.size() >= 5000)
                QVERIFY2(!step.contains(QLatin1String("TEMP B-TREE")), qPrintable(plan.join(QLatin1String(" | "))));
        }
    }

    void walkingAFilteredSetPageByPageSeesEveryRowOnce()
    {
        CompletionFilter filter;
        filter.contentId = QStringLiteral("13");
        CompletionStore completions(m_many->store());
        QString error;
        const int count = completions.count(filter, &error);
        QStringList seen;
        for (int offset = 0; offset < count; offset += 64)
            seen << keys(completions.page(filter, CompletionStore::Sort::Score, true, 64, offset, &error));
        QCOMPARE(seen.size(), count);
        QCOMPARE(QSet<QString>(seen.cbegin(), seen.cend()).size(), count);
    }

    void oneRecordByKeyOrId()
    {
        CompletionStore completions(m_many->store());
        QString error;
        const CompletionRecord& truth = m_truth.at(1234);
        const auto found = completions.byKey(truth.userId, truth.contentId, &error);
        QVERIFY(found);
        QCOMPARE(found->finishedTimestamp, truth.finishedTimestamp);
        QCOMPARE(found->statementId, truth.derivedStatementId());
        QCOMPARE(found->source, QStringLiteral("import"));
        QVERIFY(found->receivedAt.isValid());
        QCOMPARE(completions.byId(found->id, &error)->userId, truth.userId);
        QVERIFY(!completions.byKey(truth.userId, QStringLiteral("no such content"), &error));
        QVERIFY(error.isEmpty());
    }

    void recordJsonHasTheH5pFieldNames()
    {
        const QJsonObject json = record(QStringLiteral("u"), QStringLiteral("c"), 1, 100).toJson();
        for (const char* key :
             {"contentId", "userId", "score", "maxScore", "openedTimestamp", "finishedTimestamp", "completionTime"})
            QVERIFY2(json.contains(QLatin1String(key)), key);
        QCOMPARE(json[QStringLiteral("finishedTimestamp")].toInteger(), 100);
    }

    void removeContentDeletesOnlyItsRecords()
    {
        TestStore fixture;
        CompletionStore completions(fixture.store());
        QString error;
        for (int i = 0; i < 30; ++i) {
            CompletionRecord r = record(QStringLiteral("u%1").arg(i), QString::number(i % 3), 1, 1763800000 + i);
            QVERIFY(completions.save(r, &error));
        }
        QCOMPARE(completions.removeContent(QStringLiteral("1"), &error), 10);
        QCOMPARE(completions.count({}, &error), 20);
        CompletionFilter one;
        one.contentId = QStringLiteral("1");
        QCOMPARE(completions.count(one, &error), 0);
        QCOMPARE(completions.removeContent(QStringLiteral("1"), &error), 0);
    }
};

QTEST_GUILESS_MAIN(TestCompletionStore)
#include "tst_completionstore.moc"
