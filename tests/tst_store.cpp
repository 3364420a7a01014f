#include "CliRunner.h"
#include "TestStore.h"

#include "store/Migrations.h"
#include "store/Transaction.h"

#include <QCryptographicHash>
#include <QFile>
#include <QProcess>
#include <QSqlQuery>
#include <QTest>

class TestStoreMigrations final : public QObject
{
    Q_OBJECT

private:
    static int scalar(Store& store, const QString& sql)
    {
        QSqlQuery query(store.database());
        if (!query.exec(sql) || !query.next())
            return -1;
        return query.value(0).toInt();
    }
    static QByteArray fileHash(const QString& path)
    {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return {};
        return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
    }

private Q_SLOTS:
    void freshStoreIsAtLatestVersionInWalMode()
    {
        TestStore fixture;
        QVERIFY2(fixture.isValid(), qPrintable(fixture.error()));
        QCOMPARE(fixture.store().schemaVersion(), Migrations::latestVersion());
        QCOMPARE(scalar(fixture.store(), QStringLiteral("SELECT version FROM courier_schema")),
                 Migrations::latestVersion());
        QSqlQuery mode(fixture.store().database());
        QVERIFY(mode.exec(QStringLiteral("PRAGMA journal_mode")) && mode.next());
        QCOMPARE(mode.value(0).toString(), QStringLiteral("wal"));
        QVERIFY(QFile::exists(fixture.path()));
    }

    void upgradeKeepsRows()
    {
        TestStore fixture(1);
        QVERIFY2(fixture.isValid(), qPrintable(fixture.error()));
        QCOMPARE(fixture.store().schemaVersion(), 1);
        QCOMPARE(scalar(fixture.store(), QStringLiteral("SELECT COUNT(*) FROM sqlite_master WHERE name = 'settings'")),
                 0);
        QSqlQuery insert(fixture.store().database());
        QVERIFY(insert.exec(QStringLiteral(
            "INSERT INTO integrations (uid, name, name_key, provider, provider_key, statement_url, auth_kind, "
            "created_at, updated_at) VALUES ('u1', 'Old', 'old', 'p', 'p', 'https://x.test/s', 'none', 1, 1)")));
        insert.finish();

        QVERIFY2(fixture.reopen(), qPrintable(fixture.error()));
        QCOMPARE(fixture.store().schemaVersion(), Migrations::latestVersion());
        QCOMPARE(scalar(fixture.store(), QStringLiteral("SELECT COUNT(*) FROM integrations WHERE name = 'Old'")), 1);
        QCOMPARE(scalar(fixture.store(), QStringLiteral("SELECT COUNT(*) FROM sqlite_master WHERE name = 'settings'")),
                 1);
    }

    void reopeningAtLatestChangesNothing()
    {
        TestStore fixture;
        QVERIFY(fixture.isValid());
        QVERIFY(fixture.reopen());
        QCOMPARE(fixture.store().schemaVersion(), Migrations::latestVersion());
    }

