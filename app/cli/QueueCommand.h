#pragma once

#include "cli/Cli.h"
#include "delivery/Delivery.h"

#include <QCommandLineParser>
#include <QObject>

class DeliveryActions;

// `xapi-courier queue status|list|attempts|retry|discard|resend|replay|export`.
class QueueCommand final : public QObject
{
    Q_OBJECT

public:
    QueueCommand(Cli& cli, QObject* parent);
    void run(const QStringList& arguments, Cli::Finished finished);

private:
    int status(QCommandLineParser& parser);
    int list(QCommandLineParser& parser);
    int attempts(QCommandLineParser& parser);
    int retry(QCommandLineParser& parser);
    int discardOrResend(QCommandLineParser& parser, bool discard);
    int replay(QCommandLineParser& parser);
    int exportFailed(QCommandLineParser& parser);

    // --integration NAME|ID, required or optional; 0 when absent, -1 (with a message) when unknown.
    qint64 integrationOption(QCommandLineParser& parser, bool required);
    bool deliveryIds(QCommandLineParser& parser, QList<qint64>* ids);
    bool statesOption(QCommandLineParser& parser, QList<Delivery::State>* states);
    bool timeOption(QCommandLineParser& parser, const QString& name, QDateTime* time);
    // --integration and --state into a filter; an exit code other than Success when they are wrong.
    int filterOptions(QCommandLineParser& parser, struct DeliveryFilter* filter);
    QString helpText() const;

    Cli& m_cli;
    CliOutput& m_output;
};
