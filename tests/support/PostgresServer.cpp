#include "PostgresServer.h"

#include <QCoreApplication>
#include <QDir>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTcpServer>
#include <QVersionNumber>

#include <pwd.h>
#include <unistd.h>

namespace {

constexpr const char* ServerUser = "postgres";
constexpr int StartAttempts = 3;

// The newest /usr/lib/postgresql/<version>/bin, or $COURIER_PG_BINDIR.
QString findBinDir()
{
    const QString fromEnvironment = qEnvironmentVariable("COURIER_PG_BINDIR");
    if (!fromEnvironment.isEmpty())
        return fromEnvironment;
    QDir root(QStringLiteral("/usr/lib/postgresql"));
    QString best;
    QVersionNumber bestVersion;
    for (const QString& version : root.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        const QVersionNumber number = QVersionNumber::fromString(version);
        if (QFile::exists(root.filePath(version + QStringLiteral("/bin/initdb"))) && number > bestVersion) {
            bestVersion = number;
            best = root.filePath(version + QStringLiteral("/bin"));
        }
    }
    return best;
}

int freeLoopbackPort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

bool runningAsRoot()
{
    return geteuid() == 0;
}

PostgresServer* processServer = nullptr;

// A post routine runs while QCoreApplication still exists, so QProcess and the SQL driver still work.
void stopAtExit()
{
    delete processServer;
    processServer = nullptr;
}

} // namespace

PostgresServer& PostgresServer::instance()
{
    if (!processServer) {
        processServer = new PostgresServer();
        qAddPostRoutine(stopAtExit);
    }
    return *processServer;
}

PostgresServer::PostgresServer()
    : m_binDir(findBinDir())
    , m_connectionName(QStringLiteral("courier-test-postgres-admin"))
{
    m_running = start();
}

PostgresServer::~PostgresServer()
{
    stop();
}

bool PostgresServer::runTool(const QString& tool, const QStringList& arguments, QString* output, int timeoutMs) const
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.setWorkingDirectory(m_dir.path());
    const QString program = QDir(m_binDir).filePath(tool);
    if (runningAsRoot()) {
        process.start(QStringLiteral("runuser"), QStringList{QStringLiteral("-u"), QString::fromLatin1(ServerUser),
                                                             QStringLiteral("--"), program} +
                                                     arguments);
    } else {
        process.start(program, arguments);
    }
    const bool finished = process.waitForFinished(timeoutMs);
    *output = QString::fromLocal8Bit(process.readAll());
    if (!finished) {
        process.kill();
        process.waitForFinished(5000);
        *output += QStringLiteral("\n(%1 did not finish within %2 ms)").arg(tool).arg(timeoutMs);
        return false;
    }
    return process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
}

bool PostgresServer::start()
{
    if (m_binDir.isEmpty()) {
        m_error = QStringLiteral("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb). Run "
                                 "scripts/install-deps.sh test.");
        return false;
    }
    if (!m_dir.isValid()) {
        m_error = QStringLiteral("cannot create a temporary folder: %1").arg(m_dir.errorString());
        return false;
    }
    if (runningAsRoot()) {
        const passwd* user = getpwnam(ServerUser);
        if (!user || chown(QFile::encodeName(m_dir.path()).constData(), user->pw_uid, user->pw_gid) != 0) {
            m_error = QStringLiteral("tests run as root, so PostgreSQL must run as the user \"postgres\", but it does "
                                     "not exist or cannot own %1")
                          .arg(m_dir.path());
            return false;
        }
    }
    const QString dataDir = m_dir.filePath(QStringLiteral("data"));
    QString output;
    if (!runTool(QStringLiteral("initdb"),
                 {QStringLiteral("-D"), dataDir, QStringLiteral("-A"), QStringLiteral("trust"), QStringLiteral("-U"),
                  QStringLiteral("postgres"), QStringLiteral("-E"), QStringLiteral("UTF8"),
                  QStringLiteral("--locale=C.UTF-8"), QStringLiteral("--no-sync"), QStringLiteral("--no-instructions")},
                 &output)) {
        m_error = QStringLiteral("initdb failed: %1").arg(output);
        return false;
    }
    if (!requirePasswordOf(QString::fromLatin1(PasswordRole), dataDir))
        return false;
    for (int attempt = 0; attempt < StartAttempts; ++attempt) {
        m_port = freeLoopbackPort();
        const QString options =
            QStringLiteral("-c listen_addresses=127.0.0.1 -p %1 -k %2 -c fsync=off -c synchronous_commit=off "
                           "-c full_page_writes=off -c max_connections=200")
                .arg(m_port)
                .arg(m_dir.path());
        if (runTool(QStringLiteral("pg_ctl"),
                    {QStringLiteral("-D"), dataDir, QStringLiteral("-l"), m_dir.filePath(QStringLiteral("server.log")),
                     QStringLiteral("-w"), QStringLiteral("-t"), QStringLiteral("60"), QStringLiteral("-o"), options,
                     QStringLiteral("start")},
                    &output, 90000)) {
            QSqlDatabase admin = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), m_connectionName);
            admin.setHostName(QStringLiteral("127.0.0.1"));
            admin.setPort(m_port);
            admin.setUserName(QStringLiteral("postgres"));
            admin.setDatabaseName(QStringLiteral("postgres"));
            if (!admin.open()) {
                m_error = QStringLiteral("PostgreSQL started but does not accept connections: %1")
                              .arg(admin.lastError().text());
                startWatchdog();
                return true; // running: stop() must still stop it
            }
            startWatchdog();
            return true;
        }
        QFile log(m_dir.filePath(QStringLiteral("server.log")));
        if (log.open(QIODevice::ReadOnly))
            output += QString::fromLocal8Bit(log.readAll());
    }
    m_error = QStringLiteral("pg_ctl start failed: %1").arg(output);
    return false;
}

