#pragma once

#include "common/FieldIssue.h"
#include "common/TerminalText.h"

#include <QTextStream>

class QCommandLineParser;

// Exit codes shared by every subcommand.
namespace ExitCode {
constexpr int Success = 0;
constexpr int Refused = 1; // refused input (the message names the field) or an operation that could not be done
constexpr int Usage = 2;
} // namespace ExitCode

// stdout for results, stderr for messages, one place for their shape. Both go through TerminalText::InertDevice:
// control characters in text from a receiver (escape sequences) are printed visible and inert.
class CliOutput final
{
public:
    CliOutput();

    QTextStream& out() { return m_out; }
    void error(const QString& message);
    void warning(const QString& message);
    void info(const QString& message);
    // Errors as "error: field: sentence", warnings as "warning: field: sentence".
    void issues(const FieldIssues& issues);
    // Text for one cell of a table: its lines folded into one (white space runs as one space), and elided with "…"
    // after width characters (-1: any length).
    static QString oneLine(const QString& text, qsizetype width = -1);
    // A subcommand's help on stdout, its usage line naming the command as typed ("xapi-courier worker").
    void help(const QCommandLineParser& parser, const QString& command);

private:
    TerminalText::InertDevice m_outDevice{stdout};
    TerminalText::InertDevice m_errDevice{stderr};
    QTextStream m_out;
    QTextStream m_err;
};
