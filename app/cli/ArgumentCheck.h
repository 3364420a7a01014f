#pragma once

#include <QCommandLineOption>
#include <QStringList>

#include <optional>

class CliOutput;
class QCommandLineParser;

// What every command asks of its arguments beyond what QCommandLineParser checks, in one place. An option's value
// that starts with -- is an option whose value was forgotten (`--name --provider p10` would name the integration
// "--provider"), unless written --name=--x; and a command takes no more positional arguments than it names (a
// stray one is not ignored). Every command also takes --verbose: one-off commands keep the courier.* logs quiet
// (their own output says what happened), --verbose shows them on standard error.
class ArgumentCheck final
{
public:
    static constexpr qsizetype AnyNumber = -1;

    static QCommandLineOption verboseOption();
    // The usage error in arguments the parser accepted; empty when there is none. arguments: as given to parse(), the
    // first the command as typed ("xapi-courier integration add").
    static QString problem(const QCommandLineParser& parser, const QStringList& arguments, qsizetype maxPositional);
    // After parse() and --help: false (exit 2) after printing the problem; else shows the logs if --verbose is set.
    static bool accept(CliOutput& output, const QCommandLineParser& parser, const QStringList& arguments,
                       qsizetype maxPositional);
    // What every command does first: parses what follows the command as typed (`command`, e.g. "xapi-courier queue
    // prune"), shows --help, and accept()s the rest. The exit code when the command ends there (its help was shown,
    // or a usage error printed); none when it goes on.
    static std::optional<int> parse(CliOutput& output, QCommandLineParser& parser, const QString& command,
                                    const QStringList& rest, qsizetype maxPositional);

    // A one-off command: neither progress nor warnings from the courier.* categories (QT_LOGGING_RULES still wins).
    static void quietLogs();
    // --verbose: every courier.* log line on standard error.
    static void verboseLogs();
};
