#pragma once

#include "retention/RetentionPolicies.h"

#include <QCommandLineOption>
#include <QList>

class QCommandLineParser;

// `integration add|edit --retention-days N|keep --keep-bodies-days N|keep`: how long an integration keeps what it
// delivered. Saved apart from the integration's fields, so an edit of only these neither bumps its revision nor
// releases what is held.
namespace RetentionOptions {

QList<QCommandLineOption> options();
// Whether one of them was given.
bool given(const QCommandLineParser& parser);
// Whether they are all that was given (besides --db, --json and --verbose): nothing else of the integration changes.
bool onlyThese(const QCommandLineParser& parser);
// The policy with the given options applied; false with *error naming the option when one is not a number of days.
bool apply(const QCommandLineParser& parser, RetentionPolicy* policy, QString* error);

} // namespace RetentionOptions
