#pragma once

#include <QString>
#include <QTemporaryDir>

#include <memory>

// A real PostgreSQL server for the tests of one process (Debian's postgresql package): initdb in a temporary folder
// with trust authentication, listening on 127.0.0.1 on a free port and on a socket in that folder, run as the
// postgres user when the tests run as root (PostgreSQL refuses root). Started on first use, stopped with
// pg_ctl stop -m immediate when the process ends (or, if it dies, by a watchdog within a second).
class PostgresServer final
{
public:
    // The one role that must give a password (scram-sha-256 on loopback), to prove .pgpass/PGPASSFILE; every other
    // role is trusted.
    static constexpr const char* PasswordRole = "courier_password";

    // The server of this process, started on the first call.
    static PostgresServer& instance();

    bool isRunning() const { return m_running; }
    QString error() const { return m_error; }
    int port() const { return m_port; }
    // A new empty database owned by the superuser; its URL on success, empty and *error set otherwise.
    QString createDatabase(QString* error);
    // Runs a statement as the superuser on the server's postgres database (e.g. CREATE ROLE).
    bool execAsSuperuser(const QString& sql, QString* error);
    // Schema and rows of a database as pg_dump writes them; empty on failure.
    QByteArray dump(const QString& url) const;
    // The URL of a database on this server (no password: trust authentication on loopback).
    QString url(const QString& database) const;

    ~PostgresServer();
    PostgresServer(const PostgresServer&) = delete;
    PostgresServer& operator=(const PostgresServer&) = delete;

private:
    PostgresServer();
    bool start();
    void stop();
    // A detached shell that stops the server and removes its folder should this process die without stopping it
    // (a crash, a timeout's SIGKILL): no server outlives its test.
    void startWatchdog() const;
    // Runs a server program, as the postgres user when we are root; its output on failure in *output.
    bool requirePasswordOf(const QString& role, const QString& dataDir);
    bool runTool(const QString& tool, const QStringList& arguments, QString* output, int timeoutMs = 60000) const;

    QTemporaryDir m_dir;
    QString m_binDir;
    QString m_connectionName;
    bool m_running = false;
    int m_port = 0;
    int m_databases = 0;
    QString m_error;
};
