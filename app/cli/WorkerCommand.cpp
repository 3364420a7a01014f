#include "cli/WorkerCommand.h"

#include "cli/ArgumentCheck.h"
#include "cli/SignalWatcher.h"
#include "common/Clock.h"
#include "completions/CompletionReceiver.h"
#include "delivery/DeliveryEngine.h"
#include "delivery/LaneLeases.h"
#include "metrics/MetricsServer.h"
#include "runtime/CourierRuntime.h"
#include "store/Store.h"

#include <QCommandLineParser>
#include <QTimer>

WorkerCommand::WorkerCommand(Cli& cli, QObject* parent)
    : QObject(parent)
    , m_cli(cli)
    , m_output(cli.output())
{}

void WorkerCommand::run(const QStringList& arguments, Cli::Finished finished)
{
    m_finished = std::move(finished);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "The headless delivery worker: sends what is queued by the error policy until stopped "
        "(SIGTERM or Ctrl+C stop it cleanly). Several workers (and desktop apps) may work one store: each "
        "integration is delivered by one of them at a time, and the lanes of one that dies are taken "
        "over by the others when its lease runs out."));
    parser.addOption(Cli::databaseOption());
    parser.addHelpOption();
    parser.addOption(ArgumentCheck::verboseOption());
    parser.addOption({QStringLiteral("receiver"),
                      QStringLiteral("Also receive H5P completion messages on this port (127.0.0.1 unless --listen)."),
                      QStringLiteral("PORT")});
    parser.addOption({QStringLiteral("listen"), QStringLiteral("The address the receiver listens on."),
                      QStringLiteral("ADDRESS"), QStringLiteral("127.0.0.1")});
    parser.addOption({QStringLiteral("trusted-user-header"),
                      QStringLiteral("Take the user of GET /session from this header, set by a trusted proxy, instead "
                                     "of ?user=."),
                      QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("lease-seconds"),
                      QStringLiteral("How long an integration's lane stays this worker's without renewal: how long "
                                     "the others wait before taking over when it dies (default %1).")
                          .arg(LaneLeases::DefaultSeconds),
                      QStringLiteral("SECONDS")});
    parser.addOption({QStringLiteral("metrics"),
                      QStringLiteral("Serve GET /metrics for Prometheus on this address and port (PORT alone: "
                                     "127.0.0.1)."),
                      QStringLiteral("ADDRESS:PORT")});
    parser.addOption({QStringLiteral("until-idle"),
                      QStringLiteral("Exit when nothing is left to send, or everything left is waiting (for a probe, "
                                     "a hold, or a disabled integration).")});
    if (const std::optional<int> stop =
            ArgumentCheck::parse(m_output, parser, QStringLiteral("xapi-courier worker"), arguments, 0))
        return m_finished(*stop);
    int leaseSeconds = LaneLeases::DefaultSeconds;
    if (parser.isSet(QStringLiteral("lease-seconds"))) {
        bool ok = false;
        leaseSeconds = parser.value(QStringLiteral("lease-seconds")).toInt(&ok);
        if (!ok || leaseSeconds < 3 || leaseSeconds > 3600) {
            m_output.error(QStringLiteral("--lease-seconds: give a whole number of seconds from 3 to 3600."));
            return m_finished(ExitCode::Usage);
        }
    }
    QHostAddress metricsAddress;
    quint16 metricsPort = 0;
    if (QString error;
        parser.isSet(QStringLiteral("metrics")) &&
        !MetricsServer::parseAddress(parser.value(QStringLiteral("metrics")), &metricsAddress, &metricsPort, &error)) {
        m_output.error(QStringLiteral("--metrics: ") + error);
        return m_finished(ExitCode::Usage);
    }
    if (!m_cli.openStore(parser.value(QStringLiteral("db"))))
        return m_finished(ExitCode::Refused);

    auto* signals_ = new SignalWatcher(this);
    connect(signals_, &SignalWatcher::terminationRequested, this,
            [this](int signalNumber) { stop(QStringLiteral("signal %1").arg(signalNumber), false); });

    m_runtime = new CourierRuntime(m_cli.store(), m_cli.secrets(), Clock::system(),
                                   LaneLeases::describeThisProcess(QStringLiteral("worker")), this);
    DeliveryEngine& engine = m_runtime->engine();
    engine.setLeaseSeconds(leaseSeconds);
    connect(m_runtime, &CourierRuntime::stopped, this, [this] {
        m_output.info(QStringLiteral("Worker stopped; nothing in flight was lost."));
        if (m_finished)
            std::exchange(m_finished, nullptr)(ExitCode::Success);
    });
    connect(&engine, &DeliveryEngine::activeChanged, this, [this](bool active) {
        if (m_stopping)
            return;
        m_output.info(active ? QStringLiteral("Delivering for %1.").arg(m_cli.store().location().displayName())
                             : QStringLiteral("Other workers deliver every integration of this store; waiting to take "
                                              "over a lane."));
    });
    connect(&engine, &DeliveryEngine::healthChanged, this,
            [this](qint64, Integration::Health health, const QString& reason) {
                m_output.info(QStringLiteral("Integration health: %1 %2").arg(Integration::healthName(health), reason));
            });
    if (parser.isSet(QStringLiteral("receiver"))) {
        QString error;
        if (!m_runtime->startReceiver(QHostAddress(parser.value(QStringLiteral("listen"))),
                                      quint16(parser.value(QStringLiteral("receiver")).toUInt()),
                                      parser.value(QStringLiteral("trusted-user-header")).toLatin1(), &error)) {
            m_output.error(error);
            return m_finished(ExitCode::Refused);
        }
        m_output.info(QStringLiteral("Receiving H5P completions on %1:%2.")
                          .arg(parser.value(QStringLiteral("listen")))
                          .arg(m_runtime->receiver()->port()));
    }
    if (parser.isSet(QStringLiteral("metrics"))) {
        QString error;
        if (!m_runtime->startMetrics(metricsAddress, metricsPort, &error)) {
            m_output.error(QStringLiteral("--metrics: ") + error);
            return m_finished(ExitCode::Refused);
        }
        const QString host = metricsAddress.protocol() == QAbstractSocket::IPv6Protocol
                                 ? QLatin1Char('[') + metricsAddress.toString() + QLatin1Char(']')
                                 : metricsAddress.toString();
        m_output.info(QStringLiteral("Metrics for Prometheus at http://%1:%2/metrics.")
                          .arg(host)
                          .arg(m_runtime->metricsServer()->port()));
    }
    if (parser.isSet(QStringLiteral("until-idle"))) {
        connect(&engine, &DeliveryEngine::idle, this, [this] { stop(QStringLiteral("idle"), true); });
        // A store that cannot be written never becomes idle: after a short grace, say why and fail.
        engine.setStoreFailureGrace(5000);
        connect(&engine, &DeliveryEngine::storeFailed, this, [this](const QString& why) {
            m_output.error(why + QStringLiteral(" Nothing can be delivered while the store cannot be written."));
            if (m_finished)
                std::exchange(m_finished, nullptr)(ExitCode::Refused);
        });
    }
    m_runtime->start();
}

void WorkerCommand::stop(const QString& why, bool sendDueAlerts)
{
    if (m_stopping)
        return;
    m_stopping = true;
    m_output.info(QStringLiteral("Stopping (%1): waiting for requests and alert e-mails in flight…").arg(why));
    m_runtime->stop(sendDueAlerts);
}
