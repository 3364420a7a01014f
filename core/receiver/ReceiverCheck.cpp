#include "receiver/ReceiverCheck.h"

#include "delivery/DeliveryTransport.h"
#include "delivery/Redaction.h"
#include "delivery/ReplyMonitor.h"
#include "delivery/TokenClient.h"
#include "statements/ProviderProfile.h"
#include "statements/StatementComparison.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QUrlQuery>
#include <QUuid>

namespace {

constexpr int BodyShown = 2000;
const QString checkUser = QStringLiteral("xapi-courier-receiver-check");

using Result = ReceiverCheckResult::Result;

QString newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

QByteArray compact(const QJsonValue& value)
{
    return value.isArray() ? QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact)
                           : QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
}

QString answered(int status)
{
    return status == 0 ? QStringLiteral("no answer") : QStringLiteral("HTTP %1").arg(status);
}

// The receiver's own words, shortened, for a detail line.
QString excerpt(const QByteArray& body)
{
    const QString text = QString::fromUtf8(body.left(400)).simplified();
    return text.isEmpty() ? QString() : QStringLiteral(" (“%1”)").arg(text.left(200));
}

bool isSuccess(int status)
{
    return status >= 200 && status < 300;
}

} // namespace

QString ReceiverCheckResult::resultName(Result result)
{
    switch (result) {
    case Result::Pass:
        return QStringLiteral("pass");
    case Result::Warn:
        return QStringLiteral("warn");
    case Result::Fail:
        return QStringLiteral("fail");
    case Result::Skip:
        return QStringLiteral("skip");
    }
    return QString();
}

QJsonObject ReceiverCheckResult::toJson() const
{
    return {{QStringLiteral("id"), id},
            {QStringLiteral("result"), resultName(result)},
            {QStringLiteral("status"), status ? QJsonValue(*status) : QJsonValue()},
            {QStringLiteral("detail"), detail}};
}

const QStringList& ReceiverCheck::checkIds()
{
    static const QStringList ids{QStringLiteral("about"),
                                 QStringLiteral("authentication"),
                                 QStringLiteral("post"),
                                 QStringLiteral("resend-identical"),
                                 QStringLiteral("resend-conflicting"),
                                 QStringLiteral("missing-version-header"),
                                 QStringLiteral("batch-duplicate-ids"),
                                 QStringLiteral("read-back"),
                                 QStringLiteral("cleanup")};
    return ids;
}

ReceiverCheck::ReceiverCheck(const Integration& integration, TokenClient& tokens, QNetworkAccessManager& network,
                             QObject* parent)
    : QObject(parent)
    , m_integration(integration)
    , m_tokens(tokens)
    , m_network(network)
{}

QString ReceiverCheck::activityId() const
{
    return ProviderProfile::forProvider(m_integration.provider, m_integration.statementUrl).activityBase +
           QLatin1Char('/') + checkUser;
}

QString ReceiverCheck::plan() const
{
    return QStringLiteral("The check sends up to 4 test statements straight to %1 (never through the queue): activity "
                          "%2, platform “%3”. %4")
        .arg(m_integration.statementUrl.toString(), activityId(), activityName(),
             m_keep ? QStringLiteral("They are kept as asked: void or delete them on the receiver yourself.")
                    : QStringLiteral("They are voided afterwards unless you choose to keep them."));
}

QJsonObject ReceiverCheck::testStatement(const QString& id, bool conflicting) const
{
    const ProviderProfile profile = ProviderProfile::forProvider(m_integration.provider, m_integration.statementUrl);
    CompletionFacts facts;
    facts.userId = checkUser;
    facts.userName = activityName();
    facts.contentId = checkUser;
    facts.contentTitle = activityName();
    facts.score = conflicting ? 0.0 : 1.0;
    facts.maxScore = 1.0;
    facts.completionSeconds = 1;
    facts.finishedAt = QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC);
    facts.statementId = id;
    TemplateValues values = profile.completionValues(facts);
    if (values.actorBy == TemplateValues::ActorBy::Mbox)
        values.actorEmail = QStringLiteral("receiver-check@xapi-courier.invalid");
    values.platform = activityName();
    values.objectId = activityId();
    return StatementTemplates::build(values);
}

