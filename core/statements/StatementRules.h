#pragma once

#include "statements/Finding.h"
#include "statements/JsonView.h"
#include "statements/XapiVersion.h"

#include <QList>
#include <QString>

// The statement rules of xAPI 1.0.3 (the Data part), and of 2.0.0 where it adds to them, walked over a parsed statement: required and allowed
// properties, Agents and Groups with exactly one inverse functional identifier, the types and formats of values,
// scores, context, SubStatements, attachments. Unknown properties and nulls are refused; names are case-sensitive.
// The formats themselves (IRI, UUID, language tag, timestamp, duration) are FormatChecks'.
namespace StatementRules {

// Adds the findings of one statement to findings; prefix is put before every path (e.g. "[3]").
void check(const JsonView::Object& statement, QList<Finding>& findings, int index, const QString& prefix,
           XapiVersion version = XapiVersion::V1_0_3);

} // namespace StatementRules
