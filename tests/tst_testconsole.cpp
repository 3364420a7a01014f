#include "InMemorySecretStore.h"
#include "LocalReceiver.h"
#include "TestClock.h"
#include "TestStore.h"

#include "console/TestConsolePage.h"
#include "delivery/HttpTransport.h"
#include "delivery/TokenClient.h"
#include "integrations/IntegrationRepository.h"
#include "integrations/IntegrationService.h"

#include "delivery/Redaction.h"
#include "secrets/SecretStore.h"

#include <QComboBox>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QNetworkAccessManager>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTest>
#include <QUuid>

namespace {

QJsonObject parse(const QString& text)
{
    return QJsonDocument::fromJson(text.toUtf8()).object();
}

QByteArray vendorSample()
{
    QFile file(QStringLiteral(COURIER_SAMPLES_DIR "/vendor-completed.json"));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// A page over a real store, a real HTTP transport and local receivers, with integrations to send to.
struct Rig
{
    TestStore fixture;
    InMemorySecretStore secrets;
    TestClock clock;
    QNetworkAccessManager network;
    TokenClient tokens{network, secrets, clock};
    HttpTransport transport{network, tokens, clock};
    IntegrationService integrations{fixture.store(), secrets};

    qint64 add(const QString& name, const QUrl& statements, Integration::Auth auth = Integration::Auth::None,
               const QUrl& token = QUrl())
    {
        Integration integration;
        integration.uid = QUuid::createUuid().toString(QUuid::WithoutBraces);
        integration.name = name;
        integration.provider = name;
        integration.statementUrl = statements;
        integration.auth = auth;
        integration.authUrl = token;
        integration.clientId = QStringLiteral("courier-client");
        FieldIssues issues;
        QString error;
        if (!IntegrationRepository(fixture.store()).insert(integration, &issues, &error))
            qWarning() << error;
        secrets.entries.insert(SecretStore::integrationKey(integration.uid), QStringLiteral("s3cret-value"));
        return integration.id;
    }
};

// Replaces the JSON editor's text as a user does: select all, paste.
void paste(QPlainTextEdit* json, const QString& text)
{
    json->selectAll();
    json->insertPlainText(text);
}

// Chooses the combo box item with that data with the keyboard, as a user does (activated is emitted).
void chooseByKeyboard(QComboBox* combo, const QString& data)
{
    combo->setFocus();
    const int target = combo->findData(data);
    while (combo->currentIndex() != target && target >= 0) {
        const int before = combo->currentIndex();
        QTest::keyClick(combo, combo->currentIndex() < target ? Qt::Key_Down : Qt::Key_Up);
        if (combo->currentIndex() == before)
            break;
    }
}

} // namespace

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

        // A missing comma is shown at its line and column, and a click goes there.
        QStringList lines = page.statementText().split(QLatin1Char('\n'));
        const qsizetype verb = lines.indexOf(QRegularExpression(QStringLiteral(R"(^\s*"verb": \{$)")));
        QVERIFY(verb > 1);
        lines[verb - 1].chop(1);
        page.setStatementText(lines.join(QLatin1Char('\n')));
        const QString where = QStringLiteral("line %1, column %2").arg(verb).arg(lines[verb - 1].size() + 1);
        QVERIFY2(findings->item(0)->text().contains(where), qPrintable(findings->item(0)->text() + u" / " + where));
        findings->setCurrentRow(0);
        Q_EMIT findings->itemClicked(findings->item(0));
        QCOMPARE(json->textCursor().blockNumber(), int(verb - 1));
        QCOMPARE(json->textCursor().positionInBlock(), int(lines[verb - 1].size()));

        // The xAPI version: contextAgents is a finding in 1.0.3 that says it is 2.0.0, and valid in 2.0.0.
        auto* version = page.findChild<QComboBox*>(QStringLiteral("xapiVersion"));
        QVERIFY(version);
        QJsonObject withAgents = QJsonDocument::fromJson(broken.toUtf8()).object();
        withAgents[QStringLiteral("object")] =
            QJsonObject{{QStringLiteral("id"), QStringLiteral("http://example.com/activities/quiz-7")}};
        withAgents[QStringLiteral("context")] = QJsonObject{
            {QStringLiteral("contextAgents"),
             QJsonArray{QJsonObject{{QStringLiteral("objectType"), QStringLiteral("contextAgent")},
                                    {QStringLiteral("agent"),
                                     QJsonObject{{QStringLiteral("mbox"), QStringLiteral("mailto:t@example.com")}}}}}}};
        page.setStatementText(QString::fromUtf8(QJsonDocument(withAgents).toJson()));
        QVERIFY2(findings->item(0)->text().contains(QLatin1String("context.contextAgents: is xAPI 2.0.0")),
                 qPrintable(findings->item(0)->text()));
        if (const QString shots = qEnvironmentVariable("COURIER_SCREENSHOT_DIR"); !shots.isEmpty())
            page.grab().save(shots + QStringLiteral("/console-finding-with-rule.png"));
        version->setCurrentIndex(version->findText(QStringLiteral("xAPI 2.0.0")));
        QVERIFY2(findings->item(0)->text().contains(QLatin1String("Valid xAPI 2.0.0 statement")),
                 qPrintable(findings->item(0)->text()));
        version->setCurrentIndex(0);

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