QJsonObject ReceiverCheck::voiding(const QString& id) const
{
    const QJsonObject test = testStatement(newId(), false);
    return {{QStringLiteral("id"), newId()},
            {QStringLiteral("actor"), test.value(QStringLiteral("actor"))},
            {QStringLiteral("verb"),
             QJsonObject{{QStringLiteral("id"), QStringLiteral("http://adlnet.gov/expapi/verbs/voided")},
                         {QStringLiteral("display"), QJsonObject{{QStringLiteral("en-US"), QStringLiteral("voided")}}}}},
            {QStringLiteral("object"),
             QJsonObject{{QStringLiteral("objectType"), QStringLiteral("StatementRef")}, {QStringLiteral("id"), id}}}};
}

void ReceiverCheck::request(const QByteArray& method, const QUrl& url, const QByteArray& body, bool versionHeader,
                            std::function<void(const Exchange&)> done)
{
    QNetworkRequest request(url);
    for (const auto& [name, value] : statementRequestHeaders(m_authorization)) {
        if (name == "X-Experience-API-Version" && !versionHeader)
            continue;
        if (name == "Content-Type" && body.isEmpty())
            continue;
        request.setRawHeader(name, value);
    }
    request.setTransferTimeout(m_timeoutMs);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    QString sent = QString::fromLatin1(method) + QLatin1Char(' ') + url.toString() + QLatin1Char('\n') +
                   Redaction::headers(request);
    if (!body.isEmpty())
        sent += QStringLiteral("\n\n") + QString::fromUtf8(body.left(BodyShown));
    QNetworkReply* reply = method == "GET" ? m_network.get(request) : m_network.sendCustomRequest(request, method, body);
    ReplyMonitor* monitor = ReplyMonitor::watch(reply, std::min(m_timeoutMs, 10000), m_timeoutMs);
    connect(reply, &QNetworkReply::finished, this, [reply, monitor, sent, done] {
        reply->deleteLater();
        Exchange exchange;
        exchange.sent = sent;
        exchange.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (exchange.status > 0) {
            exchange.body = reply->read(64 * 1024);
            exchange.received = QStringLiteral("HTTP %1 %2")
                                    .arg(exchange.status)
                                    .arg(reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString());
            if (!exchange.body.isEmpty())
                exchange.received += QStringLiteral("\n\n") + QString::fromUtf8(exchange.body.left(BodyShown));
        } else {
            exchange.error = monitor->failureText();
            exchange.received = exchange.error;
        }
        done(exchange);
    });
}

void ReceiverCheck::record(const QString& id, Result result, const QString& detail, const Exchange* exchange)
{
    ReceiverCheckResult line;
    line.id = id;
    line.result = result;
    line.detail = detail;
    if (exchange) {
        if (exchange->status > 0)
            line.status = exchange->status;
        line.sent = exchange->sent;
        line.received = exchange->received;
    }
    m_results.insert(id, line);
    Q_EMIT checked(line);
}

QList<ReceiverCheckResult> ReceiverCheck::results() const
{
    QList<ReceiverCheckResult> ordered;
    for (const QString& id : checkIds()) {
        if (m_results.contains(id))
            ordered << m_results.value(id);
    }
    return ordered;
}

bool ReceiverCheck::failed() const
{
    for (const ReceiverCheckResult& result : m_results) {
        if (result.result == Result::Fail)
            return true;
    }
    return false;
}

QJsonObject ReceiverCheck::toJson() const
{
    QJsonArray checks;
    for (const ReceiverCheckResult& result : results())
        checks << result.toJson();
    return {{QStringLiteral("integration"), m_integration.name},
            {QStringLiteral("xapiVersions"), QJsonArray::fromStringList(m_versions)},
            {QStringLiteral("checks"), checks}};
}

