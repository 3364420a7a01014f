#include "metrics/DeliveryMetrics.h"

#include "common/Logging.h"
#include "integrations/IntegrationRepository.h"
#include "metrics/ProcessMetrics.h"
#include "store/Store.h"

#include <QSet>
#include <QSqlError>
#include <QSqlQuery>

namespace {

// A label value escaped as the text format asks (backslash, double quote, line feed).
QString label(QString value)
{
    value.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
    value.replace(QLatin1Char('"'), QLatin1String("\\\""));
    value.replace(QLatin1Char('\n'), QLatin1String("\\n"));
    return value;
}

QString number(double value)
{
    return QString::number(value, 'g', 15);
}

const QStringList outcomeNames = {QStringLiteral("delivered"), QStringLiteral("duplicate"), QStringLiteral("held"),
                                  QStringLiteral("retried"), QStringLiteral("discarded")};

QString outcomeName(Delivery::State state)
{
    switch (state) {
    case Delivery::State::Delivered:
        return QStringLiteral("delivered");
    case Delivery::State::Duplicate:
        return QStringLiteral("duplicate");
    case Delivery::State::Held:
        return QStringLiteral("held");
    case Delivery::State::Discarded:
        return QStringLiteral("discarded");
    default:
        return QStringLiteral("retried");
    }
}

} // namespace

DeliveryMetrics::DeliveryMetrics(Store& store)
    : m_store(store)
{}

void DeliveryMetrics::count(const QList<DeliveryQueue::Outcome>& outcomes)
{
    QSet<qint64> requests; // a batch's request is timed once
    for (const DeliveryQueue::Outcome& outcome : outcomes) {
        const qint64 integrationId = outcome.attempt.integrationId;
        ++m_outcomes[integrationId][outcomeName(outcome.state)];
        if (!outcome.timesRequest(requests))
            continue;
        Histogram& histogram = m_durations[integrationId];
        const double seconds = outcome.attempt.durationMs / 1000.0;
        for (size_t i = 0; i < Buckets.size(); ++i) {
            if (seconds <= Buckets[i]) {
                ++histogram.buckets[i];
                break;
            }
        }
        ++histogram.count;
        histogram.sum += seconds;
    }
}

QByteArray DeliveryMetrics::exposition() const
{
    QString text;
    QString error;
    bool up = true;
    QHash<qint64, QString> names;
    const QList<Integration> integrations = IntegrationRepository(m_store).all(&error);
    up = up && error.isEmpty();
    for (const Integration& integration : integrations)
        names.insert(integration.id, label(integration.name));
    const QHash<qint64, LaneStats> stats = DeliveryQueue(m_store).stats(&error);
    up = up && error.isEmpty();
    const QDateTime now = QDateTime::currentDateTimeUtc();

    text += QStringLiteral("# HELP xapi_courier_up Whether the store could be read for this scrape.\n"
                           "# TYPE xapi_courier_up gauge\nxapi_courier_up %1\n")
                .arg(up ? 1 : 0);
    text += QStringLiteral("# HELP xapi_courier_queued Statements waiting for delivery, in flight included.\n"
                           "# TYPE xapi_courier_queued gauge\n");
    for (const Integration& integration : integrations)
        text += QStringLiteral("xapi_courier_queued{integration=\"%1\"} %2\n")
                    .arg(names.value(integration.id))
                    .arg(stats.value(integration.id).queued);
    text += QStringLiteral("# HELP xapi_courier_oldest_queued_seconds Age of the oldest waiting statement (0: none).\n"
                           "# TYPE xapi_courier_oldest_queued_seconds gauge\n");
    for (const Integration& integration : integrations) {
        const QDateTime oldest = stats.value(integration.id).oldestQueuedAt;
        text += QStringLiteral("xapi_courier_oldest_queued_seconds{integration=\"%1\"} %2\n")
                    .arg(names.value(integration.id))
                    .arg(number(oldest.isValid() ? std::max<qint64>(0, oldest.msecsTo(now)) / 1000.0 : 0));
    }
    text +=
        QStringLiteral("# HELP xapi_courier_deliveries_total Statements whose answer this process recorded, by outcome "
                       "(discarded: statements discarded in the store).\n"
                       "# TYPE xapi_courier_deliveries_total counter\n");
    for (const Integration& integration : integrations) {
        const QHash<QString, quint64> counted = m_outcomes.value(integration.id);
        for (const QString& outcome : outcomeNames) {
            const quint64 value = outcome == QLatin1String("discarded") ? quint64(stats.value(integration.id).discarded)
                                                                        : counted.value(outcome);
            text += QStringLiteral("xapi_courier_deliveries_total{integration=\"%1\",outcome=\"%2\"} %3\n")
                        .arg(names.value(integration.id), outcome)
                        .arg(value);
        }
    }
    text += QStringLiteral("# HELP xapi_courier_delivery_duration_seconds Time from request to answer, per request.\n"
                           "# TYPE xapi_courier_delivery_duration_seconds histogram\n");
    for (const Integration& integration : integrations) {
        const Histogram histogram = m_durations.value(integration.id);
        const QString name = names.value(integration.id);
        quint64 cumulative = 0;
        for (size_t i = 0; i < Buckets.size(); ++i) {
            cumulative += histogram.buckets[i];
            text += QStringLiteral("xapi_courier_delivery_duration_seconds_bucket{integration=\"%1\",le=\"%2\"} %3\n")
                        .arg(name, number(Buckets[i]))
                        .arg(cumulative);
        }
        text += QStringLiteral("xapi_courier_delivery_duration_seconds_bucket{integration=\"%1\",le=\"+Inf\"} %2\n"
                               "xapi_courier_delivery_duration_seconds_sum{integration=\"%1\"} %3\n"
                               "xapi_courier_delivery_duration_seconds_count{integration=\"%1\"} %2\n")
                    .arg(name)
                    .arg(histogram.count)
                    .arg(number(histogram.sum));
    }
    text += QStringLiteral("# HELP xapi_courier_integration_health 1 for the integration's current health.\n"
                           "# TYPE xapi_courier_integration_health gauge\n");
    for (const Integration& integration : integrations) {
        for (Integration::Health health : {Integration::Health::Healthy, Integration::Health::Retrying,
                                           Integration::Health::Held, Integration::Health::Disabled}) {
            text += QStringLiteral("xapi_courier_integration_health{integration=\"%1\",state=\"%2\"} %3\n")
                        .arg(names.value(integration.id), Integration::healthName(health))
                        .arg(integration.health() == health ? 1 : 0);
        }
    }
    text += QStringLiteral("# HELP xapi_courier_alerts_total Alert e-mails raised, by their state now.\n"
                           "# TYPE xapi_courier_alerts_total counter\n");
    QSqlQuery alerts(m_store.database());
    if (alerts.exec(QStringLiteral("SELECT integration_name, state, COUNT(*) FROM alerts GROUP BY integration_name, "
                                   "state ORDER BY 1, 2"))) {
        while (alerts.next())
            text += QStringLiteral("xapi_courier_alerts_total{integration=\"%1\",state=\"%2\"} %3\n")
                        .arg(label(alerts.value(0).toString()), label(alerts.value(1).toString()))
                        .arg(alerts.value(2).toLongLong());
    } else {
        qCWarning(lcDelivery) << "Metrics: cannot count alerts:" << alerts.lastError().text();
    }
    text += ProcessMetrics::exposition();
    return text.toUtf8();
}
