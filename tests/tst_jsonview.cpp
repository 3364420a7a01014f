#include "statements/JsonView.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

// JsonView takes in what QJsonDocument takes in, no more and no less: the validator parses statements with it alone,
// and StatementBatch::object() turns the same text into Qt JSON later.
class TestJsonView final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void acceptsWhatQtAccepts_data();
    void acceptsWhatQtAccepts();
    void valuesKnowTheirText();
    void lastOfDuplicateKeysCounts();
    void errorsSayWhereAndWhat();
};

void TestJsonView::acceptsWhatQtAccepts_data()
{
    QTest::addColumn<QByteArray>("json");
    const QList<QByteArray> texts = {
        // structure
        "{}", "[]", " {\"a\": 1} ", "{\"a\":{\"b\":[1,{\"c\":null}]}}", "{\"a\" 1}", "{\"a\":1,}", "[1,]", "[1 2]",
        "{\"a\":1}}", "{\"a\":1} x", "{a:1}", "{'a':1}", "[", "{\"a\":", "[,1]", "{,}", "[1]\n", "[\t1\r\n]",
        "\"text\"", "1", "true", "null", "",
        // numbers
        "[0]", "[-0]", "[01]", "[-]", "[1.]", "[.5]", "[-.5]", "[1e]", "[1e+]", "[1.e5]", "[+1]", "[1E5]", "[2.5e-3]",
        "[1e400]", "[-1e400]", "[1e-400]", "[Infinity]", "[NaN]", "[inf]", "[nan]", "[0x10]", "[1_000]",
        "[12345678901234567890123]", "[-9223372036854775808]", "[9007199254740993]", "[1.5.2]", "[--1]", "[1-2]",
        // literals
        "[true]", "[false]", "[null]", "[tru]", "[nul]", "[truex]", "[True]", "[nulll]",
        // strings
        "[\"plain\"]", "[\"a\tb\"]", "[\"a\nb\"]", "[\"\\x\"]", "[\"\\u00e9\"]", "[\"\\u00E9\"]", "[\"\\u00G9\"]",
        "[\"\\u12\"]", "[\"\\u12\"]  ", "[\"\\ud83d\\ude00\"]", "[\"\\ud83d\"]", "[\"\\ude00x\"]", "[\"caf\xC3\xA9\"]",
        "[\"\xC3\"]", "[\"\xC3x\"]", "[\"\xC0\xAF\"]", "[\"\xE0\x80\xAF\"]", "[\"\xED\xA0\x80\"]",
        "[\"\xF4\x90\x80\x80\"]", "[\"\xF0\x9F\x98\x80\"]", "[\"\xEF\xBF\xBE\"]", "[\"\xFF\"]", "[\"\\\xC3\xA9\"]",
        "[\"abc", "[\"\\\"]", "[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"]", "{\"k\\u0065y\":1}", "{\"\xC3\":1}",
        QByteArray("[\"a\0b\"]", 7),
        // byte order mark
        "\xEF\xBB\xBF{}",
        // nesting
        QByteArray(1024, '[') + QByteArray(1024, ']'), QByteArray(1025, '[') + QByteArray(1025, ']'),
        QByteArray(512, '[') + "{\"a\":" + QByteArray(511, '[') + QByteArray(511, ']') + "}" + QByteArray(512, ']')};
    for (const QByteArray& text : texts)
        QTest::newRow(text.left(40).toPercentEncoding(" {}[]\":,").constData()) << text;
}