// pg_hba.conf is read top down: a line for the role before initdb's trust lines.
bool PostgresServer::requirePasswordOf(const QString& role, const QString& dataDir)
{
    QFile hba(QDir(dataDir).filePath(QStringLiteral("pg_hba.conf")));
    if (!hba.open(QIODevice::ReadWrite)) {
        m_error = QStringLiteral("cannot edit %1: %2").arg(hba.fileName(), hba.errorString());
        return false;
    }
    const QByteArray rules = hba.readAll();
    hba.seek(0);
    hba.write(QStringLiteral("host all %1 127.0.0.1/32 scram-sha-256\n").arg(role).toUtf8() + rules);
    return true;
}

void PostgresServer::startWatchdog() const
{
    const QString pgCtl = QDir(m_binDir).filePath(QStringLiteral("pg_ctl"));
    const QString asServerUser =
        runningAsRoot() ? QStringLiteral("runuser -u %1 -- ").arg(QString::fromLatin1(ServerUser)) : QString();
    const QString script = QStringLiteral("while kill -0 %1 2>/dev/null; do sleep 1; done; "
                                          "if [ -d '%2' ]; then %3'%4' -D '%2/data' -m immediate stop; rm -rf '%2'; fi")
                               .arg(QCoreApplication::applicationPid())
                               .arg(m_dir.path(), asServerUser, pgCtl);
    QProcess watchdog;
    watchdog.setProgram(QStringLiteral("sh"));
    watchdog.setArguments({QStringLiteral("-c"), script});
    watchdog.setStandardInputFile(QProcess::nullDevice());
    watchdog.setStandardOutputFile(QProcess::nullDevice());
    watchdog.setStandardErrorFile(QProcess::nullDevice());
    if (!watchdog.startDetached())
        qWarning("The PostgreSQL test server has no watchdog: it keeps running if this test crashes.");
}

void PostgresServer::stop()
{
    if (QSqlDatabase::contains(m_connectionName)) {
        QSqlDatabase::database(m_connectionName, false).close();
        QSqlDatabase::removeDatabase(m_connectionName);
    }
    if (!m_running)
        return;
    m_running = false;
    QString output;
    if (!runTool(QStringLiteral("pg_ctl"),
                 {QStringLiteral("-D"), m_dir.filePath(QStringLiteral("data")), QStringLiteral("-m"),
                  QStringLiteral("immediate"), QStringLiteral("stop")},
                 &output))
        qWarning("pg_ctl stop failed: %s", qPrintable(output));
    m_dir.remove();
}

QString PostgresServer::createDatabase(QString* error)
{
    if (!m_running || !m_error.isEmpty()) {
        *error = m_error;
        return {};
    }
    const QString name = QStringLiteral("courier_test_%1").arg(++m_databases);
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    if (!query.exec(QStringLiteral("CREATE DATABASE %1 TEMPLATE template0").arg(name))) {
        *error = QStringLiteral("CREATE DATABASE %1 failed: %2").arg(name, query.lastError().text());
        return {};
    }
    return url(name);
}

bool PostgresServer::execAsSuperuser(const QString& sql, QString* error)
{
    if (!m_running || !m_error.isEmpty()) {
        *error = m_error;
        return false;
    }
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    if (query.exec(sql))
        return true;
    *error = QStringLiteral("%1 failed: %2").arg(sql, query.lastError().text());
    return false;
}

QByteArray PostgresServer::dump(const QString& url) const
{
    QString output;
    if (!runTool(QStringLiteral("pg_dump"), {QStringLiteral("--no-owner"), QStringLiteral("--dbname=") + url},
                 &output)) {
        qWarning("pg_dump failed: %s", qPrintable(output));
        return {};
    }
    // Newer pg_dump versions wrap the dump in \restrict KEY ... \unrestrict KEY with a random key.
    QByteArray dump;
    for (const QString& line : output.split(QLatin1Char('\n'))) {
        if (!line.startsWith(QLatin1String("\\restrict ")) && !line.startsWith(QLatin1String("\\unrestrict ")))
            dump += line.toUtf8() + '\n';
    }
    return dump;
}

QString PostgresServer::url(const QString& database) const
{
    return QStringLiteral("postgresql://postgres@127.0.0.1:%1/%2").arg(m_port).arg(database);
}
