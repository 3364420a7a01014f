#include "statements/JsonTextPatch.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

// A form edits one member of the JSON a user pasted: that member's text changes and every other character stays.
class TestJsonTextPatch final : public QObject
{
    Q_OBJECT

private:
    static QString set(const QString& json, const QStringList& path, const QJsonValue& value)
    {
        const auto change = JsonTextPatch::set(json, path, value);
        return change ? change->appliedTo(json) : QStringLiteral("<none>");
    }
    static QString remove(const QString& json, const QStringList& path)
    {
        const auto change = JsonTextPatch::remove(json, path);
        return change ? change->appliedTo(json) : QStringLiteral("<none>");
    }

private Q_SLOTS:
    void setReplacesOnlyTheValue()
    {
        const QString json = QStringLiteral("{\n  \"id\": \"a\",\n  \"actor\": {\"name\": \"Zoë\", \"x\": [1, 2]},\n"
                                            "  \"verb\": {\"id\": \"v\"}\n}");
        QCOMPARE(set(json, {QStringLiteral("actor"), QStringLiteral("name")}, QStringLiteral("Jo \"J\"")),
                 QStringLiteral("{\n  \"id\": \"a\",\n  \"actor\": {\"name\": \"Jo \\\"J\\\"\", \"x\": [1, 2]},\n"
                                "  \"verb\": {\"id\": \"v\"}\n}"));
        // Positions count characters, not UTF-8 bytes: a value after "Zoë" lands where it belongs.
        QCOMPARE(set(json, {QStringLiteral("verb"), QStringLiteral("id")}, QStringLiteral("w")),
                 QString(json).replace(QStringLiteral("\"v\""), QStringLiteral("\"w\"")));
        QCOMPARE(set(json, {QStringLiteral("id")}, 7),
                 QString(json).replace(QStringLiteral("\"a\""), QStringLiteral("7")));
    }

    void setAddsMissingMembersAndObjects()
    {
        const QString pretty = QStringLiteral("{\n  \"id\": \"a\",\n  \"result\": {\n    \"completion\": true\n  }\n}");
        QCOMPARE(set(pretty, {QStringLiteral("result"), QStringLiteral("duration")}, QStringLiteral("PT1S")),
                 QStringLiteral("{\n  \"id\": \"a\",\n  \"result\": {\n    \"completion\": true,\n"
                                "    \"duration\": \"PT1S\"\n  }\n}"));
        const QString added = set(pretty, {QStringLiteral("context"), QStringLiteral("platform")}, QStringLiteral("P"));
        const QJsonObject expected{
            {QStringLiteral("id"), QStringLiteral("a")},
            {QStringLiteral("result"), QJsonObject{{QStringLiteral("completion"), true}}},
            {QStringLiteral("context"), QJsonObject{{QStringLiteral("platform"), QStringLiteral("P")}}}};
        QCOMPARE(QJsonDocument::fromJson(added.toUtf8()).object(), expected);
        QVERIFY2(added.startsWith(pretty.chopped(2) + QStringLiteral(",\n  \"context\": {")), qPrintable(added));
        QCOMPARE(set(QStringLiteral("{}"), {QStringLiteral("a")}, 1), QStringLiteral("{\"a\": 1}"));
        QCOMPARE(set(QStringLiteral("{\"b\":2}"), {QStringLiteral("a")}, 1), QStringLiteral("{\"b\":2, \"a\": 1}"));
    }

    void setRefusesWhatItCannotEdit()
    {
        QCOMPARE(set(QStringLiteral("{\"a\": "), {QStringLiteral("a")}, 1), QStringLiteral("<none>"));
        QCOMPARE(set(QStringLiteral("[{}]"), {QStringLiteral("a")}, 1), QStringLiteral("<none>"));
        QCOMPARE(set(QStringLiteral("{\"actor\": \"x\"}"), {QStringLiteral("actor"), QStringLiteral("name")}, 1),
                 QStringLiteral("<none>"));
    }

    void removeTakesTheMemberAndItsComma()
    {
        const QString json = QStringLiteral("{\n  \"a\": 1,\n  \"b\": {\"c\": 2},\n  \"d\": 3\n}");
        QCOMPARE(remove(json, {QStringLiteral("a")}), QStringLiteral("{\n  \"b\": {\"c\": 2},\n  \"d\": 3\n}"));
        QCOMPARE(remove(json, {QStringLiteral("d")}), QStringLiteral("{\n  \"a\": 1,\n  \"b\": {\"c\": 2}\n}"));
        QCOMPARE(remove(json, {QStringLiteral("b"), QStringLiteral("c")}),
                 QStringLiteral("{\n  \"a\": 1,\n  \"b\": {},\n  \"d\": 3\n}"));
        QCOMPARE(remove(json, {QStringLiteral("x")}), json); // not there: nothing changes
    }
};

QTEST_GUILESS_MAIN(TestJsonTextPatch)
#include "tst_jsontextpatch.moc"
