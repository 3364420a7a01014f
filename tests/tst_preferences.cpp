#include "InMemorySecretStore.h"
#include "TestStore.h"

#include "MainWindow.h"
#include "settings/MetricsEndpoint.h"
#include "settings/PreferencesDialog.h"

#include <QAction>
#include <QCheckBox>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

// Settings › Preferences… of the desktop app: GET /metrics for Prometheus, off by default, turned on at an address,
// scraped for real over HTTP, moved, refused under the field when the port is taken, turned off again; kept in
// QSettings and served again by the next window.
class TestPreferences final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_settings;
    QNetworkAccessManager m_network;

    struct Scrape
    {
        int status = 0;
        QNetworkReply::NetworkError error = QNetworkReply::NoError;
        QByteArray body;
    };
    Scrape scrape(quint16 port)
    {
        QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1/metrics").arg(port)));
        request.setTransferTimeout(10000);
        QNetworkReply* reply = m_network.get(request);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        if (!finished.wait(15000))
            return {};
        reply->deleteLater();
        return {reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->error(), reply->readAll()};
    }
    // A port nobody listens on now.
    static quint16 freePort()
    {
        QTcpServer probe;
        if (!probe.listen(QHostAddress::LocalHost, 0))
            return 0;
        return probe.serverPort();
    }
    static PreferencesDialog* openPreferences(MainWindow& window)
    {
        auto* action = window.findChild<QAction*>(QStringLiteral("preferences"));
        if (!action)
            return nullptr;
        action->trigger();
        return window.findChild<PreferencesDialog*>();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_settings.isValid());
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settings.path());
        QCoreApplication::setOrganizationDomain(QStringLiteral("xapicourier.org"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_preferences"));
        QSettings().clear();
    }

    void metricsTurnedOnScrapedMovedAndOff()
    {
        TestStore fixture;
        QVERIFY2(fixture.isValid(), qPrintable(fixture.error()));
        InMemorySecretStore secrets;
        MainWindow window(fixture.store(), secrets);
        window.show();
        auto* label = window.findChild<QLabel*>(QStringLiteral("metricsLabel"));
        QVERIFY(label && !label->isVisible()); // off by default: nothing served, nothing said

        PreferencesDialog* dialog = openPreferences(window);
        QVERIFY(dialog);
        QVERIFY(!dialog->serveMetrics()->isChecked());
        QCOMPARE(dialog->metricsAddress()->text(), QStringLiteral("127.0.0.1:9464"));
        QVERIFY(!dialog->metricsAddress()->isEnabled());
        QCOMPARE(dialog->statusText(), QStringLiteral("Not served"));

        // A wrong address is refused as it is typed.
        dialog->serveMetrics()->setChecked(true);
        dialog->metricsAddress()->setText(QStringLiteral("localhost:http"));
        QVERIFY(!dialog->okButton()->isEnabled());
        QVERIFY2(dialog->addressError().contains(QLatin1String("is not ADDRESS:PORT or PORT")),
                 qPrintable(dialog->addressError()));

        const quint16 port = freePort();
        QVERIFY(port != 0);
        dialog->metricsAddress()->setText(QStringLiteral("127.0.0.1:%1").arg(port));
        QVERIFY(dialog->addressError().isEmpty());
        QVERIFY(dialog->okButton()->isEnabled());
        QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
        QTRY_VERIFY(!window.findChild<PreferencesDialog*>()); // closed, and deleted

        const Scrape served = scrape(port);
        QCOMPARE(served.status, 200);
        QVERIFY2(served.body.contains("\nxapi_courier_up 1\n"), served.body.left(2000).constData());
        QVERIFY(served.body.contains("# TYPE xapi_courier_deliveries_total counter"));
        QVERIFY(served.body.contains("process_start_time_seconds"));
        QVERIFY(label->isVisible());
        QCOMPARE(label->text(), QStringLiteral("metrics: 127.0.0.1:%1").arg(port));
        QCOMPARE(QSettings().value(QStringLiteral("metrics/enabled")).toBool(), true);
        QCOMPARE(QSettings().value(QStringLiteral("metrics/address")).toString(),
                 QStringLiteral("127.0.0.1:%1").arg(port));

        // A port another program holds: the error under the field, nothing saved, still served where it was.
        QTcpServer squatter;
        QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
        dialog = openPreferences(window);
        QVERIFY(dialog);
        QVERIFY2(dialog->statusText().contains(QStringLiteral("http://127.0.0.1:%1/metrics").arg(port)),
                 qPrintable(dialog->statusText()));
        dialog->metricsAddress()->setText(QStringLiteral("127.0.0.1:%1").arg(squatter.serverPort()));
        QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
        QVERIFY(dialog->isVisible());
        QVERIFY2(dialog->addressError().startsWith(
                     QStringLiteral("cannot listen on 127.0.0.1:%1 (").arg(squatter.serverPort())),
                 qPrintable(dialog->addressError()));
        QVERIFY(dialog->addressError().contains(QLatin1String("Choose another port")));
        QVERIFY(!dialog->okButton()->isEnabled());
        QVERIFY2(dialog->statusText().contains(QStringLiteral("http://127.0.0.1:%1/metrics").arg(port)),
                 qPrintable(dialog->statusText()));
        QCOMPARE(scrape(port).status, 200);
        QCOMPARE(QSettings().value(QStringLiteral("metrics/address")).toString(),
                 QStringLiteral("127.0.0.1:%1").arg(port));

        // Moved to another port: served there, no longer on the first.
        const quint16 moved = freePort();
        dialog->metricsAddress()->setText(QString::number(moved)); // a port alone: 127.0.0.1
        QVERIFY(dialog->okButton()->isEnabled());
        QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
        QTRY_VERIFY(!window.findChild<PreferencesDialog*>());
        QCOMPARE(scrape(moved).status, 200);
        QCOMPARE(scrape(port).error, QNetworkReply::ConnectionRefusedError);

        // Off: nothing listens, the label goes, the setting says off.
        dialog = openPreferences(window);
        dialog->serveMetrics()->setChecked(false);
        QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
        QTRY_VERIFY(!window.findChild<PreferencesDialog*>());
        QCOMPARE(scrape(moved).error, QNetworkReply::ConnectionRefusedError);
        QVERIFY(!label->isVisible());
        QCOMPARE(QSettings().value(QStringLiteral("metrics/enabled")).toBool(), false);
    }

    // The next window serves what was saved, and says so when the port is taken by then.
    void savedSettingAppliesAtStart()
    {
        const quint16 port = freePort();
        QSettings().setValue(QStringLiteral("metrics/enabled"), true);
        QSettings().setValue(QStringLiteral("metrics/address"), QStringLiteral("127.0.0.1:%1").arg(port));
        TestStore fixture;
        QVERIFY2(fixture.isValid(), qPrintable(fixture.error()));
        InMemorySecretStore secrets;
        {
            MainWindow window(fixture.store(), secrets);
            window.show();
            QCOMPARE(scrape(port).status, 200);
            QCOMPARE(window.metrics()->url().toString(), QStringLiteral("http://127.0.0.1:%1/metrics").arg(port));
        }
        QTcpServer squatter;
        QVERIFY(squatter.listen(QHostAddress::LocalHost, port));
        MainWindow window(fixture.store(), secrets);
        window.show();
        auto* label = window.findChild<QLabel*>(QStringLiteral("metricsLabel"));
        QVERIFY(label->isVisible());
        QVERIFY2(label->text().contains(QLatin1String("metrics not served")), qPrintable(label->text()));
        QVERIFY(label->toolTip().contains(QStringLiteral("cannot listen on 127.0.0.1:%1").arg(port)));
        PreferencesDialog* dialog = openPreferences(window);
        QVERIFY2(dialog->statusText().contains(QLatin1String("Not served: cannot listen")),
                 qPrintable(dialog->statusText()));
        QVERIFY(dialog->serveMetrics()->isChecked()); // the setting stays as saved
        const QString folder = qEnvironmentVariable("COURIER_SCREENSHOT_DIR");
        if (!folder.isEmpty())
            dialog->grab().save(folder + QStringLiteral("/preferences-port-taken.png"));
        dialog->reject();
        QSettings().clear();
    }
};

QTEST_MAIN(TestPreferences)
#include "tst_preferences.moc"
