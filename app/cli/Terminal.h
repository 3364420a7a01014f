#pragma once

#include <QString>

// Standard input as the CLI needs it: secrets from a pipe or from a prompt that does not echo.
namespace Terminal {

bool stdinIsTerminal();
// Everything on standard input, without one trailing newline (as `docker login --password-stdin` reads it).
QString readAllStdin();
// Prints prompt on stderr and reads one line with echo off.
QString readHidden(const QString& prompt);
// Asks a yes/no question on stderr; true only for an explicit yes.
bool confirm(const QString& question);

} // namespace Terminal
