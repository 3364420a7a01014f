#include "CliRunner.h"
#include "PostgresServer.h"
#include "TestStore.h"

#include "store/Migrations.h"
#include "store/PreparedSql.h"
#include "store/Transaction.h"

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

private Q_SLOTS:
    void freshStoreIsAtLatestVersion()
    {
        TestStore fixture;
        QVERIFY2(fixture.isValid(), qPrintable(fixture.error()));
        QCOMPARE(fixture.store().schemaVersion(), Migrations::latestVersion());
        QCOMPARE(scalar(fixture.store(), QStringLiteral("SELECT version FROM courier_schema")),
                 Migrations::latestVersion());
        QString error;
        QStringList tables = fixture.store().tables(&error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QStringList expected = Migrations::tables() << QStringLiteral("courier_schema");
        tables.sort();
        expected.sort();
        QCOMPARE(tables, expected);
    }

    void sqliteStoreIsInWalMode()
    {
        COURIER_SQLITE_ONLY("the journal mode and the file are SQLite's");
        TestStore fixture;
        QVERIFY2(fixture.isValid(), qPrintable(fixture.error()));
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
        QString error;
        QVERIFY(!fixture.store().tables(&error).contains(QLatin1String("settings")));
        QSqlQuery insert(fixture.store().database());
        QVERIFY(insert.exec(QStringLiteral(
            "INSERT INTO integrations (uid, name, name_key, provider, provider_key, statement_url, auth_kind, "
            "created_at, updated_at) VALUES ('u1', 'Old', 'old', 'p', 'p', 'https://x.test/s', 'none', 1, 1)")));
        insert.finish();

        QVERIFY2(fixture.reopen(), qPrintable(fixture.error()));
        QCOMPARE(fixture.store().schemaVersion(), Migrations::latestVersion());
        QCOMPARE(scalar(fixture.store(), QStringLiteral("SELECT COUNT(*) FROM integrations WHERE name = 'Old'")), 1);
        QVERIFY(fixture.store().tables(&error).contains(QLatin1String("settings")));
        QVERIFY2(error.isEmpty(), qPrintable(error));
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
            if (!TestStore::usesPostgres())
                QVERIFY(bump.exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)")));
        }
        fixture.close();
        const QByteArray before = fixture.snapshot();
        QVERIFY(!before.isEmpty());

        QVERIFY(!fixture.reopen());
        QVERIFY2(fixture.error().contains(QLatin1String("newer xAPI Courier")), qPrintable(fixture.error()));
        QVERIFY(fixture.error().contains(QLatin1String("999")));
        QVERIFY(fixture.error().contains(QLatin1String("Nothing was changed")));
        QCOMPARE(fixture.snapshot(), before);

        // The CLI says the same, with exit code 1.
        const CliResult result =
            CliRunner(fixture.location()).run({QStringLiteral("integration"), QStringLiteral("list")});
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.all().contains(QLatin1String("newer xAPI Courier")), qPrintable(result.all()));
        QCOMPARE(fixture.snapshot(), before);
    }

    void foreignDatabaseIsRefusedUntouched()
    {
        TestStore fixture;
        QVERIFY(fixture.isValid());
        {
            QSqlQuery foreign(fixture.store().database());
            QVERIFY(foreign.exec(QStringLiteral("CREATE TABLE notes (body TEXT)")));
            QVERIFY(foreign.exec(QStringLiteral("DROP TABLE courier_schema")));
        }
        fixture.close();
        const QByteArray before = fixture.snapshot();
        QVERIFY(!fixture.reopen());
        QVERIFY2(fixture.error().contains(QLatin1String("belongs to another program")), qPrintable(fixture.error()));
        QVERIFY(fixture.error().contains(QLatin1String("Nothing was changed")));
        QCOMPARE(fixture.snapshot(), before);
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

    void postgresUrlWithPasswordIsRefused()
    {
        const StoreLocation location =
            StoreLocation::fromString(QStringLiteral("postgresql://courier:pw-4417@db.example.com:5432/courier"));
        QCOMPARE(location.kind(), StoreLocation::Kind::PostgreSql);
        QVERIFY(!location.displayName().contains(QLatin1String("pw-4417")));
        Store::OpenResult opened = Store::open(location);
        QVERIFY(!opened.store);
        QVERIFY2(opened.error.contains(QLatin1String(".pgpass")), qPrintable(opened.error));
        QVERIFY(opened.error.contains(QLatin1String("postgresql://courier@db.example.com:5432/courier")));
        QVERIFY(!opened.error.contains(QLatin1String("pw-4417")));

        const StoreLocation inQuery =
            StoreLocation::fromString(QStringLiteral("postgresql://courier@db.example.com/courier?password=pw-4417"));
        QVERIFY(inQuery.problem().contains(QLatin1String(".pgpass")));
        const StoreLocation unknownParameter =
            StoreLocation::fromString(QStringLiteral("postgresql://courier@db.example.com/courier?options=-cx"));
        QVERIFY(unknownParameter.problem().contains(QLatin1String("options")));
        const StoreLocation noDatabase =
            StoreLocation::fromString(QStringLiteral("postgresql://courier@db.example.com"));
        QVERIFY(noDatabase.problem().contains(QLatin1String("names no database")));
        QVERIFY(StoreLocation::fromString(QStringLiteral("postgresql://courier@db.example.com/courier?sslmode=require"))
                    .problem()
                    .isEmpty());
    }

    void roleThatMayNotCreateTablesIsToldWhatToDo()
    {
        if (!TestStore::usesPostgres())
            QSKIP("database roles are PostgreSQL's");
        PostgresServer& server = PostgresServer::instance();
        QString error;
        const QString url = server.createDatabase(&error); // owned by the superuser
        QVERIFY2(!url.isEmpty(), qPrintable(error));
        QVERIFY2(server.execAsSuperuser(QStringLiteral("CREATE ROLE courier_guest LOGIN"), &error), qPrintable(error));
        QString guestUrl = url;
        guestUrl.replace(QLatin1String("//postgres@"), QLatin1String("//courier_guest@"));
        Store::OpenResult opened = Store::open(StoreLocation::fromString(guestUrl));
        QVERIFY(!opened.store);
        QVERIFY2(opened.error.contains(QLatin1String("Make it the owner of the database")), qPrintable(opened.error));
        QVERIFY(opened.error.startsWith(guestUrl));
    }

    // The password of a role that needs one comes from libpq's password file, never from us.
private:
    // A database on the test server owned by the one role that must give a password; the URL names that role.
    QUrl passwordProtectedDatabase(const QString& secret)
    {
        PostgresServer& server = PostgresServer::instance();
        QString error;
        const QString role = QString::fromLatin1(PostgresServer::PasswordRole);
        server.execAsSuperuser(QStringLiteral("CREATE ROLE %1 LOGIN").arg(role), &error); // once per server
        if (!server.execAsSuperuser(QStringLiteral("ALTER ROLE %1 PASSWORD '%2'").arg(role, secret), &error))
            qWarning("%s", qPrintable(error));
        QUrl url(server.createDatabase(&error));
        if (!url.isValid() || !server.execAsSuperuser(
                                  QStringLiteral("ALTER DATABASE %1 OWNER TO %2").arg(url.path().mid(1), role), &error))
            qWarning("%s", qPrintable(error));
        url.setUserName(role);
        return url;
    }

private Q_SLOTS:
    void postgresPasswordComesFromThePasswordFile()
    {
        if (!TestStore::usesPostgres())
            QSKIP("password files are PostgreSQL's (libpq)");
        const QString secret = QStringLiteral("pg-pass-7731");
        const QUrl url = passwordProtectedDatabase(secret);
        QVERIFY(url.isValid());
        const QString database = url.path().mid(1);
        const QString role = url.userName();

        QTemporaryDir dir;
        CliRunner cli(url.toString());
        cli.setEnvironment(QStringLiteral("PGPASSFILE"), dir.filePath(QStringLiteral("missing")));
        const CliResult refused = cli.run({QStringLiteral("db"), QStringLiteral("migrate")});
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.err.contains("PGPASSFILE"), refused.err.constData());
        QVERIFY(refused.err.contains(url.toString().toUtf8()));

        QFile passwordFile(dir.filePath(QStringLiteral("pgpass")));
        QVERIFY(passwordFile.open(QIODevice::WriteOnly));
        passwordFile.write(
            QStringLiteral("127.0.0.1:%1:%2:%3:%4\n").arg(url.port()).arg(database, role, secret).toUtf8());
        passwordFile.close();
        QVERIFY(passwordFile.setPermissions(QFile::ReadOwner | QFile::WriteOwner)); // libpq ignores a readable one
        cli.setEnvironment(QStringLiteral("PGPASSFILE"), passwordFile.fileName());
        const CliResult migrated = cli.run({QStringLiteral("db"), QStringLiteral("migrate")});
        QVERIFY2(migrated.exitCode == 0, qPrintable(migrated.all()));
        QVERIFY(!migrated.all().contains(secret));
    }

    // The other source: the OS keychain (a real Secret Service), filled by `db password` once the server accepted
    // the password; every command then connects with it. A refused password is not kept.
    void postgresPasswordComesFromTheKeychain()
    {
        if (!TestStore::usesPostgres())
            QSKIP("database passwords are PostgreSQL's");
        const QString secret = QStringLiteral("kc-pass-5519");
        const QUrl url = passwordProtectedDatabase(secret);
        QVERIFY(url.isValid());
        QTemporaryDir dir;
        CliRunner cli(url.toString());
        cli.setEnvironment(QStringLiteral("PGPASSFILE"), dir.filePath(QStringLiteral("missing")));
        const QStringList password{QStringLiteral("db"), QStringLiteral("password"),
                                   QStringLiteral("--password-stdin")};

        const CliResult wrong = cli.run(password, "not-it");
        QCOMPARE(wrong.exitCode, 1);
        QVERIFY2(wrong.err.contains("Nothing was kept"), wrong.err.constData());
        QCOMPARE(cli.run({QStringLiteral("db"), QStringLiteral("migrate")}).exitCode, 1);

        const CliResult kept = cli.run(password, secret.toUtf8());
        QVERIFY2(kept.exitCode == 0, qPrintable(kept.all()));
        QVERIFY(kept.out.contains("now kept in the OS keychain"));
        const CliResult migrated = cli.run({QStringLiteral("db"), QStringLiteral("migrate")});
        QVERIFY2(migrated.exitCode == 0, qPrintable(migrated.all()));
        QVERIFY(!migrated.all().contains(secret));
        QCOMPARE(cli.run({QStringLiteral("integration"), QStringLiteral("list")}).exitCode, 0);

        QCOMPARE(cli.run({QStringLiteral("db"), QStringLiteral("password"), QStringLiteral("--forget")}).exitCode, 0);
        const CliResult forgotten = cli.run({QStringLiteral("db"), QStringLiteral("status")});
        QCOMPARE(forgotten.exitCode, 1);
        QVERIFY2(forgotten.err.contains("db password"), forgotten.err.constData());
    }

    void unreachablePostgresIsASentence()
    {
        // Port 1 on loopback: nothing listens there.
        const StoreLocation location =
            StoreLocation::fromString(QStringLiteral("postgresql://courier@127.0.0.1:1/courier"));
        Store::OpenResult opened = Store::open(location);
        QVERIFY(!opened.store);
        QVERIFY2(opened.error.contains(QLatin1String("cannot reach the PostgreSQL server")), qPrintable(opened.error));
        QVERIFY(opened.error.startsWith(QLatin1String("postgresql://courier@127.0.0.1:1/courier: ")));
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

    // The statements kept prepared: values bound in order (NULL, numbers, text), run again with new values, a list of
    // ids in %IN_IDS%, the same statement opened while it is in use, and a failure as a sentence.
    void preparedSqlBindsRunsAgainAndReports()
    {
        TestStore fixture;
        QVERIFY(fixture.isValid());
        Store& store = fixture.store();
        const QString insertSql = QStringLiteral("INSERT INTO settings (key, value) VALUES (?, ?)");
        QString error;
        {
            PreparedSql insert(store, insertSql);
            for (int i = 1; i <= 5; ++i) {
                insert.add(QStringLiteral("key%1").arg(i));
                insert.add(QStringLiteral("välue %1").arg(i * 10));
                QVERIFY2(insert.exec(&error), qPrintable(error));
                QCOMPARE(insert.rowsAffected(), 1);
            }
        }
        PreparedSql select(store, QStringLiteral("SELECT key, value, NULL FROM settings WHERE LENGTH(key) > ? AND "
                                                 "CAST(SUBSTR(key, 4) AS BIGINT) %IN_IDS% ORDER BY key"));
        select.add(2);
        select.addIds({2, 4, 7});
        QVERIFY2(select.exec(&error), qPrintable(error));
        QStringList rows;
        while (select.next()) {
            QVERIFY(select.isNull(2));
            QVERIFY(!select.isNull(1));
            rows << select.text(0) + QLatin1Char('=') + QString::fromUtf8(select.utf8(1));
            // The same statement again while this one is open: prepared apart, both read their own rows.
            PreparedSql nested(store, QStringLiteral("SELECT COUNT(*) FROM settings WHERE key = ?"));
            nested.add(select.text(0));
            QVERIFY2(nested.exec(&error) && nested.next(), qPrintable(error));
            QCOMPARE(nested.integer(0), 1);
        }
        QCOMPARE(rows, QStringList({QStringLiteral("key2=välue 20"), QStringLiteral("key4=välue 40")}));

        PreparedSql again(store, QStringLiteral("SELECT key, value, NULL FROM settings WHERE LENGTH(key) > ? AND "
                                                "CAST(SUBSTR(key, 4) AS BIGINT) %IN_IDS% ORDER BY key"));
        again.add(0);
        again.addIds({});
        QVERIFY2(again.exec(&error), qPrintable(error));
        QVERIFY(!again.next());

        PreparedSql withoutValue(store, insertSql);
        withoutValue.add(QStringLiteral("key9"));
        withoutValue.add(QString()); // NULL, into a NOT NULL column
        QVERIFY(!withoutValue.exec(&error));
        QVERIFY2(error.contains(QLatin1String("value")) && error.contains(QLatin1String("null"), Qt::CaseInsensitive),
                 qPrintable(error));
        PreparedSql broken(store, QStringLiteral("SELECT missing FROM no_such_table"));
        error.clear();
        QVERIFY(!broken.exec(&error));
        QVERIFY2(error.contains(QLatin1String("no_such_table")), qPrintable(error));
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
                            .arg(QStringLiteral(COURIER_BINARY), fixture.location(), prefix)
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
        if (TestStore::usesPostgres())
            return;
        QSqlQuery check(fixture.store().database());
        QVERIFY(check.exec(QStringLiteral("PRAGMA integrity_check")) && check.next());
        QCOMPARE(check.value(0).toString(), QStringLiteral("ok"));
    }
};

QTEST_GUILESS_MAIN(TestStoreMigrations)
#include "tst_store.moc"