void ReceiverCheck::start()
{
    authorize();
}

void ReceiverCheck::authorize()
{
    m_tokens.authorization(m_integration, this, [this](const AuthorizationResult& result) {
        m_authorized = result.ok;
        m_authorization = result.header;
        m_authorizationError = result.error;
        about();
    });
}

void ReceiverCheck::about()
{
    QUrl url = m_integration.statementUrl;
    QString path = url.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    url.setPath(path);
    url.setQuery(QString());
    url = url.resolved(QUrl(QStringLiteral("about")));
    request("GET", url, {}, true, [this](const Exchange& exchange) {
        const QJsonArray versions =
            QJsonDocument::fromJson(exchange.body).object().value(QStringLiteral("version")).toArray();
        for (const QJsonValue& version : versions)
            m_versions << version.toString();
        if (exchange.status == 200 && !m_versions.isEmpty()) {
            const bool speaks = std::any_of(m_versions.cbegin(), m_versions.cend(), [](const QString& version) {
                return version.startsWith(QLatin1String("1.0."));
            });
            record(QStringLiteral("about"), speaks ? Result::Pass : Result::Warn,
                   speaks ? QStringLiteral("Offers %1; Courier sends 1.0.3.").arg(m_versions.join(QStringLiteral(", ")))
                          : QStringLiteral("Offers %1 but no 1.0.x: the 1.0.3 statements Courier sends may be "
                                           "refused.")
                                .arg(m_versions.join(QStringLiteral(", "))),
                   &exchange);
        } else if (exchange.status == 200) {
            record(QStringLiteral("about"), Result::Warn,
                   QStringLiteral("Answered 200 without a version list: not an xAPI about resource, so the versions "
                                  "it speaks are unknown (delivery does not depend on it)."),
                   &exchange);
        } else {
            record(QStringLiteral("about"), Result::Warn,
                   QStringLiteral("%1 for …/about%2: the versions it speaks are unknown (xAPI requires the about "
                                  "resource; delivery does not depend on it).")
                       .arg(exchange.status ? answered(exchange.status) : exchange.error, excerpt(exchange.body)),
                   &exchange);
        }
        post();
    });
}

