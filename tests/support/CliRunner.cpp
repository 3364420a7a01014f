#include "CliRunner.h"

#include <QProcess>

CliRunner::CliRunner(QString databasePath)
    : m_databasePath(std::move(databasePath))
    , m_environment(QProcessEnvironment::systemEnvironment())
{
    m_environment.remove(QStringLiteral("XAPI_COURIER_DB"));
    m_environment.remove(QStringLiteral("QT_LOGGING_RULES"));
}

CliResult CliRunner::addOpenIntegration(const QString& name, const QString& statementUrl) const
{
    return run({QStringLiteral("integration"), QStringLiteral("add"), QStringLiteral("--name"), name,
                QStringLiteral("--provider"), name.toLower(), QStringLiteral("--statement-url"), statementUrl,
                QStringLiteral("--auth"), QStringLiteral("none")});
}

CliResult CliRunner::run(const QStringList& arguments, const QByteArray& stdinData) const
{
    QProcess process;
    process.setProcessEnvironment(m_environment);
    QStringList allArguments;
    if (!m_databasePath.isEmpty())
        allArguments << QStringLiteral("--db") << m_databasePath;
    allArguments << arguments;
    process.start(QStringLiteral(COURIER_BINARY), allArguments);
    CliResult result;
    if (!process.waitForStarted(10000))
        return result;
    process.write(stdinData);
    process.closeWriteChannel();
    process.waitForFinished(60000);
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}
