#include "statements/JsonView.h"
#include "statements/RuleTable.h"
#include "statements/StatementValidator.h"
#include "statements/XapiVersion.h"

#include <QDir>
#include <QFile>
#include <QSet>
#include <QTest>

// The rule table against the statements of tests/data/rules/VERSION/RULE.json: each file holds cases for one rule,
// each case a statement with its expected verdict (and, when invalid, the path of the finding). A valid case has no
// finding at all; an invalid one has a finding that names the file's rule. Every rule the table calls checked has at
// least one valid and one invalid case, and RULES.md is the table as the code has it.
class TestStatementRules final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cases_data();
    void cases();
    void everyCheckedRuleHasAValidAndAnInvalidCase();
    void everyCaseFileIsACheckedRule();
    void findingsNameCheckedRules();
    void rulesDocumentIsTheTable();
    void findingsCiteTheirRule();
};

namespace {

struct Case
{
    QString rule;
    QString name;
    bool valid = true;
    QString path;
    QByteArray statement; // as written in the file, so that repeated names survive
    QString only;         // "1.0.3": a case of 1.0.3 that 2.0.0 judges otherwise
};

const QString rulesDir = QStringLiteral(COURIER_SAMPLES_DIR "/rules");

// The text of each case's statement as the file writes it, in order: simdjson's On-Demand API points into the text
// it reads (a tree, JsonView's or Qt's, keeps one of two repeated names).
QList<QByteArray> statementTexts(const QByteArray& text)
{
    using namespace simdjson;
    QList<QByteArray> statements;
    const padded_string padded(text.constData(), size_t(text.size()));
    ondemand::parser parser;
    ondemand::document document;
    ondemand::array cases;
    if (parser.iterate(padded).get(document) != SUCCESS || document["cases"].get_array().get(cases) != SUCCESS)
        return statements;
    for (auto item : cases) {
        ondemand::object entry;
        std::string_view raw;
        ondemand::value statement;
        if (item.get_object().get(entry) != SUCCESS || entry.find_field_unordered("statement").get(statement))
            return {};
        ondemand::object object;
        if (statement.get_object().get(object) == SUCCESS && object.raw_json().get(raw) == SUCCESS)
            statements << QByteArray(raw.data(), qsizetype(raw.size()));
        else
            statements << QByteArray(); // not an object: no case writes one
    }
    return statements;
}

QList<Case> readCases(const QString& version)
{
    QList<Case> cases;
    const QDir dir(rulesDir + QLatin1Char('/') + version);
    const QStringList files = dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    for (const QString& name : files) {
        QFile file(dir.filePath(name));
        if (!file.open(QIODevice::ReadOnly))
            qFatal("cannot read %s", qPrintable(file.fileName()));
        const QByteArray text = file.readAll();
        JsonView view;
        if (!view.parse(text) || !view.root().isObject())
            qFatal("%s is not JSON: %s", qPrintable(name), view.errorString().data());
        const JsonView::Object root = view.root().toObject();
        const QString rule = root.value(QLatin1StringView("rule")).toString().toQString();
        if (rule + QStringLiteral(".json") != name)
            qFatal("%s names the rule %s", qPrintable(name), qPrintable(rule));
        const JsonView::Array list = root.value(QLatin1StringView("cases")).toArray();
        const QList<QByteArray> statements = statementTexts(text);
        if (statements.size() != list.size())
            qFatal("%s: the statements of its cases cannot be read as written", qPrintable(name));
        qsizetype index = 0;
        for (const JsonView::Value element : list) {
            const JsonView::Object item = element.toObject();
            Case entry;
            entry.rule = rule;
            entry.name = item.value(QLatin1StringView("name")).toString().toQString();
            entry.valid = item.value(QLatin1StringView("verdict")).toString() == QLatin1StringView("valid");
            entry.path = item.value(QLatin1StringView("path")).toString().toQString();
            entry.statement = statements.at(index++);
            entry.only = item.value(QLatin1StringView("only")).toString().toQString();
            cases << entry;
        }
    }
    return cases;
}

QString texts(const QList<Finding>& findings)
{
    QStringList lines;
    for (const Finding& finding : findings)
        lines << finding.toText() + QStringLiteral(" [") + finding.rule + QLatin1Char(']');
    return lines.join(QStringLiteral("\n  "));
}

} // namespace

// The cases of 1.0.3 hold in 2.0.0 too (everything 1.0.3 requires still holds), but for those marked only 1.0.3.
QList<std::pair<XapiVersion, Case>> allCases()
{
    QList<std::pair<XapiVersion, Case>> all;
    for (const Case& entry : readCases(QStringLiteral("1.0.3"))) {
        all << std::pair{XapiVersion::V1_0_3, entry};
        if (entry.only.isEmpty())
            all << std::pair{XapiVersion::V2_0_0, entry};
    }
    for (const Case& entry : readCases(QStringLiteral("2.0.0")))
        all << std::pair{XapiVersion::V2_0_0, entry};
    return all;
}

void TestStatementRules::cases_data()
{
    QTest::addColumn<int>("version");
    QTest::addColumn<QString>("rule");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("statement");
    for (const auto& [version, entry] : allCases())
        QTest::addRow("%s %s %s: %s", qPrintable(XapiVersions::name(version)), qPrintable(entry.rule),
                      entry.valid ? "valid" : "invalid", qPrintable(entry.name))
            << int(version) << entry.rule << entry.valid << entry.path << entry.statement;
}

