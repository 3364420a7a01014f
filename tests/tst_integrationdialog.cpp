#include "LocalReceiver.h"
#include "SecretCall.h"
#include "ServiceCall.h"
#include "TestClock.h"
#include "TestStore.h"

#include "common/MessageBox.h"
#include "delivery/TokenClient.h"
#include "integrations/IntegrationDialog.h"
#include "integrations/IntegrationService.h"
#include "integrations/IntegrationTableModel.h"
#include "integrations/IntegrationsPage.h"
#include "retention/RetentionPolicies.h"
#include "secrets/KeychainSecretStore.h"

#include <QAction>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTest>
#include <QTextBrowser>

// The add/edit dialog and the page, driven with real widgets, a real SQLite store and the real keychain.
class TestIntegrationDialog final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestStore> m_fixture;
    KeychainSecretStore m_secrets;
    std::unique_ptr<IntegrationService> m_service;

    static void type(IntegrationDialog& dialog, const QString& field, const QString& text)
    {
        QWidget* editor = dialog.editor(field);
        QLineEdit* edit = qobject_cast<QLineEdit*>(editor);
        if (auto* combo = qobject_cast<QComboBox*>(editor))
            edit = combo->lineEdit();
        QVERIFY2(edit, qPrintable(field));
        edit->selectAll();
        QTest::keyClick(edit, Qt::Key_Backspace);
        QTest::keyClicks(edit, text);
    }
    static void fillValid(IntegrationDialog& dialog)
    {
        type(dialog, QStringLiteral("name"), QStringLiteral("Acme LRS"));
        type(dialog, QStringLiteral("provider"), QStringLiteral("acme"));
        type(dialog, QStringLiteral("emails"), QStringLiteral("ops@acme.example, lrs@acme.example"));
        type(dialog, QStringLiteral("statementUrl"), QStringLiteral("https://lrs.acme.example/xapi/statements"));
        type(dialog, QStringLiteral("authUrl"), QStringLiteral("https://auth.acme.example/oauth/token"));
        type(dialog, QStringLiteral("clientId"), QStringLiteral("courier"));
        type(dialog, QStringLiteral("clientSecret"), QStringLiteral("dialog-secret-42"));
    }
    static void screenshot(QWidget& widget, const QString& name)
    {
        const QString folder = qEnvironmentVariable("COURIER_SCREENSHOT_DIR");
        if (folder.isEmpty())
            return;
        QTest::qWait(50); // let pending layout requests run, as they would before a real paint
        widget.grab().save(folder + QLatin1Char('/') + name + QStringLiteral(".png"));
    }

