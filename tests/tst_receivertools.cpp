#include "InMemorySecretStore.h"
#include "TestClock.h"
#include "TestStore.h"

#include "delivery/DeliveryQueue.h"
#include "delivery/TokenClient.h"
#include "integrations/IntegrationRepository.h"
#include "integrations/IntegrationService.h"
#include "integrations/IntegrationTableModel.h"
#include "integrations/IntegrationsPage.h"
#include "queue/DeliveryQueuePage.h"
#include "receiver/ReceiverCheckDialog.h"
#include "sandbox/Sandbox.h"
#include "sandbox/SandboxController.h"
#include "sandbox/SandboxPanel.h"
#include "statements/StatementTemplates.h"

#include <QComboBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QListWidget>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QTextBrowser>
#include <QTreeWidget>
#include <QUuid>

// The desktop side of issue 21: Check Receiver…, the sandbox toggle with its presets and what it received, "Try with
// the built-in sandbox", and the Delivery Queue showing what 409 triage found. Real widgets, a real sandbox.
class TestReceiverTools final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestStore> m_fixture;
    InMemorySecretStore m_secrets;
    TestClock m_clock;
    QNetworkAccessManager m_network;

    static QString screenshots() { return qEnvironmentVariable("COURIER_SCREENSHOT_DIR"); }
    static QByteArray statement(const QString& id)
    {
        TemplateValues values;
        values.id = id;
        values.actorEmail = QStringLiteral("learner@example.com");
        values.objectId = QStringLiteral("https://example.com/courses/1");
        return QJsonDocument(StatementTemplates::build(values)).toJson(QJsonDocument::Compact);
    }
    int post(const QUrl& url, const QByteArray& body)
    {
        QNetworkRequest request(url);
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
        request.setRawHeader("X-Experience-API-Version", "1.0.3");
        QNetworkReply* reply = m_network.post(request, body);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        finished.wait(10000);
        reply->deleteLater();
        return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    }