void ReceiverCheck::post()
{
    if (!m_authorized) {
        record(QStringLiteral("authentication"), Result::Fail,
               QStringLiteral("No credentials to send: %1 Nothing can be delivered until this is fixed.")
                   .arg(m_authorizationError));
        for (const QString& id : {QStringLiteral("post"), QStringLiteral("resend-identical"),
                                  QStringLiteral("resend-conflicting"), QStringLiteral("missing-version-header"),
                                  QStringLiteral("batch-duplicate-ids"), QStringLiteral("read-back")})
            skip(id, QStringLiteral("Not tried without credentials."));
        return cleanup();
    }
    m_firstId = newId();
    request("POST", m_integration.statementUrl, compact(testStatement(m_firstId, false)), true,
            [this](const Exchange& exchange) {
                m_postStatus = exchange.status;
                const bool refusedCredentials = exchange.status == 401 || exchange.status == 403;
                if (refusedCredentials) {
                    const QString why = m_integration.auth == Integration::Auth::None
                                            ? QStringLiteral("The receiver wants credentials and the integration "
                                                             "sends none: choose OAuth 2.0 or HTTP Basic.")
                                        : m_integration.auth == Integration::Auth::OAuth2
                                            ? QStringLiteral("The Authentication URL issued a token, but the "
                                                             "receiver refused it: the client may lack the "
                                                             "statements scope, or the token is for another "
                                                             "receiver.")
                                            : QStringLiteral("The receiver refused the HTTP Basic credentials.");
                    record(QStringLiteral("authentication"), Result::Fail,
                           why + QStringLiteral(" Delivery would hold the integration."), &exchange);
                } else if (!isSuccess(exchange.status) &&
                           (exchange.status < 400 || exchange.status >= 500 || exchange.status == 404 ||
                            exchange.status == 408 || exchange.status == 429)) {
                    // No answer, or one given before credentials matter (an outage, a wrong URL): no verdict.
                    record(QStringLiteral("authentication"), Result::Skip,
                           QStringLiteral("Not judged: %1 before the credentials could be.")
                               .arg(exchange.status ? answered(exchange.status) + QStringLiteral(" came back")
                                                    : QStringLiteral("no answer came")),
                           &exchange);
                } else {
                    record(QStringLiteral("authentication"), Result::Pass,
                           m_integration.auth == Integration::Auth::None
                               ? QStringLiteral("No credentials are configured and the receiver asked for none.")
                               : m_integration.auth == Integration::Auth::OAuth2
                                   ? QStringLiteral("A token was issued and the receiver accepted it.")
                                   : QStringLiteral("The receiver accepted the HTTP Basic credentials."),
                           &exchange);
                }
                const QJsonArray ids = QJsonDocument::fromJson(exchange.body).array();
                if (exchange.status == 200 && ids.contains(QJsonValue(m_firstId))) {
                    m_posted = true;
                    m_accepted << m_firstId;
                    record(QStringLiteral("post"), Result::Pass,
                           QStringLiteral("Accepted with 200 and its id: statements will be delivered."), &exchange);
                } else if (isSuccess(exchange.status)) {
                    m_posted = true;
                    m_accepted << m_firstId;
                    record(QStringLiteral("post"), Result::Warn,
                           QStringLiteral("Accepted (%1), but not with 200 and the statement's id as xAPI asks: "
                                          "delivery works; the receiver may not be an LRS.")
                               .arg(answered(exchange.status)),
                           &exchange);
                } else if (exchange.status == 409) {
                    record(QStringLiteral("post"), Result::Fail,
                           QStringLiteral("409 for a statement id it cannot have seen: every statement would count "
                                          "as a duplicate without being stored."),
                           &exchange);
                } else if (exchange.status == 0 || exchange.status >= 500 || exchange.status == 408 ||
                           exchange.status == 429) {
                    record(QStringLiteral("post"), Result::Fail,
                           QStringLiteral("%1%2: delivery would put the integration in retrying, one probe per "
                                          "interval.")
                               .arg(exchange.status ? answered(exchange.status) : exchange.error,
                                    excerpt(exchange.body)),
                           &exchange);
                } else {
                    record(QStringLiteral("post"), Result::Fail,
                           QStringLiteral("%1%2: delivery would hold the integration until it is edited.")
                               .arg(answered(exchange.status), excerpt(exchange.body)),
                           &exchange);
                }
                resendIdentical();
            });
}

void ReceiverCheck::resendIdentical()
{
    if (!m_posted) {
        skip(QStringLiteral("resend-identical"), QStringLiteral("Not tried: the first statement was not accepted."));
        return resendConflicting();
    }
    request("POST", m_integration.statementUrl, compact(testStatement(m_firstId, false)), true,
            [this](const Exchange& exchange) {
                if (isSuccess(exchange.status) || exchange.status == 409) {
                    record(QStringLiteral("resend-identical"), Result::Pass,
                           exchange.status == 409
                               ? QStringLiteral("409 for the same statement: counted as a duplicate (delivered), so "
                                                "replays and crash recovery are safe.")
                               : QStringLiteral("%1 for the same statement: replays and crash recovery are safe.")
                                     .arg(answered(exchange.status)),
                           &exchange);
                } else {
                    record(QStringLiteral("resend-identical"), Result::Fail,
                           QStringLiteral("%1%2 for a statement it already has: every replay, and every statement "
                                          "sent again after a crash, would %3.")
                               .arg(exchange.status ? answered(exchange.status) : exchange.error,
                                    excerpt(exchange.body),
                                    exchange.status >= 400 && exchange.status < 500 && exchange.status != 408 &&
                                            exchange.status != 429
                                        ? QStringLiteral("hold the integration")
                                        : QStringLiteral("leave the integration retrying")),
                           &exchange);
                }
                resendConflicting();
            });
}

