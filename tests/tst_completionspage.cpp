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
