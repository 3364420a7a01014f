#include "settings/MetricsEndpoint.h"

#include "common/Logging.h"
#include "metrics/MetricsServer.h"
#include "runtime/CourierRuntime.h"

#include <QSettings>

namespace {
const QString enabledKey = QStringLiteral("metrics/enabled");
const QString addressKey = QStringLiteral("metrics/address");
} // namespace

MetricsEndpoint::MetricsEndpoint(CourierRuntime& runtime, QObject* parent)
    : QObject(parent)
    , m_runtime(runtime)
{}

MetricsEndpoint::Setting MetricsEndpoint::saved()
{
    QSettings settings;
    Setting setting;
    setting.enabled = settings.value(enabledKey, false).toBool();
    setting.address = settings.value(addressKey, defaultAddress()).toString();
    return setting;
}

QString MetricsEndpoint::checkAddress(const QString& text)
{
    QHostAddress address;
    quint16 port = 0;
    QString error;
    if (!MetricsServer::parseAddress(text, &address, &port, &error))
        return error;
    if (port == 0)
        return tr("Give a port from 1 to 65535 (port 0 would be another one at every start), e.g. 127.0.0.1:9464.");
    return {};
}

void MetricsEndpoint::applySaved()
{
    m_setting = saved();
    m_error.clear();
    if (m_setting.enabled) {
        QHostAddress address;
        quint16 port = 0;
        QString error = checkAddress(m_setting.address);
        if (error.isEmpty() && MetricsServer::parseAddress(m_setting.address, &address, &port, &error))
            serve(address, port, &error);
        if (!error.isEmpty()) {
            m_error = error;
            qCWarning(lcDelivery) << "Metrics are not served:" << error;
        }
    }
    Q_EMIT changed();
}

bool MetricsEndpoint::apply(const Setting& setting, QString* error)
{
    if (setting.enabled) {
        if (const QString wrong = checkAddress(setting.address); !wrong.isEmpty()) {
            *error = wrong;
            return false;
        }
        QHostAddress address;
        quint16 port = 0;
        MetricsServer::parseAddress(setting.address, &address, &port, error);
        const MetricsServer* served = m_runtime.metricsServer();
        if (!served || served->port() != port || m_address != address) {
            // Stopped first: the same port on another address (127.0.0.1 to 0.0.0.0) could not be bound beside it.
            const QHostAddress before = m_address;
            const quint16 beforePort = served ? served->port() : 0;
            m_runtime.stopMetrics();
            if (!serve(address, port, error)) {
                QString ignored;
                if (beforePort != 0)
                    serve(before, beforePort, &ignored);
                Q_EMIT changed();
                return false;
            }
        }
    } else {
        m_runtime.stopMetrics();
    }
    m_setting = setting;
    m_error.clear();
    QSettings settings;
    settings.setValue(enabledKey, setting.enabled);
    settings.setValue(addressKey, setting.address.trimmed());
    Q_EMIT changed();
    return true;
}

bool MetricsEndpoint::serve(const QHostAddress& address, quint16 port, QString* error)
{
    if (!m_runtime.startMetrics(address, port, error))
        return false;
    m_address = address;
    return true;
}

QUrl MetricsEndpoint::url() const
{
    const MetricsServer* served = m_runtime.metricsServer();
    if (!served)
        return {};
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(m_address.toString());
    url.setPort(served->port());
    url.setPath(QStringLiteral("/metrics"));
    return url;
}
