#include "statements/JsonErrorLocator.h"
#include "statements/JsonView.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

// JsonView (simdjson underneath) takes in what QJsonDocument takes in, but for what RFC 8259 forbids and Qt lets
// through, and for simdjson's two limits listed below: the validator parses statements with it alone, and
// StatementBatch::object() turns the same text into Qt JSON later. What it refuses gets a place and a sentence from
// JsonErrorLocator's slow pass.
class TestJsonView final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void acceptsWhatQtAccepts_data();
    void acceptsWhatQtAccepts();
    void valuesAreDecoded();
    void lastOfDuplicateKeysCounts();
    void errorsSayWhereAndWhat();
    void paddedTextHasRoomAfterIt();
    void textsCompareAtEveryLength();
};

namespace {

// What RFC 8259 forbids and Qt lets through: raw control characters in strings, unknown escapes, a number with a
// decimal point and no digit on one of its sides.
const QList<QByteArray> forbiddenByRfc8259 = {
    "[\"a\tb\"]", "[\"a\nb\"]", QByteArray("[\"a\0b\"]", 7), "[\"\\x\"]", "[1.]", "[.5]", "[-.5]", "[1.e5]"};
// simdjson's limits, where Qt accepts: an integer beyond 64 bits (RFC 8259 section 6 lets a parser limit the range of
// numbers; Qt would turn it into a double and send another number), a \u escape of a lone surrogate (section 8.2:
// what such a string means is unpredictable; Qt keeps it, UTF-8 cannot hold it).
const QList<QByteArray> simdjsonLimits = {"[12345678901234567890123]", "[\"\\ud83d\"]", "[\"\\ude00x\"]"};

} // namespace

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
        "[1e400]", "[-1e400]", "[1e-400]", "[-1e-400]", "[1e-330]", "[4.9e-324]", "[1e-310]", "[0e-400]", "[0.0]",
        "[-0.0e-999]", "[1.8e308]", "[1e308]", "[0." + QByteArray(400, '0') + "1]",
        "[0." + QByteArray(300, '0') + "1e-30]", "[0." + QByteArray(400, '0') + "]",
        "[1" + QByteArray(400, '0') + "e-400]", "[0." + QByteArray(400, '0') + "1e99]", "[Infinity]", "[NaN]", "[inf]",
        "[nan]", "[0x10]", "[1_000]", "[12345678901234567890123]", "[-9223372036854775808]", "[18446744073709551615]",
        "[9007199254740993]", "[1.5.2]", "[--1]", "[1-2]",
        // literals
        "[true]", "[false]", "[null]", "[tru]", "[nul]", "[truex]", "[True]", "[nulll]",
        // strings
        "[\"plain\"]", "[\"a\tb\"]", "[\"a\nb\"]", "[\"\\x\"]", "[\"\\u00e9\"]", "[\"\\u00E9\"]", "[\"\\u00G9\"]",
        "[\"\\u12\"]", "[\"\\u12\"]  ", "[\"\\ud83d\\ude00\"]", "[\"\\ud83d\"]", "[\"\\ude00x\"]", "[\"caf\xC3\xA9\"]",
        "[\"\xC3\"]", "[\"\xC3x\"]", "[\"\xC0\xAF\"]", "[\"\xE0\x80\xAF\"]", "[\"\xED\xA0\x80\"]",
        "[\"\xF4\x90\x80\x80\"]", "[\"\xF0\x9F\x98\x80\"]", "[\"\xEF\xBF\xBE\"]", "[\"\xFF\"]", "[\"\\\xC3\xA9\"]",
        "[\"abc", "[\"\\\"]", "[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"]", "{\"k\\u0065y\":1}", "{\"\xC3\":1}", "[\"\\u0000\"]",
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
    if (!view.root().isUndefined() && !viewAccepts)
        QVERIFY2(!qtAccepts, "a value at the top that is neither an object nor an array");
    if (view.root().isUndefined()) {
        // Refused: the slow pass finds the place, and says what is wrong there.
        QVERIFY2(!view.errorString().isEmpty(), "a sentence");
        QVERIFY(view.errorOffset() >= 0 && view.errorOffset() <= text.size());
        QVERIFY2(
            JsonErrorLocator::locate(text, simdjson::TAPE_ERROR).found,
            qPrintable(QStringLiteral("simdjson refuses it, the grammar finds nothing: %1").arg(view.errorString())));
    }
    if (forbiddenByRfc8259.contains(json) || simdjsonLimits.contains(json)) {
        QVERIFY(qtAccepts);
        QVERIFY(!viewAccepts);
        return;
    }
    QVERIFY2(viewAccepts == qtAccepts, qPrintable(QStringLiteral("Qt: %1, JsonView: %2 (%3 at %4)")
                                                      .arg(qtAccepts ? QStringLiteral("yes") : error.errorString())
                                                      .arg(viewAccepts ? QStringLiteral("yes") : QStringLiteral("no"))
                                                      .arg(view.errorString())
                                                      .arg(view.errorOffset())));
    if (!qtAccepts || !document.isArray() || document.array().isEmpty())
        return;
    // The same values: strings decoded alike, numbers alike.
    const QJsonValue expected = document.array().first();
    const JsonView::Value actual = view.root().toArray().at(0);
    if (expected.isString())
        QCOMPARE(actual.toString().toQString(), expected.toString());
    if (expected.isDouble())
        QCOMPARE(actual.toDouble(), expected.toDouble());
}