    // Item 1 of issue 19: a pasted vendor statement survives the form. Each field edits its own path of the JSON text,
    // Regenerate Id only the id, every other character stays; Ctrl+Z in a field takes the edits back one by one; the
    // form shows what the JSON says and enables the fields that apply.
    void theFormEditsOnlyItsOwnPathOfAPastedStatement()
    {
        Rig rig;
        TestConsolePage page(rig.fixture.store(), rig.integrations, rig.transport);
        page.resize(1300, 760);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        auto* json = page.findChild<QPlainTextEdit*>(QStringLiteral("json"));
        auto* objectId = page.findChild<QLineEdit*>(QStringLiteral("objectId"));
        QVERIFY(json && objectId);
        const QString vendor = QString::fromUtf8(vendorSample());
        QVERIFY(!vendor.isEmpty());
        paste(json, vendor);
        QCOMPARE(page.statementText(), vendor);

        // A field edits its path in the text; nothing else changes, not a character.
        const QString newObject = QStringLiteral("http://example.com/activities/wine-102");
        objectId->setFocus();
        objectId->selectAll();
        QTest::keyClicks(objectId, newObject);
        const QString afterObject = QString(vendor).replace(
            QStringLiteral("http://xapi.typsy.com/activity/788f7f25ba4e4801a438f2108fe2fa0a"), newObject);
        QCOMPARE(page.statementText(), afterObject);

        auto* platform = page.findChild<QLineEdit*>(QStringLiteral("platform"));
        auto* verb = page.findChild<QComboBox*>(QStringLiteral("verb"));
        auto* ns = page.findChild<QComboBox*>(QStringLiteral("namespace"));
        auto* vendorBase = page.findChild<QLineEdit*>(QStringLiteral("vendorBase"));
        auto* actorBy = page.findChild<QComboBox*>(QStringLiteral("actorBy"));
        auto* email = page.findChild<QLineEdit*>(QStringLiteral("actorEmail"));
        auto* homePage = page.findChild<QLineEdit*>(QStringLiteral("homePage"));
        auto* accountName = page.findChild<QLineEdit*>(QStringLiteral("accountName"));
        auto* kind = page.findChild<QComboBox*>(QStringLiteral("kind"));
        auto* raw = page.findChild<QLineEdit*>(QStringLiteral("scoreRaw"));
        QVERIFY(platform && verb && ns && vendorBase && actorBy && email && homePage && accountName && kind && raw);
        // The form shows what the JSON says, and enables what applies.
        QCOMPARE(verb->currentData().toString(), QStringLiteral("completed"));
        QCOMPARE(ns->currentData().toString(), QStringLiteral("vendor"));
        QVERIFY(vendorBase->isEnabled());
        QCOMPARE(vendorBase->text(), QStringLiteral("http://xapi.typsy.com"));
        QCOMPARE(kind->currentData().toString(), QStringLiteral("course"));
        QCOMPARE(actorBy->currentData().toString(), QStringLiteral("account"));
        QVERIFY(homePage->isEnabled() && accountName->isEnabled() && !email->isEnabled());
        QCOMPARE(homePage->text(), QStringLiteral("https://www.typsy.com/profile/john-shaker"));
        QCOMPARE(accountName->text(), QStringLiteral("4db4abe545c74c16bff2c82d45d1a9b8"));
        QCOMPARE(platform->text(), QStringLiteral("Typsy"));
        QCOMPARE(raw->text(), QStringLiteral("14"));

        platform->setFocus();
        platform->selectAll();
        QTest::keyClicks(platform, QStringLiteral("QA"));
        const QString afterPlatform =
            QString(afterObject)
                .replace(QStringLiteral("\"platform\": \"Typsy\""), QStringLiteral("\"platform\": \"QA\""));
        QCOMPARE(page.statementText(), afterPlatform);

        chooseByKeyboard(verb, QStringLiteral("progressed"));
        QJsonObject expected = parse(afterPlatform);
        expected[QStringLiteral("verb")] =
            QJsonObject{{QStringLiteral("id"), QStringLiteral("http://xapi.typsy.com/verbs/progressed")},
                        {QStringLiteral("display"), QJsonObject{{QStringLiteral("en"), QStringLiteral("progressed")}}}};
        QCOMPARE(parse(page.statementText()), expected);
        const QString afterVerb = page.statementText();

        page.regenerateId();
        const QString newId = parse(page.statementText()).value(QStringLiteral("id")).toString();
        QVERIFY(newId != QLatin1String("f4178dfb-d61c-4a16-8ab3-5b9fccae7d8c"));
        QCOMPARE(page.statementText(),
                 QString(afterVerb).replace(QStringLiteral("f4178dfb-d61c-4a16-8ab3-5b9fccae7d8c"), newId));
        QCOMPARE(parse(page.statementText()).value(QStringLiteral("timestamp")).toString(),
                 QStringLiteral("2018-11-01T19:03:01.2719736Z"));

        // Ctrl+Z in a form field undoes in the JSON: the id, the verb, the platform, the object id (typed in one go,
        // taken back in one step), then the paste.
        objectId->setFocus();
        const QList<QString> steps{afterVerb, afterPlatform, afterObject, vendor};
        for (const QString& step : steps) {
            QTest::keyClick(objectId, Qt::Key_Z, Qt::ControlModifier);
            QCOMPARE(page.statementText(), step);
        }
        QCOMPARE(objectId->text(), QStringLiteral("http://xapi.typsy.com/activity/788f7f25ba4e4801a438f2108fe2fa0a"));
        QCOMPARE(verb->currentData().toString(), QStringLiteral("completed"));
        QTest::keyClick(objectId, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier); // redo
        QCOMPARE(page.statementText(), afterObject);

        // A JSON edit: the form follows, and enables the fields of an mbox actor and of an ADL verb.
        QString edited = page.statementText();
        edited.replace(QStringLiteral("\"http://xapi.typsy.com/verbs/completed\""),
                       QStringLiteral("\"http://adlnet.gov/expapi/verbs/completed\""));
        edited.replace(QRegularExpression(QStringLiteral("\"account\": \\{[^}]*\\}")),
                       QStringLiteral("\"mbox\": \"mailto:john@example.com\""));
        paste(json, edited);
        QCOMPARE(ns->currentData().toString(), QStringLiteral("adl"));
        QVERIFY(!vendorBase->isEnabled());
        QCOMPARE(actorBy->currentData().toString(), QStringLiteral("mbox"));
        QVERIFY(email->isEnabled() && !homePage->isEnabled());
        QCOMPARE(email->text(), QStringLiteral("john@example.com"));
        // Switching the actor to an account replaces only the actor's identifier.
        chooseByKeyboard(actorBy, QStringLiteral("account"));
        QJsonObject actor = parse(edited).value(QStringLiteral("actor")).toObject();
        actor.remove(QStringLiteral("mbox"));
        actor[QStringLiteral("account")] =
            QJsonObject{{QStringLiteral("homePage"), homePage->text()}, {QStringLiteral("name"), accountName->text()}};
        expected = parse(edited);
        expected[QStringLiteral("actor")] = actor;
        QCOMPARE(parse(page.statementText()), expected);

        // JSON that does not parse: the form waits (disabled) instead of rebuilding the statement.
        paste(json, QStringLiteral("{\"id\": "));
        QVERIFY(!objectId->isEnabled());
        QCOMPARE(page.statementText(), QStringLiteral("{\"id\": "));
        page.regenerateId(); // nothing to give an id to: it says so and leaves the text alone
        QCOMPARE(page.statementText(), QStringLiteral("{\"id\": "));
        QVERIFY(page.findChild<QLabel*>(QStringLiteral("status"))->text().contains(QLatin1String("Regenerate Id")));
    }

