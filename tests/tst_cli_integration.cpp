#include "CliRunner.h"
#include "TestStore.h"

#include "retention/RetentionPolicies.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

// The real binary, as an admin uses it, on a real SQLite file and the real keychain.
class TestCliIntegration final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestStore> m_fixture;
    std::unique_ptr<CliRunner> m_cli;
    const QByteArray m_secret = "cli-Secret-7f3a9";

    QStringList addArguments(const QString& name, const QString& provider) const
    {
        return {QStringLiteral("integration"),
                QStringLiteral("add"),
                QStringLiteral("--name"),
                name,
                QStringLiteral("--provider"),
                provider,
                QStringLiteral("--emails"),
                QStringLiteral("ops@acme.example, lrs@acme.example"),
                QStringLiteral("--statement-url"),
                QStringLiteral("https://lrs.acme.example/xapi/statements"),
                QStringLiteral("--auth-url"),
                QStringLiteral("https://auth.acme.example/oauth/token"),
                QStringLiteral("--client-id"),
                QStringLiteral("courier"),
                QStringLiteral("--client-secret-stdin")};
    }
    CliResult run(const QStringList& arguments, const QByteArray& input = QByteArray()) const
    {
        const CliResult result = m_cli->run(arguments, input);
        // No command ever prints a secret.
        if (result.all().contains(QString::fromLatin1(m_secret)))
            qFatal("the secret was printed by %s", qPrintable(arguments.join(QLatin1Char(' '))));
        return result;
    }
    QJsonObject show(const QString& name) const
    {
        const CliResult result =
            run({QStringLiteral("integration"), QStringLiteral("show"), name, QStringLiteral("--json")});
        return QJsonDocument::fromJson(result.out).object();
    }

