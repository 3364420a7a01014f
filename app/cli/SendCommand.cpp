#include "cli/SendCommand.h"

#include "cli/ArgumentCheck.h"
#include "cli/ValidateCommand.h"
#include "common/Clock.h"
#include "delivery/HttpTransport.h"
#include "delivery/TokenClient.h"
#include "integrations/IntegrationService.h"
#include "runtime/CourierRuntime.h"
#include "statements/StatementValidator.h"

#include <QCommandLineParser>
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
    parser.addOption(ArgumentCheck::verboseOption());
    parser.addOption(
        {QStringLiteral("integration"), QStringLiteral("The integration, by name or id."), QStringLiteral("NAME|ID")});
    parser.addOption(
        {QStringLiteral("put"), QStringLiteral("PUT with ?statementId= instead of POST (one statement).")});
    parser.addOption({QStringLiteral("timeout"),
                      QStringLiteral("Give up when the whole request takes longer (default %1).")
                          .arg(HttpTransport::DefaultTimeoutMs / 1000),
                      QStringLiteral("SECONDS")});
    parser.addOption({QStringLiteral("connect-timeout"),
                      QStringLiteral("Give up when no connection (TLS handshake included) is made in time "
                                     "(default %1).")
                          .arg(HttpTransport::DefaultConnectTimeoutMs / 1000),
                      QStringLiteral("SECONDS")});
    parser.addOption({QStringLiteral("client-auth"),
                      QStringLiteral("OAuth 2.0: send the client id and secret to the token endpoint in an HTTP "
                                     "Basic header (basic, the default) or in the form body (body)."),
                      QStringLiteral("basic|body")});
    parser.addPositionalArgument(QStringLiteral("file"), QStringLiteral("The statement, or - for standard input."));
    if (const std::optional<int> stop =
            ArgumentCheck::parse(m_output, parser, QStringLiteral("xapi-courier send"), arguments, 1))
        return finished(*stop);
    if (parser.positionalArguments().size() != 1 || !parser.isSet(QStringLiteral("integration"))) {
        m_output.error(QStringLiteral("give --integration NAME and one file (or -)."));
        return finished(ExitCode::Usage);
    }
    const auto seconds = [&parser](const QString& name, int fallbackMs, int* milliseconds) {
        if (!parser.isSet(name)) {
            *milliseconds = fallbackMs;
            return true;
        }
        bool ok = false;
        const double value = parser.value(name).toDouble(&ok);
        *milliseconds = int(value * 1000);
        return ok && value > 0 && value <= 3600;
    };
    int timeoutMs = 0;
    int connectTimeoutMs = 0;
    if (!seconds(QStringLiteral("timeout"), HttpTransport::DefaultTimeoutMs, &timeoutMs) ||
        !seconds(QStringLiteral("connect-timeout"), HttpTransport::DefaultConnectTimeoutMs, &connectTimeoutMs)) {
        m_output.error(QStringLiteral("--timeout and --connect-timeout take a number of seconds, up to 3600."));
        return finished(ExitCode::Usage);
    }
    const QString clientAuth = parser.value(QStringLiteral("client-auth"));
    if (!clientAuth.isEmpty() && clientAuth != QLatin1String("basic") && clientAuth != QLatin1String("body")) {
        m_output.error(QStringLiteral("--client-auth is basic or body."));
        return finished(ExitCode::Usage);
    }
    QByteArray data;
    QString error;
    if (!ValidateCommand::readInput(parser.positionalArguments().first(), &data, &error)) {
        m_output.error(error);
        return finished(ExitCode::Usage);
    }
    // Only JSON that does not parse stops here. A test tool sends what it is given: the validator's findings are
    // shown as warnings, never enforced, so QA can see how a receiver answers an invalid statement.
    StatementBatch batch = StatementValidator::validateInput(data);
    if (!batch.parseError.isEmpty()) {
        m_output.error(QStringLiteral("%1: %2").arg(parser.positionalArguments().first(), batch.parseError));
        return finished(ExitCode::Usage);
    }
    if (!m_cli.openStore(parser.value(QStringLiteral("db")), Cli::StoreUse::Read))
        return finished(ExitCode::Refused);
    const QString name = parser.value(QStringLiteral("integration"));
    const auto integration = m_cli.integrations().repository().find(name, &error);
    if (!integration) {
        m_output.error(QStringLiteral("integration: no integration is named “%1” or has that id.").arg(name));
        return finished(ExitCode::Refused);
    }
    // The findings against the rules of the version the integration speaks (and sends in its header).
    if (integration->effectiveXapiVersion() != XapiVersion::V1_0_3)
        batch = StatementValidator::validateInput(data, integration->effectiveXapiVersion());
    for (const Finding& finding : batch.findings)
        m_output.warning(finding.toText());
    // One JSON document (a statement or an array) goes out byte for byte as the file has it; NDJSON lines are sent
    // as one array of those lines, byte for byte too.
    QByteArray body;
    if (!QJsonDocument::fromJson(data).isNull())
        body = data.trimmed();
    else
        body = '[' + batch.statements.join(',') + ']';
    m_runtime = new CourierRuntime(m_cli.store(), m_cli.secrets(), Clock::system(), QStringLiteral("send"), this);
    HttpTransport& transport = m_runtime->transport();
    transport.setUsePut(parser.isSet(QStringLiteral("put")));
    transport.setTimeout(timeoutMs);
    transport.setConnectTimeout(connectTimeoutMs);
    m_runtime->tokens().setTimeout(timeoutMs);
    m_runtime->tokens().setConnectTimeout(connectTimeoutMs);
    // --client-auth tries the other placement without saving it (integration edit --client-auth saves it).
    Integration target = *integration;
    if (!clientAuth.isEmpty())
        target.clientCredentialsInBody = clientAuth == QLatin1String("body");
    transport.deliver(target, body, this, [this, finished](const TransportResult& result) {
        print(result);
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
        m_output.error(QStringLiteral("%1 (%2)").arg(result.error, TransportResult::errorKindName(result.errorKind)));
        finished(ExitCode::Refused);
    });
}

