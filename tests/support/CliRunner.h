#pragma once

#include <QByteArray>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>

#include <memory>

// Runs the real xapi-courier binary, as a user would, and keeps what it printed.
struct CliResult
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QString all() const { return QString::fromUtf8(out + err); }
};

class CliRunner final
{
public:
    explicit CliRunner(QString databasePath = QString());

    CliResult run(const QStringList& arguments, const QByteArray& stdinData = QByteArray()) const;
    // The same, but waiting in an event loop, so that servers living in the test process (LocalReceiver) answer.
    CliResult runServing(const QStringList& arguments, const QByteArray& stdinData = QByteArray()) const;
    // Starts the binary with these arguments (after --db) and returns at once.
    std::unique_ptr<QProcess> start(const QStringList& arguments) const;
    // `integration add` of an integration without authentication, its provider the name in lower case.
    CliResult addOpenIntegration(const QString& name, const QString& statementUrl) const;
    void setEnvironment(const QString& name, const QString& value) { m_environment.insert(name, value); }

private:
    QString m_databasePath;
    QProcessEnvironment m_environment;
};