private Q_SLOTS:
    void init()
    {
        m_fixture = std::make_unique<TestStore>();
        QVERIFY(m_fixture->isValid());
    }
    void cleanup() { m_fixture.reset(); }

    void checkReceiverDialogShowsTheChecklist()
    {
        Sandbox sandbox;
        QString error;
        QVERIFY(sandbox.listen(0, &error));
        Integration integration;
        integration.id = 1;
        integration.name = QStringLiteral("Sandbox");
        integration.provider = QStringLiteral("sandbox");
        integration.statementUrl = sandbox.statementsUrl();
        integration.auth = Integration::Auth::None;
        TokenClient tokens(m_network, m_secrets, m_clock);
        ReceiverCheckDialog dialog(integration, tokens);
        QVERIFY(dialog.findChild<QLabel*>(QStringLiteral("plan"))->text().contains(QLatin1String("voided afterwards")));
        QTreeWidget* list = dialog.checklist();
        QCOMPARE(list->topLevelItemCount(), 9);
        dialog.run();
        QTRY_VERIFY_WITH_TIMEOUT(dialog.isFinished(), 20000);
        for (int row = 0; row < list->topLevelItemCount(); ++row)
            QCOMPARE(list->topLevelItem(row)->text(0), QStringLiteral("✔ pass"));
        QVERIFY2(dialog.summary().contains(QLatin1String("Ready for delivery")), qPrintable(dialog.summary()));
        list->setCurrentItem(list->topLevelItem(4)); // resend-conflicting
        const QString exchange = dialog.findChild<QPlainTextEdit*>(QStringLiteral("exchange"))->toPlainText();
        QVERIFY(exchange.contains(QLatin1String("POST ")));
        QVERIFY(exchange.contains(QLatin1String("HTTP 409")));
        if (!screenshots().isEmpty()) {
            dialog.show();
            dialog.grab().save(screenshots() + QStringLiteral("/check-receiver.png"));
        }

        QVERIFY(sandbox.setFaults(QStringLiteral("503*50"), &error));
        dialog.run();
        QTRY_VERIFY_WITH_TIMEOUT(dialog.isFinished(), 20000);
        QCOMPARE(list->topLevelItem(2)->text(0), QStringLiteral("✖ fail"));
        QVERIFY(dialog.summary().contains(QLatin1String("Not ready")));
    }

    void sandboxToggleAndPresets()
    {
        IntegrationService integrations(m_fixture->store(), m_secrets);
        SandboxController controller(integrations);
        SandboxPanel panel(controller);
        QSignalSpy ready(&panel, &SandboxPanel::integrationReady);
        panel.toggleButton()->click();
        QTRY_COMPARE_WITH_TIMEOUT(ready.size(), 1, 10000);
        QVERIFY(controller.isRunning());
        const qint64 id = ready.first().first().toLongLong();
        QVERIFY(id > 0);
        QString error;
        const auto integration = IntegrationRepository(m_fixture->store()).byId(id, &error);
        QCOMPARE(integration->name, SandboxController::integrationName());
        QCOMPARE(integration->statementUrl, controller.sandbox()->statementsUrl());
        const QUrl url = controller.sandbox()->statementsUrl();

        const auto choose = [&panel](SandboxController::Preset preset) {
            QComboBox* presets = panel.presets();
            presets->setCurrentIndex(presets->findData(int(preset)));
            Q_EMIT presets->activated(presets->currentIndex());
        };
        choose(SandboxController::Preset::Outage);
        QCOMPARE(post(url, statement(QUuid::createUuid().toString(QUuid::WithoutBraces))), 503);
        QVERIFY(controller.outageSecondsLeft() > 100);
        choose(SandboxController::Preset::RejectsEverything);
        QCOMPARE(post(url, statement(QUuid::createUuid().toString(QUuid::WithoutBraces))), 400);
        QCOMPARE(controller.outageSecondsLeft(), 0);
        choose(SandboxController::Preset::Slow);
        QCOMPARE(controller.sandbox()->faults().delayMs(), 2000);
        choose(SandboxController::Preset::Behaves);
        const QString id2 = QUuid::createUuid().toString(QUuid::WithoutBraces);
        QCOMPARE(post(url, statement(id2)), 200);
        QTRY_COMPARE(panel.received()->count(), 1);
        QVERIFY(panel.received()->item(0)->text().contains(id2.left(8)));
        QCOMPARE(panel.requests()->count(), 3);
        QVERIFY(panel.requests()->item(0)->text().endsWith(QLatin1String("200")));
        if (!screenshots().isEmpty()) {
            panel.resize(260, 600);
            panel.show();
            panel.grab().save(screenshots() + QStringLiteral("/sandbox-panel.png"));
        }

        // Stopped and started again: the same integration, pointed at it again.
        panel.toggleButton()->click();
        QVERIFY(!controller.isRunning());
        panel.toggleButton()->click();
        QTRY_COMPARE_WITH_TIMEOUT(ready.size(), 3, 10000);
        QCOMPARE(ready.last().first().toLongLong(), id);
        QCOMPARE(IntegrationRepository(m_fixture->store()).all(&error).size(), 1);
    }

    void emptyStateOffersTheSandbox()
    {
        IntegrationService integrations(m_fixture->store(), m_secrets);
        SandboxController controller(integrations);
        IntegrationsPage page(m_fixture->store(), integrations);
        auto* trySandbox = page.findChild<QPushButton*>(QStringLiteral("trySandbox"));
        QVERIFY(trySandbox);
        page.show();
        QVERIFY(!trySandbox->isVisible()); // no sandbox given: not offered
        page.setSandbox(&controller);
        QVERIFY(trySandbox->isVisible());
        if (!screenshots().isEmpty()) {
            page.resize(1100, 600);
            page.grab().save(screenshots() + QStringLiteral("/integrations-empty.png"));
        }
        trySandbox->click();
        QTRY_COMPARE_WITH_TIMEOUT(page.model()->rowCount(), 1, 10000);
        QVERIFY(controller.isRunning());
        QVERIFY(page.notice().contains(SandboxController::integrationName()));
        QVERIFY(!page.checkReceiverAction()->isEnabled()); // no token client in this test
        TokenClient tokens(m_network, m_secrets, m_clock);
        page.setTokenClient(&tokens);
        QVERIFY(page.checkReceiverAction()->isEnabled());
    }

    void deliveryQueueShowsWhatTriageFound()
    {
        Integration integration;
        integration.uid = QStringLiteral("u");
        integration.name = QStringLiteral("Acme LRS");
        integration.provider = QStringLiteral("acme");
        integration.statementUrl = QUrl(QStringLiteral("https://lrs.acme.example/xapi/statements"));
        integration.auth = Integration::Auth::None;
        FieldIssues issues;
        QString error;
        QVERIFY(IntegrationRepository(m_fixture->store()).insert(integration, &issues, &error));
        DeliveryQueue queue(m_fixture->store());
        QList<QJsonObject> statements;
        for (const QString& id : {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("d")})
            statements << QJsonObject{{QStringLiteral("id"), id}};
        QVERIFY(queue.enqueue(statements, {integration.id}, QDateTime::currentDateTimeUtc(), &error));
        QList<DeliveryQueue::Outcome> outcomes;
        for (const Delivery& delivery : queue.claim(integration.id, 4, QDateTime::currentDateTimeUtc(), &error)) {
            DeliveryQueue::Outcome outcome;
            outcome.deliveryId = delivery.id;
            outcome.state = delivery.statementId == QLatin1String("d") ? Delivery::State::Delivered
                                                                       : Delivery::State::Duplicate;
            outcome.status = delivery.statementId == QLatin1String("d") ? 200 : 409;
            outcomes << outcome;
        }
        QVERIFY(queue.record(outcomes, QDateTime::currentDateTimeUtc(), &error));
        const QJsonObject difference{{QStringLiteral("path"), QStringLiteral("result.score.raw")},
                                     {QStringLiteral("sent"), 99},
                                     {QStringLiteral("stored"), 10}};
        const auto detail = [](const QJsonObject& object) { return QJsonDocument(object).toJson(QJsonDocument::Compact); };
        QVERIFY(queue.setDuplicateKind(outcomes[0].deliveryId, QStringLiteral("conflicting"),
                                       detail({{QStringLiteral("differences"), QJsonArray{difference}}}), &error));
        QVERIFY(queue.setDuplicateKind(outcomes[1].deliveryId, QStringLiteral("identical"),
                                       detail({{QStringLiteral("differences"), QJsonArray()}}), &error));
        // c stays untriaged.

        IntegrationService integrations(m_fixture->store(), m_secrets);
        DeliveryQueuePage page(m_fixture->store(), integrations);
        const QList<QComboBox*> states = page.findChildren<QComboBox*>();
        QComboBox* stateFilter = nullptr;
        for (QComboBox* combo : states) {
            if (combo->findText(QStringLiteral("Conflicting duplicates (409)")) >= 0)
                stateFilter = combo;
        }
        QVERIFY(stateFilter);
        stateFilter->setCurrentIndex(stateFilter->findText(QStringLiteral("Delivered")));
        auto* table = page.findChild<QTableView*>();
        QTRY_COMPARE(table->model()->rowCount(), 4);
        stateFilter->setCurrentIndex(stateFilter->findText(QStringLiteral("Conflicting duplicates (409)")));
        QTRY_COMPARE(table->model()->rowCount(), 1);
        table->selectRow(0);
        const QString text = page.findChild<QTextBrowser*>()->toPlainText();
        QVERIFY2(text.contains(QLatin1String("duplicate (conflicting)")), qPrintable(text));
        QVERIFY(text.contains(QLatin1String("result.score.raw")));
        QVERIFY(text.contains(QLatin1String("99")));
        QVERIFY(text.contains(QLatin1String("10")));
        QVERIFY(text.contains(QLatin1String("data bug upstream")));
        if (!screenshots().isEmpty()) {
            page.resize(1300, 760);
            page.show();
            page.grab().save(screenshots() + QStringLiteral("/queue-conflicting.png"));
        }
    }
};

QTEST_MAIN(TestReceiverTools)
#include "tst_receivertools.moc"
