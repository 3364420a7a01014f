#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

// What the sandbox LRS keeps: every statement it accepted, with the time it stored it and whether it was voided.
// In memory, or in an SQLite file of its own (never the Courier store) that outlives the process.
class SandboxStatements final
{
public:
    struct Stored
    {
        qint64 sequence = 0; // in the order stored
        QString id;          // lower case
        QDateTime stored;
        bool voided = false;
        QJsonObject statement; // as it is returned: with stored, authority, version and timestamp set
    };
    struct Query
    {
        QDateTime since; // stored strictly after
        QDateTime until; // stored at or before
        int limit = 0;   // 0: all
        qint64 after = 0; // with ascending: sequence after this one; else before it (0: from the start)
        bool ascending = false;
        bool withVoided = false; // voided statements are left out of lists unless asked for
    };

    SandboxStatements();
    ~SandboxStatements();
    SandboxStatements(const SandboxStatements&) = delete;
    SandboxStatements& operator=(const SandboxStatements&) = delete;

    // Empty path: in memory. A file is created when missing.
    bool open(const QString& path, QString* error);
    bool isOpen() const;
    QString path() const { return m_path; }

    std::optional<Stored> find(const QString& id, QString* error) const;
    // Stores new statements in one transaction and applies the voiding statements among them (a statement is voided
    // only when it is not itself a voiding statement).
    bool insert(const QList<QJsonObject>& statements, const QDateTime& stored, QString* error);
    QList<Stored> list(const Query& query, QString* error) const;
    int count(QString* error) const;

    static bool isVoiding(const QJsonObject& statement);

private:
    QString m_connection;
    QString m_path;
};