private Q_SLOTS:
    void init()
    {
        m_fixture = std::make_unique<TestStore>();
        QVERIFY(m_fixture->isValid());
        m_fixture->close();
        m_cli = std::make_unique<CliRunner>(m_fixture->location());
    }

    void versionAndHelp()
    {
        const CliResult version = run({QStringLiteral("--version")});
        QCOMPARE(version.exitCode, 0);
        QVERIFY(version.out.startsWith("xapi-courier " COURIER_VERSION));
        const CliResult help = run({QStringLiteral("integration"), QStringLiteral("add"), QStringLiteral("--help")});
        QCOMPARE(help.exitCode, 0);
        QVERIFY2(help.out.startsWith("Usage: xapi-courier integration add [options]"), help.out.constData());
        QVERIFY(help.out.contains("--client-secret-stdin"));
        QVERIFY(!help.out.contains("--client-secret "));
        QCOMPARE(run({QStringLiteral("bogus")}).exitCode, 2);
        QCOMPARE(run({QStringLiteral("integration"), QStringLiteral("bogus")}).exitCode, 2);
        QCOMPARE(run({QStringLiteral("integration"), QStringLiteral("list"), QStringLiteral("--nope")}).exitCode, 2);
    }

    void addListShowEditDelete()
    {
        const CliResult added = run(addArguments(QStringLiteral("Acme LRS"), QStringLiteral("acme")), m_secret + '\n');
        QVERIFY2(added.exitCode == 0, qPrintable(added.all()));
        QVERIFY(added.err.contains("Added integration"));

        const CliResult list = run({QStringLiteral("integration"), QStringLiteral("list"), QStringLiteral("--json")});
        QCOMPARE(list.exitCode, 0);
        const QJsonArray array = QJsonDocument::fromJson(list.out).array();
        QCOMPARE(array.size(), 1);
        const QJsonObject json = array.first().toObject();
        QCOMPARE(json.value(QStringLiteral("name")).toString(), QStringLiteral("Acme LRS"));
        QCOMPARE(json.value(QStringLiteral("provider")).toString(), QStringLiteral("acme"));
        QCOMPARE(json.value(QStringLiteral("emails")).toArray().size(), 2);
        QCOMPARE(json.value(QStringLiteral("statementUrl")).toString(),
                 QStringLiteral("https://lrs.acme.example/xapi/statements"));
        QCOMPARE(json.value(QStringLiteral("auth")).toString(), QStringLiteral("oauth2"));
        QCOMPARE(json.value(QStringLiteral("authUrl")).toString(),
                 QStringLiteral("https://auth.acme.example/oauth/token"));
        QCOMPARE(json.value(QStringLiteral("clientId")).toString(), QStringLiteral("courier"));
        QCOMPARE(json.value(QStringLiteral("enabled")).toBool(), true);
        QCOMPARE(json.value(QStringLiteral("health")).toString(), QStringLiteral("healthy"));
        const qint64 id = json.value(QStringLiteral("id")).toInteger();
        QVERIFY(id > 0);

        const CliResult table = run({QStringLiteral("integration"), QStringLiteral("list")});
        QVERIFY(table.out.contains("Acme LRS") && table.out.contains("STATEMENT URL"));
        const CliResult details = run({QStringLiteral("integration"), QStringLiteral("show"), QString::number(id)});
        QCOMPARE(details.exitCode, 0);
        QVERIFY(details.out.contains("stored in the OS keychain"));

        // Edit without a secret keeps it (and reads nothing from stdin).
        const CliResult edited = run({QStringLiteral("integration"), QStringLiteral("edit"), QStringLiteral("acme lrs"),
                                      QStringLiteral("--client-id"), QStringLiteral("courier-2"),
                                      QStringLiteral("--name"), QStringLiteral("Acme Production")});
        QVERIFY2(edited.exitCode == 0, qPrintable(edited.all()));
        QCOMPARE(show(QStringLiteral("Acme Production")).value(QStringLiteral("clientId")).toString(),
                 QStringLiteral("courier-2"));
        QVERIFY(show(QStringLiteral("Acme Production")).value(QStringLiteral("hasSecret")).toBool());

        const CliResult tuned =
            run({QStringLiteral("integration"), QStringLiteral("edit"), QStringLiteral("Acme Production"),
                 QStringLiteral("--retry-interval"), QStringLiteral("5"), QStringLiteral("--concurrency"),
                 QStringLiteral("1"), QStringLiteral("--batch-size"), QStringLiteral("50")});
        QVERIFY2(tuned.exitCode == 0, qPrintable(tuned.all()));
        const QJsonObject tunedJson = show(QStringLiteral("Acme Production"));
        QCOMPARE(tunedJson.value(QStringLiteral("retryInterval")).toInt(), 5);
        QCOMPARE(tunedJson.value(QStringLiteral("concurrency")).toInt(), 1);
        QCOMPARE(tunedJson.value(QStringLiteral("batchSize")).toInt(), 50);
        QCOMPARE(tunedJson.value(QStringLiteral("clientAuth")).toString(), QStringLiteral("basic"));
        const CliResult inBody =
            run({QStringLiteral("integration"), QStringLiteral("edit"), QStringLiteral("Acme Production"),
                 QStringLiteral("--client-auth"), QStringLiteral("body")});
        QVERIFY2(inBody.exitCode == 0, qPrintable(inBody.all()));
        QCOMPARE(show(QStringLiteral("Acme Production")).value(QStringLiteral("clientAuth")).toString(),
                 QStringLiteral("body"));
        QVERIFY(run({QStringLiteral("integration"), QStringLiteral("show"), QStringLiteral("Acme Production")})
                    .out.contains("in the form body"));
        const CliResult badPlacement =
            run({QStringLiteral("integration"), QStringLiteral("edit"), QStringLiteral("Acme Production"),
                 QStringLiteral("--client-auth"), QStringLiteral("header")});
        QCOMPARE(badPlacement.exitCode, 2); // a wrong option value is a usage error
        QVERIFY(badPlacement.err.contains("--client-auth"));
        const CliResult badNumber =
            run({QStringLiteral("integration"), QStringLiteral("edit"), QStringLiteral("Acme Production"),
                 QStringLiteral("--concurrency"), QStringLiteral("0")});
        QCOMPARE(badNumber.exitCode, 1);
        QVERIFY(badNumber.err.contains("concurrency: "));

        QCOMPARE(
            run({QStringLiteral("integration"), QStringLiteral("disable"), QStringLiteral("Acme Production")}).exitCode,
            0);
        QCOMPARE(show(QStringLiteral("Acme Production")).value(QStringLiteral("health")).toString(),
                 QStringLiteral("disabled"));
        QCOMPARE(
            run({QStringLiteral("integration"), QStringLiteral("enable"), QStringLiteral("Acme Production")}).exitCode,
            0);
        QCOMPARE(show(QStringLiteral("Acme Production")).value(QStringLiteral("status")).toString(),
                 QStringLiteral("Enabled"));

        // Not on a terminal: delete needs --yes.
        const CliResult unconfirmed =
            run({QStringLiteral("integration"), QStringLiteral("delete"), QStringLiteral("Acme Production")});
        QCOMPARE(unconfirmed.exitCode, 2);
        QVERIFY(unconfirmed.err.contains("--yes"));
        QVERIFY(!show(QStringLiteral("Acme Production")).isEmpty());
        const CliResult deleted = run({QStringLiteral("integration"), QStringLiteral("delete"),
                                       QStringLiteral("Acme Production"), QStringLiteral("--yes")});
        QVERIFY2(deleted.exitCode == 0, qPrintable(deleted.all()));
        QCOMPARE(
            run({QStringLiteral("integration"), QStringLiteral("show"), QStringLiteral("Acme Production")}).exitCode,
            1);

        QVERIFY(m_fixture->reopen());
        const QByteArray stored = m_fixture->storedBytes();
        QVERIFY(stored.size() > 0);
        QVERIFY(!stored.contains(m_secret));
    }

    // The delete prompt says what goes with the integration, the undelivered statements above all (as the desktop
    // app's Delete does); a person answers it on a terminal.
    void deleteSaysHowManyStatementsAreDiscarded()
    {
        QCOMPARE(
            m_cli->addOpenIntegration(QStringLiteral("Acme"), QStringLiteral("https://lrs.acme.example/x")).exitCode,
            0);
        const QByteArray statements =
            R"({"id":"6b3f1e2a-0000-4000-8000-000000000001","actor":{"mbox":"mailto:a@example.com"},"verb":{"id":"http://adlnet.gov/expapi/verbs/completed"},"object":{"id":"http://example.com/course/1"}})"
            "\n"
            R"({"id":"6b3f1e2a-0000-4000-8000-000000000002","actor":{"mbox":"mailto:b@example.com"},"verb":{"id":"http://adlnet.gov/expapi/verbs/completed"},"object":{"id":"http://example.com/course/1"}})"
            "\n";
        const CliResult queued = run(
            {QStringLiteral("enqueue"), QStringLiteral("--integration"), QStringLiteral("Acme"), QStringLiteral("-")},
            statements);
        QVERIFY2(queued.exitCode == 0, qPrintable(queued.all()));
        const QStringList remove{QStringLiteral("integration"), QStringLiteral("delete"), QStringLiteral("Acme")};

        const CliResult offTerminal = run(remove);
        QCOMPARE(offTerminal.exitCode, 2);
        QVERIFY2(offTerminal.err.contains("Its 2 undelivered statements would be discarded."),
                 offTerminal.err.constData());

        const CliResult declined = m_cli->runOnTerminal(remove, "n");
        QVERIFY2(declined.exitCode == 1, qPrintable(declined.all()));
        QVERIFY2(declined.err.contains("Delete integration “Acme”? This removes its settings, 2 undelivered "
                                       "statements, which will be discarded and its delivery history. It cannot be "
                                       "undone. [y/N]"),
                 declined.err.constData());
        QVERIFY2(declined.err.contains("Nothing was deleted."), declined.err.constData());
        QVERIFY(!show(QStringLiteral("Acme")).isEmpty());

        const CliResult confirmed = m_cli->runOnTerminal(remove, "y");
        QVERIFY2(confirmed.exitCode == 0, qPrintable(confirmed.all()));
        QVERIFY2(confirmed.err.contains("and discarded its 2 undelivered statements."), confirmed.err.constData());
        QVERIFY(show(QStringLiteral("Acme")).isEmpty());
    }

    void refusedInputNamesTheFieldAndExitsOne()
    {
        QCOMPARE(run(addArguments(QStringLiteral("Acme LRS"), QStringLiteral("acme")), m_secret).exitCode, 0);
        const CliResult sameProvider = run(addArguments(QStringLiteral("Other"), QStringLiteral("Acme")), m_secret);
        QCOMPARE(sameProvider.exitCode, 1);
        QVERIFY2(sameProvider.err.contains("provider: "), sameProvider.err.constData());
        QVERIFY(sameProvider.err.contains("only one integration per provider"));

        QStringList badEmail = addArguments(QStringLiteral("Third"), QStringLiteral("third"));
        badEmail[badEmail.indexOf(QStringLiteral("--emails")) + 1] = QStringLiteral("ops@acme.example, nobody");
        const CliResult email = run(badEmail, m_secret);
        QCOMPARE(email.exitCode, 1);
        QVERIFY(email.err.contains("emails: ") && email.err.contains("“nobody”"));

        QStringList badUrl = addArguments(QStringLiteral("Fourth"), QStringLiteral("fourth"));
        badUrl[badUrl.indexOf(QStringLiteral("--statement-url")) + 1] = QStringLiteral("lrs.example.com");
        const CliResult url = run(badUrl, m_secret);
        QCOMPARE(url.exitCode, 1);
        QVERIFY(url.err.contains("statementUrl: "));

        QStringList noSecret = addArguments(QStringLiteral("Fifth"), QStringLiteral("fifth"));
        noSecret.removeLast(); // no --client-secret-stdin and no terminal to prompt on
        const CliResult secretMissing = run(noSecret);
        QCOMPARE(secretMissing.exitCode, 1);
        QVERIFY(secretMissing.err.contains("clientSecret: "));

        QStringList plainHttp = addArguments(QStringLiteral("Sixth"), QStringLiteral("sixth"));
        plainHttp[plainHttp.indexOf(QStringLiteral("--statement-url")) + 1] =
            QStringLiteral("http://lrs.example.com/x");
        const CliResult warned = run(plainHttp, m_secret);
        QCOMPARE(warned.exitCode, 0);
        QVERIFY(warned.err.contains("warning: statementUrl: ") && warned.err.contains("unencrypted"));

        const CliResult list = run({QStringLiteral("integration"), QStringLiteral("list"), QStringLiteral("--json")});
        QCOMPARE(QJsonDocument::fromJson(list.out).array().size(), 2);
    }

    void secretsNeverComeFromArgv()
    {
        QStringList arguments = addArguments(QStringLiteral("Acme LRS"), QStringLiteral("acme"));
        arguments.removeLast();
        arguments << QStringLiteral("--client-secret") << QString::fromLatin1(m_secret);
        const CliResult result = run(arguments);
        QCOMPARE(result.exitCode, 2);
        QVERIFY(result.err.contains("--client-secret-stdin"));
        QCOMPARE(QJsonDocument::fromJson(
                     run({QStringLiteral("integration"), QStringLiteral("list"), QStringLiteral("--json")}).out)
                     .array()
                     .size(),
                 0);
    }

    void basicAndNoneAuth()
    {
        const CliResult basic =
            run({QStringLiteral("integration"), QStringLiteral("add"), QStringLiteral("--name"),
                 QStringLiteral("Basic LRS"), QStringLiteral("--provider"), QStringLiteral("b"),
                 QStringLiteral("--statement-url"), QStringLiteral("https://b.example/x"), QStringLiteral("--auth"),
                 QStringLiteral("basic"), QStringLiteral("--username"), QStringLiteral("lrs-user"),
                 QStringLiteral("--password-stdin"), QStringLiteral("--disabled")},
                m_secret);
        QVERIFY2(basic.exitCode == 0, qPrintable(basic.all()));
        const QJsonObject json = show(QStringLiteral("Basic LRS"));
        QCOMPARE(json.value(QStringLiteral("auth")).toString(), QStringLiteral("basic"));
        QCOMPARE(json.value(QStringLiteral("username")).toString(), QStringLiteral("lrs-user"));
        QCOMPARE(json.value(QStringLiteral("enabled")).toBool(), false);

        const CliResult wrongFlag = run({QStringLiteral("integration"), QStringLiteral("edit"),
                                         QStringLiteral("Basic LRS"), QStringLiteral("--client-secret-stdin")},
                                        m_secret);
        QCOMPARE(wrongFlag.exitCode, 2);

        const CliResult none =
            run({QStringLiteral("integration"), QStringLiteral("add"), QStringLiteral("--name"), QStringLiteral("Open"),
                 QStringLiteral("--provider"), QStringLiteral("o"), QStringLiteral("--statement-url"),
                 QStringLiteral("http://127.0.0.1:9/x"), QStringLiteral("--auth"), QStringLiteral("none"),
                 QStringLiteral("--emails"), QStringLiteral("a@b.example")});
        QVERIFY2(none.exitCode == 0, qPrintable(none.all()));
        QVERIFY(!none.err.contains("warning"));
        QCOMPARE(run({QStringLiteral("integration"), QStringLiteral("add"), QStringLiteral("--auth"),
                      QStringLiteral("kerberos")})
                     .exitCode,
                 2);
    }

    // add takes --retention-days and --keep-bodies-days as edit does; show (text and --json) and --help say them;
    // bodies kept longer than their statements are refused, on add before anything is saved, with the dialog's
    // sentence.
    void retentionOnAdd()
    {
        QStringList arguments = addArguments(QStringLiteral("Acme LRS"), QStringLiteral("acme"));
        arguments << QStringLiteral("--retention-days") << QStringLiteral("30") << QStringLiteral("--keep-bodies-days")
                  << QStringLiteral("7") << QStringLiteral("--json");
        const CliResult added = run(arguments, m_secret);
        QVERIFY2(added.exitCode == 0, qPrintable(added.all()));
        const QJsonObject printed = QJsonDocument::fromJson(added.out).object();
        QCOMPARE(printed.value(QStringLiteral("retentionDays")).toInt(), 30);
        QCOMPARE(printed.value(QStringLiteral("keepBodiesDays")).toInt(), 7);
        const QJsonObject shown = show(QStringLiteral("Acme LRS"));
        QCOMPARE(shown.value(QStringLiteral("retentionDays")).toInt(), 30);
        QCOMPARE(shown.value(QStringLiteral("keepBodiesDays")).toInt(), 7);
        const CliResult text = run({QStringLiteral("integration"), QStringLiteral("show"), QStringLiteral("Acme LRS")});
        QVERIFY2(text.out.contains("Retention:          30 days\n"), text.out.constData());
        QVERIFY2(text.out.contains("Bodies kept:        7 days\n"), text.out.constData());

        // Without the options nothing is limited: null in JSON.
        const CliResult plain =
            run(addArguments(QStringLiteral("Other"), QStringLiteral("other")) << QStringLiteral("--json"), m_secret);
        QVERIFY2(plain.exitCode == 0, qPrintable(plain.all()));
        QVERIFY(QJsonDocument::fromJson(plain.out).object().value(QStringLiteral("retentionDays")).isNull());
        QVERIFY(QJsonDocument::fromJson(plain.out).object().contains(QStringLiteral("keepBodiesDays")));

        const QString sentence = RetentionPolicy{30, 40}.check().constFirst().message;
        QVERIFY(sentence.contains(QLatin1String("30 days")));
        QStringList tooLong = addArguments(QStringLiteral("Third"), QStringLiteral("third"));
        tooLong << QStringLiteral("--retention-days") << QStringLiteral("30") << QStringLiteral("--keep-bodies-days")
                << QStringLiteral("40");
        const CliResult refused = run(tooLong, m_secret);
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.err.contains(QString(QStringLiteral("keepBodiesDays: ") + sentence).toUtf8()),
                 refused.err.constData());
        QVERIFY(show(QStringLiteral("Third")).isEmpty()); // nothing was added
        const CliResult notADay = run(addArguments(QStringLiteral("Third"), QStringLiteral("third"))
                                          << QStringLiteral("--retention-days") << QStringLiteral("soon"),
                                      m_secret);
        QCOMPARE(notADay.exitCode, 2);
        QVERIFY2(notADay.err.contains("--retention-days: “soon” is not a number of days"), notADay.err.constData());

        // edit checks against what is stored: bodies for 40 days of statements kept 30 is refused, and nothing changes.
        const CliResult editRefused =
            run({QStringLiteral("integration"), QStringLiteral("edit"), QStringLiteral("Acme LRS"),
                 QStringLiteral("--keep-bodies-days"), QStringLiteral("40")});
        QCOMPARE(editRefused.exitCode, 1);
        QVERIFY2(editRefused.err.contains(sentence.toUtf8()), editRefused.err.constData());
        QCOMPARE(show(QStringLiteral("Acme LRS")).value(QStringLiteral("keepBodiesDays")).toInt(), 7);

        // edit with a field and the retention saves both, and prints both.
        const CliResult both =
            run({QStringLiteral("integration"), QStringLiteral("edit"), QStringLiteral("Acme LRS"),
                 QStringLiteral("--retry-interval"), QStringLiteral("30"), QStringLiteral("--retention-days"),
                 QStringLiteral("keep"), QStringLiteral("--json")});
        QVERIFY2(both.exitCode == 0, qPrintable(both.all()));
        QCOMPARE(QJsonDocument::fromJson(both.out).object().value(QStringLiteral("retryInterval")).toInt(), 30);
        QVERIFY(QJsonDocument::fromJson(both.out).object().value(QStringLiteral("retentionDays")).isNull());
        QCOMPARE(QJsonDocument::fromJson(both.out).object().value(QStringLiteral("keepBodiesDays")).toInt(), 7);

        const CliResult help = run({QStringLiteral("integration"), QStringLiteral("add"), QStringLiteral("--help")});
        QVERIFY2(help.out.contains("--retention-days <N|keep>") && help.out.contains("--keep-bodies-days <N|keep>"),
                 help.out.constData());
    }

    void databaseFromEnvironment()
    {
        CliRunner fromEnvironment;
        fromEnvironment.setEnvironment(QStringLiteral("XAPI_COURIER_DB"), m_fixture->location());
        QCOMPARE(run(addArguments(QStringLiteral("Acme LRS"), QStringLiteral("acme")), m_secret).exitCode, 0);
        const CliResult list =
            fromEnvironment.run({QStringLiteral("integration"), QStringLiteral("list"), QStringLiteral("--json")});
        QCOMPARE(QJsonDocument::fromJson(list.out).array().size(), 1);
        // --db after the subcommand works too.
        const CliResult late =
            CliRunner().run({QStringLiteral("integration"), QStringLiteral("list"), QStringLiteral("--json"),
                             QStringLiteral("--db"), m_fixture->location()});
        QCOMPARE(QJsonDocument::fromJson(late.out).array().size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestCliIntegration)
#include "tst_cli_integration.moc"
