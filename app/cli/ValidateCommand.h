#pragma once

#include "cli/Cli.h"

#include <QFile>
#include <QObject>

// `xapi-courier validate FILE|- [--json]`: exit 0 when valid, 1 when not, 2 when the input cannot be read. Each finding
// names its rule (the spec's anchor); `validate --rules [--json|--markdown]` prints the rule table.
class ValidateCommand final : public QObject
{
    Q_OBJECT

public:
    ValidateCommand(Cli& cli, QObject* parent);
    int run(const QStringList& arguments);

    // The most readInput() takes: one request's body (send).
    static constexpr qint64 MaxInputBytes = 16 * 1024 * 1024;
    // FILE or "-" (standard input), opened, or read whole when it is at most MaxInputBytes; false with a message
    // when it cannot be read or is larger.
    static bool openInput(const QString& source, QFile* file, QString* error);
    static bool readInput(const QString& source, QByteArray* data, QString* error);

private:
    int printRules(bool json, bool markdown);

    CliOutput& m_output;
};
