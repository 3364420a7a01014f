#include "statements/StatementReader.h"
#include "statements/StatementValidator.h"

#include <QBuffer>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

// Declared before the data: moc does not read raw string literals that contain "//".
class TestStatementValidator final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void samplesAreValid_data();
    void samplesAreValid();
    void rules_data();
    void rules();
    void arraysAndNdjsonCarryTheIndex();
    void batchesKeepEachStatementsText();
    void inputThatQtRefusesIsNotJson();
    void readerAgreesWithTheWholeInputValidation_data();
    void readerAgreesWithTheWholeInputValidation();
    void syntaxErrorsNameTheLineAndColumn();
    void brokenArrayElementsNameTheLineAndColumn();
};

namespace {

const char* baseStatement = R"({
  "id": "f4178dfb-d61c-4a16-8ab3-5b9fccae7d8c",
  "actor": {"objectType": "Agent", "name": "Ada", "mbox": "mailto:ada@example.com"},
  "verb": {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en-US": "completed"}},
  "object": {"objectType": "Activity", "id": "http://example.com/activities/course-1",
             "definition": {"name": {"en": "Course 1"}, "type": "http://adlnet.gov/expapi/activities/course"}},
  "timestamp": "2026-11-22T09:14:32.577Z"
})";

// Sets (or, with an undefined value, removes) a property at a dotted path with [n] indexes.
QJsonValue setAt(QJsonValue node, QStringList keys, const QJsonValue& value)
{
    const QString key = keys.takeFirst();
    if (key.startsWith(QLatin1Char('['))) {
        QJsonArray array = node.toArray();
        const int index = key.mid(1, key.size() - 2).toInt();
        while (array.size() <= index)
            array.append(QJsonObject());
        array[index] = keys.isEmpty() ? value : setAt(array.at(index), keys, value);
        return array;
    }
    QJsonObject object = node.toObject();
    if (keys.isEmpty()) {
        if (value.isUndefined())
            object.remove(key);
        else
            object.insert(key, value);
    } else {
        object.insert(key, setAt(object.value(key), keys, value));
    }
    return object;
}

QJsonObject with(std::initializer_list<std::pair<const char*, QJsonValue>> changes)
{
    QJsonValue statement = QJsonDocument::fromJson(baseStatement).object();
    for (const auto& [path, value] : changes) {
        QStringList keys;
        for (const QString& part : QString::fromLatin1(path).split(QLatin1Char('.'))) {
            const qsizetype bracket = part.indexOf(QLatin1Char('['));
            if (bracket > 0) {
                keys << part.left(bracket) << part.mid(bracket);
            } else {
                keys << part;
            }
        }
        statement = setAt(statement, keys, value);
    }
    return statement.toObject();
}

QJsonValue json(const char* text)
{
    const QByteArray wrapped = QByteArray("[") + text + "]";
    return QJsonDocument::fromJson(wrapped).array().first();
}

const QJsonValue removed = QJsonValue(QJsonValue::Undefined);

} // namespace

void TestStatementValidator::samplesAreValid_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("vendor completed") << QStringLiteral(COURIER_SAMPLES_DIR "/vendor-completed.json");
    QTest::newRow("vendor progressed") << QStringLiteral(COURIER_SAMPLES_DIR "/vendor-progressed.json");
}
void TestStatementValidator::samplesAreValid()
{
    QFETCH(QString, file);
    QFile input(file);
    QVERIFY(input.open(QIODevice::ReadOnly));
    const StatementBatch batch = StatementValidator::validateInput(input.readAll());
    QStringList texts;
    for (const Finding& finding : batch.findings)
        texts << finding.toText();
    QVERIFY2(batch.isValid(), qPrintable(texts.join(QLatin1Char('\n')) + batch.parseError));
    QCOMPARE(batch.statements.size(), 1);
}