void ReceiverCheck::resendConflicting()
{
    if (!m_posted) {
        skip(QStringLiteral("resend-conflicting"), QStringLiteral("Not tried: the first statement was not accepted."));
        return missingVersionHeader();
    }
    request("POST", m_integration.statementUrl, compact(testStatement(m_firstId, true)), true,
            [this](const Exchange& exchange) {
                if (exchange.status == 409) {
                    record(QStringLiteral("resend-conflicting"), Result::Pass,
                           QStringLiteral("409 for an id reused with other content: the receiver keeps the first "
                                          "and says so (Courier counts it as a duplicate)."),
                           &exchange);
                } else if (isSuccess(exchange.status)) {
                    m_conflictingOutcome = QStringLiteral("accepted");
                    record(QStringLiteral("resend-conflicting"), Result::Fail,
                           QStringLiteral("%1 for an id reused with other content: the receiver silently keeps or "
                                          "overwrites, so a data bug upstream would go unnoticed.")
                               .arg(answered(exchange.status)),
                           &exchange);
                } else {
                    record(QStringLiteral("resend-conflicting"), Result::Fail,
                           QStringLiteral("%1%2 instead of 409 for an id reused with other content: delivery would "
                                          "%3 instead of counting a duplicate.")
                               .arg(exchange.status ? answered(exchange.status) : exchange.error,
                                    excerpt(exchange.body),
                                    exchange.status >= 400 && exchange.status < 500 && exchange.status != 408 &&
                                            exchange.status != 429
                                        ? QStringLiteral("hold the integration")
                                        : QStringLiteral("retry it forever")),
                           &exchange);
                }
                missingVersionHeader();
            });
}

void ReceiverCheck::missingVersionHeader()
{
    const QString id = newId();
    request("POST", m_integration.statementUrl, compact(testStatement(id, false)), false,
            [this, id](const Exchange& exchange) {
                if (exchange.status == 400) {
                    record(QStringLiteral("missing-version-header"), Result::Pass,
                           QStringLiteral("400 without X-Experience-API-Version, as xAPI requires."), &exchange);
                } else {
                    if (isSuccess(exchange.status))
                        m_accepted << id;
                    record(QStringLiteral("missing-version-header"), Result::Warn,
                           QStringLiteral("%1 without X-Experience-API-Version, where xAPI requires 400: the receiver "
                                          "does not check the version (Courier always sends it; delivery is not "
                                          "affected).")
                               .arg(exchange.status ? answered(exchange.status) : exchange.error),
                           &exchange);
                }
                batchDuplicateIds();
            });
}

void ReceiverCheck::batchDuplicateIds()
{
    const QString id = newId();
    const QJsonArray batch{testStatement(id, false), testStatement(id, true)};
    request("POST", m_integration.statementUrl, compact(batch), true, [this, id](const Exchange& exchange) {
        if (exchange.status == 400) {
            record(QStringLiteral("batch-duplicate-ids"), Result::Pass,
                   QStringLiteral("400 for a batch with one id twice, as xAPI asks."), &exchange);
        } else {
            if (isSuccess(exchange.status))
                m_accepted << id;
            record(QStringLiteral("batch-duplicate-ids"), Result::Warn,
                   QStringLiteral("%1 for a batch with one id twice, where xAPI asks for 400: which of the two it "
                                  "kept is unknown (Courier never batches one id twice; delivery is not affected).")
                       .arg(exchange.status ? answered(exchange.status) : exchange.error),
                   &exchange);
        }
        readBack();
    });
}