    // Item 2: a token failure says so, shows the token request (secret hidden) and its answer, and that the
    // statement was not sent; the history entry says the same.
    void tokenFailureSaysTheStatementWasNotSent()
    {
        LocalReceiver receiver;
        QVERIFY(receiver.start());
        receiver.setTokenReplies({{401, R"({"error":"invalid_client"})", {{"Content-Type", "application/json"}}, 0}});
        Rig rig;
        rig.add(QStringLiteral("OAuth LRS"), receiver.statementsUrl(), Integration::Auth::OAuth2, receiver.tokenUrl());
        TestConsolePage page(rig.fixture.store(), rig.integrations, rig.transport);
        page.resize(1300, 760);
        page.show();
        QSignalSpy sent(&page, &TestConsolePage::sent);
        page.send();
        QVERIFY(sent.wait(20000));
        QCOMPARE(receiver.tokenRequests.size(), 1);
        QCOMPARE(receiver.statementRequests.size(), 0);

        auto* status = page.findChild<QLabel*>(QStringLiteral("status"));
        auto* message = page.findChild<QLabel*>(QStringLiteral("message"));
        QVERIFY(status);
        QCOMPARE(status->text(), QStringLiteral("Not sent")); // not the token endpoint's 401 as if the LRS said it
        QVERIFY(message);
        const auto check = [&] {
            QCOMPARE(status->text(), QStringLiteral("Not sent"));
            QVERIFY(message->isVisible());
            QVERIFY2(message->text().startsWith(TokenClient::invalidCredentials()), qPrintable(message->text()));
            QVERIFY2(message->text().contains(QLatin1String("The statement was not sent")),
                     qPrintable(message->text()));
            const QList<QPlainTextEdit*> views = page.findChildren<QPlainTextEdit*>();
            QString request;
            QString body;
            for (QPlainTextEdit* view : views) {
                if (view->toPlainText().startsWith(QLatin1String("POST ")))
                    request = view->toPlainText();
                if (view->toPlainText().contains(QLatin1String("invalid_client")))
                    body = view->toPlainText();
            }
            // The token request as sent: to the Authentication URL, the secret hidden; not the statement.
            QVERIFY2(request.startsWith(QStringLiteral("POST ") + receiver.tokenUrl().toString()), qPrintable(request));
            QVERIFY2(request.contains(QLatin1String("grant_type=client_credentials")), qPrintable(request));
            QVERIFY2(request.contains(QLatin1String("Authorization: Basic ") + Redaction::mask()), qPrintable(request));
            QVERIFY(!request.contains(QLatin1String("s3cret")));
            QVERIFY(!request.contains(QLatin1String("\"actor\"")));
            QVERIFY(!body.isEmpty()); // the token endpoint's answer
        };
        check();
        const QString folder = qEnvironmentVariable("COURIER_SCREENSHOT_DIR");
        if (!folder.isEmpty())
            page.grab().save(folder + QStringLiteral("/console-token-failure.png"));

        // The history entry, reopened, says the same; an id never sent cannot be sent "again".
        auto* history = page.findChild<QListWidget*>(QStringLiteral("history"));
        QCOMPARE(history->count(), 1);
        QVERIFY2(history->item(0)->text().contains(QLatin1String("not sent")), qPrintable(history->item(0)->text()));
        QVERIFY(!page.findChild<QPushButton*>(QStringLiteral("sendAgain"))->isEnabled());
        status->clear();
        history->setCurrentRow(0);
        check();
    }

