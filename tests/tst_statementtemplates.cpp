#include "statements/ProviderProfile.h"
#include "statements/StatementTemplates.h"
#include "statements/StatementValidator.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QTest>
#include <QUuid>

Q_DECLARE_METATYPE(TemplateValues::Verb)
Q_DECLARE_METATYPE(TemplateValues::ObjectKind)
Q_DECLARE_METATYPE(TemplateValues::Namespace)
Q_DECLARE_METATYPE(TemplateValues::ActorBy)

namespace {
TemplateValues baseValues()
{
    TemplateValues values;
    values.vendorBase = QStringLiteral("http://example.com/xapi/");
    values.actorName = QStringLiteral("John Shaker");
    values.actorEmail = QStringLiteral("john@example.com");
    values.accountHomePage = QStringLiteral("https://www.example.com/profile");
    values.accountName = QStringLiteral("4db4abe5");
    values.objectId = QStringLiteral("http://example.com/xapi/activity/299");
    values.objectName = QStringLiteral("Wine 101");
    values.language = QStringLiteral("en");
    return values;
}
} // namespace

class TestStatementTemplates final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void shapes_data()
    {
        QTest::addColumn<TemplateValues::Verb>("verb");
        QTest::addColumn<TemplateValues::ObjectKind>("kind");
        QTest::addColumn<TemplateValues::Namespace>("ns");
        QTest::addColumn<TemplateValues::ActorBy>("actorBy");
        QTest::addColumn<QString>("verbId");
        QTest::addColumn<QString>("type");

        using V = TemplateValues;
        QTest::newRow("completed course adl mbox") << V::Verb::Completed << V::ObjectKind::Course << V::Namespace::Adl
                                                   << V::ActorBy::Mbox << "http://adlnet.gov/expapi/verbs/completed"
                                                   << "http://adlnet.gov/expapi/activities/course";
        QTest::newRow("progressed lesson adl account")
            << V::Verb::Progressed << V::ObjectKind::Lesson << V::Namespace::Adl << V::ActorBy::Account
            << "http://adlnet.gov/expapi/verbs/progressed"
            << "http://adlnet.gov/expapi/activities/lesson";
        QTest::newRow("completed lesson vendor account")
            << V::Verb::Completed << V::ObjectKind::Lesson << V::Namespace::Vendor << V::ActorBy::Account
            << "http://example.com/xapi/verbs/completed"
            << "http://example.com/xapi/types/lesson";
        QTest::newRow("progressed course vendor mbox")
            << V::Verb::Progressed << V::ObjectKind::Course << V::Namespace::Vendor << V::ActorBy::Mbox
            << "http://example.com/xapi/verbs/progressed"
            << "http://example.com/xapi/types/course";
    }

    void shapes()
    {
        QFETCH(TemplateValues::Verb, verb);
        QFETCH(TemplateValues::ObjectKind, kind);
        QFETCH(TemplateValues::Namespace, ns);
        QFETCH(TemplateValues::ActorBy, actorBy);
        QFETCH(QString, verbId);
        QFETCH(QString, type);

        TemplateValues values = baseValues();
        values.verb = verb;
        values.objectKind = kind;
        values.verbNamespace = ns;
        values.actorBy = actorBy;
        const QJsonObject statement = StatementTemplates::build(values);

        QCOMPARE(statement[QStringLiteral("verb")][QStringLiteral("id")].toString(), verbId);
        QCOMPARE(statement[QStringLiteral("object")][QStringLiteral("definition")][QStringLiteral("type")].toString(),
                 type);
        QCOMPARE(statement[QStringLiteral("object")][QStringLiteral("id")].toString(), values.objectId);
        const QJsonObject actor = statement[QStringLiteral("actor")].toObject();
        if (actorBy == TemplateValues::ActorBy::Mbox) {
            QCOMPARE(actor[QStringLiteral("mbox")].toString(), QStringLiteral("mailto:john@example.com"));
            QVERIFY(!actor.contains(QStringLiteral("account")));
        } else {
            QCOMPARE(actor[QStringLiteral("account")][QStringLiteral("name")].toString(), QStringLiteral("4db4abe5"));
            QCOMPARE(actor[QStringLiteral("account")][QStringLiteral("homePage")].toString(),
                     QStringLiteral("https://www.example.com/profile"));
            QVERIFY(!actor.contains(QStringLiteral("mbox")));
        }
        QCOMPARE(statement[QStringLiteral("object")][QStringLiteral("definition")][QStringLiteral("name")]
                          [QStringLiteral("en")]
                              .toString(),
                 QStringLiteral("Wine 101"));
    }

    void freshIdAndTimestampUnlessGiven()
    {
        TemplateValues values = baseValues();
        const QJsonObject first = StatementTemplates::build(values);
        const QJsonObject second = StatementTemplates::build(values);
        const QUuid id(first[QStringLiteral("id")].toString());
        QVERIFY(!id.isNull());
        QCOMPARE(id.version(), QUuid::Random);
        QVERIFY(first[QStringLiteral("id")] != second[QStringLiteral("id")]);
        const QDateTime stamp = QDateTime::fromString(first[QStringLiteral("timestamp")].toString(), Qt::ISODateWithMs);
        QVERIFY(qAbs(stamp.secsTo(QDateTime::currentDateTimeUtc())) < 60);

        values.id = QStringLiteral("f4178dfb-d61c-4a16-8ab3-5b9fccae7d8c");
        values.timestamp = QDateTime(QDate(2018, 11, 1), QTime(19, 3, 1, 271), Qt::UTC);
        const QJsonObject fixed = StatementTemplates::build(values);
        QCOMPARE(fixed[QStringLiteral("id")].toString(), values.id);
        QCOMPARE(fixed[QStringLiteral("timestamp")].toString(), QStringLiteral("2018-11-01T19:03:01.271Z"));
    }

    void resultAndContext()
    {
        TemplateValues values = baseValues();
        values.completion = true;
        values.success = false;
        values.durationSeconds = 28 * 60 + 48;
        values.scoreRaw = 11;
        values.scoreMin = 10;
        values.scoreMax = 13;
        values.platform = QStringLiteral("Typsy");
        values.contextExtensions.insert(QStringLiteral("http://example.com/xapi/account/id"), 82);
        const QJsonObject statement = StatementTemplates::build(values);
        const QJsonObject result = statement[QStringLiteral("result")].toObject();
        QCOMPARE(result[QStringLiteral("completion")].toBool(), true);
        QCOMPARE(result[QStringLiteral("success")].toBool(), false);
        QCOMPARE(result[QStringLiteral("duration")].toString(), QStringLiteral("PT28M48S"));
        const QJsonObject score = result[QStringLiteral("score")].toObject();
        QCOMPARE(score[QStringLiteral("raw")].toDouble(), 11.0);
        QCOMPARE(score[QStringLiteral("min")].toDouble(), 10.0);
        QCOMPARE(score[QStringLiteral("max")].toDouble(), 13.0);
        QCOMPARE(score[QStringLiteral("scaled")].toDouble(), 0.3333);
        const QJsonObject context = statement[QStringLiteral("context")].toObject();
        QCOMPARE(context[QStringLiteral("platform")].toString(), QStringLiteral("Typsy"));
        QCOMPARE(context[QStringLiteral("language")].toString(), QStringLiteral("en"));
        QCOMPARE(context[QStringLiteral("extensions")][QStringLiteral("http://example.com/xapi/account/id")].toInt(),
                 82);
    }

    // The instructor: context.instructor in 1.0.3, a contextAgent in 2.0.0; each valid in its own version only.
    void instructorInEitherVersion()
    {
        TemplateValues values = baseValues();
        values.instructorName = QStringLiteral("Ms Smith");
        values.instructorEmail = QStringLiteral("smith@example.com");
        for (const XapiVersion version : {XapiVersion::V1_0_3, XapiVersion::V2_0_0}) {
            values.xapiVersion = version;
            const QJsonObject statement = StatementTemplates::build(values);
            const QJsonObject context = statement[QStringLiteral("context")].toObject();
            const bool two = version == XapiVersion::V2_0_0;
            QCOMPARE(context.contains(QStringLiteral("instructor")), !two);
            QCOMPARE(context.contains(QStringLiteral("contextAgents")), two);
            const QJsonObject agent =
                two ? context[QStringLiteral("contextAgents")][0][QStringLiteral("agent")].toObject()
                    : context[QStringLiteral("instructor")].toObject();
            QCOMPARE(agent[QStringLiteral("mbox")].toString(), QStringLiteral("mailto:smith@example.com"));
            QVERIFY(StatementValidator::validate(statement, 0, QString(), version).isEmpty());
            const XapiVersion other = two ? XapiVersion::V1_0_3 : XapiVersion::V2_0_0;
            QCOMPARE(StatementValidator::validate(statement, 0, QString(), other).isEmpty(), !two);
        }
    }

    void scaledScore()
    {
        QCOMPARE(StatementTemplates::scaledScore(14, 0, 14).value(), 1.0);
        QCOMPARE(StatementTemplates::scaledScore(1, 0, 14).value(), 0.0714);
        QCOMPARE(StatementTemplates::scaledScore(0, 0, 10).value(), 0.0);
        QVERIFY(!StatementTemplates::scaledScore(5, 10, 10));
        QVERIFY(!StatementTemplates::scaledScore(15, 0, 14));
    }

    void durations()
    {
        QCOMPARE(StatementTemplates::isoDuration(0), QStringLiteral("PT0S"));
        QCOMPARE(StatementTemplates::isoDuration(59), QStringLiteral("PT59S"));
        QCOMPARE(StatementTemplates::isoDuration(3600), QStringLiteral("PT1H"));
        QCOMPARE(StatementTemplates::isoDuration(3725.5), QStringLiteral("PT1H2M5.50S"));
    }

    void providerProfiles()
    {
        const QUrl lrs(QStringLiteral("https://lrs.acme.example:8443/xapi/statements"));
        CompletionFacts facts;
        facts.userId = QStringLiteral("learner-42");
        facts.contentId = QStringLiteral("1234");
        facts.contentTitle = QStringLiteral("Fractions quiz");
        facts.score = 7;
        facts.maxScore = 10;
        facts.completionSeconds = 95;
        facts.finishedAt = QDateTime(QDate(2026, 11, 1), QTime(10, 0), Qt::UTC);

        const ProviderProfile generic = ProviderProfile::forProvider(QStringLiteral("Acme"), lrs);
        const QJsonObject statement = StatementTemplates::build(generic.completionValues(facts));
        QCOMPARE(statement[QStringLiteral("verb")][QStringLiteral("id")].toString(),
                 QStringLiteral("http://adlnet.gov/expapi/verbs/completed"));
        QCOMPARE(statement[QStringLiteral("actor")][QStringLiteral("account")][QStringLiteral("homePage")].toString(),
                 QStringLiteral("https://lrs.acme.example:8443"));
        QCOMPARE(statement[QStringLiteral("object")][QStringLiteral("id")].toString(),
                 QStringLiteral("https://lrs.acme.example:8443/activities/h5p/1234"));
        QCOMPARE(statement[QStringLiteral("result")][QStringLiteral("score")][QStringLiteral("scaled")].toDouble(),
                 0.7);
        QCOMPARE(statement[QStringLiteral("result")][QStringLiteral("duration")].toString(), QStringLiteral("PT1M35S"));
        QCOMPARE(statement[QStringLiteral("timestamp")].toString(), QStringLiteral("2026-11-01T10:00:00.000Z"));

        const ProviderProfile typsy = ProviderProfile::forProvider(QStringLiteral("TYPSY"), lrs);
        QCOMPARE(typsy.id, QStringLiteral("typsy"));
        const QJsonObject vendor = StatementTemplates::build(typsy.completionValues(facts));
        QCOMPARE(vendor[QStringLiteral("verb")][QStringLiteral("id")].toString(),
                 QStringLiteral("http://xapi.typsy.com/verbs/completed"));
        QCOMPARE(vendor[QStringLiteral("object")][QStringLiteral("id")].toString(),
                 QStringLiteral("http://xapi.typsy.com/activity/1234"));

        facts.userId = QStringLiteral("learner@school.example");
        const ProviderProfile mbox = ProviderProfile::forProvider(QStringLiteral("adl-mbox"), lrs);
        QCOMPARE(
            StatementTemplates::build(mbox.completionValues(facts))[QStringLiteral("actor")][QStringLiteral("mbox")]
                .toString(),
            QStringLiteral("mailto:learner@school.example"));
    }
};

QTEST_GUILESS_MAIN(TestStatementTemplates)
#include "tst_statementtemplates.moc"
