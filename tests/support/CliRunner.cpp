#include "CliRunner.h"

#include <QProcess>
#include <QSignalSpy>

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>

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

CliResult CliRunner::runOnTerminal(const QStringList& arguments, const QByteArray& answer) const
{
    CliResult result;
    const int terminal = ::posix_openpt(O_RDWR | O_NOCTTY);
    if (terminal < 0 || ::grantpt(terminal) != 0 || ::unlockpt(terminal) != 0) {
        if (terminal >= 0)
            ::close(terminal);
        return result;
    }
    const QByteArray device = ::ptsname(terminal);
    QProcess process;
    process.setProcessEnvironment(m_environment);
    process.setChildProcessModifier([device] {
        const int input = ::open(device.constData(), O_RDWR | O_NOCTTY);
        if (input >= 0) {
            ::dup2(input, STDIN_FILENO);
            ::close(input);
        }
    });
    QStringList allArguments;
    if (!m_databasePath.isEmpty())
        allArguments << QStringLiteral("--db") << m_databasePath;
    process.start(QStringLiteral(COURIER_BINARY), allArguments + arguments);
    if (process.waitForStarted(10000)) {
        // The line goes into the terminal's input queue; the command reads it when it asks.
        const QByteArray line = answer + '\n';
        if (::write(terminal, line.constData(), size_t(line.size())) == line.size())
            process.waitForFinished(60000);
        result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        result.out = process.readAllStandardOutput();
        result.err = process.readAllStandardError();
    }
    ::close(terminal);
    return result;
}

CliResult CliRunner::runServing(const QStringList& arguments, const QByteArray& stdinData) const
{
    return finish(*start(arguments), stdinData, true);
}
