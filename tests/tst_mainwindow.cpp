#include "InMemorySecretStore.h"
#include "StoreFixtures.h"
#include "TestStore.h"

#include "MainWindow.h"
#include "integrations/IntegrationTableModel.h"
#include "integrations/IntegrationsPage.h"

#include "delivery/DeliveryQueue.h"
#include "delivery/LaneLeases.h"
#include "queue/DeliveryQueuePage.h"
#include "queue/DeliveryTableModel.h"

#include <QComboBox>
#include <QJsonObject>
#include <QLabel>
#include <QTableView>
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

    // Every picker and column that names integrations follows what another process adds or renames.
    void pickersFollowOtherProcesses()
    {
        TestStore fixture;
        QVERIFY2(fixture.isValid(), qPrintable(fixture.error()));
        InMemorySecretStore secrets;
        MainWindow window(fixture.store(), secrets);
        window.show();
        auto* console = window.findChild<QComboBox*>(QStringLiteral("integration"));
        auto* queueFilter = window.findChild<QComboBox*>(QStringLiteral("integrationFilter"));
        QVERIFY(console && queueFilter);
        const auto names = [](QComboBox* box) {
            QStringList items;
            for (int i = 0; i < box->count(); ++i)
                items << box->itemText(i);
            return items;
        };

        auto other = Store::open(StoreLocation::fromString(fixture.location()));
        QVERIFY2(other.store, qPrintable(other.error));
        const qint64 id = StoreFixtures::addOpenIntegration(*other.store, QStringLiteral("Added Elsewhere"));
        QTRY_COMPARE_WITH_TIMEOUT(names(console), QStringList{QStringLiteral("Added Elsewhere")}, 3000);
        QTRY_VERIFY_WITH_TIMEOUT(names(queueFilter).contains(QStringLiteral("Added Elsewhere")), 3000);

        IntegrationRepository repository(*other.store);
        QString error;
        FieldIssues issues;
        Integration renamed = *repository.byId(id, &error);
        renamed.name = QStringLiteral("Renamed Elsewhere");
        renamed.enabled = false; // nothing is delivered: the queued row stays in the table
        QVERIFY2(repository.update(renamed, &issues, &error), qPrintable(error));
        QList<QJsonObject> statements{QJsonObject{{QStringLiteral("id"), QStringLiteral("s1")}}};
        QVERIFY(DeliveryQueue(*other.store).enqueue(statements, {id}, QDateTime::currentDateTimeUtc(), &error));
        QTRY_COMPARE_WITH_TIMEOUT(names(console), QStringList{QStringLiteral("Renamed Elsewhere")}, 3000);
        QTRY_VERIFY_WITH_TIMEOUT(names(queueFilter).contains(QStringLiteral("Renamed Elsewhere")), 3000);
        DeliveryTableModel* queue = window.findChild<DeliveryQueuePage*>()->model();
        QTRY_VERIFY_WITH_TIMEOUT(queue->rowCount() == 1, 3000);
        const int column = int(DeliveryTableModel::Column::Integration);
        QTRY_COMPARE_WITH_TIMEOUT(queue->index(0, column).data().toString(), QStringLiteral("Renamed Elsewhere"), 3000);
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
