#include "cli/ArgumentCheck.h"

#include "cli/CliOutput.h"

#include <QCommandLineParser>
#include <QLoggingCategory>

QCommandLineOption ArgumentCheck::verboseOption()
{
    return {QStringLiteral("verbose"), QStringLiteral("Also print the log lines (token fetches, probes, warnings).")};
}

QString ArgumentCheck::problem(const QCommandLineParser& parser, const QStringList& arguments, qsizetype maxPositional)
{
    const QString command = arguments.value(0);
    const QString help = QStringLiteral(" (see %1 --help)").arg(command);
    for (qsizetype i = 1; i + 1 < arguments.size(); ++i) {
        const QString& argument = arguments.at(i);
        if (argument == QLatin1String("--"))
            break; // the rest is positional
        if (!argument.startsWith(QLatin1String("--")) || argument.contains(QLatin1Char('=')))
            continue;
        const QString& next = arguments.at(i + 1);
        const QString name = argument.mid(2);
        // The parser took the next argument as this option's value: a flag has no values.
        if (next.startsWith(QLatin1String("--")) && parser.values(name).contains(next)) {
            return QStringLiteral("%1 needs a value, and “%2” is an option. Give %1 its value; one that starts with "
                                  "-- is written %1=%2.")
                       .arg(argument, next) +
                   help;
        }
    }
    const QStringList positional = parser.positionalArguments();
    if (maxPositional != AnyNumber && positional.size() > maxPositional) {
        const QString takes = maxPositional == 0   ? QStringLiteral("takes no arguments, only options")
                              : maxPositional == 1 ? QStringLiteral("takes one argument")
                                                   : QStringLiteral("takes at most %1 arguments").arg(maxPositional);
        return QStringLiteral("unexpected argument “%1”: %2 %3.").arg(positional.at(maxPositional), command, takes) +
               help;
    }
    return {};
}

bool ArgumentCheck::accept(CliOutput& output, const QCommandLineParser& parser, const QStringList& arguments,
                           qsizetype maxPositional)
{
    if (const QString error = problem(parser, arguments, maxPositional); !error.isEmpty()) {
        output.error(error);
        return false;
    }
    if (parser.isSet(verboseOption().names().constFirst()))
        verboseLogs();
    return true;
}

std::optional<int> ArgumentCheck::parse(CliOutput& output, QCommandLineParser& parser, const QString& command,
                                        const QStringList& rest, qsizetype maxPositional)
{
    const QStringList arguments = QStringList{command} + rest;
    if (!parser.parse(arguments)) {
        output.error(parser.errorText() + QStringLiteral(" (see %1 --help)").arg(command));
        return ExitCode::Usage;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        output.help(parser, command);
        return ExitCode::Success;
    }
    if (!accept(output, parser, arguments, maxPositional))
        return ExitCode::Usage;
    return std::nullopt;
}

void ArgumentCheck::quietLogs()
{
    QLoggingCategory::setFilterRules(QStringLiteral("courier.*.info=false\ncourier.*.warning=false"));
}

void ArgumentCheck::verboseLogs()
{
    QLoggingCategory::setFilterRules(QStringLiteral("courier.*=true"));
}
