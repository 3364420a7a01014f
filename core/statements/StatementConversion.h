#pragma once

#include <QByteArrayView>
#include <QJsonObject>
#include <QStringList>

// An xAPI 2.0.0 statement made into one a 1.0.3 receiver takes, the way SQL LRS converts for its 1.0.3 clients:
// context.contextAgents and context.contextGroups removed (in the statement and in a SubStatement), version set to
// 1.0.0, a space between date and time in timestamp and stored replaced by T. A statement with nothing of 2.0.0 is
// left as it is. What the conversion cannot mend (a timestamp without seconds or offset is still valid 1.0.3; an
// invalid statement stays invalid) the 1.0.3 rules find afterwards.
namespace StatementConversion {

struct Result
{
    QJsonObject statement;
    QStringList changes; // what was changed, for a person; empty: nothing to convert
    bool converted() const { return !changes.isEmpty(); }
    // "converted from xAPI 2.0.0 for a 1.0.3 receiver: removed context.contextAgents; version 2.0.0 -> 1.0.0"
    QString summary() const;
};

Result toV103(const QJsonObject& statement);

// A quick look at a statement's text: could it hold anything of 2.0.0? False means toV103 would change nothing.
bool mayBeV200(QByteArrayView json);

} // namespace StatementConversion