void TestJsonView::valuesAreDecoded()
{
    const QByteArray text = "[ {\"id\": \"a\", \"n\": [1, 2], \"k\\u0065y\": true} , \"s\\\"q\\u00e9\", 3.5e1 ,null, "
                            "-9223372036854775808, 18446744073709551615]";
    JsonView view;
    QVERIFY(view.parse(text));
    const JsonView::Array items = view.root().toArray();
    QCOMPARE(items.size(), 6);
    const JsonView::Object first = items.at(0).toObject();
    QCOMPARE(first.size(), 3);
    QStringList keys;
    for (const auto& [key, value] : first)
        keys << key.toQString();
    QCOMPARE(keys, (QStringList{QStringLiteral("id"), QStringLiteral("n"), QStringLiteral("key")}));
    QVERIFY(first.value(QLatin1StringView("key")).isBool());
    QCOMPARE(first.value(QLatin1StringView("n")).toArray().size(), 2);
    QCOMPARE(first.value(QLatin1StringView("n")).toArray().at(1).toDouble(), 2.0);
    QVERIFY(first.value(QLatin1StringView("missing")).isUndefined());
    QVERIFY(!first.contains(QLatin1StringView("missing")));
    QCOMPARE(items.at(1).toString().toQString(), QStringLiteral("s\"q\u00e9"));
    QVERIFY(items.at(2).isDouble());
    QCOMPARE(items.at(2).toDouble(), 35.0);
    QVERIFY(items.at(3).isNull());
    QCOMPARE(items.at(4).toDouble(), -9223372036854775808.0);
    QCOMPARE(items.at(5).toDouble(), 18446744073709551615.0);
    QVERIFY(items.at(6).isUndefined());
    // What a value is not, it reads as nothing.
    QVERIFY(items.at(1).toObject().size() == 0 && items.at(1).toArray().isEmpty());
    QCOMPARE(items.at(0).toDouble(-1), -1.0);
    QVERIFY(items.at(2).toString().isEmpty());
}

void TestJsonView::lastOfDuplicateKeysCounts()
{
    const QByteArray text = "{\"objectType\": \"Agent\", \"objectType\": \"Activity\"}";
    JsonView view;
    QVERIFY(view.parse(text));
    QCOMPARE(view.root().toObject().size(), 2);
    QCOMPARE(view.root().toObject().value(QLatin1StringView("objectType")).toString().toQString(),
             QJsonDocument::fromJson(text).object().value(QStringLiteral("objectType")).toString());
}