void TestJsonView::acceptsWhatQtAccepts()
{
    QFETCH(QByteArray, json);
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    const bool qtAccepts = error.error == QJsonParseError::NoError;
    // QJsonDocument skips a UTF-8 byte order mark; StatementValidator::validateInput does the same before parsing.
    const QByteArrayView text = json.startsWith("\xEF\xBB\xBF") ? QByteArrayView(json).sliced(3) : json;
    JsonView view;
    const bool viewAccepts = view.parse(text) && (view.root().isObject() || view.root().isArray());
    // What RFC 8259 forbids and Qt lets through: raw control characters in strings, unknown escapes.
    static const QList<QByteArray> forbidden = {"[\"a\tb\"]", "[\"a\nb\"]", QByteArray("[\"a\0b\"]", 7),
                                                "[\"\\x\"]"};
    if (forbidden.contains(json)) {
        QVERIFY(qtAccepts);
        QVERIFY(!viewAccepts);
        QVERIFY2(view.errorString().contains(QLatin1StringView("RFC 8259")) ||
                     view.errorString().contains(QLatin1StringView("escape")),
                 view.errorString().data());
        return;
    }
    QVERIFY2(viewAccepts == qtAccepts, qPrintable(QStringLiteral("Qt: %1, JsonView: %2 (%3 at %4)")
                                                      .arg(qtAccepts ? error.errorString() : QStringLiteral("yes"))
                                                      .arg(viewAccepts ? QStringLiteral("yes") : QStringLiteral("no"))
                                                      .arg(view.errorString())
                                                      .arg(view.errorOffset())));
    if (!qtAccepts || !document.isArray() || document.array().isEmpty())
        return;
    // The same values: strings decoded alike (a lone surrogate, which UTF-8 cannot hold, aside), numbers alike.
    const QJsonValue expected = document.array().first();
    const JsonView::Value actual = view.root().toArray().at(0);
    if (expected.isString() && QStringView(expected.toString()).isValidUtf16())
        QCOMPARE(actual.toString().toQString(), expected.toString());
    if (expected.isDouble())
        QCOMPARE(actual.toDouble(), expected.toDouble());
}

void TestJsonView::valuesKnowTheirText()
{
    const QByteArray text = "[ {\"id\": \"a\", \"n\": [1, 2]} , \"s\\\"q\", 3.5e1 ,null]";
    JsonView view;
    QVERIFY(view.parse(text));
    const JsonView::Array items = view.root().toArray();
    QCOMPARE(view.root().json(), QByteArrayView(text));
    QCOMPARE(items.at(0).json(), QByteArrayView("{\"id\": \"a\", \"n\": [1, 2]}"));
    QCOMPARE(items.at(0).toObject().value(QLatin1StringView("n")).json(), QByteArrayView("[1, 2]"));
    QCOMPARE(items.at(1).json(), QByteArrayView("\"s\\\"q\""));
    QCOMPARE(items.at(1).toString().toQString(), QStringLiteral("s\"q"));
    QCOMPARE(items.at(2).json(), QByteArrayView("3.5e1"));
    QCOMPARE(items.at(3).json(), QByteArrayView("null"));
    QVERIFY(items.at(4).json().isNull());
}

void TestJsonView::lastOfDuplicateKeysCounts()
{
    const QByteArray text = "{\"objectType\": \"Agent\", \"objectType\": \"Activity\"}";
    JsonView view;
    QVERIFY(view.parse(text));
    QCOMPARE(view.root().toObject().value(QLatin1StringView("objectType")).toString().toQString(),
             QJsonDocument::fromJson(text).object().value(QStringLiteral("objectType")).toString());
}

void TestJsonView::errorsSayWhereAndWhat()
{
    JsonView view;
    QVERIFY(!view.parse("{\"id\": \"a\",  \"n\": 01}"));
    QCOMPARE(view.errorOffset(), 19);
    QVERIFY2(view.errorString().contains(QLatin1StringView("comma")), view.errorString().data());
    QVERIFY(view.root().isUndefined());
    QVERIFY(!view.parse("{\"id\": \"caf\xC3\"}"));
    QCOMPARE(view.errorOffset(), 11);
    QVERIFY(view.errorString().contains(QLatin1StringView("UTF-8")));
    QVERIFY(!view.parse("{\"id\": \"abc"));
    QVERIFY(view.errorString().contains(QLatin1StringView("not closed")));
}

QTEST_GUILESS_MAIN(TestJsonView)
#include "tst_jsonview.moc"
