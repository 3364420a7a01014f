#include "InMemorySecretStore.h"
#include "StoreFixtures.h"
#include "TestStore.h"

#include "MainWindow.h"
#include "integrations/IntegrationTableModel.h"
#include "integrations/IntegrationsPage.h"

#include "delivery/LaneLeases.h"

#include <QLabel>
#include <QTest>
#include <QTextBrowser>

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

    // Several processes share the lanes: the status bar counts them (the tooltip names them), and an integration's
    // details say which one delivers it.
    void theWindowSaysWhoDelivers()
    {
        TestStore fixture;
        QVERIFY2(fixture.isValid(), qPrintable(fixture.error()));
        StoreFixtures::addOpenIntegration(fixture.store(), QStringLiteral("Here"));
        const qint64 elsewhere = StoreFixtures::addOpenIntegration(fixture.store(), QStringLiteral("Elsewhere"));
        LaneLeases worker(fixture.store(), QStringLiteral("worker pid 1 on elsewhere"));
        LaneLeases::Renewal renewal;
        QString error;
        QVERIFY2(worker.renew({elsewhere}, QDateTime::currentDateTimeUtc(), &renewal, &error), qPrintable(error));

        InMemorySecretStore secrets;
        MainWindow window(fixture.store(), secrets);
        window.show();
        auto* label = window.findChild<QLabel*>(QStringLiteral("deliveringLabel"));
        QVERIFY(label);
        QTRY_COMPARE_WITH_TIMEOUT(label->text(), QStringLiteral("delivering: 2 processes"), 5000);
        QVERIFY(label->toolTip().contains(QLatin1String("worker pid 1 on elsewhere")));
        QVERIFY(label->toolTip().contains(QLatin1String("desktop app pid")));

        window.integrationsPage()->selectIntegration(elsewhere);
        auto* details = window.integrationsPage()->findChild<QTextBrowser*>();
        QVERIFY(details);
        QVERIFY2(details->toPlainText().contains(QLatin1String("Delivered by")), qPrintable(details->toPlainText()));
        QVERIFY(details->toPlainText().contains(QLatin1String("worker pid 1 on elsewhere")));
    }

    // Closing waits for the runtime (requests and alert e-mails in flight), then really closes.
    void closingStopsTheRuntimeThenCloses()
    {
        TestStore fixture;
        QVERIFY2(fixture.isValid(), qPrintable(fixture.error()));
        InMemorySecretStore secrets;
        MainWindow window(fixture.store(), secrets);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.close();
        QTRY_VERIFY_WITH_TIMEOUT(!window.isVisible(), 10000);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