    void newerStoreIsRefusedUntouched()
    {
        TestStore fixture;
        QVERIFY(fixture.isValid());
        {
            QSqlQuery bump(fixture.store().database());
            QVERIFY(bump.exec(QStringLiteral("UPDATE courier_schema SET version = 999")));
            QVERIFY(bump.exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)")));
        }
        fixture.close();
        const QByteArray before = fileHash(fixture.path());
        QVERIFY(!before.isEmpty());

        QVERIFY(!fixture.reopen());
        QVERIFY2(fixture.error().contains(QLatin1String("newer xAPI Courier")), qPrintable(fixture.error()));
        QVERIFY(fixture.error().contains(QLatin1String("999")));
        QVERIFY(fixture.error().contains(QLatin1String("Nothing was changed")));
        QCOMPARE(fileHash(fixture.path()), before);

        // The CLI says the same, with exit code 1.
        const CliResult result = CliRunner(fixture.path()).run({QStringLiteral("integration"), QStringLiteral("list")});
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.all().contains(QLatin1String("newer xAPI Courier")), qPrintable(result.all()));
        QCOMPARE(fileHash(fixture.path()), before);
    }

    void foreignFilesAreRefused()
    {
        QTemporaryDir dir;
        const QString garbage = dir.filePath(QStringLiteral("notes.txt"));
        QFile file(garbage);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray(4096, 'x'));
        file.close();
        Store::OpenResult opened = Store::open(StoreLocation::fromString(garbage));
        QVERIFY(!opened.store);
        QVERIFY2(opened.error.contains(QLatin1String("not an SQLite database")), qPrintable(opened.error));
        QVERIFY(opened.error.contains(garbage));
    }

    void postgresUrlIsAcceptedButNotYetOpened()
    {
        const StoreLocation location =
            StoreLocation::fromString(QStringLiteral("postgresql://courier:pw@db.example.com:5432/courier"));
        QCOMPARE(location.kind(), StoreLocation::Kind::PostgreSql);
        QVERIFY(!location.displayName().contains(QLatin1String("pw")));
        Store::OpenResult opened = Store::open(location);
        QVERIFY(!opened.store);
        QVERIFY(opened.error.contains(QLatin1String("PostgreSQL")));
        QVERIFY(!opened.error.contains(QLatin1String("pw")));
    }

    void locationPrefersCommandLineThenEnvironment()
    {
        qputenv(StoreLocation::EnvironmentVariable, "/tmp/from-env.sqlite");
        QCOMPARE(StoreLocation::resolve(QStringLiteral("/tmp/from-cli.sqlite")).sqlitePath(),
                 QStringLiteral("/tmp/from-cli.sqlite"));
        QCOMPARE(StoreLocation::resolve(QString()).sqlitePath(), QStringLiteral("/tmp/from-env.sqlite"));
        qunsetenv(StoreLocation::EnvironmentVariable);
        QVERIFY(StoreLocation::resolve(QString()).sqlitePath().endsWith(QLatin1String("courier.sqlite")));
    }

    void failedTransactionLeavesNothing()
    {
        TestStore fixture;
        QVERIFY(fixture.isValid());
        {
            Transaction transaction(fixture.store());
            QVERIFY(transaction.isActive());
            QSqlQuery query(fixture.store().database());
            QVERIFY(query.exec(QStringLiteral("INSERT INTO settings (key, value) VALUES ('a', 'b')")));
        } // no commit: rolled back
        QCOMPARE(scalar(fixture.store(), QStringLiteral("SELECT COUNT(*) FROM settings")), 0);
    }

    // Two processes adding integrations to one file at the same time: every row arrives, the file stays sound.
    void twoProcessesWriteConcurrently()
    {
        TestStore fixture;
        QVERIFY(fixture.isValid());
        constexpr int perProcess = 15;
        auto script = [&](const QString& prefix) {
            QString text;
            for (int i = 0; i < perProcess; ++i) {
                text += QStringLiteral("\"%1\" --db \"%2\" integration add --name %3-%4 --provider %3-%4 "
                                       "--statement-url https://lrs.example.com/%3/%4 --auth none "
                                       "--emails ops@example.com || exit 1\n")
                            .arg(QStringLiteral(COURIER_BINARY), fixture.path(), prefix)
                            .arg(i);
            }
            return text;
        };
        QProcess first;
        QProcess second;
        first.start(QStringLiteral("sh"), {QStringLiteral("-c"), script(QStringLiteral("a"))});
        second.start(QStringLiteral("sh"), {QStringLiteral("-c"), script(QStringLiteral("b"))});
        QVERIFY(first.waitForFinished(120000));
        QVERIFY(second.waitForFinished(120000));
        QVERIFY2(first.exitCode() == 0, first.readAllStandardError().constData());
        QVERIFY2(second.exitCode() == 0, second.readAllStandardError().constData());

        QCOMPARE(scalar(fixture.store(), QStringLiteral("SELECT COUNT(*) FROM integrations")), 2 * perProcess);
        QSqlQuery check(fixture.store().database());
        QVERIFY(check.exec(QStringLiteral("PRAGMA integrity_check")) && check.next());
        QCOMPARE(check.value(0).toString(), QStringLiteral("ok"));
    }
};

QTEST_GUILESS_MAIN(TestStoreMigrations)
#include "tst_store.moc"
