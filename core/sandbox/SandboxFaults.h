#pragma once

#include <QList>
#include <QString>

// The sandbox's script of failures: a comma-separated list applied in order to the next requests, each entry
// answering N requests before the next entry takes over, then normal answers:
//   503*N, 500*N, 400*N, 401*N    answer N requests with that status
//   429*N:retry-after=S           answer N requests with 429 and Retry-After: S (seconds; optional)
//   drop*N                        close N connections without an answer
//   delay=MS                      wait MS milliseconds before every answer (not consumed)
// e.g. "503*2" answers two requests with 503, then behaves normally.
class SandboxFaults final
{
public:
    struct Fault
    {
        enum class Kind { None, Status, Drop };
        Kind kind = Kind::None;
        int status = 0;
        int retryAfterSeconds = -1; // -1: no Retry-After
        int ordinal = 0;            // 1-based, within its entry
        int of = 0;                 // the entry's count
        QString describe() const;   // "503 (1 of 2)", "drop (2 of 3)"
    };

    // Empty spec: no faults. On a mistake, returns false and says which entry is wrong and what is accepted.
    bool parse(const QString& spec, QString* error);
    // The fault for the next request (Kind::None once the script is used up); consumes one.
    Fault next();
    int delayMs() const { return m_delayMs; }
    // Requests the script still fails.
    int remaining() const;
    // The script as given, normalised ("503*2,delay=100"); what is left of it.
    QString spec() const { return m_spec; }
    QString remainingSpec() const;

    static QString syntaxHelp();

private:
    struct Entry
    {
        Fault::Kind kind = Fault::Kind::Status;
        int status = 0;
        int retryAfterSeconds = -1;
        int count = 0;
        int used = 0;
    };
    QList<Entry> m_entries;
    int m_delayMs = 0;
    QString m_spec;
};
