#pragma once

#include "cli/Cli.h"

// `xapi-courier erase --actor mailto:ADDRESS|ACCOUNT_HOMEPAGE::NAME|mbox_sha1sum:HASH [--void] [--yes] [--json]`:
// every trace of one learner removed from the store, with the counts per kind.
class EraseCommand final
{
public:
    explicit EraseCommand(Cli& cli);
    int run(const QStringList& arguments);

private:
    Cli& m_cli;
    CliOutput& m_output;
};