void TestStatementRules::cases()
{
    QFETCH(int, version);
    QFETCH(QString, rule);
    QFETCH(bool, valid);
    QFETCH(QString, path);
    QFETCH(QByteArray, statement);
    const QList<Finding> findings = StatementValidator::validate(statement, 0, QString(), XapiVersion(version));
    if (valid) {
        QVERIFY2(findings.isEmpty(), qPrintable(QStringLiteral("expected valid, got:\n  ") + texts(findings)));
        return;
    }
    const bool found = std::any_of(findings.cbegin(), findings.cend(), [&](const Finding& finding) {
        return finding.rule == rule && (path.isEmpty() || finding.path == path);
    });
    QVERIFY2(found, qPrintable(QStringLiteral("expected a finding of %1 at %2, got:\n  %3")
                                   .arg(rule, path.isEmpty() ? QStringLiteral("(any path)") : path, texts(findings))));
}

void TestStatementRules::everyCheckedRuleHasAValidAndAnInvalidCase()
{
    // A rule of both versions has its cases in 1.0.3/ (run in both), a rule of 2.0.0 alone in 2.0.0/.
    QSet<QString> valid;
    QSet<QString> invalid;
    for (const auto& [version, entry] : allCases()) {
        const Rule* rule = RuleTable::find(entry.rule);
        if (rule && (rule->versions & (version == XapiVersion::V1_0_3 ? Rule::V103 : Rule::V200)))
            (entry.valid ? valid : invalid) << entry.rule + u'/' + XapiVersions::name(version);
    }
    QStringList missing;
    for (const Rule& rule : RuleTable::all()) {
        if (rule.kind != Rule::Kind::Checked)
            continue;
        for (XapiVersion version : {XapiVersion::V1_0_3, XapiVersion::V2_0_0}) {
            if (!(rule.versions & (version == XapiVersion::V1_0_3 ? Rule::V103 : Rule::V200)))
                continue;
            const QString id = QLatin1StringView(rule.id) + u'/' + XapiVersions::name(version);
            if (!valid.contains(id))
                missing << id + QStringLiteral(" (no valid case)");
            if (!invalid.contains(id))
                missing << id + QStringLiteral(" (no invalid case)");
        }
    }
    QVERIFY2(missing.isEmpty(), qPrintable(missing.join(QStringLiteral(", "))));
}

void TestStatementRules::everyCaseFileIsACheckedRule()
{
    for (const auto& [version, entry] : allCases()) {
        const Rule* rule = RuleTable::find(entry.rule);
        QVERIFY2(rule, qPrintable(entry.rule + QStringLiteral(" is not in the rule table")));
        QVERIFY2(rule->kind == Rule::Kind::Checked, qPrintable(entry.rule + QStringLiteral(" is not a checked rule")));
    }
}

void TestStatementRules::findingsNameCheckedRules()
{
    // Every finding of every case names a rule of the table that is checked, never a covered or an LRS one, and a
    // rule of the version validated against.
    for (const auto& [version, entry] : allCases()) {
        for (const Finding& finding : StatementValidator::validate(entry.statement, 0, QString(), version)) {
            const Rule* rule = RuleTable::find(finding.rule);
            const bool ofTheVersion =
                rule && (rule->versions & (version == XapiVersion::V1_0_3 ? Rule::V103 : Rule::V200));
            QVERIFY2(rule && rule->kind == Rule::Kind::Checked && ofTheVersion,
                     qPrintable(entry.rule + QStringLiteral(" / ") + entry.name + QStringLiteral(": ") +
                                finding.toText() + QStringLiteral(" names ") + finding.rule));
            QVERIFY2(finding.message.size() > 10, qPrintable(finding.toText())); // a sentence, not a code
        }
    }
}

void TestStatementRules::rulesDocumentIsTheTable()
{
    QFile file(QStringLiteral(COURIER_SOURCE_DIR "/core/statements/RULES.md"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString document = QString::fromUtf8(file.readAll());
    QVERIFY2(document.contains(RuleTable::markdown()),
             "RULES.md does not hold the rule table as the code has it; write it again with "
             "`xapi-courier validate --rules --markdown`");
}

void TestStatementRules::findingsCiteTheirRule()
{
    const QList<Finding> findings = StatementValidator::validate(QByteArrayView(
        R"({"actor":{"mbox":"mailto:a@example.com"},"verb":{"id":"http://example.com/v"},"object":{"id":"http://example.com/a"},)"
        R"("authority":{"objectType":"Group","member":[{"mbox":"mailto:a@example.com"}]}})"));
    QCOMPARE(findings.size(), 1);
    QCOMPARE(findings.first().rule, QStringLiteral("2.4.9.s3.b1"));
    QCOMPARE(findings.first().citation(), QStringLiteral("xAPI 1.0.3 Data 2.4.9.s3.b1"));
    QVERIFY2(findings.first().toText().startsWith(QStringLiteral("authority.member: ")), qPrintable(findings.first().toText()));
    QVERIFY2(findings.first().toText().endsWith(QStringLiteral("(xAPI 1.0.3 Data 2.4.9.s3.b1)")),
             qPrintable(findings.first().toText()));
}

QTEST_GUILESS_MAIN(TestStatementRules)
#include "tst_statementrules.moc"