void ReceiverCheck::readBack()
{
    if (!m_posted) {
        skip(QStringLiteral("read-back"), QStringLiteral("Not tried: the first statement was not accepted."));
        return cleanup();
    }
    QUrl url = m_integration.statementUrl;
    QUrlQuery query(url);
    query.addQueryItem(QStringLiteral("statementId"), m_firstId);
    url.setQuery(query);
    request("GET", url, {}, true, [this](const Exchange& exchange) {
        const QJsonObject stored = QJsonDocument::fromJson(exchange.body).object();
        if (exchange.status == 401 || exchange.status == 403) {
            skip(QStringLiteral("read-back"),
                 QStringLiteral("%1: these credentials may not read statements, so a 409 will be recorded as an "
                                "unverified duplicate.")
                     .arg(answered(exchange.status)));
            m_results[QStringLiteral("read-back")].status = exchange.status;
            m_results[QStringLiteral("read-back")].sent = exchange.sent;
            m_results[QStringLiteral("read-back")].received = exchange.received;
        } else if (exchange.status == 200 &&
                   stored.value(QStringLiteral("id")).toString().compare(m_firstId, Qt::CaseInsensitive) == 0) {
            const bool first = StatementComparison::matches(testStatement(m_firstId, false), stored);
            const bool second = StatementComparison::matches(testStatement(m_firstId, true), stored);
            if (first) {
                record(QStringLiteral("read-back"), Result::Pass,
                       m_conflictingOutcome.isEmpty()
                           ? QStringLiteral("Returns the statement as sent: a 409 can be told apart as identical or "
                                            "conflicting.")
                           : QStringLiteral("Returns the statement as first sent: the conflicting resend was "
                                            "accepted and dropped silently."),
                       &exchange);
            } else if (second) {
                record(QStringLiteral("read-back"), Result::Warn,
                       QStringLiteral("Returns the conflicting resend: the receiver overwrote the first statement, "
                                      "which xAPI forbids."),
                       &exchange);
            } else {
                QStringList paths;
                for (const StatementComparison::Difference& difference :
                     StatementComparison::differences(testStatement(m_firstId, false), stored))
                    paths << difference.path;
                record(QStringLiteral("read-back"), Result::Warn,
                       QStringLiteral("Returns the statement changed at %1: 409 triage will call identical resends "
                                      "conflicting.")
                           .arg(paths.join(QStringLiteral(", "))),
                       &exchange);
            }
        } else {
            record(QStringLiteral("read-back"), Result::Warn,
                   QStringLiteral("%1%2 for GET ?statementId= of a statement it accepted: a 409 will be recorded as an "
                                  "unverified duplicate.")
                       .arg(exchange.status ? answered(exchange.status) : exchange.error, excerpt(exchange.body)),
                   &exchange);
        }
        cleanup();
    });
}

void ReceiverCheck::cleanup()
{
    if (m_accepted.isEmpty()) {
        skip(QStringLiteral("cleanup"), QStringLiteral("Nothing to void: the receiver stored no test statement."));
        return finish();
    }
    if (m_keep) {
        skip(QStringLiteral("cleanup"),
             QStringLiteral("Kept as asked (--keep): %1 test statement%2 on the receiver: %3.")
                 .arg(m_accepted.size())
                 .arg(m_accepted.size() == 1 ? QString() : QStringLiteral("s"))
                 .arg(m_accepted.join(QStringLiteral(", "))));
        return finish();
    }
    QJsonArray voidings;
    for (const QString& id : std::as_const(m_accepted))
        voidings << voiding(id);
    request("POST", m_integration.statementUrl, compact(voidings), true, [this](const Exchange& exchange) {
        if (isSuccess(exchange.status)) {
            record(QStringLiteral("cleanup"), Result::Pass,
                   QStringLiteral("Voided the %1 test statement%2 it stored: %3.")
                       .arg(m_accepted.size())
                       .arg(m_accepted.size() == 1 ? QString() : QStringLiteral("s"))
                       .arg(m_accepted.join(QStringLiteral(", "))),
                   &exchange);
        } else {
            record(QStringLiteral("cleanup"), Result::Warn,
                   QStringLiteral("Could not void the test statements (%1%2); they remain on the receiver: %3.")
                       .arg(exchange.status ? answered(exchange.status) : exchange.error, excerpt(exchange.body),
                            m_accepted.join(QStringLiteral(", "))),
                   &exchange);
        }
        finish();
    });
}

void ReceiverCheck::finish()
{
    m_finished = true;
    Q_EMIT finished();
}
