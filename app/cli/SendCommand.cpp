#include "cli/SendCommand.h"

#include "cli/ValidateCommand.h"
#include "common/Clock.h"
#include "delivery/DeliveryService.h"
#include "delivery/HttpTransport.h"
#include "integrations/IntegrationService.h"
#include "statements/StatementValidator.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>

SendCommand::SendCommand(Cli& cli, QObject* parent)
    : QObject(parent)
    , m_cli(cli)
    , m_output(cli.output())
{}

void SendCommand::run(const QStringList& arguments, Cli::Finished finished)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Send a statement (or an array) to an integration now, not "
                                                    "through the queue, and print the receiver's answer."));
    parser.addOption(Cli::databaseOption());
    parser.addHelpOption();
    parser.addOption(
        {QStringLiteral("integration"), QStringLiteral("The integration, by name or id."), QStringLiteral("NAME|ID")});
    parser.addOption(
        {QStringLiteral("put"), QStringLiteral("PUT with ?statementId= instead of POST (one statement).")});
    parser.addPositionalArgument(QStringLiteral("file"), QStringLiteral("The statement, or - for standard input."));
    QStringList parserArguments = arguments;
    parserArguments.prepend(QStringLiteral("xapi-courier send"));
    if (!parser.parse(parserArguments)) {
        m_output.error(parser.errorText() + QStringLiteral(" (see xapi-courier send --help)"));
        return finished(ExitCode::Usage);
    }
    if (parser.isSet(QStringLiteral("help"))) {
        m_output.out() << parser.helpText() << Qt::flush;
        return finished(ExitCode::Success);
    }
    if (parser.positionalArguments().size() != 1 || !parser.isSet(QStringLiteral("integration"))) {
        m_output.error(QStringLiteral("give --integration NAME and one file (or -)."));
        return finished(ExitCode::Usage);
    }
    QByteArray data;
    QString error;
    if (!ValidateCommand::readInput(parser.positionalArguments().first(), &data, &error)) {
        m_output.error(error);
        return finished(ExitCode::Usage);
    }
    const StatementBatch batch = StatementValidator::validateInput(data);
    if (!batch.parseError.isEmpty()) {
        m_output.error(QStringLiteral("%1: %2").arg(parser.positionalArguments().first(), batch.parseError));
        return finished(ExitCode::Usage);
    }
    // A test tool sends what it is given; the findings are shown, not enforced.
    for (const Finding& finding : batch.findings)
        m_output.warning(finding.toText());
    if (!m_cli.openStore(parser.value(QStringLiteral("db"))))
        return finished(ExitCode::Refused);
    const QString name = parser.value(QStringLiteral("integration"));
    const auto integration = m_cli.integrations().repository().find(name, &error);
    if (!integration) {
        m_output.error(QStringLiteral("integration: no integration is named “%1” or has that id.").arg(name));
        return finished(ExitCode::Refused);
    }
    QByteArray body;
    if (batch.statements.size() == 1) {
        body = QJsonDocument(batch.statements.first()).toJson(QJsonDocument::Compact);
    } else {
        QJsonArray array;
        for (const QJsonObject& statement : batch.statements)
            array << statement;
        body = QJsonDocument(array).toJson(QJsonDocument::Compact);
    }
    m_delivery = new DeliveryService(m_cli.store(), m_cli.secrets(), Clock::system(), QStringLiteral("send"), this);
    m_delivery->transport().setUsePut(parser.isSet(QStringLiteral("put")));
    m_delivery->transport().deliver(*integration, body, this, [this, finished](const TransportResult& result) {
        QTextStream& out = m_output.out();
        const AttemptRecord& attempt = result.attempt;
        out << "> " << attempt.requestLine << '\n';
        for (const QString& line : attempt.requestHeaders.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
            out << "> " << line << '\n';
        out << "> (" << attempt.requestBodySize << " bytes)\n\n";
        if (result.status)
            out << "< HTTP " << *result.status << "  (" << attempt.durationMs << " ms total, " << result.firstByteMs
                << " ms to first byte)\n";
        for (const QString& line : attempt.responseHeaders.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
            out << "< " << line << '\n';
        if (!attempt.responseBody.isEmpty()) {
            const QJsonDocument json = QJsonDocument::fromJson(attempt.responseBody.toUtf8());
            out << '\n'
                << (json.isNull() ? attempt.responseBody : QString::fromUtf8(json.toJson(QJsonDocument::Indented)))
                << '\n';
        }
        out << Qt::flush;
        switch (result.verdict) {
        case TransportResult::Verdict::Accepted:
            m_output.info(QStringLiteral("Accepted."));
            return finished(ExitCode::Success);
        case TransportResult::Verdict::Duplicate:
            m_output.info(QStringLiteral("Duplicate (409): the receiver already has this statement id; it counts as "
                                         "delivered."));
            return finished(ExitCode::Success);
        case TransportResult::Verdict::Retryable:
        case TransportResult::Verdict::Rejected:
            break;
        }
        m_output.error(result.error);
        finished(ExitCode::Refused);
    });
}
