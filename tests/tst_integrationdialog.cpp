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
#include "secrets/KeychainSecretStore.h"

#include <QAction>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

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