    // Item 3: a history entry brings back its integration too, and "Send the Same Id Again" sends exactly the
    // statement on screen (not the last one sent), to the integration on screen.
    void historyBringsBackItsIntegrationAndSendsWhatIsOnScreen()
    {
        LocalReceiver first;
        LocalReceiver second;
        QVERIFY(first.start() && second.start());
        Rig rig;
        rig.add(QStringLiteral("First LRS"), first.statementsUrl());
        rig.add(QStringLiteral("Second LRS"), second.statementsUrl());
        TestConsolePage page(rig.fixture.store(), rig.integrations, rig.transport);
        page.resize(1300, 760);
        page.show();
        auto* integration = page.findChild<QComboBox*>(QStringLiteral("integration"));
        QPushButton* again = nullptr;
        for (QPushButton* button : page.findChildren<QPushButton*>()) {
            if (button->text() == QLatin1String("Send the Same Id Again"))
                again = button;
        }
        auto* history = page.findChild<QListWidget*>(QStringLiteral("history"));
        QVERIFY(integration && again && history);

        integration->setCurrentIndex(integration->findText(QStringLiteral("First LRS")));
        paste(page.findChild<QPlainTextEdit*>(QStringLiteral("json")), QString::fromUtf8(vendorSample()));
        QSignalSpy sent(&page, &TestConsolePage::sent);
        page.send();
        QVERIFY(sent.wait(20000));
        const QString firstStatement = page.statementText();
        QCOMPARE(firstStatement, QString::fromUtf8(vendorSample()));
        const QString firstId = parse(firstStatement).value(QStringLiteral("id")).toString();

        page.regenerateId();
        integration->setCurrentIndex(integration->findText(QStringLiteral("Second LRS")));
        page.send();
        QVERIFY(sent.wait(20000));
        QCOMPARE(second.statementRequests.size(), 1);

        QCOMPARE(history->count(), 2);
        history->setCurrentRow(1); // the first send (newest first)
        QCOMPARE(integration->currentText(), QStringLiteral("First LRS"));
        QCOMPARE(page.statementText(), firstStatement); // as it was sent, not re-formatted
        QVERIFY(again->isEnabled());
        QTest::mouseClick(again, Qt::LeftButton);
        QVERIFY(sent.wait(20000));
        QCOMPARE(first.statementRequests.size(), 2);
        QCOMPARE(second.statementRequests.size(), 1);
        QCOMPARE(first.statementRequests.at(1).statementIds(), QStringList{firstId});
        QCOMPARE(QJsonDocument::fromJson(first.statementRequests.at(1).body).object(), parse(page.statementText()));

        // The button applies to an id that was sent; a new id was never sent.
        QVERIFY(again->isEnabled());
        page.regenerateId();
        QVERIFY(!again->isEnabled());
    }

