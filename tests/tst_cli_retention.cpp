#include "CliRunner.h"
#include "TestStore.h"

#include "delivery/DeliveryQueue.h"
#include "integrations/IntegrationRepository.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

// Retention through the real binary, on SQLite and (the _postgresql run) PostgreSQL: the policy per integration,
// `queue prune` with its counts, `queue status` still counting what went, and `db status` with the store's size.
class TestCliRetention final : public QObject
{
    Q_OBJECT

private:
    static QJsonObject json(const CliResult& result) { return QJsonDocument::fromJson(result.out).object(); }

    // `count` statements queued to the integration and answered `daysAgo` days ago with this state.
    static void delivered(Store& store, qint64 integrationId, const QString& prefix, int count, int daysAgo,
                          Delivery::State state = Delivery::State::Delivered)
    {
        const QDateTime when = QDateTime::currentDateTimeUtc().addDays(-daysAgo);
        DeliveryQueue queue(store);
        QList<QJsonObject> statements;
        for (int i = 0; i < count; ++i)
            statements << QJsonObject{{QStringLiteral("id"), QStringLiteral("%1-%2").arg(prefix).arg(i)},
                                      {QStringLiteral("actor"), QStringLiteral("someone")}};
        QString error;
        QVERIFY2(queue.enqueue(statements, {integrationId}, when, &error), qPrintable(error));
        QList<DeliveryQueue::Outcome> outcomes;
        for (const Delivery& delivery : queue.claim(integrationId, count, when, &error)) {
            DeliveryQueue::Outcome outcome;
            outcome.deliveryId = delivery.id;
            outcome.state = state;
            outcome.status = state == Delivery::State::Held ? 400 : 200;
            outcome.attempt.startedAt = when;
            outcome.attempt.integrationId = integrationId;
            outcome.attempt.status = outcome.status;
            outcomes << outcome;
        }
        QVERIFY2(queue.record(outcomes, when, &error), qPrintable(error));
    }

private Q_SLOTS:
    void policyPruneStatusAndSize()
    {
        TestStore fixture;
        QVERIFY2(fixture.isValid(), qPrintable(fixture.error()));
        CliRunner cli(fixture.location());
        QCOMPARE(cli.addOpenIntegration(QStringLiteral("LRS"), QStringLiteral("https://lrs.example.com/xapi")).exitCode,
                 0);
        QString error;
        const auto integration = IntegrationRepository(fixture.store()).find(QStringLiteral("LRS"), &error);
        QVERIFY(integration);
        delivered(fixture.store(), integration->id, QStringLiteral("old"), 5, 40);
        delivered(fixture.store(), integration->id, QStringLiteral("young"), 1, 1);
        delivered(fixture.store(), integration->id, QStringLiteral("held"), 1, 90, Delivery::State::Held);

        // The policy: saved apart, the integration itself untouched (no new revision, nothing released).
        const CliResult edit =
            cli.run({QStringLiteral("integration"), QStringLiteral("edit"), QStringLiteral("LRS"),
                     QStringLiteral("--retention-days"), QStringLiteral("30"), QStringLiteral("--keep-bodies-days"),
                     QStringLiteral("7"), QStringLiteral("--json")});
        QCOMPARE(edit.exitCode, 0);
        QCOMPARE(json(edit).value(QStringLiteral("retentionDays")).toInt(), 30);
        QCOMPARE(json(edit).value(QStringLiteral("keepBodiesDays")).toInt(), 7);
        QCOMPARE(IntegrationRepository(fixture.store()).find(QStringLiteral("LRS"), &error)->revision,
                 integration->revision);
        const CliResult show = cli.run(
            {QStringLiteral("integration"), QStringLiteral("show"), QStringLiteral("LRS"), QStringLiteral("--json")});
        QCOMPARE(json(show).value(QStringLiteral("retentionDays")).toInt(), 30);
        const CliResult showText =
            cli.run({QStringLiteral("integration"), QStringLiteral("show"), QStringLiteral("LRS")});
        QVERIFY2(showText.out.contains("Retention:          30 days"), showText.out.constData());
        const CliResult keep = cli.run({QStringLiteral("integration"), QStringLiteral("edit"), QStringLiteral("LRS"),
                                        QStringLiteral("--keep-bodies-days"), QStringLiteral("keep")});
        QCOMPARE(keep.exitCode, 0);
        QVERIFY2(keep.err.contains("Saved the retention of “LRS”: delivered statements are pruned after 30 days, "
                                   "their bodies kept with them."),
                 keep.err.constData());
        const CliResult list =
            cli.run({QStringLiteral("integration"), QStringLiteral("list"), QStringLiteral("--json")});
        const QJsonObject listed = QJsonDocument::fromJson(list.out).array().at(0).toObject();
        QCOMPARE(listed.value(QStringLiteral("retentionDays")).toInt(), 30);
        QVERIFY(listed.value(QStringLiteral("keepBodiesDays")).isNull());
        const CliResult wrong = cli.run({QStringLiteral("integration"), QStringLiteral("edit"), QStringLiteral("LRS"),
                                         QStringLiteral("--retention-days"), QStringLiteral("soon")});
        QCOMPARE(wrong.exitCode, 2);
        QVERIFY2(wrong.err.contains("--retention-days: “soon” is not a number of days"), wrong.err.constData());

        // queue prune: refuses to act unasked, names a wrong limit, then prunes and says how many went.
        const QStringList prune{QStringLiteral("queue"), QStringLiteral("prune"), QStringLiteral("--delivered-before"),
                                QStringLiteral("30d")};
        const CliResult unasked = cli.run(prune);
        QCOMPARE(unasked.exitCode, 2);
        QVERIFY2(unasked.err.contains("add --yes when not running on a terminal"), unasked.err.constData());
        const CliResult badLimit = cli.run({QStringLiteral("queue"), QStringLiteral("prune"),
                                            QStringLiteral("--delivered-before"), QStringLiteral("last week")});
        QCOMPARE(badLimit.exitCode, 2);
        QVERIFY2(badLimit.err.contains("--delivered-before: “last week” is neither an age (90d, 12w, 36h, 30m) nor an "
                                       "ISO 8601 time"),
                 badLimit.err.constData());
        const CliResult pruned = cli.run(
            prune + QStringList{QStringLiteral("--integration"), QStringLiteral("LRS"), QStringLiteral("--yes")});
        QCOMPARE(pruned.exitCode, 0);
        QVERIFY2(pruned.out.contains("Pruned 5 statement(s) of “LRS” delivered before "), pruned.out.constData());
        QVERIFY2(pruned.out.contains("(5 delivered, 0 duplicate(s)) with 5 attempt(s)."), pruned.out.constData());
        const CliResult again = cli.run(prune + QStringList{QStringLiteral("--yes")});
        QCOMPARE(again.exitCode, 0);
        QVERIFY2(again.out.contains("Nothing to prune: no statement of every integration was delivered before"),
                 again.out.constData());

        // queue status still counts them; the held one stays.
        const CliResult status = cli.run({QStringLiteral("queue"), QStringLiteral("status"), QStringLiteral("--json")});
        const QJsonObject lane = QJsonDocument::fromJson(status.out).array().at(0).toObject();
        QCOMPARE(lane.value(QStringLiteral("delivered")).toInt(), 6);
        QCOMPARE(lane.value(QStringLiteral("held")).toInt(), 1);

        // db status: the size, and what the integration keeps.
        const CliResult db = cli.run({QStringLiteral("db"), QStringLiteral("status"), QStringLiteral("--json")});
        QCOMPARE(db.exitCode, 0);
        const QJsonObject size = json(db).value(QStringLiteral("size")).toObject();
        QVERIFY(size.value(QStringLiteral("sizeBytes")).toDouble() > 0);
        const QJsonObject kept = size.value(QStringLiteral("integrations")).toArray().at(0).toObject();
        QCOMPARE(kept.value(QStringLiteral("name")).toString(), QStringLiteral("LRS"));
        QCOMPARE(kept.value(QStringLiteral("statements")).toInt(), 2);
        // {"actor":"someone","id":"young-0"} and {"actor":"someone","id":"held-0"}
        QCOMPARE(kept.value(QStringLiteral("statementBytes")).toInt(), 34 + 33);
        QCOMPARE(kept.value(QStringLiteral("attempts")).toInt(), 2);
        const CliResult dbText = cli.run({QStringLiteral("db"), QStringLiteral("status")});
        QVERIFY2(dbText.out.contains("Size:            "), dbText.out.constData());
        QVERIFY2(dbText.out.contains("  LRS: 2 statement(s), "), dbText.out.constData());
    }
};

QTEST_GUILESS_MAIN(TestCliRetention)
#include "tst_cli_retention.moc"
