#include "InMemorySecretStore.h"
#include "LocalReceiver.h"
#include "TestClock.h"
#include "TestStore.h"

#include "console/TestConsolePage.h"
#include "delivery/HttpTransport.h"
#include "delivery/TokenClient.h"
#include "integrations/IntegrationRepository.h"
#include "integrations/IntegrationService.h"

#include <QComboBox>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QNetworkAccessManager>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTest>

// Fill the form, see the JSON change, break it, see the finding, send to a local receiver, read the answer.
class TestTestConsole final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void formJsonFindingsAndSend()
    {
        TestStore fixture;
        LocalReceiver receiver;
        QVERIFY(receiver.start());
        Integration integration;
        integration.uid = QStringLiteral("u");
        integration.name = QStringLiteral("Local LRS");
        integration.provider = QStringLiteral("local");
        integration.statementUrl = receiver.statementsUrl();
        integration.auth = Integration::Auth::None;
        FieldIssues issues;
        QString error;
        QVERIFY(IntegrationRepository(fixture.store()).insert(integration, &issues, &error));
        InMemorySecretStore secrets;
        TestClock clock;
        QNetworkAccessManager network;
        TokenClient tokens(network, secrets, clock);
        HttpTransport transport(network, tokens, clock);
        IntegrationService integrations(fixture.store(), secrets);
        TestConsolePage page(fixture.store(), integrations, transport);
        page.resize(1300, 760);
        page.show();

        auto* json = page.findChild<QPlainTextEdit*>(QStringLiteral("json"));
        auto* findings = page.findChild<QListWidget*>(QStringLiteral("findings"));
        auto* objectId = page.findChild<QLineEdit*>(QStringLiteral("objectId"));
        QVERIFY(json && findings && objectId);
        QVERIFY(findings->item(0)->text().contains(QLatin1String("Valid")));

        // The form writes the JSON…
        objectId->selectAll();
        QTest::keyClicks(objectId, QStringLiteral("http://example.com/activities/quiz-7"));
        QCOMPARE(QJsonDocument::fromJson(page.statementText().toUtf8())
                     .object()[QStringLiteral("object")][QStringLiteral("id")]
                     .toString(),
                 QStringLiteral("http://example.com/activities/quiz-7"));
        // …and the JSON, broken, shows the finding with its path, which leads to the place.
        QString broken = page.statementText();
        broken.replace(QStringLiteral("http://example.com/activities/quiz-7"), QStringLiteral("quiz 7"));
        page.setStatementText(broken);
        QVERIFY2(findings->item(0)->text().contains(QLatin1String("object.id")), qPrintable(findings->item(0)->text()));
        findings->setCurrentRow(0);
        Q_EMIT findings->itemClicked(findings->item(0));
        QVERIFY(json->textCursor().position() > 0);
        QCOMPARE(objectId->text(), QStringLiteral("quiz 7")); // the form follows the JSON

        const QString folder = qEnvironmentVariable("COURIER_SCREENSHOT_DIR");
        broken.replace(QStringLiteral("quiz 7"), QStringLiteral("http://example.com/activities/quiz-7"));
        page.setStatementText(broken);
        QSignalSpy sent(&page, &TestConsolePage::sent);
        page.send();
        QVERIFY(sent.wait(20000));
        QCOMPARE(receiver.statementRequests.size(), 1);
        auto* status = page.findChild<QLabel*>(QStringLiteral("status"));
        QCOMPARE(status->text(), QStringLiteral("200"));
        if (!folder.isEmpty()) {
            QTest::qWait(50);
            page.grab().save(folder + QStringLiteral("/console.png"));
        }

        // The same id again: a receiver that keeps ids answers 409, shown as a duplicate.
        receiver.setStatementReplies({{409, "duplicate", {}, 0}});
        page.sendSameIdAgain();
        QVERIFY(sent.wait(20000));
        QCOMPARE(status->text(), QStringLiteral("409 Duplicate"));
        QCOMPARE(receiver.statementRequests.at(0).statementIds(), receiver.statementRequests.at(1).statementIds());
        auto* history = page.findChild<QListWidget*>(QStringLiteral("history"));
        QCOMPARE(history->count(), 2); // kept in the store, newest first

        page.regenerateId();
        QVERIFY(
            QJsonDocument::fromJson(page.statementText().toUtf8()).object().value(QStringLiteral("id")).toString() !=
            receiver.statementRequests.at(0).statementIds().first());
    }

    // In a 1176 px window (a laptop's default) the page is about 940 px wide: the statement, the history and the
    // receiver's answer all fit, and the answer is not squeezed to a sliver beside the form.
    void responseHasRoomOnALaptopScreen()
    {
        TestStore fixture;
        InMemorySecretStore secrets;
        TestClock clock;
        QNetworkAccessManager network;
        TokenClient tokens(network, secrets, clock);
        HttpTransport transport(network, tokens, clock);
        IntegrationService integrations(fixture.store(), secrets);
        TestConsolePage page(fixture.store(), integrations, transport);
        QVERIFY2(page.minimumSizeHint().width() <= 940, qPrintable(QString::number(page.minimumSizeHint().width())));
        page.resize(940, 680);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        auto* response = page.findChild<QWidget*>(QStringLiteral("response"));
        QVERIFY(response);
        QVERIFY2(response->width() >= 300, qPrintable(QString::number(response->width())));
        QCOMPARE(page.width(), 940);
    }
};

QTEST_MAIN(TestTestConsole)
#include "tst_testconsole.moc"