// The request as sent ("> ", Authorization redacted) and the answer ("< "), as curl -v shows them.
void SendCommand::print(const TransportResult& result)
{
    QTextStream& out = m_output.out();
    const AttemptRecord& attempt = result.attempt;
    if (result.tokenRefreshed)
        out << "* The cached access token was refused (401): fetched a new one and sent again.\n";
    out << "> " << attempt.requestLine << '\n';
    for (const QString& line : attempt.requestHeaders.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        out << "> " << line << '\n';
    out << ">\n";
    if (!result.requestBody.isEmpty())
        out << QString::fromUtf8(result.requestBody) << '\n';
    if (result.nothingSent)
        out << "* nothing was sent: the connection failed before the request went out\n\n";
    else
        out << "* " << attempt.requestBodySize << " bytes sent\n\n";
    if (result.status) {
        out << "< HTTP " << *result.status;
        if (!result.reason.isEmpty())
            out << ' ' << QString::fromLatin1(result.reason);
        out << '\n';
    }
    for (const QString& line : attempt.responseHeaders.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        out << "< " << line << '\n';
    if (!attempt.responseBody.isEmpty()) {
        const QJsonDocument json = QJsonDocument::fromJson(attempt.responseBody.toUtf8());
        out << "<\n"
            << (json.isNull() ? attempt.responseBody
                              : QString::fromUtf8(json.toJson(QJsonDocument::Indented)).trimmed())
            << '\n';
        if (result.responseSize > attempt.responseBody.toUtf8().size())
            out << "* (" << result.responseSize << " bytes in all; the first " << attempt.responseBody.toUtf8().size()
                << " shown)\n";
    }
    out << "* " << AttemptRecord::durationText(attempt.durationMs) << " in all";
    if (result.status)
        out << ", " << result.firstByteMs << " ms to the first byte";
    out << "\n" << Qt::flush;
}
