#include "StoreFixtures.h"
#include "TestStore.h"

#include "common/MessageBox.h"
#include "erasure/EraseLearnerDialog.h"

#include <QCheckBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

// File > Erase Learner…: the counts before it acts, the erase after one more question, nothing without it.
class TestEraseLearnerDialog final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void countsFirstThenErasesAfterConfirmation()
    {
        TestStore fixture;
        QVERIFY(fixture.isValid());
        const qint64 lrs = StoreFixtures::addOpenIntegration(fixture.store(), QStringLiteral("LRS"));
        QList<QJsonObject> statements{
            QJsonObject{{QStringLiteral("id"), QStringLiteral("ada-1")},
                        {QStringLiteral("actor"),
                         QJsonObject{{QStringLiteral("mbox"), QStringLiteral("mailto:ada@example.com")}}}},
            QJsonObject{{QStringLiteral("id"), QStringLiteral("bob-1")},
                        {QStringLiteral("actor"),
                         QJsonObject{{QStringLiteral("mbox"), QStringLiteral("mailto:bob@example.com")}}}}};
        QString error;
        QVERIFY(DeliveryQueue(fixture.store()).enqueue(statements, {lrs}, QDateTime::currentDateTimeUtc(), &error));

        EraseLearnerDialog dialog(fixture.store());
        dialog.resize(dialog.sizeHint());
        dialog.show();
        QVERIFY(!dialog.countButton()->isEnabled());
        QTest::keyClicks(dialog.learnerField(), QStringLiteral("ada"));
        QVERIFY(!dialog.countButton()->isEnabled()); // not an identifier yet: said under the field
        dialog.learnerField()->setText(QStringLiteral("mailto:ada@example.com"));
        QVERIFY(dialog.countButton()->isEnabled());
        QVERIFY(!dialog.eraseButton()->isEnabled());
        QTest::mouseClick(dialog.countButton(), Qt::LeftButton);
        QVERIFY2(dialog.countsLabel()->text().contains(
                     QStringLiteral("1 statement(s): 1 queued, 0 held, 0 delivered, 0 discarded")),
                 qPrintable(dialog.countsLabel()->text()));
        QVERIFY(dialog.eraseButton()->isEnabled());
        if (!qEnvironmentVariableIsEmpty("COURIER_SCREENSHOTS"))
            dialog.grab().save(qEnvironmentVariable("COURIER_SCREENSHOTS") + QStringLiteral("/erase-learner.png"));

        // Declined: nothing changes.
        MessageBox::setNextAnswer(false);
        QTest::mouseClick(dialog.eraseButton(), Qt::LeftButton);
        QCOMPARE(DeliveryQueue(fixture.store()).count({}, &error), 2);

        // Confirmed: hers goes, Bob's stays, and the dialog says what went.
        QSignalSpy erased(&dialog, &EraseLearnerDialog::erased);
        MessageBox::setNextAnswer(true);
        QTest::mouseClick(dialog.eraseButton(), Qt::LeftButton);
        QCOMPARE(erased.size(), 1);
        QCOMPARE(DeliveryQueue(fixture.store()).count({}, &error), 1);
        QVERIFY2(dialog.countsLabel()->text().startsWith(QStringLiteral("<b>Erased:</b>")),
                 qPrintable(dialog.countsLabel()->text()));
        QVERIFY(!dialog.eraseButton()->isEnabled());

        // Counting again finds nothing; editing the text asks for a new count before erasing.
        QTest::mouseClick(dialog.countButton(), Qt::LeftButton);
        QVERIFY(dialog.countsLabel()->text().startsWith(QStringLiteral("Nothing names mailto:ada@example.com")));
        dialog.learnerField()->setText(QStringLiteral("mailto:bob@example.com"));
        QTest::mouseClick(dialog.countButton(), Qt::LeftButton);
        QVERIFY(dialog.eraseButton()->isEnabled());
        dialog.learnerField()->setText(QStringLiteral("mailto:bob@example.org"));
        QVERIFY(!dialog.eraseButton()->isEnabled());
    }
};

QTEST_MAIN(TestEraseLearnerDialog)
#include "tst_eraselearnerdialog.moc"
