#include "InMemorySecretStore.h"
#include "StoreFixtures.h"
#include "TestStore.h"

#include "common/MessageBox.h"
#include "delivery/BulkAction.h"
#include "delivery/DeliveryActions.h"
#include "delivery/DeliveryQueue.h"
#include "integrations/IntegrationDialog.h"
#include "integrations/IntegrationRepository.h"
#include "integrations/IntegrationService.h"
#include "integrations/IntegrationsPage.h"
#include "queue/DeliveryChart.h"
#include "queue/DeliveryChartsPanel.h"
#include "queue/DeliveryQueuePage.h"
#include "queue/DeliveryTableModel.h"
#include "queue/HealthCard.h"
#include "queue/ReplayDialog.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSet>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTableView>
#include <QTest>
#include <QTextBrowser>
#include <QValueAxis>

#include <algorithm>

class TestDeliveryQueuePage final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestStore> m_fixture;
    qint64 m_id = 0;

    int count(Delivery::State state) { return StoreFixtures::countDeliveries(m_fixture->store(), state); }

private Q_SLOTS:
    void init()
    {
        m_fixture = std::make_unique<TestStore>();
        Integration integration;
        integration.uid = QStringLiteral("u");
        integration.name = QStringLiteral("Acme LRS");
        integration.provider = QStringLiteral("acme");
        integration.statementUrl = QUrl(QStringLiteral("https://lrs.acme.example/xapi/statements"));
        integration.auth = Integration::Auth::None;
        FieldIssues issues;
        QString error;
        IntegrationRepository repository(m_fixture->store());
        QVERIFY(repository.insert(integration, &issues, &error));
        m_id = integration.id;
        QList<QJsonObject> statements;
        for (int i = 0; i < 1000; ++i)
            statements << QJsonObject{{QStringLiteral("id"), QStringLiteral("s-%1").arg(i)}};
        DeliveryQueue queue(m_fixture->store());
        QVERIFY(queue.enqueue(statements, {m_id}, QDateTime::currentDateTimeUtc(), &error));
        // The first one was refused by the receiver: held, with its attempt.
        const Delivery first = queue.claim(m_id, 1, QDateTime::currentDateTimeUtc(), &error).first();
        DeliveryQueue::Outcome outcome;
        outcome.deliveryId = first.id;
        outcome.state = Delivery::State::Held;
        outcome.status = 400;
        outcome.error = QStringLiteral("HTTP 400 Bad Request: actor.mbox is not a mailto IRI");
        outcome.attempt.startedAt = QDateTime::currentDateTimeUtc();
        outcome.attempt.integrationId = m_id;
        outcome.attempt.requestLine = QStringLiteral("POST https://lrs.acme.example/xapi/statements");
        outcome.attempt.requestHeaders = QStringLiteral("Authorization: Bearer •••");
        outcome.attempt.status = 400;
        outcome.attempt.responseBody = QStringLiteral("{\"error\":\"actor.mbox is not a mailto IRI\"}");
        QVERIFY(queue.record({outcome}, QDateTime::currentDateTimeUtc(), &error));
        QVERIFY(repository.setHealth(m_id, {Integration::Health::Held, outcome.error, {}, 1}, &error));
    }

    // One request carried three statements and failed: one attempt in the log, shown for each of them.
    void detailPaneShowsABatchAttemptForEachOfItsStatements()
    {
        QString error;
        DeliveryQueue queue(m_fixture->store());
        const QList<Delivery> batch = queue.claim(m_id, 3, QDateTime::currentDateTimeUtc(), &error);
        QCOMPARE(batch.size(), 3);
        QList<DeliveryQueue::Outcome> outcomes;
        for (const Delivery& delivery : batch) {
            DeliveryQueue::Outcome outcome;
            outcome.deliveryId = delivery.id;
            outcome.state = Delivery::State::Queued;
            outcome.status = 503;
            outcome.error = QStringLiteral("HTTP 503 Service Unavailable: down for maintenance");
            outcome.request = 7;
            outcome.attempt.startedAt = QDateTime::currentDateTimeUtc();
            outcome.attempt.integrationId = m_id;
            outcome.attempt.requestLine = QStringLiteral("POST https://lrs.acme.example/xapi/statements");
            outcome.attempt.requestBodySize = 60;
            outcome.attempt.status = 503;
            outcome.attempt.responseBody = QStringLiteral("down for maintenance");
            outcomes << outcome;
        }
        QVERIFY2(queue.record(outcomes, QDateTime::currentDateTimeUtc(), &error), qPrintable(error));
        QSqlQuery rows(m_fixture->store().database());
        QVERIFY(rows.exec(QStringLiteral("SELECT COUNT(*) FROM attempts")) && rows.next());
        QCOMPARE(rows.value(0).toInt(), 2); // the held statement's, and the batch's once

        InMemorySecretStore secrets;
        IntegrationService integrations(m_fixture->store(), secrets);
        DeliveryQueuePage page(m_fixture->store(), integrations);
        auto* table = page.findChild<QTableView*>();
        auto* attempts = page.findChild<QTextBrowser*>();
        for (int row = 1; row <= 3; ++row) {
            table->selectRow(row);
            const QString text = attempts->toPlainText();
            QVERIFY2(text.contains(QLatin1String("one request carrying 3 statements")), qPrintable(text));
            QVERIFY(text.contains(QLatin1String("down for maintenance")));
            QVERIFY(text.contains(QLatin1String("503")));
        }
        if (const QString folder = qEnvironmentVariable("COURIER_SCREENSHOT_DIR"); !folder.isEmpty()) {
            page.resize(1200, 700);
            page.grab().save(folder + QStringLiteral("/queue-batch-attempt.png"));
        }
        table->selectRow(4); // not in the batch, never tried
        QVERIFY(attempts->toPlainText().contains(QLatin1String("Not tried yet")));
    }

    // A statement probed all night has hundreds of attempts: the pane starts with the newest, shows the newest 20
    // and says where the rest are.
    void detailPaneShowsTheNewestAttemptsFirst()
    {
        QString error;
        DeliveryQueue queue(m_fixture->store());
        const Delivery probe = queue.claim(m_id, 1, QDateTime::currentDateTimeUtc(), &error).first();
        const QDateTime start = QDateTime::currentDateTimeUtc().addSecs(-3600);
        for (int i = 0; i < 30; ++i) {
            DeliveryQueue::Outcome outcome;
            outcome.deliveryId = probe.id;
            outcome.state = Delivery::State::Queued;
            outcome.status = 503;
            outcome.error = QStringLiteral("HTTP 503 Service Unavailable: probe %1").arg(i);
            outcome.attempt.startedAt = start.addSecs(60 * i);
            outcome.attempt.integrationId = m_id;
            outcome.attempt.requestLine = QStringLiteral("POST https://lrs.acme.example/xapi/statements");
            outcome.attempt.status = 503;
            outcome.attempt.responseBody = QStringLiteral("probe %1 refused").arg(i);
            QVERIFY2(queue.record({outcome}, QDateTime::currentDateTimeUtc(), &error), qPrintable(error));
        }
        InMemorySecretStore secrets;
        IntegrationService integrations(m_fixture->store(), secrets);
        DeliveryQueuePage page(m_fixture->store(), integrations);
        page.model()->setFilter({});
        auto* table = page.findChild<QTableView*>();
        auto* attempts = page.findChild<QTextBrowser*>();
        for (int row = 0; row < page.model()->rowCount(); ++row) {
            if (page.model()->rowAt(row)->id == probe.id)
                table->selectRow(row);
        }
        const QString text = attempts->toPlainText();
        QVERIFY2(text.contains(QStringLiteral("The newest 20 of 30 attempts; xapi-courier queue attempts %1 lists them "
                                              "all.")
                                   .arg(probe.id)),
                 qPrintable(text));
        QVERIFY(text.indexOf(QLatin1String("probe 29 refused")) < text.indexOf(QLatin1String("probe 28 refused")));
        QVERIFY(text.contains(QLatin1String("probe 10 refused")));
        QVERIFY(!text.contains(QLatin1String("probe 9 refused")));
    }

    void modelPagesLazily()
    {
        DeliveryTableModel model(m_fixture->store());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setFilter({});
        QCOMPARE(model.totalCount(), 1000);
        QCOMPARE(model.rowCount(), DeliveryTableModel::PageSize); // not everything at once
        QVERIFY(model.canFetchMore({}));
        while (model.canFetchMore({}))
            model.fetchMore({});
        QCOMPARE(model.rowCount(), 1000);
        DeliveryFilter held;
        held.states = {Delivery::State::Held};
        model.setFilter(held);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.index(0, int(DeliveryTableModel::Column::State)).data().toString(), QStringLiteral("held"));
        DeliveryFilter search;
        search.search = QStringLiteral("s-99");
        model.setFilter(search);
        QCOMPARE(model.totalCount(), 11); // s-99, s-990..s-999
    }

    // What changed while the page was hidden (another page open, the engine marking a hanging request 'sending')
    // shows as soon as the page is shown again.
    void hiddenPageCatchesUpWhenShown()
    {
        InMemorySecretStore secrets;
        IntegrationService integrations(m_fixture->store(), secrets);
        DeliveryQueuePage page(m_fixture->store(), integrations);
        page.show();
        const auto stateOfFirst = [&] {
            return page.model()->index(0, int(DeliveryTableModel::Column::State)).data().toString();
        };
        QCOMPARE(stateOfFirst(), QStringLiteral("held"));
        page.hide();
        QString error;
        QVERIFY(DeliveryQueue(m_fixture->store()).releaseHeld(m_id, &error) == 1);
        QVERIFY(DeliveryQueue(m_fixture->store()).record({}, {1}, QDateTime::currentDateTimeUtc(), &error));
        page.refreshLive();
        QCOMPARE(stateOfFirst(), QStringLiteral("held")); // hidden: not read yet
        page.show();
        QCOMPARE(stateOfFirst(), QStringLiteral("sending"));
    }

    // The card's "oldest" age goes on counting between reloads, as its countdown does.
    void healthCardAgeTicks()
    {
        HealthCard card;
        Integration integration;
        integration.name = QStringLiteral("Acme LRS");
        LaneStats lane;
        lane.queued = 3;
        lane.oldestQueuedAt = QDateTime::currentDateTimeUtc().addSecs(-119);
        card.show(integration, lane);
        const auto depth = [&] {
            QStringList texts;
            for (QLabel* label : card.findChildren<QLabel*>())
                texts << label->text();
            return texts.join(u'\n');
        };
        QVERIFY2(depth().contains(QLatin1String("3 queued, oldest 119 s")), qPrintable(depth()));
        QTest::qWait(1100);
        card.tick();
        QVERIFY2(depth().contains(QLatin1String("3 queued, oldest 2 min")), qPrintable(depth()));
    }

    void pageShowsHealthAttemptsAndActs()
    {
        InMemorySecretStore secrets;
        IntegrationService integrations(m_fixture->store(), secrets);
        DeliveryQueuePage page(m_fixture->store(), integrations);
        page.resize(1200, 760);
        page.show();
        const QList<HealthCard*> cards = page.findChildren<HealthCard*>();
        QCOMPARE(cards.size(), 1);
        bool mentionsHold = false;
        for (QLabel* label : cards.first()->findChildren<QLabel*>())
            mentionsHold |= label->text().contains(QLatin1String("until the integration is updated"));
        QVERIFY(mentionsHold);

        QCOMPARE(page.model()->totalCount(), 1000); // failed and waiting
        auto* table = page.findChild<QTableView*>();
        table->selectRow(0);
        auto* attempts = page.findChild<QTextBrowser*>();
        QVERIFY(attempts->toPlainText().contains(QLatin1String("actor.mbox is not a mailto IRI")));
        QVERIFY(attempts->toPlainText().contains(QStringLiteral("Authorization: Bearer •••")));

        const QString folder = qEnvironmentVariable("COURIER_SCREENSHOT_DIR");
        if (!folder.isEmpty()) {
            QTest::qWait(50);
            page.grab().save(folder + QStringLiteral("/queue.png"));
        }

        MessageBox::setNextAnswer(true);
        page.discardSelected();
        QTRY_COMPARE(count(Delivery::State::Discarded), 1);
        QTRY_VERIFY(!page.bulkAction());
        auto* states = page.findChild<QComboBox*>(QStringLiteral("stateFilter"));
        states->setCurrentIndex(states->findText(QStringLiteral("Discarded")));
        QCOMPARE(page.model()->totalCount(), 1);
        const QList<QLabel*> labels = page.findChildren<QLabel*>();
        QVERIFY(std::any_of(labels.cbegin(), labels.cend(),
                            [](const QLabel* label) { return label->text() == QLatin1String("1 delivery"); }));
        table->selectRow(0);
        page.resendSelected();
        QTRY_COMPARE(count(Delivery::State::Discarded), 0);
        QTRY_VERIFY(!page.bulkAction());

        // Many at once: a progress bar while it runs, one transaction per chunk, and a summary at the end.
        states->setCurrentIndex(states->findText(QStringLiteral("Failed and waiting")));
        QCOMPARE(page.model()->totalCount(), 1000);
        table->selectAll(); // Ctrl+A: the rows fetched so far, standing for all the filter matches
        QVERIFY(page.model()->rowCount() < 1000);
        MessageBox::setNextAnswer(true);
        page.discardSelected();
        QVERIFY(page.bulkAction());
        auto* progress = page.findChild<QProgressBar*>();
        QVERIFY(progress->isVisibleTo(&page));
        QCOMPARE(progress->maximum(), 1000);
        QSignalSpy chunks(page.bulkAction(), &BulkAction::progress);
        QVERIFY(chunks.wait(5000));
        if (!folder.isEmpty())
            page.grab().save(folder + QStringLiteral("/queue-bulk.png"));
        QTRY_VERIFY(!page.bulkAction());
        QVERIFY(!progress->isVisibleTo(&page));
        QCOMPARE(count(Delivery::State::Discarded), 1000);
        bool summarised = false;
        for (QLabel* label : page.findChildren<QLabel*>())
            summarised |= label->text().contains(QLatin1String("Discarded 1000 of 1000"));
        QVERIFY(summarised);
    }

    // Each filter says in its own words that nothing matches it.
    void eachFilterHasItsOwnEmptyText()
    {
        InMemorySecretStore secrets;
        IntegrationService integrations(m_fixture->store(), secrets);
        DeliveryQueuePage page(m_fixture->store(), integrations);
        page.show();
        auto* states = page.findChild<QComboBox*>(QStringLiteral("stateFilter"));
        const auto shown = [&page](const QString& text) {
            const QList<QLabel*> labels = page.findChildren<QLabel*>();
            return std::any_of(labels.cbegin(), labels.cend(),
                               [&](const QLabel* label) { return label->isVisible() && label->text() == text; });
        };
        states->setCurrentIndex(states->findText(QStringLiteral("Delivered")));
        QVERIFY(shown(QStringLiteral("No statement here has been delivered yet.")));
        states->setCurrentIndex(states->findText(QStringLiteral("Discarded")));
        QVERIFY(shown(QStringLiteral("No statement here was discarded.")));
        states->setCurrentIndex(states->findText(QStringLiteral("Held")));
        page.findChild<QLineEdit*>()->setText(QStringLiteral("no-such-statement"));
        QTRY_VERIFY(shown(QStringLiteral("No delivery here matches “no-such-statement”.")));
    }

    // "Retry now" says which integration it probes, and the message goes once the probe has its answer.
    void retryNowMessageNamesItsIntegrationAndGoes()
    {
        QString error;
        IntegrationRepository repository(m_fixture->store());
        QVERIFY(repository.setHealth(m_id,
                                     {Integration::Health::Retrying, QStringLiteral("HTTP 503"),
                                      QDateTime::currentDateTimeUtc().addSecs(600), 1},
                                     &error));
        InMemorySecretStore secrets;
        IntegrationService integrations(m_fixture->store(), secrets);
        DeliveryQueuePage page(m_fixture->store(), integrations);
        page.show();
        HealthCard* card = page.findChild<HealthCard*>();
        Q_EMIT card->retryNowRequested(m_id);
        const auto message = [&page]() -> QString {
            for (QLabel* label : page.findChildren<QLabel*>()) {
                if (label->isVisible() && label->text().contains(QLatin1String("probing now")))
                    return label->text();
            }
            return {};
        };
        QVERIFY2(message().startsWith(QLatin1String("Acme LRS: probing now with one statement")),
                 qPrintable(message()));
        page.refreshLive();
        QVERIFY(!message().isEmpty()); // the probe has not been answered yet
        // The probe failed: the next one is a retry interval away.
        QVERIFY(repository.setHealth(
            m_id,
            {Integration::Health::Retrying, QStringLiteral("HTTP 503"), QDateTime::currentDateTimeUtc().addSecs(60), 1},
            &error));
        page.refreshLive();
        QVERIFY(message().isEmpty());
    }

    // Replay names its source and counts what it will queue before it acts; a resend of several asks first.
    void replayCountsFirstAndResendConfirms()
    {
        // A second integration with statements of its own, still waiting.
        Integration other;
        other.uid = QStringLiteral("o");
        other.name = QStringLiteral("Other LRS");
        other.provider = QStringLiteral("other");
        other.statementUrl = QUrl(QStringLiteral("https://other.example/xapi/statements"));
        other.auth = Integration::Auth::None;
        FieldIssues issues;
        QString error;
        QVERIFY(IntegrationRepository(m_fixture->store()).insert(other, &issues, &error));
        QList<QJsonObject> statements;
        for (int i = 0; i < 7; ++i)
            statements << QJsonObject{{QStringLiteral("id"), QStringLiteral("o-%1").arg(i)}};
        QVERIFY(
            DeliveryQueue(m_fixture->store()).enqueue(statements, {other.id}, QDateTime::currentDateTimeUtc(), &error));

        InMemorySecretStore secrets;
        IntegrationService integrations(m_fixture->store(), secrets);
        DeliveryActions actions(m_fixture->store());
        ReplayDialog dialog(actions, integrations.list(&error));
        dialog.fromEdit()->setDateTime(QDateTime::currentDateTime().addSecs(-3600));
        dialog.toEdit()->setDateTime(QDateTime::currentDateTime().addSecs(3600));
        QCOMPARE(dialog.sources().size(), 1007); // every integration's
        dialog.sourceBox()->setCurrentIndex(dialog.sourceBox()->findText(QStringLiteral("Other LRS")));
        QCOMPARE(dialog.sources().size(), 7);
        dialog.targetBox()->setCurrentIndex(dialog.targetBox()->findText(QStringLiteral("Acme LRS")));
        QCOMPARE(dialog.summary(), QStringLiteral("7 statements will be queued again to Acme LRS."));
        QVERIFY(dialog.replayButton()->isEnabled());
        dialog.fromEdit()->setDateTime(QDateTime::currentDateTime().addDays(-10));
        dialog.toEdit()->setDateTime(QDateTime::currentDateTime().addDays(-9));
        QVERIFY(!dialog.replayButton()->isEnabled());

        DeliveryQueuePage page(m_fixture->store(), integrations);
        page.show();
        auto* table = page.findChild<QTableView*>();
        table->selectRow(0);
        table->selectionModel()->select(page.model()->index(1, 0),
                                        QItemSelectionModel::Select | QItemSelectionModel::Rows);
        MessageBox::setNextAnswer(false);
        page.resendSelected();
        QVERIFY(!page.bulkAction()); // asked, and the answer was no
    }

    // Four integrations in a laptop-sized page: the cards wrap into rows without a sideways scroll bar, each as tall
    // as its content (the reason, the health line and the button whole), a long reason cut to a few lines with the
    // whole of it in the tooltip. Editing the held one says why it is held and how many statements saving releases.
    void chartsSayNoDataThenDrawDeliveries()
    {
        const qint64 quiet = StoreFixtures::addOpenIntegration(m_fixture->store(), QStringLiteral("Quiet LRS"));
        InMemorySecretStore secrets;
        IntegrationService integrations(m_fixture->store(), secrets);
        DeliveryQueuePage page(m_fixture->store(), integrations);
        page.resize(1366, 700);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        page.showTab(1);
        DeliveryChartsPanel* charts = page.charts();
        QVERIFY(charts->isVisible());
        QVERIFY(!page.findChild<QTableView*>()->isVisible()); // one tab at a time

        // All integrations: the held statement of init() and the hold since then, shaded.
        QTRY_VERIFY(charts->showsChart());
        QVERIFY2(charts->summaryText().startsWith(QLatin1String("1 statement: 1 held")),
                 qPrintable(charts->summaryText()));
        QVERIFY2(charts->summaryText().contains(QStringLiteral("held 1×")), qPrintable(charts->summaryText()));

        // An integration that delivered nothing says so, instead of drawing empty axes.
        charts->select(quiet, DeliveryChartSeries::Range::Hour);
        QVERIFY(!charts->showsChart());
        QVERIFY2(charts->emptyText().contains(QLatin1String("No deliveries in the last hour for Quiet LRS.")),
                 qPrintable(charts->emptyText()));
        const QString folder = qEnvironmentVariable("COURIER_SCREENSHOT_DIR");
        if (!folder.isEmpty())
            page.grab().save(folder + QStringLiteral("/queue-charts-empty.png"));

        // A worker (another connection) delivers three statements: the page follows the store.
        Store::OpenResult worker = Store::open(m_fixture->store().location());
        QVERIFY2(worker.store, qPrintable(worker.error));
        DeliveryQueue queue(*worker.store);
        QString error;
        QList<QJsonObject> statements;
        for (int i = 0; i < 3; ++i)
            statements << QJsonObject{{QStringLiteral("id"), QStringLiteral("q-%1").arg(i)}};
        QVERIFY(queue.enqueue(statements, {quiet}, QDateTime::currentDateTimeUtc(), &error));
        QList<DeliveryQueue::Outcome> outcomes;
        for (const Delivery& delivery : queue.claim(quiet, 3, QDateTime::currentDateTimeUtc(), &error)) {
            DeliveryQueue::Outcome outcome =
                StoreFixtures::acceptedOutcome(delivery.id, quiet, QDateTime::currentDateTimeUtc());
            outcome.attempt.durationMs = 40;
            outcomes << outcome;
        }
        QCOMPARE(outcomes.size(), 3);
        QVERIFY(queue.record(outcomes, QDateTime::currentDateTimeUtc(), &error));
        page.refreshLive();
        QTRY_VERIFY_WITH_TIMEOUT(charts->showsChart(), 10000);
        QVERIFY2(charts->summaryText().startsWith(QLatin1String("3 statements: 3 delivered")),
                 qPrintable(charts->summaryText()));
        QVERIFY2(charts->summaryText().contains(QLatin1String("p50 40 ms, p95 49 ms")),
                 qPrintable(charts->summaryText()));
        double top = 0;
        for (const QPointF& point : charts->chart()->outcomeTop(DeliveryAggregates::Outcome::Delivered)->points())
            top = std::max(top, point.y());
        QCOMPARE(top, 3.0);
        QCOMPARE(charts->chart()->p95Line()->count(), 1);
        QVERIFY(charts->chart()->countAxis()->titleText().contains(QLatin1String("per minute")));
        if (!folder.isEmpty()) {
            QTest::qWait(50);
            page.grab().save(folder + QStringLiteral("/queue-charts.png"));
        }
    }

    void cardsWrapAndEditSaysWhyItIsHeld()
    {
        QString error;
        IntegrationRepository repository(m_fixture->store());
        QVERIFY(repository.setHealth(m_id,
                                     {Integration::Health::Held,
                                      QStringLiteral("HTTP 400 Bad Request: ") + QString(400, QLatin1Char('x')),
                                      {},
                                      1},
                                     &error));
        for (int i = 0; i < 3; ++i)
            StoreFixtures::addOpenIntegration(m_fixture->store(), QStringLiteral("Other %1").arg(i));
        InMemorySecretStore secrets;
        IntegrationService integrations(m_fixture->store(), secrets);
        DeliveryQueuePage page(m_fixture->store(), integrations);
        page.resize(940, 700);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        const QList<HealthCard*> cards = page.findChildren<HealthCard*>();
        QCOMPARE(cards.size(), 4);
        auto* area = page.findChild<QScrollArea*>();
        QVERIFY(!area->horizontalScrollBar()->isVisible());
        QSet<int> rows;
        for (HealthCard* card : cards) {
            rows.insert(card->y());
            QVERIFY(card->x() + card->width() <= area->viewport()->width());
            for (QLabel* label : card->findChildren<QLabel*>()) {
                if (label->isVisible() && label->wordWrap())
                    QVERIFY2(label->height() >= label->heightForWidth(label->width()), qPrintable(label->text()));
            }
            for (QPushButton* button : card->findChildren<QPushButton*>()) {
                if (button->isVisible())
                    QVERIFY(button->geometry().bottom() <= card->contentsRect().bottom());
            }
        }
        QCOMPARE(rows.size(), 2); // three fit beside each other in 940 px, the fourth wraps
        QLabel* reason = nullptr;
        for (HealthCard* card : cards) {
            if (card->integrationId() == m_id)
                reason = card->findChild<QLabel*>(QStringLiteral("reason"));
        }
        QVERIFY(reason && reason->text().endsWith(QChar(0x2026)));
        QVERIFY(reason->toolTip().size() > 400);
        const QString folder = qEnvironmentVariable("COURIER_SCREENSHOT_DIR");
        if (!folder.isEmpty())
            page.grab().save(folder + QStringLiteral("/queue-cards.png"));

        IntegrationsPage editor(m_fixture->store(), integrations);
        editor.show();
        editor.selectIntegration(m_id);
        editor.editSelected();
        QTRY_VERIFY(editor.openDialog());
        const QString notice = editor.openDialog()->bannerText();
        QVERIFY2(notice.startsWith(QLatin1String("Held because: HTTP 400 Bad Request")), qPrintable(notice));
        QVERIFY2(notice.contains(QLatin1String("releases 1000 waiting statements")), qPrintable(notice));
        editor.openDialog()->reject();
    }
};

QTEST_MAIN(TestDeliveryQueuePage)
#include "tst_deliveryqueuepage.moc"
