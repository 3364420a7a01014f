#include "InMemorySecretStore.h"
#include "StoreFixtures.h"
#include "TestStore.h"

#include "common/Clock.h"
#include "common/MessageBox.h"
#include "completions/CompletionTableModel.h"
#include "completions/CompletionsPage.h"
#include "integrations/IntegrationService.h"
#include "runtime/CourierRuntime.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QDateEdit>
#include <QFile>
#include <QLineEdit>
#include <QScrollBar>
#include <QSpinBox>
#include <QTableView>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QToolBar>

class TestCompletionsPage final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void browseFilterDeleteExportAndReceive()
    {
        TestStore fixture;
        StoreFixtures::addOpenIntegration(fixture.store(), QStringLiteral("acme"));
        CompletionStore completions(fixture.store());
        QString error;
        QByteArray lines;
        for (int i = 0; i < 3000; ++i)
            lines +=
                QStringLiteral(
                    R"({"contentId":"%1","userId":"user-%2","score":%3,"maxScore":10,"openedTimestamp":%4,"finishedTimestamp":%5,"completionTime":60})")
                    .arg(i % 30)
                    .arg(i)
                    .arg(i % 11)
                    .arg(1763800000 + i)
                    .arg(1763800060 + i)
                    .toUtf8() +
                '\n';
        QCOMPARE(completions.importLines(lines, &error).stored, 3000);

        InMemorySecretStore secrets;
        IntegrationService integrations(fixture.store(), secrets);
        CourierRuntime runtime(fixture.store(), secrets, Clock::system(), QStringLiteral("test"));
        CompletionsPage page(fixture.store(), integrations, runtime);
        page.resize(1300, 760);
        page.show();
        QAbstractItemModelTester tester(page.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(page.model()->totalCount(), 3000);
        QVERIFY(page.model()->rowCount() < page.model()->totalCount()); // pages, never the whole table
        page.model()->sort(int(CompletionTableModel::Column::Score), Qt::DescendingOrder);
        QCOMPARE(page.model()->rowAt(0)->score, 10.0);

        auto* content = page.findChild<QLineEdit*>(QStringLiteral("content"));
        content->setText(QStringLiteral("7"));
        page.applyFilter();
        QCOMPARE(page.model()->totalCount(), 100);
        auto* table = page.findChild<QTableView*>();
        table->selectRow(0);
        const QString detail = page.findChild<QTextBrowser*>()->toPlainText();
        QVERIFY2(detail.contains(QLatin1String("acme")) && detail.contains(QLatin1String("queued")),
                 qPrintable(detail));
        QVERIFY(detail.contains(QLatin1String("http://adlnet.gov/expapi/verbs/completed")));

        const QString folder = qEnvironmentVariable("COURIER_SCREENSHOT_DIR");
        if (!folder.isEmpty()) {
            QTest::qWait(50);
            page.grab().save(folder + QStringLiteral("/completions.png"));
        }

        MessageBox::setNextAnswer(true);
        page.deleteContent();
        QCOMPARE(page.model()->totalCount(), 0);
        content->clear();
        page.applyFilter();
        QCOMPARE(page.model()->totalCount(), 2900);

        QTemporaryDir dir;
        const QString csv = dir.filePath(QStringLiteral("completions.csv"));
        QVERIFY(page.exportCsv(csv, &error));
        QFile file(csv);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll().count('\n'), 2901);

        // The receiver switched on from the page.
        QTcpServer probe;
        probe.listen(QHostAddress::LocalHost, 0);
        const quint16 port = probe.serverPort();
        probe.close();
        page.findChild<QSpinBox*>()->setValue(port);
        page.findChild<QCheckBox*>()->setChecked(true);
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, port);
        QVERIFY(socket.waitForConnected(5000));
        page.findChild<QCheckBox*>()->setChecked(false);
    }

    // Only applied filters look applied; the export is what is shown, in the order shown, with ISO 8601 times; the
    // page follows records another process stores; an integration that cannot take a record says why; the
    // toolbar's actions stay in view with the receiver on.
    void showsTheStoreAsItIsAndExportsWhatIsShown()
    {
        TestStore fixture;
        StoreFixtures::addOpenIntegration(fixture.store(), QStringLiteral("acme"));
        StoreFixtures::addOpenIntegration(fixture.store(), QStringLiteral("adl-mbox")); // e-mail actors only
        CompletionStore completions(fixture.store());
        QString error;
        QByteArray lines;
        for (int i = 0; i < 3; ++i)
            lines += QStringLiteral(R"({"contentId":"1","userId":"1234%1","score":%1,"maxScore":10,)"
                                    R"("openedTimestamp":%2,"finishedTimestamp":%3,"completionTime":60})")
                         .arg(i)
                         .arg(1739000000 + i * 100)
                         .arg(1739000060 + i * 100)
                         .toUtf8() +
                     '\n';
        lines += R"({"contentId":"2","userId":"other","score":1,"maxScore":10,"openedTimestamp":1739000000,)"
                 R"("finishedTimestamp":1739000060,"completionTime":60})";
        QCOMPARE(completions.importLines(lines, &error).stored, 4);

        InMemorySecretStore secrets;
        IntegrationService integrations(fixture.store(), secrets);
        CourierRuntime runtime(fixture.store(), secrets, Clock::system(), QStringLiteral("test"));
        CompletionsPage page(fixture.store(), integrations, runtime);
        page.resize(1166, 700); // a 1366 px screen less the sidebar
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        for (QDateEdit* date : page.findChildren<QDateEdit*>())
            QVERIFY(!date->isEnabled()); // the date range is not applied until "finished" is ticked

        page.findChild<QLineEdit*>(QStringLiteral("content"))->setText(QStringLiteral("1"));
        page.applyFilter();
        page.model()->sort(int(CompletionTableModel::Column::Finished), Qt::AscendingOrder);
        QTemporaryDir dir;
        const QString csv = dir.filePath(QStringLiteral("shown.csv"));
        QVERIFY2(page.exportCsv(csv, &error), qPrintable(error));
        QFile file(csv);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> rows = file.readAll().trimmed().split('\n');
        QCOMPARE(rows.size(), 4); // the header and the 3 records shown
        QVERIFY2(rows[1].startsWith("1,12340,0,10,2025-02-08T07:33:20Z,2025-02-08T07:34:20Z,60,"), rows[1].constData());
        QVERIFY(rows[3].startsWith("1,12342,"));

        auto* table = page.findChild<QTableView*>();
        table->selectRow(0);
        const QString detail = page.findChild<QTextBrowser*>()->toPlainText();
        QVERIFY2(detail.contains(QLatin1String("adl-mbox")) &&
                     detail.contains(QLatin1String("cannot take this record")),
                 qPrintable(detail));

        // Another process imports: the page shows it without a touch of the filters.
        page.findChild<QLineEdit*>(QStringLiteral("content"))->clear();
        page.applyFilter();
        QCOMPARE(page.model()->totalCount(), 4);
        auto other = Store::open(StoreLocation::fromString(fixture.location()));
        QVERIFY2(other.store, qPrintable(other.error));
        QCOMPARE(CompletionStore(*other.store)
                     .importLines(R"({"contentId":"3","userId":"late","score":1,"maxScore":10,)"
                                  R"("openedTimestamp":1739000000,"finishedTimestamp":1739000060,"completionTime":60})",
                                  &error)
                     .stored,
                 1);
        page.refreshLive();
        QCOMPARE(page.model()->totalCount(), 5);

        // The receiver on: Delete Content… and Export CSV… stay on the toolbar, not in its overflow menu.
        QTcpServer probe;
        probe.listen(QHostAddress::LocalHost, 0);
        const quint16 port = probe.serverPort();
        probe.close();
        page.findChild<QSpinBox*>()->setValue(port);
        page.findChild<QCheckBox*>()->setChecked(true);
        QVERIFY(runtime.receiver());
        QTest::qWait(50);
        int visible = 0;
        for (QToolBar* bar : page.findChildren<QToolBar*>()) {
            for (QAction* action : bar->actions()) {
                if (action->text().startsWith(QLatin1String("Delete Content")) ||
                    action->text().startsWith(QLatin1String("Export CSV")))
                    visible += bar->widgetForAction(action) && bar->widgetForAction(action)->isVisible();
            }
        }
        QCOMPARE(visible, 2);
    }

    // In a laptop-sized window (the page about 940 px wide) every column is in view beside the detail pane, none
    // narrower than its title.
    void everyColumnFitsBesideTheDetail()
    {
        TestStore fixture;
        CompletionStore completions(fixture.store());
        QString error;
        QCOMPARE(
            completions
                .importLines(R"({"contentId":"104","userId":"user00","score":6,"maxScore":10,)"
                             R"("openedTimestamp":1764739800,"finishedTimestamp":1764740400,"completionTime":600})",
                             &error)
                .stored,
            1);
        InMemorySecretStore secrets;
        IntegrationService integrations(fixture.store(), secrets);
        CourierRuntime runtime(fixture.store(), secrets, Clock::system(), QStringLiteral("test"));
        CompletionsPage page(fixture.store(), integrations, runtime);
        page.resize(940, 660);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        auto* table = page.findChild<QTableView*>();
        QVERIFY(!table->horizontalScrollBar()->isVisible());
        for (int column = 0; column < page.model()->columnCount(); ++column) {
            const QString title = page.model()->headerData(column, Qt::Horizontal, Qt::DisplayRole).toString();
            QVERIFY2(table->columnWidth(column) > table->fontMetrics().horizontalAdvance(title), qPrintable(title));
        }
    }
};

QTEST_MAIN(TestCompletionsPage)
#include "tst_completionspage.moc"
