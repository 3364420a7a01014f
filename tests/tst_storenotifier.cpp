#include "StoreFixtures.h"
#include "TestStore.h"

#include "store/StoreNotifier.h"

#include <QSignalSpy>
#include <QTest>

// Two processes on one store are two connections: a change committed through one reaches the other's notifier
// (PostgreSQL: LISTEN/NOTIFY with the table's name; SQLite: PRAGMA data_version polling).
class TestStoreNotifier final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void anotherConnectionsCommitIsReported()
    {
        TestStore fixture;
        QVERIFY2(fixture.isValid(), qPrintable(fixture.error()));
        StoreNotifier notifier(fixture.store());
        QString error;
        QVERIFY2(notifier.start(&error), qPrintable(error));
        QSignalSpy spy(&notifier, &StoreNotifier::changed);

        Store::OpenResult other = Store::open(fixture.store().location());
        QVERIFY2(other.store, qPrintable(other.error));
        const qint64 integration = StoreFixtures::addOpenIntegration(*other.store, QStringLiteral("Edited elsewhere"));
        QVERIFY(spy.wait(3000));
        const bool named = TestStore::usesPostgres(); // SQLite cannot say which table
        QCOMPARE(spy.takeFirst().first().toString(), named ? QStringLiteral("integrations") : QString());

        // A worker elsewhere queues (and later finishes) a delivery.
        QList<QJsonObject> statements = {QJsonObject{{QStringLiteral("verb"), QJsonObject()}}};
        QVERIFY2(
            DeliveryQueue(*other.store).enqueue(statements, {integration}, QDateTime::currentDateTimeUtc(), &error),
            qPrintable(error));
        QVERIFY(spy.wait(3000));
        QCOMPARE(spy.takeFirst().first().toString(), named ? QStringLiteral("deliveries") : QString());
    }

    void ownCommitsAreNotReported()
    {
        TestStore fixture;
        QVERIFY2(fixture.isValid(), qPrintable(fixture.error()));
        StoreNotifier notifier(fixture.store());
        QString error;
        QVERIFY2(notifier.start(&error), qPrintable(error));
        QSignalSpy spy(&notifier, &StoreNotifier::changed);
        StoreFixtures::addOpenIntegration(fixture.store(), QStringLiteral("Edited here"));
        QVERIFY(!spy.wait(2 * StoreNotifier::PollIntervalMs + 200));
    }
};

QTEST_GUILESS_MAIN(TestStoreNotifier)
#include "tst_storenotifier.moc"