void TestStatementValidator::rules_data()
{
    QTest::addColumn<QJsonObject>("statement");
    QTest::addColumn<QString>("path"); // empty: valid

    auto valid = [](const char* name, const QJsonObject& statement) {
        QTest::newRow(name) << statement << QString();
    };
    auto invalid = [](const char* name, const QJsonObject& statement, const char* path) {
        QTest::newRow(name) << statement << QString::fromLatin1(path);
    };

    valid("base", with({}));
    // Required properties and the statement itself
    invalid("actor required", with({{"actor", removed}}), "actor");
    invalid("verb required", with({{"verb", removed}}), "verb");
    invalid("object required", with({{"object", removed}}), "object");
    valid("id optional", with({{"id", removed}}));
    invalid("id not a uuid", with({{"id", "1234"}}), "id");
    invalid("id a number", with({{"id", 42}}), "id");
    invalid("unknown property", with({{"foo", "bar"}}), "foo");
    invalid("case-sensitive names", with({{"Actor", json(R"({"mbox":"mailto:a@b.c"})")}}), "Actor");
    invalid("null refused", with({{"result", QJsonValue::Null}}), "result");
    invalid("objectType on a statement", with({{"objectType", "Statement"}}), "objectType");
    valid("version 1.0.3", with({{"version", "1.0.3"}}));
    valid("version 1.0", with({{"version", "1.0"}}));
    invalid("version 2.0", with({{"version", "2.0.0"}}), "version");
    invalid("timestamp not ISO", with({{"timestamp", "22/11/2026 09:14"}}), "timestamp");
    valid("timestamp with offset", with({{"timestamp", "2026-11-22T09:14:32+01:00"}}));
    valid("timestamp with 7 fraction digits", with({{"timestamp", "2018-11-01T19:03:01.2719736Z"}}));
    invalid("timestamp month 13", with({{"timestamp", "2026-13-22T09:14:32Z"}}), "timestamp");
    invalid("stored not ISO", with({{"stored", "yesterday"}}), "stored");
    // Actor
    invalid("agent without identifier", with({{"actor", json(R"({"name":"Ada"})")}}), "actor");
    invalid("agent with two identifiers",
            with({{"actor", json(R"({"mbox":"mailto:a@b.c","openid":"http://openid.example.com/ada"})")}}), "actor");
    invalid("mbox without mailto", with({{"actor.mbox", "ada@example.com"}}), "actor.mbox");
    valid("mbox_sha1sum", with({{"actor", json(R"({"mbox_sha1sum":"ebd31e95054c018b10727ccffd2ef2ec3a016ee9"})")}}));
    invalid("mbox_sha1sum short", with({{"actor", json(R"({"mbox_sha1sum":"ebd31e95"})")}}), "actor.mbox_sha1sum");
    valid("openid", with({{"actor", json(R"({"openid":"http://openid.example.com/ada"})")}}));
    invalid("openid not a URI", with({{"actor", json(R"({"openid":"ada"})")}}), "actor.openid");
    valid("account", with({{"actor", json(R"({"account":{"homePage":"https://sso.example.com","name":"ada-42"}})")}}));
    invalid("account without homePage", with({{"actor", json(R"({"account":{"name":"ada-42"}})")}}),
            "actor.account.homePage");
    invalid("account homePage not IRL", with({{"actor", json(R"({"account":{"homePage":"sso","name":"x"}})")}}),
            "actor.account.homePage");
    invalid("account without name", with({{"actor", json(R"({"account":{"homePage":"https://sso.example.com"}})")}}),
            "actor.account.name");
    invalid("account extra property",
            with({{"actor", json(R"({"account":{"homePage":"https://s.example.com","name":"x","id":1}})")}}),
            "actor.account.id");
    invalid("agent objectType typo", with({{"actor.objectType", "agent"}}), "actor.objectType");
    invalid("agent with member", with({{"actor.member", json("[]")}}), "actor.member");
    invalid("agent name not a string", with({{"actor.name", 7}}), "actor.name");
    valid("anonymous group",
          with({{"actor",
                 json(R"({"objectType":"Group","member":[{"mbox":"mailto:a@b.c"},{"mbox":"mailto:d@e.f"}]})")}}));
    invalid("anonymous group without members", with({{"actor", json(R"({"objectType":"Group","name":"Team"})")}}),
            "actor.member");
    invalid("anonymous group with no member", with({{"actor", json(R"({"objectType":"Group","member":[]})")}}),
            "actor.member");
    valid("identified group", with({{"actor", json(R"({"objectType":"Group","mbox":"mailto:team@example.com"})")}}));
    invalid(
        "group member is a group",
        with({{"actor", json(R"({"objectType":"Group","member":[{"objectType":"Group","mbox":"mailto:t@e.c"}]})")}}),
        "actor.member[0].objectType");
    invalid("group member without identifier",
            with({{"actor", json(R"({"objectType":"Group","member":[{"name":"x"}]})")}}), "actor.member[0]");
    invalid("group member not an array",
            with({{"actor", json(R"({"objectType":"Group","member":{"mbox":"mailto:a@b.c"}})")}}), "actor.member");
    // Verb
    invalid("verb id not IRI", with({{"verb.id", "completed"}}), "verb.id");
    invalid("verb without id", with({{"verb", json(R"({"display":{"en":"x"}})")}}), "verb.id");
    invalid("verb display not a map", with({{"verb.display", "completed"}}), "verb.display");
    invalid("verb display bad tag", with({{"verb.display", json(R"({"english":"done"})")}}), "verb.display.english");
    valid("verb display tag with script", with({{"verb.display", json(R"({"zh-Hans-CN":"完成"})")}}));
    invalid("verb display value not string", with({{"verb.display", json(R"({"en":1})")}}), "verb.display.en");
    invalid("verb unknown property", with({{"verb.name", "completed"}}), "verb.name");
    // Activity
    valid("activity without objectType", with({{"object.objectType", removed}}));
    invalid("activity id not IRI", with({{"object.id", "course 1"}}), "object.id");
    invalid("activity without id", with({{"object.id", removed}}), "object.id");
    invalid("activity type not IRI", with({{"object.definition.type", "course"}}), "object.definition.type");
    invalid("activity moreInfo not IRL", with({{"object.definition.moreInfo", "urn:x"}}), "object.definition.moreInfo");
    valid("activity moreInfo", with({{"object.definition.moreInfo", "https://example.com/course-1"}}));
    invalid("activity description bad", with({{"object.definition.description", "text"}}),
            "object.definition.description");
    invalid("activity unknown definition property", with({{"object.definition.title", "x"}}),
            "object.definition.title");
    invalid("extension key not IRI", with({{"object.definition.extensions", json(R"({"score":1})")}}),
            "object.definition.extensions.score");
    valid("extension values may be anything",
          with({{"object.definition.extensions", json(R"({"http://example.com/x":{"a":[1,2,null]}})")}}));
    invalid("interactionType unknown", with({{"object.definition.interactionType", "multiple-choice"}}),
            "object.definition.interactionType");
    valid("choice with choices",
          with({{"object.definition.interactionType", "choice"},
                {"object.definition.correctResponsesPattern", json(R"(["a"])")},
                {"object.definition.choices", json(R"([{"id":"a","description":{"en":"A"}}])")}}));
    invalid(
        "choices without the right type",
        with({{"object.definition.interactionType", "likert"}, {"object.definition.choices", json(R"([{"id":"a"}])")}}),
        "object.definition.choices");
    invalid("component without id",
            with({{"object.definition.interactionType", "likert"},
                  {"object.definition.scale", json(R"([{"description":{"en":"A"}}])")}}),
            "object.definition.scale[0].id");
    valid("matching source and target", with({{"object.definition.interactionType", "matching"},
                                              {"object.definition.source", json(R"([{"id":"1"}])")},
                                              {"object.definition.target", json(R"([{"id":"a"}])")}}));
    valid("performance steps", with({{"object.definition.interactionType", "performance"},
                                     {"object.definition.steps", json(R"([{"id":"1"}])")}}));
    invalid("correctResponsesPattern without interactionType",
            with({{"object.definition.correctResponsesPattern", json(R"(["a"])")}}),
            "object.definition.correctResponsesPattern");
    invalid("correctResponsesPattern not strings",
            with({{"object.definition.interactionType", "numeric"},
                  {"object.definition.correctResponsesPattern", json("[4]")}}),
            "object.definition.correctResponsesPattern[0]");
    invalid("object objectType unknown", with({{"object.objectType", "Course"}}), "object.objectType");
    // Other objects
    valid("agent as object", with({{"object", json(R"({"objectType":"Agent","mbox":"mailto:b@example.com"})")}}));
    invalid("agent object without identifier", with({{"object", json(R"({"objectType":"Agent","name":"B"})")}}),
            "object");
    valid("statement ref",
          with({{"object", json(R"({"objectType":"StatementRef","id":"8f87ccde-bb56-4c2e-ab83-44982ef22df0"})")}}));
    invalid("statement ref id", with({{"object", json(R"({"objectType":"StatementRef","id":"nope"})")}}), "object.id");
    valid(
        "substatement",
        with(
            {{"object",
              json(
                  R"({"objectType":"SubStatement","actor":{"mbox":"mailto:a@b.c"},"verb":{"id":"http://example.com/v"},"object":{"id":"http://example.com/a"}})")}}));
    invalid(
        "substatement with id",
        with(
            {{"object",
              json(
                  R"({"objectType":"SubStatement","id":"8f87ccde-bb56-4c2e-ab83-44982ef22df0","actor":{"mbox":"mailto:a@b.c"},"verb":{"id":"http://example.com/v"},"object":{"id":"http://example.com/a"}})")}}),
        "object.id");
    invalid(
        "substatement with stored",
        with(
            {{"object",
              json(
                  R"({"objectType":"SubStatement","stored":"2026-01-01T00:00:00Z","actor":{"mbox":"mailto:a@b.c"},"verb":{"id":"http://example.com/v"},"object":{"id":"http://example.com/a"}})")}}),
        "object.stored");
    invalid(
        "nested substatement",
        with(
            {{"object",
              json(
                  R"({"objectType":"SubStatement","actor":{"mbox":"mailto:a@b.c"},"verb":{"id":"http://example.com/v"},"object":{"objectType":"SubStatement","actor":{"mbox":"mailto:a@b.c"},"verb":{"id":"http://example.com/v"},"object":{"id":"http://example.com/a"}}})")}}),
        "object.object.objectType");
    invalid(
        "substatement without verb",
        with(
            {{"object",
              json(
                  R"({"objectType":"SubStatement","actor":{"mbox":"mailto:a@b.c"},"object":{"id":"http://example.com/a"}})")}}),
        "object.verb");
    // Result
    valid(
        "full result",
        with(
            {{"result",
              json(
                  R"({"score":{"scaled":0.5,"raw":5,"min":0,"max":10},"success":true,"completion":true,"response":"a","duration":"PT1H2M3.5S"})")}}));
    invalid("scaled above 1", with({{"result", json(R"({"score":{"scaled":1.5}})")}}), "result.score.scaled");
    invalid("scaled below -1", with({{"result", json(R"({"score":{"scaled":-1.01}})")}}), "result.score.scaled");
    invalid("raw above max", with({{"result", json(R"({"score":{"raw":11,"min":0,"max":10}})")}}), "result.score.raw");
    invalid("raw below min", with({{"result", json(R"({"score":{"raw":-1,"min":0,"max":10}})")}}), "result.score.raw");
    invalid("min not below max", with({{"result", json(R"({"score":{"min":10,"max":10}})")}}), "result.score.min");
    invalid("score not a number", with({{"result", json(R"({"score":{"raw":"5"}})")}}), "result.score.raw");
    invalid("success not boolean", with({{"result", json(R"({"success":"yes"})")}}), "result.success");
    invalid("completion not boolean", with({{"result", json(R"({"completion":1})")}}), "result.completion");
    invalid("duration not ISO", with({{"result", json(R"({"duration":"28 minutes"})")}}), "result.duration");
    invalid("duration empty P", with({{"result", json(R"({"duration":"P"})")}}), "result.duration");
    invalid("result unknown property", with({{"result", json(R"({"grade":"A"})")}}), "result.grade");
    // Context
    valid(
        "context",
        with(
            {{"context",
              json(
                  R"({"registration":"8f87ccde-bb56-4c2e-ab83-44982ef22df0","platform":"Moodle","language":"en-GB","revision":"2","instructor":{"mbox":"mailto:t@example.com"},"team":{"objectType":"Group","mbox":"mailto:team@example.com"},"statement":{"objectType":"StatementRef","id":"8f87ccde-bb56-4c2e-ab83-44982ef22df0"},"contextActivities":{"parent":{"id":"http://example.com/p"},"grouping":[{"id":"http://example.com/g"}]},"extensions":{"http://example.com/e":1}})")}}));
    invalid("registration not uuid", with({{"context", json(R"({"registration":"abc"})")}}), "context.registration");
    invalid("team not a group", with({{"context", json(R"({"team":{"mbox":"mailto:t@example.com"}})")}}),
            "context.team.objectType");
    invalid("context activity id", with({{"context", json(R"({"contextActivities":{"parent":[{"id":"p"}]}})")}}),
            "context.contextActivities.parent[0].id");
    invalid("context activities unknown list", with({{"context", json(R"({"contextActivities":{"siblings":[]}})")}}),
            "context.contextActivities.siblings");
    invalid("context activity not an object", with({{"context", json(R"({"contextActivities":{"category":"x"}})")}}),
            "context.contextActivities.category");
    invalid("language tag bad", with({{"context", json(R"({"language":"english"})")}}), "context.language");
    invalid("platform when object is an agent",
            with({{"object", json(R"({"objectType":"Agent","mbox":"mailto:b@example.com"})")},
                  {"context", json(R"({"platform":"Moodle"})")}}),
            "context.platform");
    invalid("revision when object is a statement ref",
            with({{"object", json(R"({"objectType":"StatementRef","id":"8f87ccde-bb56-4c2e-ab83-44982ef22df0"})")},
                  {"context", json(R"({"revision":"1"})")}}),
            "context.revision");
    invalid("context statement not a ref", with({{"context", json(R"({"statement":{"id":"x"}})")}}),
            "context.statement.objectType");
    // Authority and attachments
    valid(
        "authority oauth group",
        with(
            {{"authority",
              json(
                  R"({"objectType":"Group","member":[{"account":{"homePage":"https://lrs.example.com","name":"app"}},{"mbox":"mailto:u@example.com"}]})")}}));
    invalid("authority without identifier", with({{"authority", json(R"({"name":"x"})")}}), "authority");
    valid(
        "attachment",
        with(
            {{"attachments",
              json(
                  R"([{"usageType":"http://adlnet.gov/expapi/attachments/signature","display":{"en":"Signature"},"contentType":"application/octet-stream","length":4235,"sha2":"672fa5fa658017f1b72d65036f13379c6ab05d4ab3b6664908d8acf0b6a0c634"}])")}}));
    invalid(
        "attachment without sha2",
        with(
            {{"attachments",
              json(
                  R"([{"usageType":"http://example.com/u","display":{"en":"x"},"contentType":"text/plain","length":1}])")}}),
        "attachments[0].sha2");
    invalid(
        "attachment length not whole",
        with(
            {{"attachments",
              json(
                  R"([{"usageType":"http://example.com/u","display":{"en":"x"},"contentType":"text/plain","length":1.5,"sha2":"ab"}])")}}),
        "attachments[0].length");
    invalid("attachments not an array", with({{"attachments", json(R"({"usageType":"x"})")}}), "attachments");
}

void TestStatementValidator::rules()
{
    QFETCH(QJsonObject, statement);
    QFETCH(QString, path);
    const QList<Finding> findings = StatementValidator::validate(statement);
    QStringList texts;
    for (const Finding& finding : findings)
        texts << finding.toText();
    if (path.isEmpty()) {
        QVERIFY2(findings.isEmpty(), qPrintable(texts.join(QLatin1Char('\n'))));
        return;
    }
    const bool found =
        std::any_of(findings.cbegin(), findings.cend(), [&](const Finding& finding) { return finding.path == path; });
    QVERIFY2(
        found,
        qPrintable(QStringLiteral("expected a finding at %1, got: %2").arg(path, texts.join(QStringLiteral(" | ")))));
    for (const Finding& finding : findings)
        QVERIFY2(finding.message.size() > 10, qPrintable(finding.toText())); // a sentence, not a code
}

void TestStatementValidator::arraysAndNdjsonCarryTheIndex()
{
    const QByteArray good = QJsonDocument(with({})).toJson(QJsonDocument::Compact);
    const QByteArray bad = QJsonDocument(with({{"verb.id", "completed"}})).toJson(QJsonDocument::Compact);
    const StatementBatch array = StatementValidator::validateInput("[" + good + "," + bad + "]");
    QCOMPARE(array.statements.size(), 2);
    QCOMPARE(array.findings.size(), 1);
    QCOMPARE(array.findings.first().path, QStringLiteral("[1].verb.id"));
    QCOMPARE(array.findings.first().statement, 1);

    const StatementBatch lines = StatementValidator::validateInput(good + "\n" + good + "\n\n" + bad + "\n");
    QCOMPARE(lines.statements.size(), 3);
    QCOMPARE(lines.findings.size(), 1);
    QCOMPARE(lines.findings.first().path, QStringLiteral("[2].verb.id"));

    const StatementBatch broken = StatementValidator::validateInput(good + "\n{\"id\": \n");
    QVERIFY(broken.parseError.contains(QLatin1String("line 2")));
    QVERIFY(!StatementValidator::validateInput("not json").parseError.isEmpty());
    QVERIFY(!StatementValidator::validateInput("   ").parseError.isEmpty());
    const StatementBatch numbers = StatementValidator::validateInput("[1]");
    QCOMPARE(numbers.findings.first().path, QStringLiteral("[0]"));
}

void TestStatementValidator::batchesKeepEachStatementsText()
{
    const QByteArray good = QJsonDocument(with({})).toJson(QJsonDocument::Indented);
    const QByteArray compact = QJsonDocument(with({})).toJson(QJsonDocument::Compact);
    const QJsonObject parsed = QJsonDocument::fromJson(good).object();

    const StatementBatch single = StatementValidator::validateInput("\n  " + good + "\n");
    QVERIFY(single.isValid());
    QCOMPARE(single.statements, QList<QByteArray>{good.trimmed()});
    QCOMPARE(single.object(0), parsed);

    const StatementBatch array = StatementValidator::validateInput("[" + good + ",\n 1 ]");
    QCOMPARE(array.statements, (QList<QByteArray>{good.trimmed(), "1"}));
    QCOMPARE(array.object(0), parsed);
    QVERIFY(array.object(1).isEmpty());
    QCOMPARE(array.findings.size(), 1);
    QCOMPARE(array.findings.first().path, QStringLiteral("[1]"));

    const StatementBatch lines = StatementValidator::validateInput(compact + "\r\n\n  " + compact + " \n");
    QCOMPARE(lines.statements, (QList<QByteArray>{compact, compact}));
    QCOMPARE(lines.object(1), parsed);

    // A UTF-8 byte order mark is skipped, as QJsonDocument skips it.
    const StatementBatch marked = StatementValidator::validateInput("\xEF\xBB\xBF" + good);
    QVERIFY2(marked.isValid(), qPrintable(marked.parseError));
    QCOMPARE(marked.object(0), parsed);
}

void TestStatementValidator::inputThatQtRefusesIsNotJson()
{
    // The validator parses with JsonView alone; what QJsonDocument would refuse must not get through as statements.
    QByteArray utf8 = QJsonDocument(with({{"actor.name", "Ada"}})).toJson(QJsonDocument::Compact);
    utf8.replace("Ada", "Ad\xC3");
    QVERIFY(QJsonDocument::fromJson(utf8).isNull());
    const StatementBatch broken = StatementValidator::validateInput(utf8);
    QVERIFY2(broken.parseError.contains(QLatin1String("UTF-8")), qPrintable(broken.parseError));
    QVERIFY(broken.statements.isEmpty());

    const StatementBatch number = StatementValidator::validateInput("{\"result\": {\"score\": {\"raw\": 01}}}");
    QVERIFY2(number.parseError.contains(QLatin1String("line 1, column 31")), qPrintable(number.parseError));
    QVERIFY(!StatementValidator::validateInput("{\"result\": {\"score\": {\"raw\": NaN}}}").parseError.isEmpty());
    QVERIFY(!StatementValidator::validateInput("\"a statement\"").parseError.isEmpty());
    QVERIFY(!StatementValidator::validateInput("42").parseError.isEmpty());
}


void TestStatementValidator::readerAgreesWithTheWholeInputValidation_data()
{
    const QByteArray good = QJsonDocument(with({})).toJson(QJsonDocument::Compact);
    const QByteArray bad = QJsonDocument(with({{"verb.id", "completed"}})).toJson(QJsonDocument::Compact);
    const QByteArray pretty = QJsonDocument(with({{"verb.id", "completed"}})).toJson(QJsonDocument::Indented);
    QTest::addColumn<QByteArray>("input");
    QTest::newRow("NDJSON") << good + "\n" + bad + "\n\n" + good + "\n" + bad;
    QTest::newRow("NDJSON, BOM and CRLF") << "\xEF\xBB\xBF" + bad + "\r\n\r\n" + good + "\r\n";
    QTest::newRow("NDJSON, a broken line") << good + "\n" + bad + "\n{\"id\": \n" + good;
    QTest::newRow("NDJSON, an array line") << good + "\n[1]\n";
    QTest::newRow("one statement on a line") << bad + "\n\n";
    QTest::newRow("one statement, indented") << "\n  " + pretty;
    QTest::newRow("an array") << "[" + good + ",\n" + bad + ", 1]";
    QTest::newRow("an indented array") << QJsonDocument(QJsonArray{with({}), with({{"verb.id", "x"}})}).toJson();
    QTest::newRow("not JSON") << QByteArray("not json");
    QTest::newRow("empty") << QByteArray("  \n ");
}

// StatementReader (what validate and enqueue read files with, NDJSON a line at a time) finds what validateInput
// finds over the whole text: the same statements, findings, paths and parse errors.
void TestStatementValidator::readerAgreesWithTheWholeInputValidation()
{
    QFETCH(QByteArray, input);
    const StatementBatch whole = StatementValidator::validateInput(input);
    QBuffer buffer(&input);
    QVERIFY(buffer.open(QIODevice::ReadOnly));
    StatementReader reader(buffer);
    QList<QByteArray> statements;
    QStringList findings;
    while (reader.next()) {
        QCOMPARE(reader.index(), statements.size());
        statements << reader.json();
        for (const Finding& finding : reader.findings())
            findings << QString::number(finding.statement) + u' ' + finding.toText();
    }
    QStringList wholeFindings;
    for (const Finding& finding : whole.findings)
        wholeFindings << QString::number(finding.statement) + u' ' + finding.toText();
    QCOMPARE(reader.parseError(), whole.parseError);
    if (whole.parseError.isEmpty()) {
        QCOMPARE(statements, whole.statements);
        QCOMPARE(findings, wholeFindings);
    }
}

// A missing comma is reported where it is missing: at the end of its line, not at the start of the next one (nor at
// line 1, as when a pretty-printed statement was taken for one statement per line).
void TestStatementValidator::syntaxErrorsNameTheLineAndColumn()
{
    QList<QByteArray> lines = QJsonDocument(with({{"result", json(R"({"score":{"raw":5,"max":10}})")}}))
                                  .toJson(QJsonDocument::Indented)
                                  .split('\n');
    const qsizetype verb = std::find_if(lines.cbegin(), lines.cend(),
                                        [](const QByteArray& line) { return line.contains("\"verb\": {"); }) -
                           lines.cbegin();
    QVERIFY(verb > 2 && lines[verb - 1].endsWith(','));
    lines[verb - 1].chop(1); // the comma at the end of the line before "verb"
    const QByteArray broken = lines.join('\n');
    const StatementBatch batch = StatementValidator::validateInput(broken);
    const QString where = QStringLiteral("line %1, column %2").arg(verb).arg(lines[verb - 1].size() + 1);
    QVERIFY2(batch.parseError.contains(where), qPrintable(batch.parseError + QStringLiteral(" / expected ") + where));
    QVERIFY2(batch.parseError.contains(QLatin1String("comma")), qPrintable(batch.parseError));
    QCOMPARE(batch.errorLine, int(verb));
    QCOMPARE(batch.errorColumn, int(lines[verb - 1].size() + 1));

    // NDJSON: the line that is not a statement, with the column in it.
    const QByteArray good = QJsonDocument(with({})).toJson(QJsonDocument::Compact);
    const StatementBatch ndjson = StatementValidator::validateInput(good + "\n" + good + "\n{\"id\" 1}\n" + good);
    QVERIFY2(ndjson.parseError.startsWith(QLatin1String("line 3 is not a JSON statement: ")), qPrintable(ndjson.parseError));
    QVERIFY2(ndjson.parseError.contains(QLatin1String("column 6")), qPrintable(ndjson.parseError));
    QCOMPARE(ndjson.errorLine, 3);

    // RFC 8259: a raw tab in a string is not JSON (QJsonDocument lets it through); said where it is.
    const StatementBatch tab = StatementValidator::validateInput("{\n  \"actor\": {\"name\": \"Ada\tL\"}\n}");
    QVERIFY2(tab.parseError.contains(QLatin1String("line 2, column 25")), qPrintable(tab.parseError));
    QVERIFY2(tab.parseError.contains(QLatin1String("RFC 8259")), qPrintable(tab.parseError));
}

// An array is read an element at a time (StatementReader); an element that is not JSON is reported at its line and
// column in the whole input, like any other syntax error (it was a byte offset), by the reader and by validateInput.
void TestStatementValidator::brokenArrayElementsNameTheLineAndColumn()
{
    const QByteArray good = QJsonDocument(with({})).toJson(QJsonDocument::Compact);
    // The third element lacks the comma after its actor, at the end of line 4; "Zoë" before it counts as 3 columns.
    const QByteArray input =
        "[\n  " + good + ",\n  " + good +
        ",\n  {\"actor\": {\"name\": \"Zo\xC3\xAB\", "
        "\"mbox\": \"mailto:zoe@example.com\"}\n   \"verb\": {\"id\": \"http://example.com/v\"}}\n]\n";
    const QString where = QStringLiteral("line 4, column 62"); // just after the actor's }: 61 characters before it
    const StatementBatch whole = StatementValidator::validateInput(input);
    QVERIFY2(whole.parseError.startsWith(QStringLiteral("not valid JSON at ") + where + QStringLiteral(": a comma")),
             qPrintable(whole.parseError));
    QCOMPARE(whole.errorLine, 4);
    QCOMPARE(whole.errorColumn, 62);
    QByteArray copy = input;
    QBuffer buffer(&copy);
    QVERIFY(buffer.open(QIODevice::ReadOnly));
    StatementReader reader(buffer);
    int read = 0;
    while (reader.next())
        ++read;
    QCOMPARE(read, 2); // the two before it
    QCOMPARE(reader.parseError(), whole.parseError);
    QCOMPARE(reader.errorLine(), 4);
    QCOMPARE(reader.errorColumn(), 62);

    // The other ways an array breaks, each at its place.
    const struct
    {
        QByteArray input;
        int line;
        int column;
        const char* what;
    } broken[] = {
        {"[\n  " + good + ",\n  " + good + "\n", 4, 1, "the array is not closed"},
        {"[\n  " + good + ",\n  ,\n]", 3, 3, "an array element is missing"},
        {"[" + good + "]\n  x", 2, 3, "something follows the array"},
        {"[" + good + ", {\"id\": 01}]", 1, int(good.size()) + 12, "a comma or a closing brace is expected"},
        {"[\n\t{\"a\": \"x\ty\"}]", 2, 10, "RFC 8259"}, // the tab before the element is one column
    };
    for (const auto& [text, line, column, what] : broken) {
        const StatementBatch batch = StatementValidator::validateInput(text);
        QVERIFY2(batch.parseError.contains(QStringLiteral("at line %1, column %2: ").arg(line).arg(column)) &&
                     batch.parseError.contains(QLatin1StringView(what)),
                 qPrintable(QString::fromUtf8(text) + QStringLiteral(" → ") + batch.parseError));
        QCOMPARE(batch.errorLine, line);
        QCOMPARE(batch.errorColumn, column);
    }
}

QTEST_GUILESS_MAIN(TestStatementValidator)
#include "tst_statementvalidator.moc"
