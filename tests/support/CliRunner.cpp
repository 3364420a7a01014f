#include "CliRunner.h"

#include <QProcess>
#include <QSignalSpy>

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

std::unique_ptr<QProcess> CliRunner::start(const QStringList& arguments) const
{
    auto process = std::make_unique<QProcess>();
    process->setProcessEnvironment(m_environment);
    QStringList allArguments;
    if (!m_databasePath.isEmpty())
        allArguments << QStringLiteral("--db") << m_databasePath;
    allArguments << arguments;
    process->start(QStringLiteral(COURIER_BINARY), allArguments);
    return process;
}

namespace {

CliResult finish(QProcess& process, const QByteArray& stdinData, bool serving)
{
    CliResult result;
    if (!process.waitForStarted(10000))
        return result;
    process.write(stdinData);
    process.closeWriteChannel();
    if (serving) {
        QSignalSpy finished(&process, &QProcess::finished);
        if (process.state() != QProcess::NotRunning)
            finished.wait(60000);
    } else {
        process.waitForFinished(60000);
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

} // namespace

CliResult CliRunner::run(const QStringList& arguments, const QByteArray& stdinData) const
{
    return finish(*start(arguments), stdinData, false);
}

CliResult CliRunner::runServing(const QStringList& arguments, const QByteArray& stdinData) const
{
    return finish(*start(arguments), stdinData, true);
}
