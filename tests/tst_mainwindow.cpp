#include "InMemorySecretStore.h"
#include "StoreFixtures.h"
#include "TestStore.h"

#include "MainWindow.h"
#include "integrations/IntegrationTableModel.h"
#include "integrations/IntegrationsPage.h"

#include <QTest>

// The window follows what other processes commit to the same store (another desktop, a worker): on SQLite by
// polling the data version, on PostgreSQL by LISTEN/NOTIFY (the same test registered for both engines).
class TestMainWindow final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void anotherProcessesIntegrationAppearsWithinASecondOrTwo()
    {
        TestStore fixture;
        QVERIFY2(fixture.isValid(), qPrintable(fixture.error()));
        InMemorySecretStore secrets;
        MainWindow window(fixture.store(), secrets);
        window.show();
        IntegrationTableModel* model = window.integrationsPage()->model();
        QCOMPARE(model->rowCount(), 0);

        // A second connection stands for the other process.
        auto other = Store::open(StoreLocation::fromString(fixture.location()));
        QVERIFY2(other.store, qPrintable(other.error));
        StoreFixtures::addOpenIntegration(*other.store, QStringLiteral("Added Elsewhere"));
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 1, 2000); // pages do not poll: the notifier tells
        QCOMPARE(model->index(0, 0).data().toString(), QStringLiteral("Added Elsewhere"));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