void TestJsonView::errorsSayWhereAndWhat()
{
    JsonView view;
    // The number 0 ends where the 1 starts: a comma is missing there.
    QVERIFY(!view.parse("{\"id\": \"a\",  \"n\": 01}"));
    QCOMPARE(view.errorOffset(), 19);
    QVERIFY2(view.errorString().contains(QLatin1StringView("comma")), view.errorString().data());
    QVERIFY(view.root().isUndefined());
    QVERIFY(!view.parse("{\"id\": \"caf\xC3\"}"));
    QCOMPARE(view.errorOffset(), 11);
    QVERIFY(view.errorString().contains(QLatin1StringView("UTF-8")));
    QVERIFY(!view.parse("{\"id\": \"abc"));
    QVERIFY(view.errorString().contains(QLatin1StringView("not closed")));
    QCOMPARE(view.errorOffset(), 7); // where the string starts
    // A comma missing at the end of a line: just after the value, not at the next line's text.
    QVERIFY(!view.parse("{\n  \"a\": 1\n  \"b\": 2\n}"));
    QCOMPARE(view.errorOffset(), 10);
    QVERIFY2(view.errorString() == QLatin1StringView("a comma or a closing brace is expected"),
             view.errorString().data());
    QVERIFY(!view.parse("{\"a\" 1}"));
    QCOMPARE(view.errorOffset(), 4);
    QVERIFY(view.errorString().contains(QLatin1StringView("colon")));
    QVERIFY(!view.parse("[1, 2"));
    QCOMPARE(view.errorOffset(), 5);
    QVERIFY(view.errorString().contains(QLatin1StringView("closing bracket")));
    QVERIFY(!view.parse("{\"a\": \"x\ty\"}"));
    QCOMPARE(view.errorOffset(), 8);
    QVERIFY(view.errorString().contains(QLatin1StringView("RFC 8259")));
    QVERIFY(!view.parse("{\"a\": \"\\ud83d\"}"));
    QCOMPARE(view.errorOffset(), 7);
    QVERIFY(view.errorString().contains(QLatin1StringView("surrogate")));
    QVERIFY(!view.parse("{\"a\": 12345678901234567890123}"));
    QCOMPARE(view.errorOffset(), 6);
    QVERIFY(view.errorString().contains(QLatin1StringView("64 bits")));
    QVERIFY(!view.parse("{\"a\": 1.}"));
    QCOMPARE(view.errorOffset(), 8);
    QVERIFY(view.errorString().contains(QLatin1StringView("decimal point")));
    QVERIFY(!view.parse(QByteArray(QByteArray(1025, '[') + QByteArray(1025, ']'))));
    QCOMPARE(view.errorOffset(), 1024);
    QVERIFY(view.errorString().contains(QLatin1StringView("1024")));
    QVERIFY(!view.parse("{} {}"));
    QCOMPARE(view.errorOffset(), 3);
    QVERIFY(!view.parse(""));
    QVERIFY(!view.errorString().isEmpty());
    // The same parser reads again after a refusal.
    QVERIFY(view.parse("{\"a\": 1}"));
    QCOMPARE(view.root().toObject().value(QLatin1StringView("a")).toDouble(), 1.0);
}

void TestJsonView::paddedTextHasRoomAfterIt()
{
    const QByteArray text = JsonView::padded("{\"a\": [1, 2]}");
    QCOMPARE(text, QByteArray("{\"a\": [1, 2]}"));
    QVERIFY(text.capacity() - text.size() >= JsonView::Padding);
    JsonView view;
    QVERIFY(view.parse(text, JsonView::Padding));
    QCOMPARE(view.root().toObject().value(QLatin1StringView("a")).toArray().size(), 2);
    // A large text, then a small one: the parser gives back what the large one took, and still reads.
    QByteArray large = "[" + QByteArray("1,").repeated(600000) + "1]";
    QVERIFY(view.parse(large));
    QCOMPARE(view.root().toArray().size(), 600001);
    QVERIFY(view.parse(text, JsonView::Padding));
    QVERIFY(view.root().isObject());
}

// Text compares keys by words that overlap: every length, a difference at every place.
void TestJsonView::textsCompareAtEveryLength()
{
    const QByteArray source = "abcdefghijklmnopqrstuvwxyz0123456789";
    for (qsizetype size = 0; size <= 30; ++size) {
        const QByteArray text = source.left(size);
        const JsonView::Text view{text};
        QVERIFY(view == QLatin1StringView(text));
        QVERIFY(view.startsWith(QLatin1StringView(text.left(size / 2))));
        QVERIFY(view != QLatin1StringView(source.left(size + 1)));
        for (qsizetype at = 0; at < size; ++at) {
            QByteArray other = text;
            other[at] = '#';
            QVERIFY2(view != QLatin1StringView(other), other.constData());
            QVERIFY(!(view == JsonView::Text{other}));
        }
    }
}

QTEST_GUILESS_MAIN(TestJsonView)
#include "tst_jsonview.moc"
