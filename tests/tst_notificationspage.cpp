#include "InMemorySecretStore.h"
#include "StoreFixtures.h"
#include "TestClock.h"
#include "TestStore.h"

#include "alerts/AlertTableModel.h"
#include "alerts/NotificationsPage.h"
#include "alerts/Notifier.h"
#include "alerts/SmtpSettings.h"
#include "alerts/SmtpSettingsDialog.h"
#include "integrations/IntegrationRepository.h"
#include "integrations/IntegrationService.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QTableView>
#include <QTest>
#include <QTextBrowser>

class TestNotificationsPage final : public QObject
{
    Q_OBJECT

private:
    static void addAlert(Store& store, qint64 integrationId, const QString& name, AlertRecord::State state,
                         const QString& error,
                         const QString& text = QStringLiteral("What the receiver returned:\nHTTP 400 Bad Request"))
    {
        AlertRecord alert;
        alert.integrationId = integrationId;
        alert.integrationName = name;
        alert.createdAt = QDateTime::currentDateTimeUtc();
        alert.kind = QStringLiteral("held");
        alert.recipients = {QStringLiteral("ops@example.com")};
        alert.subject = QStringLiteral("[xAPI Courier] deliveries to %1 are held").arg(name);
        alert.text = text;
        alert.state = state;
        alert.error = error;
        QString failure;
        QVERIFY(AlertLog(store).insert(alert, &failure));
    }

private Q_SLOTS:
    void listsAlertsWithTheirStateAndFiltersByIntegration()
    {
        TestStore fixture;
        InMemorySecretStore secrets;
        TestClock clock;
        IntegrationService integrations(fixture.store(), secrets);
        Notifier notifier(fixture.store(), secrets, clock, QStringLiteral("test"));
        const qint64 acme = StoreFixtures::addOpenIntegration(fixture.store(), QStringLiteral("Acme"));
        const qint64 beta = StoreFixtures::addOpenIntegration(fixture.store(), QStringLiteral("Beta"));

        NotificationsPage page(fixture.store(), secrets, integrations, notifier);
        page.resize(1000, 600);
        page.show();
        QCOMPARE(page.model()->rowCount(), 0);

        addAlert(fixture.store(), acme, QStringLiteral("Acme"), AlertRecord::State::Sent, QString());
        addAlert(fixture.store(), acme, QStringLiteral("Acme"), AlertRecord::State::Suppressed,
                 QStringLiteral("Suppressed: an alert for this integration went out less than 24 hours ago."));
        addAlert(fixture.store(), beta, QStringLiteral("Beta"), AlertRecord::State::Failed,
                 QStringLiteral("SMTP server 127.0.0.1:2526: Couldn't connect to server"));
        page.reload();
        QAbstractItemModelTester tester(page.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(page.model()->rowCount(), 3);
        const auto state = int(AlertTableModel::Column::State);
        QStringList states;
        for (int row = 0; row < 3; ++row)
            states << page.model()->index(row, state).data().toString();
        QVERIFY2(states.contains(QStringLiteral("failed: SMTP server 127.0.0.1:2526: Couldn't connect to server")),
                 qPrintable(states.join(QLatin1Char('|'))));
        QVERIFY(states.contains(QStringLiteral("suppressed (24 h window)")));
        QVERIFY(states.contains(QStringLiteral("sent")));

        auto* filter = page.findChild<QComboBox*>();
        QVERIFY(filter);
        filter->setCurrentIndex(filter->findData(beta));
        QCOMPARE(page.model()->rowCount(), 1);

        const QString folder = qEnvironmentVariable("COURIER_SCREENSHOT_DIR");
        if (!folder.isEmpty()) {
            filter->setCurrentIndex(0);
            QTest::qWait(50);
            page.grab().save(folder + QStringLiteral("/notifications.png"));
        }
    }

    // A failure's SMTP error is long: the subject stays readable beside it, and the message below wraps its lines.
    void longErrorsAndMessagesFitTheWidth()
    {
        TestStore fixture;
        InMemorySecretStore secrets;
        TestClock clock;
        IntegrationService integrations(fixture.store(), secrets);
        Notifier notifier(fixture.store(), secrets, clock, QStringLiteral("test"));
        const qint64 acme = StoreFixtures::addOpenIntegration(fixture.store(), QStringLiteral("Acme"));
        addAlert(
            fixture.store(), acme, QStringLiteral("Acme"), AlertRecord::State::Failed,
            QStringLiteral("SMTP is not configured: set the server in Settings or with `xapi-courier settings "
                           "smtp --host H --port P --security starttls --from ADDRESS`."),
            QStringLiteral("What happens next: One statement is retried every 30 seconds (next try at 2026-12-02 "
                           "15:44:39 UTC); once it is accepted, the whole backlog is sent in order at full speed."));
        NotificationsPage page(fixture.store(), secrets, integrations, notifier);
        page.resize(930, 660);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        auto* table = page.findChild<QTableView*>();
        auto* message = page.findChild<QTextBrowser*>();
        QVERIFY(table && message);
        QCOMPARE(table->model()->rowCount(), 1);
        QVERIFY2(table->columnWidth(int(AlertTableModel::Column::Subject)) >= 200,
                 qPrintable(QString::number(table->columnWidth(int(AlertTableModel::Column::Subject)))));
        QVERIFY(!table->horizontalScrollBar()->isVisible());
        table->selectRow(0);
        QVERIFY(message->toPlainText().contains(QLatin1String("once it is accepted")));
        QVERIFY(!message->horizontalScrollBar()->isVisible());
    }

    void smtpDialogSavesAndShowsTheServersAnswer()
    {
        TestStore fixture;
        InMemorySecretStore secrets;
        TestClock clock;
        Notifier notifier(fixture.store(), secrets, clock, QStringLiteral("test"));
        SmtpSettingsDialog dialog(fixture.store(), secrets, notifier);
        dialog.show();
        const QList<QLineEdit*> edits = dialog.findChildren<QLineEdit*>();
        // host, user, password, from, test recipient (in layout order)
        auto edit = [&](const QString& placeholder) {
            for (QLineEdit* e : edits) {
                if (e->placeholderText().contains(placeholder))
                    return e;
            }
            return static_cast<QLineEdit*>(nullptr);
        };
        QVERIFY(edit(QStringLiteral("smtp.example.com")));
        edit(QStringLiteral("smtp.example.com"))->setText(QStringLiteral("127.0.0.1"));
        edit(QStringLiteral("xapi-courier@example.com"))->setText(QStringLiteral("not an address"));
        edit(QStringLiteral("send a test"))->setText(QStringLiteral("qa@example.com"));
        auto* test = dialog.findChild<QPushButton*>();
        for (QPushButton* button : dialog.findChildren<QPushButton*>()) {
            if (button->text().contains(QLatin1String("Test")))
                test = button;
        }
        test->click();
        bool refused = false;
        for (QLabel* label : dialog.findChildren<QLabel*>())
            refused |= label->text().contains(QLatin1String("not a valid e-mail address"));
        QVERIFY(refused);
        const QString folder = qEnvironmentVariable("COURIER_SCREENSHOT_DIR");
        if (!folder.isEmpty()) {
            QTest::qWait(50);
            dialog.grab().save(folder + QStringLiteral("/smtp.png"));
        }
        QString error;
        QVERIFY(!SmtpSettings::load(fixture.store(), &error).isConfigured()); // nothing saved
    }
};

QTEST_MAIN(TestNotificationsPage)
#include "tst_notificationspage.moc"
