#pragma once

#include "integrations/Integration.h"

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QStringList>

#include <functional>
#include <optional>

class QNetworkAccessManager;
class TokenClient;

// One line of the receiver check: what was sent, what came back, and what it means for delivery.
struct ReceiverCheckResult
{
    enum class Result { Pass, Warn, Fail, Skip };

    QString id;
    Result result = Result::Skip;
    std::optional<int> status; // the HTTP status that decided it, when there was one
    QString detail;            // what it means for delivery, in a sentence or two
    QString sent;              // the request line, headers (Authorization masked) and body
    QString received;          // the status line and body, or why nothing came back

    static QString resultName(Result result); // "pass", "warn", "fail", "skip"
    QJsonObject toJson() const;               // {"id", "result", "status", "detail"}
};

// A safe conformance check of an integration's receiver, before the first real statement leaves: a handful of
// recognisable test statements (activity …/xapi-courier-receiver-check, platform "xAPI Courier receiver check"),
// valid for the integration's provider, sent straight to the Statement URL (never queued) and voided afterwards
// unless kept. The checks, in this order:
//   about                  GET …/about (relative to the Statement URL): the versions the receiver offers
//   authentication         the token (or Basic credentials) is accepted
//   post                   a fresh statement is accepted: 200 with its id
//   resend-identical       the same statement again: 2xx or 409, never another 4xx or a 5xx
//   resend-conflicting     the same id with other content: 409; a 2xx fails (the receiver keeps or overwrites)
//   missing-version-header a statement without X-Experience-API-Version: 400
//   batch-duplicate-ids    an array of two statements with one id: 400
//   read-back              GET ?statementId= returns the statement (skipped when the credentials may not read)
//   cleanup                the test statements are voided (skipped with keep)
class ReceiverCheck final : public QObject
{
    Q_OBJECT

public:
    static constexpr int DefaultTimeoutMs = 15000;
    static const QStringList& checkIds();
    static QString activityName() { return QStringLiteral("xAPI Courier receiver check"); }

    ReceiverCheck(const Integration& integration, TokenClient& tokens, QNetworkAccessManager& network,
                  QObject* parent = nullptr);

    void setKeep(bool keep) { m_keep = keep; }
    void setTimeout(int milliseconds) { m_timeoutMs = milliseconds; }
    // What the check will do to the receiver, said before it runs.
    QString plan() const;
    void start();

    bool isFinished() const { return m_finished; }
    // One per check id, in order (skipped ones included); complete once finished() was emitted.
    QList<ReceiverCheckResult> results() const;
    QStringList xapiVersions() const { return m_versions; }
    bool failed() const;
    QJsonObject toJson() const;
    // The test statements the receiver accepted (voided by cleanup unless kept).
    QStringList acceptedIds() const { return m_accepted; }
    // The activity id of the test statements.
    QString activityId() const;

Q_SIGNALS:
    void checked(const ReceiverCheckResult& result);
    void finished();

private:
    struct Exchange
    {
        int status = 0;
        QByteArray body;
        QString error; // no answer: why
        QString sent;
        QString received;
    };
    using Step = std::function<void()>;

    QJsonObject testStatement(const QString& id, bool conflicting) const;
    QJsonObject voiding(const QString& id) const;
    void request(const QByteArray& method, const QUrl& url, const QByteArray& body, bool versionHeader,
                 std::function<void(const Exchange&)> done);
    void record(const QString& id, ReceiverCheckResult::Result result, const QString& detail,
                const Exchange* exchange = nullptr);
    void skip(const QString& id, const QString& why) { record(id, ReceiverCheckResult::Result::Skip, why); }

    void authorize();
    void about();
    void post();
    void resendIdentical();
    void resendConflicting();
    void missingVersionHeader();
    void batchDuplicateIds();
    void readBack();
    void cleanup();
    void finish();

    Integration m_integration;
    TokenClient& m_tokens;
    QNetworkAccessManager& m_network;
    QByteArray m_authorization;
    QString m_authorizationError;
    bool m_authorized = false;
    bool m_keep = false;
    bool m_finished = false;
    int m_timeoutMs = DefaultTimeoutMs;
    QStringList m_versions;
    QHash<QString, ReceiverCheckResult> m_results;
    QString m_firstId;
    QString m_conflictingOutcome; // what resend-conflicting left for read-back to settle
    bool m_posted = false;
    int m_postStatus = 0;
    QStringList m_accepted;
};
