#pragma once

#include "cli/Cli.h"

#include <QObject>

class QNetworkAccessManager;
class ReceiverCheck;
class TokenClient;

// `xapi-courier check --integration NAME [--json] [--keep]`: the receiver check (ReceiverCheck), a checklist of
// pass / warn / fail / skip. Exit 0 when nothing failed, 1 otherwise, 2 on a usage error.
class CheckCommand final : public QObject
{
    Q_OBJECT

public:
    CheckCommand(Cli& cli, QObject* parent);
    ~CheckCommand() override;
    void run(const QStringList& arguments, Cli::Finished finished);

private:
    void print(bool json);

    Cli& m_cli;
    CliOutput& m_output;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<TokenClient> m_tokens;
    ReceiverCheck* m_check = nullptr; // child of this
};