private Q_SLOTS:
    void init()
    {
        m_fixture = std::make_unique<TestStore>();
        QVERIFY(m_fixture->isValid());
        m_service = std::make_unique<IntegrationService>(m_fixture->store(), m_secrets);
    }
    void cleanup()
    {
        m_service.reset();
        m_fixture.reset();
    }

    void refusesBadInput()
    {
        IntegrationDialog dialog(*m_service, std::nullopt);
        dialog.show();
        QVERIFY(!dialog.okButton()->isEnabled());                  // nothing typed yet
        QVERIFY(dialog.message(QStringLiteral("name")).isEmpty()); // untouched fields are not shouted at

        fillValid(dialog);
        QVERIFY(dialog.okButton()->isEnabled());

        type(dialog, QStringLiteral("statementUrl"), QStringLiteral("lrs.acme.example/xapi"));
        QVERIFY(!dialog.okButton()->isEnabled());
        QVERIFY2(dialog.message(QStringLiteral("statementUrl")).contains(QLatin1String("absolute http")),
                 qPrintable(dialog.message(QStringLiteral("statementUrl"))));

        type(dialog, QStringLiteral("statementUrl"), QStringLiteral("https://lrs.acme.example/xapi/statements"));
        type(dialog, QStringLiteral("emails"), QStringLiteral("ops@acme.example, nobody"));
        QVERIFY(!dialog.okButton()->isEnabled());
        QVERIFY(dialog.message(QStringLiteral("emails")).contains(QStringLiteral("“nobody”")));
        screenshot(dialog, QStringLiteral("dialog-errors"));

        type(dialog, QStringLiteral("emails"), QStringLiteral("ops@acme.example"));
        type(dialog, QStringLiteral("clientId"), QString());
        QVERIFY(!dialog.okButton()->isEnabled());
        QVERIFY(dialog.message(QStringLiteral("clientId")).contains(QLatin1String("Client ID is required")));

        // Even a forced accept refuses and writes nothing.
        dialog.accept();
        QVERIFY(dialog.isVisible());
        QString error;
        QVERIFY(m_service->list(&error).isEmpty());
    }

    void plainHttpIsAWarningNotAnError()
    {
        IntegrationDialog dialog(*m_service, std::nullopt);
        dialog.show();
        fillValid(dialog);
        type(dialog, QStringLiteral("statementUrl"), QStringLiteral("http://lrs.acme.example/xapi/statements"));
        QVERIFY(dialog.okButton()->isEnabled());
        QVERIFY(dialog.message(QStringLiteral("statementUrl")).contains(QLatin1String("unencrypted")));
        screenshot(dialog, QStringLiteral("dialog-warning"));
    }

    void savesGoodInputToStoreAndKeychain()
    {
        IntegrationDialog dialog(*m_service, std::nullopt);
        QSignalSpy saved(&dialog, &IntegrationDialog::saved);
        dialog.show();
        fillValid(dialog);
        QTest::mouseClick(dialog.okButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, 20000);
        QVERIFY(!dialog.isVisible());

        QString error;
        const QList<Integration> all = m_service->list(&error);
        QCOMPARE(all.size(), 1);
        const Integration stored = all.first();
        QCOMPARE(stored.name, QStringLiteral("Acme LRS"));
        QCOMPARE(stored.emails.size(), 2);
        QCOMPARE(SecretCall::read(m_secrets, SecretStore::integrationKey(stored.uid)).value,
                 QStringLiteral("dialog-secret-42"));
        QVERIFY(!m_fixture->fileBytes().contains("dialog-secret-42"));

        // Editing with the secret left empty keeps it.
        IntegrationDialog edit(*m_service, stored);
        QSignalSpy editSaved(&edit, &IntegrationDialog::saved);
        edit.show();
        QVERIFY(qobject_cast<QLineEdit*>(edit.editor(QStringLiteral("clientSecret")))
                    ->placeholderText()
                    .contains(QLatin1String("Leave empty to keep the current secret")));
        QVERIFY(edit.okButton()->isEnabled());
        type(edit, QStringLiteral("clientId"), QStringLiteral("courier-2"));
        screenshot(edit, QStringLiteral("dialog-edit"));
        QTest::mouseClick(edit.okButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(editSaved.count(), 1, 20000);
        QCOMPARE(m_service->list(&error).first().clientId, QStringLiteral("courier-2"));
        QCOMPARE(SecretCall::read(m_secrets, SecretStore::integrationKey(stored.uid)).value,
                 QStringLiteral("dialog-secret-42"));
    }

    void duplicateProviderIsRefusedInline()
    {
        Integration existing = sampleIntegration(QStringLiteral("First"), QStringLiteral("acme"));
        existing.auth = Integration::Auth::None;
        QVERIFY(addAndWait(*m_service, existing, QString()).ok);
        IntegrationDialog dialog(*m_service, std::nullopt);
        dialog.show();
        fillValid(dialog);
        QVERIFY(!dialog.okButton()->isEnabled());
        QVERIFY(
            dialog.message(QStringLiteral("provider")).contains(QLatin1String("only one integration per provider")));
    }

    void pageShowsEmptyStateThenRowsAndDeletesAfterConfirmation()
    {
        IntegrationsPage page(m_fixture->store(), *m_service);
        page.resize(1000, 600);
        page.show();
        QCOMPARE(page.model()->rowCount(), 0);
        screenshot(page, QStringLiteral("page-empty"));

        QVERIFY(addAndWait(*m_service, sampleIntegration(), QStringLiteral("page-secret")).ok);
        QTRY_COMPARE(page.model()->rowCount(), 1);
        QVERIFY(page.table()->selectionModel()->hasSelection());
        screenshot(page, QStringLiteral("page-list"));

        // Toggle from the page.
        page.toggleSelected();
        QString error;
        QTRY_VERIFY(!m_service->list(&error).first().enabled);

        // The confirmation says no: nothing happens.
        MessageBox::setNextAnswer(false);
        page.deleteSelected();
        QTest::qWait(200);
        QCOMPARE(m_service->list(&error).size(), 1);

        const QString uid = m_service->list(&error).first().uid;
        MessageBox::setNextAnswer(true);
        page.deleteSelected();
        QTRY_COMPARE_WITH_TIMEOUT(page.model()->rowCount(), 0, 20000);
        QCOMPARE(SecretCall::read(m_secrets, SecretStore::integrationKey(uid)).status, SecretResult::Status::NotFound);
    }

    void pageTestsTheConnection()
    {
        LocalReceiver receiver;
        QVERIFY(receiver.start());
        receiver.setTokenReplies({LocalReceiver::token("page-token", 3600)});
        Integration oauth = sampleIntegration();
        oauth.authUrl = receiver.tokenUrl();
        QVERIFY(addAndWait(*m_service, oauth, QStringLiteral("page-secret")).ok);
        QNetworkAccessManager network;
        TestClock clock;
        TokenClient tokens(network, m_secrets, clock);
        IntegrationsPage page(m_fixture->store(), *m_service);
        page.resize(1000, 600);
        page.show();
        page.setTokenClient(&tokens);
        QTRY_COMPARE(page.model()->rowCount(), 1);
        page.testConnection();
        QTRY_VERIFY_WITH_TIMEOUT(page.notice().contains(QLatin1String("Connected")), 20000);
        QCOMPARE(receiver.tokenRequests.size(), 1);
        screenshot(page, QStringLiteral("page-test-connection"));
    }

    // A disabled Add button says what is still missing, fields not touched yet included.
    void disabledAddSaysWhatIsMissing()
    {
        IntegrationDialog dialog(*m_service, std::nullopt);
        dialog.show();
        type(dialog, QStringLiteral("name"), QStringLiteral("Acme LRS"));
        type(dialog, QStringLiteral("provider"), QStringLiteral("acme"));
        type(dialog, QStringLiteral("statementUrl"), QStringLiteral("https://lrs.acme.example/xapi/statements"));
        QVERIFY(!dialog.okButton()->isEnabled());
        auto* missing = dialog.findChild<QLabel*>(QStringLiteral("missing"));
        QVERIFY(missing && missing->isVisible());
        QVERIFY2(missing->text().contains(QLatin1String("Authentication URL")) &&
                     missing->text().contains(QLatin1String("Client ID")) &&
                     missing->text().contains(QLatin1String("Client Secret")),
                 qPrintable(missing->text()));
        type(dialog, QStringLiteral("authUrl"), QStringLiteral("https://auth.acme.example/oauth/token"));
        type(dialog, QStringLiteral("clientId"), QStringLiteral("courier"));
        type(dialog, QStringLiteral("clientSecret"), QStringLiteral("s3cret-value"));
        QVERIFY(dialog.okButton()->isEnabled());
        QVERIFY(!missing->isVisible());

        // An error that clears leaves no blank gap: the dialog is as tall as before the error.
        QTest::qWait(50); // the dialog fits its content after the event loop has laid it out
        const int before = dialog.height();
        type(dialog, QStringLiteral("statementUrl"), QStringLiteral("not a url at all, and a long one that wraps"));
        QTRY_VERIFY(dialog.height() > before);
        type(dialog, QStringLiteral("statementUrl"), QStringLiteral("https://lrs.acme.example/xapi/statements"));
        QTRY_COMPARE(dialog.height(), before);
    }

    // Test Connection without a token says what it tested and for which integration; the result goes when another
    // integration is selected. Return in the filter box does not open the editor; on the table it does. The
    // actions on the selection act only while the page is in view, and the table has the keyboard.
    void pageKeyboardAndConnectionTestWithoutToken()
    {
        LocalReceiver receiver;
        QVERIFY(receiver.start());
        Integration open = sampleIntegration(QStringLiteral("Open LRS"), QStringLiteral("open"));
        open.auth = Integration::Auth::None;
        open.statementUrl = receiver.statementsUrl();
        QVERIFY(addAndWait(*m_service, open, QString()).ok);
        QVERIFY(addAndWait(*m_service, sampleIntegration(QStringLiteral("Other"), QStringLiteral("other")),
                           QStringLiteral("s"))
                    .ok);
        QNetworkAccessManager network;
        TestClock clock;
        TokenClient tokens(network, m_secrets, clock);
        IntegrationsPage page(m_fixture->store(), *m_service);
        page.resize(1000, 600);
        page.show();
        QVERIFY(QTest::qWaitForWindowActive(&page));
        page.setTokenClient(&tokens);
        QTRY_COMPARE(page.model()->rowCount(), 2);
        QTRY_VERIFY(page.table()->hasFocus());
        QCOMPARE(page.table()->textElideMode(), Qt::ElideRight); // URLs keep scheme, host and port in view

        page.table()->selectRow(0); // "Open LRS", sorted by name
        page.testConnection();
        QTRY_VERIFY_WITH_TIMEOUT(!page.notice().isEmpty(), 20000);
        QVERIFY2(page.notice().contains(QLatin1String("Open LRS: Reachable")), qPrintable(page.notice()));
        page.table()->selectRow(1);
        QVERIFY(page.notice().isEmpty());

        auto* filter = page.findChild<QLineEdit*>();
        filter->setFocus();
        QTest::keyClick(filter, Qt::Key_Return);
        QVERIFY(!page.openDialog());
        page.table()->setFocus();
        QTest::keyClick(page.table(), Qt::Key_Return);
        QTRY_VERIFY(page.openDialog());
        page.openDialog()->reject();
        QTRY_VERIFY(!page.openDialog());

        QAction* edit = page.pageActions().at(1);
        QVERIFY(edit->isEnabled());
        page.hide();
        QVERIFY(!edit->isEnabled()); // the Integrations menu does not act on a hidden selection
    }

    // The xAPI version and the retention, set through the dialog and read back from the store: auto asks the
    // receiver's GET .../about once when saved, keeps its answer and when it asked; the bodies cannot be kept longer
    // than the statements (the CLI's sentence, under the field); the details pane shows both.
    void xapiVersionAndRetentionAreSavedFromTheDialog()
    {
        LocalReceiver receiver;
        QVERIFY(receiver.start());
        receiver.setAboutVersions({QStringLiteral("1.0.3"), QStringLiteral("2.0.0")});
        IntegrationDialog dialog(*m_service, std::nullopt);
        QSignalSpy saved(&dialog, &IntegrationDialog::saved);
        dialog.show();
        fillValid(dialog);
        type(dialog, QStringLiteral("statementUrl"), receiver.statementsUrl().toString());
        auto* version = qobject_cast<QComboBox*>(dialog.editor(QStringLiteral("xapiVersion")));
        auto* retention = qobject_cast<QSpinBox*>(dialog.editor(QStringLiteral("retentionDays")));
        auto* bodies = qobject_cast<QSpinBox*>(dialog.editor(QStringLiteral("keepBodiesDays")));
        QVERIFY(version && retention && bodies);
        QCOMPARE(version->currentData().toString(), QStringLiteral("1.0.3")); // the default
        QCOMPARE(retention->text(), QStringLiteral("Forever"));
        version->setCurrentIndex(version->findData(QStringLiteral("auto")));
        retention->setValue(30);
        bodies->setFocus();
        bodies->setValue(40);
        const QString sentence = RetentionPolicy{30, 40}.check().constFirst().message;
        QCOMPARE(dialog.message(QStringLiteral("keepBodiesDays")), sentence);
        QVERIFY(!dialog.okButton()->isEnabled());
        screenshot(dialog, QStringLiteral("dialog-retention-error"));
        bodies->setValue(7);
        QVERIFY(dialog.message(QStringLiteral("keepBodiesDays")).isEmpty());
        QVERIFY(dialog.okButton()->isEnabled());
        QTest::mouseClick(dialog.okButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, 20000);
        QCOMPARE(receiver.aboutRequests.size(), 1);

        QString error;
        const Integration stored = m_service->list(&error).constFirst();
        QCOMPARE(stored.xapiVersion, QStringLiteral("auto"));
        QCOMPARE(stored.xapiDetected, QStringLiteral("2.0.0"));
        QVERIFY(stored.xapiDetectedAt.isValid());
        QVERIFY(qAbs(stored.xapiDetectedAt.secsTo(QDateTime::currentDateTimeUtc())) < 60);
        QCOMPARE(stored.effectiveXapiVersion(), XapiVersion::V2_0_0);
        const RetentionPolicy policy = RetentionPolicies(m_fixture->store()).get(stored.id, &error);
        QCOMPARE(policy.retentionDays, std::optional(30));
        QCOMPARE(policy.keepBodiesDays, std::optional(7));

        // Opened again: what it holds, and for auto what the receiver said.
        IntegrationDialog edit(*m_service, stored);
        edit.show();
        QCOMPARE(qobject_cast<QComboBox*>(edit.editor(QStringLiteral("xapiVersion")))->currentData().toString(),
                 QStringLiteral("auto"));
        QCOMPARE(qobject_cast<QSpinBox*>(edit.editor(QStringLiteral("retentionDays")))->value(), 30);
        QCOMPARE(qobject_cast<QSpinBox*>(edit.editor(QStringLiteral("keepBodiesDays")))->value(), 7);
        const QList<QLabel*> hint = edit.findChildren<QLabel*>();
        bool saysDetected = false;
        for (QLabel* label : hint)
            saysDetected |=
                label->isVisible() && label->text().contains(QLatin1String("2.0.0 (the receiver's answer, asked "));
        QVERIFY(saysDetected);
        screenshot(edit, QStringLiteral("dialog-edit-auto"));
        // 2.0.0 chosen: nothing is asked, the detection is cleared.
        qobject_cast<QComboBox*>(edit.editor(QStringLiteral("xapiVersion")))->setCurrentIndex(1);
        QSignalSpy editSaved(&edit, &IntegrationDialog::saved);
        QTest::mouseClick(edit.okButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(editSaved.count(), 1, 20000);
        QCOMPARE(receiver.aboutRequests.size(), 1);
        const Integration two = m_service->list(&error).constFirst();
        QCOMPARE(two.xapiVersion, QStringLiteral("2.0.0"));
        QVERIFY(two.xapiDetected.isEmpty() && !two.xapiDetectedAt.isValid());

        IntegrationsPage page(m_fixture->store(), *m_service);
        page.resize(1000, 600);
        page.show();
        QTRY_COMPARE(page.model()->rowCount(), 1);
        const QString details = page.findChild<QTextBrowser*>()->toPlainText();
        QVERIFY2(details.simplified().contains(QLatin1String("xAPI version 2.0.0")), qPrintable(details));
        QVERIFY2(details.contains(QLatin1String("30 days, then prunes them")), qPrintable(details));
        QVERIFY2(details.contains(QLatin1String("7 days, then keeps only status, time and duration")),
                 qPrintable(details));
        screenshot(page, QStringLiteral("page-details-retention"));
    }

    // A held integration whose retention alone is edited stays held: the banner says so, the row keeps its revision
    // (a held lane resumes when the revision changes) and its health. Any other change still releases it.
    void retentionAloneReleasesNothing()
    {
        Integration open = sampleIntegration(QStringLiteral("Open LRS"), QStringLiteral("open"));
        open.auth = Integration::Auth::None;
        const IntegrationOutcome added = addAndWait(*m_service, open, QString());
        QVERIFY(added.ok);
        IntegrationRepository repository(m_fixture->store());
        QString error;
        QVERIFY(repository.setHealth(
            added.integration.id, {Integration::Health::Held, QStringLiteral("HTTP 400 Bad Request"), {}, 1}, &error));
        IntegrationsPage page(m_fixture->store(), *m_service);
        page.show();
        QTRY_COMPARE(page.model()->rowCount(), 1);
        page.editSelected();
        QTRY_VERIFY(page.openDialog());
        IntegrationDialog* dialog = page.openDialog();
        QVERIFY2(dialog->bannerText().contains(QLatin1String("Saving the integration releases")),
                 qPrintable(dialog->bannerText()));
        qobject_cast<QSpinBox*>(dialog->editor(QStringLiteral("retentionDays")))->setValue(90);
        QVERIFY2(dialog->bannerText().contains(QLatin1String("Only the retention changes")),
                 qPrintable(dialog->bannerText()));
        QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
        QTRY_VERIFY(!page.openDialog());
        const Integration after = *repository.byId(added.integration.id, &error);
        QCOMPARE(after.revision, added.integration.revision);
        QCOMPARE(after.heldRevision, 1);
        QCOMPARE(after.storedHealth, Integration::Health::Held);
        QCOMPARE(RetentionPolicies(m_fixture->store()).get(after.id, &error).retentionDays, std::optional(90));
        QVERIFY(page.findChild<QTextBrowser*>()->toPlainText().contains(QLatin1String("90 days, then prunes them")));

        // Anything else changed: a new revision, so the engine releases what was held.
        page.editSelected();
        QTRY_VERIFY(page.openDialog());
        dialog = page.openDialog();
        QCOMPARE(qobject_cast<QSpinBox*>(dialog->editor(QStringLiteral("retentionDays")))->value(), 90);
        qobject_cast<QSpinBox*>(dialog->editor(QStringLiteral("retryInterval")))->setValue(30);
        QVERIFY(dialog->bannerText().contains(QLatin1String("Saving the integration releases")));
        QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
        QTRY_VERIFY(!page.openDialog());
        QCOMPARE(repository.byId(added.integration.id, &error)->revision, added.integration.revision + 1);
    }

    // On a screen shorter than the fields (tst_integrationdialog_laptop runs this on 1366x768 less a panel), the
    // dialog stays within it: the fields scroll, the buttons stay in view, the last field can be scrolled to.
    void fitsAShortScreen()
    {
        IntegrationDialog dialog(*m_service, std::nullopt);
        const QRect screen = dialog.screen()->availableGeometry();
        if (screen.height() > 760)
            QSKIP("needs a short screen: see tst_integrationdialog_laptop");
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QTRY_VERIFY(dialog.height() > 300);
        QTest::qWait(100); // fitted after the event loop laid it out
        QVERIFY2(dialog.frameGeometry().height() <= screen.height(),
                 qPrintable(QStringLiteral("%1 > %2").arg(dialog.frameGeometry().height()).arg(screen.height())));
        const QRect ok(dialog.okButton()->mapTo(&dialog, QPoint(0, 0)), dialog.okButton()->size());
        QVERIFY(dialog.rect().contains(ok));
        auto* fields = dialog.findChild<QScrollArea*>(QStringLiteral("fields"));
        QVERIFY(fields);
        QVERIFY(fields->verticalScrollBar()->isVisible()); // the fields are taller than the screen allows
        QVERIFY(!fields->horizontalScrollBar()->isVisible());
        screenshot(dialog, QStringLiteral("dialog-short-screen"));
        QWidget* last = dialog.editor(QStringLiteral("keepBodiesDays"));
        fields->ensureWidgetVisible(last);
        const QRect shown(last->mapTo(fields->viewport(), QPoint(0, 0)), last->size());
        QVERIFY(fields->viewport()->rect().contains(shown));
        screenshot(dialog, QStringLiteral("dialog-short-screen-scrolled"));
    }

    void pageOpensTheDialogFromItsAction()
    {
        IntegrationsPage page(m_fixture->store(), *m_service);
        page.show();
        page.addIntegration();
        QVERIFY(page.openDialog());
        QVERIFY(page.openDialog()->isVisible());
        page.openDialog()->reject();
        QTRY_VERIFY(!page.openDialog());
    }
};

QTEST_MAIN(TestIntegrationDialog)
#include "tst_integrationdialog.moc"
