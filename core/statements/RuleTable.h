#pragma once

#include <QLatin1StringView>
#include <QList>
#include <QString>
#include <QStringView>

// Every MUST, MUST NOT and "is invalid" of the xAPI 1.0.3 Data part (and of xAPI 2.0.0 where it adds to it), as the
// validator sees it: the requirement's anchor in the spec (e.g. 2.4.9.s3.b1, or 2.4.s1.table1.row1 for a row of a
// property table), what it asks in a few words, whether the validator checks it and where. Each finding names one of
// these rules (Finding::rule). core/statements/RULES.md is this table written out (xapi-courier validate --rules
// --markdown prints it; a test keeps the two the same), and tests/data/rules/ holds at least one valid and one
// invalid statement for every rule that is checked.
struct Rule
{
    enum class Kind {
        Checked,     // the validator refuses a statement that breaks it
        Covered,     // a general rule checked through the more precise rules named in `where`
        Lrs,         // asks something of the LRS (or of a reader of statements), not of a statement
        NotCheckable // about things a statement's text cannot show (meaning, who controls an IRI, a signature's bytes)
    };
    enum Versions { V103 = 1, V200 = 2, Both = V103 | V200 };

    const char* id;          // the spec's anchor, e.g. "2.4.9.s3.b1"
    const char* section;     // the section it belongs to, e.g. "2.4.9 Authority"
    Kind kind;
    const char* requirement; // what it asks, in a few words (not the spec's text)
    const char* where;       // Checked: the validator's function; Covered: the rules; otherwise why not checked
    int versions = Both;     // the versions it belongs to

    QString kindName() const;
    // "xAPI 1.0.3 Data 2.4.9.s3.b1" (or "xAPI 2.0.0 …" for a rule of 2.0.0 only).
    QString citation() const;
};

namespace RuleTable {

const QList<Rule>& all();
// The rule with that id; nullptr when there is none.
const Rule* find(QStringView id);
// The table as Markdown: what RULES.md holds.
QString markdown();

} // namespace RuleTable
