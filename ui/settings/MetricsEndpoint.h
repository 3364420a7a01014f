#pragma once

#include <QHostAddress>
#include <QObject>
#include <QString>
#include <QUrl>

class CourierRuntime;

// The desktop app's GET /metrics for Prometheus (what `worker --metrics` serves): off unless turned on, then served
// by the window's CourierRuntime on ADDRESS:PORT, 127.0.0.1:9464 by default. A setting of this machine, kept in
// QSettings (metrics/enabled, metrics/address), and applied to the running runtime without a restart.
class MetricsEndpoint final : public QObject
{
    Q_OBJECT

public:
    struct Setting
    {
        bool enabled = false;
        QString address = defaultAddress();
        bool operator==(const Setting&) const = default;
    };

    explicit MetricsEndpoint(CourierRuntime& runtime, QObject* parent = nullptr);

    static QString defaultAddress() { return QStringLiteral("127.0.0.1:9464"); }
    // The saved setting (the default when none is saved).
    static Setting saved();
    // Empty when text is ADDRESS:PORT or PORT with a port from 1 to 65535; otherwise a sentence saying what to give.
    static QString checkAddress(const QString& text);

    // At start: serves as saved. When the port cannot be bound, error() says why (the setting stays as saved).
    void applySaved();
    // Serves (or stops) as setting says and then saves it. When the address cannot be bound: false with *error, what
    // was served before is served still, and nothing is saved.
    bool apply(const Setting& setting, QString* error);

    Setting setting() const { return m_setting; }
    // http://ADDRESS:PORT/metrics while served; empty otherwise.
    QUrl url() const;
    // Why the setting asks for metrics that are not served (the port was taken at start); empty otherwise.
    QString error() const { return m_error; }

Q_SIGNALS:
    // Served, stopped, moved, or failed to start.
    void changed();

private:
    bool serve(const QHostAddress& address, quint16 port, QString* error);

    CourierRuntime& m_runtime;
    Setting m_setting;
    QString m_error;
    QHostAddress m_address; // served on, while served
};