    // Item 4 (the GUI half): findings wrap in the list's width; none runs off to the right behind a scroll bar.
    void findingsWrapInTheirWidth()
    {
        Rig rig;
        TestConsolePage page(rig.fixture.store(), rig.integrations, rig.transport);
        page.resize(940, 680);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        // The form needs no sideways scrolling in this width either.
        auto* formArea = qobject_cast<QScrollArea*>(page.findChild<QLineEdit*>(QStringLiteral("platform"))
                                                        ->parentWidget()
                                                        ->parentWidget()
                                                        ->parentWidget()
                                                        ->parentWidget());
        QVERIFY(formArea);
        QVERIFY(!formArea->horizontalScrollBar()->isVisible());
        QJsonObject statement = parse(page.statementText());
        statement[QStringLiteral("timestamp")] = QStringLiteral("yesterday at noon");
        statement[QStringLiteral("object")] = QJsonObject{{QStringLiteral("id"), QStringLiteral("not an IRI at all")}};
        page.setStatementText(QString::fromUtf8(QJsonDocument(statement).toJson()));
        auto* findings = page.findChild<QListWidget*>(QStringLiteral("findings"));
        QVERIFY(findings->count() >= 2);
        QTest::qWait(0);
        const int width = findings->viewport()->width();
        bool longer = false;
        for (int row = 0; row < findings->count(); ++row) {
            QListWidgetItem* item = findings->item(row);
            longer = longer || findings->fontMetrics().horizontalAdvance(item->text()) > width;
            const QRect rect = findings->visualItemRect(item);
            QVERIFY2(rect.right() <= width,
                     qPrintable(QStringLiteral("%1 > %2: %3").arg(rect.right()).arg(width).arg(item->text())));
        }
        QVERIFY2(longer, "no finding is longer than the list is wide: the test proves nothing");
        QVERIFY(!findings->horizontalScrollBar()->isVisible());
        const QString folder = qEnvironmentVariable("COURIER_SCREENSHOT_DIR");
        if (!folder.isEmpty())
            page.grab().save(folder + QStringLiteral("/console-findings.png"));
    }

    // In the main window on a 1366x768 screen the page is about 1126x700: every field of the form is in view, down
    // to Platform, without scrolling.
    void theWholeFormFitsALaptopScreen()
    {
        Rig rig;
        TestConsolePage page(rig.fixture.store(), rig.integrations, rig.transport);
        page.resize(1126, 700);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        auto* platform = page.findChild<QLineEdit*>(QStringLiteral("platform"));
        QVERIFY(platform);
        QWidget* viewport = platform->parentWidget();
        while (viewport && viewport->objectName() != QLatin1String("qt_scrollarea_viewport"))
            viewport = viewport->parentWidget();
        QVERIFY(viewport);
        const int bottom = platform->mapTo(viewport, QPoint(0, platform->height())).y();
        QVERIFY2(bottom <= viewport->height(),
                 qPrintable(QStringLiteral("%1 > %2").arg(bottom).arg(viewport->height())));
        const QString folder = qEnvironmentVariable("COURIER_SCREENSHOT_DIR");
        if (!folder.isEmpty())
            page.grab().save(folder + QStringLiteral("/console-form.png"));
    }
};

QTEST_MAIN(TestTestConsole)
#include "tst_testconsole.moc"
