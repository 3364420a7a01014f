#include "delivery/DuplicateTriage.h"

#include "common/Logging.h"
#include "delivery/DeliveryQueue.h"
#include "delivery/DeliveryTransport.h"
#include "delivery/ReplyMonitor.h"
#include "delivery/TokenClient.h"
#include "integrations/IntegrationRepository.h"
#include "statements/StatementComparison.h"
#include "store/Store.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPointer>
#include <QUrlQuery>

namespace {
constexpr int Batch = 20;

QByteArray detailJson(const QJsonObject& detail)
{
    return QJsonDocument(detail).toJson(QJsonDocument::Compact);
}
} // namespace

DuplicateTriage::DuplicateTriage(Store& store, TokenClient& tokens, QNetworkAccessManager& network, QObject* parent)
    : QObject(parent)
    , m_store(store)
    , m_tokens(tokens)
    , m_network(network)
{
    m_poll.setInterval(5000);
    connect(&m_poll, &QTimer::timeout, this, &DuplicateTriage::next);
    m_soon.setSingleShot(true);
    m_soon.setInterval(200);
    connect(&m_soon, &QTimer::timeout, this, &DuplicateTriage::next);
}

void DuplicateTriage::start()
{
    m_running = true;
    m_poll.start();
    poke();
}

void DuplicateTriage::stop()
{
    m_running = false;
    m_poll.stop();
    m_soon.stop();
}

void DuplicateTriage::poke()
{
    if (!m_soon.isActive())
        m_soon.start();
}

QString DuplicateTriage::kindFor(int status, const QByteArray& sent, const QByteArray& fetched, QByteArray* detail)
{
    if (status == 401 || status == 403) {
        *detail = detailJson({{QStringLiteral("reason"),
                               QStringLiteral("HTTP %1: the credentials may not read statements.").arg(status)},
                              {QStringLiteral("status"), status}});
        return QStringLiteral("unverified");
    }
    if (status == 404) {
        *detail = detailJson({{QStringLiteral("reason"),
                               QStringLiteral("HTTP 404: the receiver does not have this statement (its 409 was about "
                                              "another statement of the batch, or it was voided).")},
                              {QStringLiteral("status"), status}});
        return QStringLiteral("unverified");
    }
    const QJsonDocument stored = QJsonDocument::fromJson(fetched);
    const QJsonObject sentStatement = QJsonDocument::fromJson(sent).object();
    if (status != 200 || !stored.isObject() ||
        stored.object().value(QStringLiteral("id")).toString().compare(
            sentStatement.value(QStringLiteral("id")).toString(), Qt::CaseInsensitive) != 0) {
        *detail = detailJson(
            {{QStringLiteral("reason"),
              status == 0 ? QStringLiteral("The receiver did not answer the read.")
                          : QStringLiteral("HTTP %1: the answer to GET ?statementId= is not the statement.").arg(status)},
             {QStringLiteral("status"), status == 0 ? QJsonValue() : QJsonValue(status)}});
        return QStringLiteral("unverified");
    }
    const QList<StatementComparison::Difference> differences =
        StatementComparison::differences(sentStatement, stored.object());
    if (differences.isEmpty()) {
        *detail = detailJson({{QStringLiteral("differences"), QJsonArray()}});
        return QStringLiteral("identical");
    }
    QJsonArray paths;
    for (const StatementComparison::Difference& difference : differences)
        paths << difference.toJson();
    *detail = detailJson({{QStringLiteral("differences"), paths}});
    return QStringLiteral("conflicting");
}

void DuplicateTriage::next()
{
    if (m_busy || !m_running)
        return;
    QString error;
    QList<qint64> lanes;
    if (m_lanes) {
        lanes = m_lanes();
    } else {
        for (const Integration& integration : IntegrationRepository(m_store).all(&error))
            lanes << integration.id;
    }
    if (lanes.isEmpty())
        return;
    const QList<Delivery> waiting = DeliveryQueue(m_store).untriagedDuplicates(lanes, Batch, &error);
    for (const Delivery& delivery : waiting) {
        if (m_transientFailures.value(delivery.id) < 0)
            continue; // tried in this pass already
        const auto integration = IntegrationRepository(m_store).byId(delivery.integrationId, &error);
        if (!integration)
            continue;
        m_busy = true;
        return fetch(*integration, delivery);
    }
    // Everything left has failed this pass: a new pass at the next poll.
    for (auto it = m_transientFailures.begin(); it != m_transientFailures.end(); ++it)
        it.value() = std::abs(it.value());
}

void DuplicateTriage::fetch(const Integration& integration, const Delivery& delivery)
{
    const qint64 deliveryId = delivery.id;
    const QByteArray sent = delivery.body;
    const QString statementId = delivery.statementId;
    m_tokens.authorization(integration, this, [this, integration, deliveryId, sent, statementId](
                                                  const AuthorizationResult& authorization) {
        if (!authorization.ok) {
            finish(deliveryId, QStringLiteral("unverified"),
                   detailJson({{QStringLiteral("reason"), QStringLiteral("No credentials to read with: %1")
                                                              .arg(authorization.error)}}));
            return;
        }
        QNetworkRequest request(statementRequestUrl(integration, QString()));
        QUrl url = request.url();
        QUrlQuery query(url);
        query.addQueryItem(QStringLiteral("statementId"), statementId);
        url.setQuery(query);
        request.setUrl(url);
        for (const auto& [name, value] : statementRequestHeaders(authorization.header)) {
            if (name != "Content-Type")
                request.setRawHeader(name, value);
        }
        request.setTransferTimeout(m_timeoutMs);
        QNetworkReply* reply = m_network.get(request);
        ReplyMonitor::watch(reply, std::min(m_timeoutMs, 10000), m_timeoutMs);
        connect(reply, &QNetworkReply::finished, this, [this, reply, deliveryId, sent] {
            reply->deleteLater();
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            const QByteArray body = reply->read(1024 * 1024);
            if (status == 0 || status >= 500 || status == 429 || status == 408) {
                const int failures = std::abs(m_transientFailures.value(deliveryId)) + 1;
                if (failures < TransientTries) {
                    m_transientFailures.insert(deliveryId, -failures); // not again in this pass
                    m_busy = false;
                    return next();
                }
            }
            m_transientFailures.remove(deliveryId);
            QByteArray detail;
            const QString kind = kindFor(status, sent, body, &detail);
            finish(deliveryId, kind, detail);
        });
    });
}

void DuplicateTriage::finish(qint64 deliveryId, const QString& kind, const QByteArray& detail)
{
    QString error;
    if (!DeliveryQueue(m_store).setDuplicateKind(deliveryId, kind, detail, &error))
        qCWarning(lcDelivery) << "Cannot record the duplicate kind of delivery" << deliveryId << ":" << error;
    else
        qCInfo(lcDelivery) << "Delivery" << deliveryId << "is a duplicate:" << kind;
    m_busy = false;
    Q_EMIT triaged(deliveryId, kind);
    next();
}
