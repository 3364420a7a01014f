#include "sandbox/SandboxPanel.h"

#include "sandbox/Sandbox.h"
#include "sandbox/SandboxController.h"

#include <QComboBox>
#include <QJsonDocument>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

SandboxPanel::SandboxPanel(SandboxController& controller, QWidget* parent)
    : QWidget(parent)
    , m_controller(controller)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(new QLabel(tr("<b>Sandbox LRS</b>")));
    m_toggle = new QPushButton;
    m_toggle->setObjectName(QStringLiteral("sandboxToggle"));
    m_toggle->setCheckable(true);
    m_toggle->setToolTip(tr("A local LRS on 127.0.0.1 to send to: it behaves as xAPI asks, or fails as the preset "
                            "says, and lists what arrived. It gets an integration of its own."));
    layout->addWidget(m_toggle);
    m_presets = new QComboBox;
    m_presets->setObjectName(QStringLiteral("sandboxPreset"));
    for (SandboxController::Preset preset :
         {SandboxController::Preset::Behaves, SandboxController::Preset::Outage,
          SandboxController::Preset::RejectsEverything, SandboxController::Preset::Slow})
        m_presets->addItem(SandboxController::presetLabel(preset), int(preset));
    m_presets->setToolTip(tr("What the sandbox does with the next requests: answer as a conformant LRS; 503 for two "
                             "minutes (retrying, then the backlog flushes); 400 to everything (held); every answer "
                             "two seconds late"));
    layout->addWidget(m_presets);
    m_state = new QLabel;
    m_state->setWordWrap(true);
    m_state->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_state);
    layout->addWidget(new QLabel(tr("Received")));
    m_received = new QListWidget;
    m_received->setObjectName(QStringLiteral("sandboxReceived"));
    layout->addWidget(m_received, 2);
    layout->addWidget(new QLabel(tr("Answered")));
    m_requests = new QListWidget;
    m_requests->setObjectName(QStringLiteral("sandboxRequests"));
    layout->addWidget(m_requests, 1);
    m_countdown = new QTimer(this);
    m_countdown->setInterval(1000);
    connect(m_countdown, &QTimer::timeout, this, &SandboxPanel::refresh);

    connect(m_toggle, &QPushButton::clicked, this, &SandboxPanel::toggle);
    connect(m_presets, &QComboBox::activated, this, [this] {
        m_controller.setPreset(SandboxController::Preset(m_presets->currentData().toInt()));
    });
    connect(&m_controller, &SandboxController::runningChanged, this, &SandboxPanel::refresh);
    connect(&m_controller, &SandboxController::presetChanged, this, &SandboxPanel::refresh);
    connect(&m_controller, &SandboxController::activity, this, &SandboxPanel::refresh);
    refresh();
}

void SandboxPanel::toggle()
{
    if (m_controller.isRunning()) {
        m_controller.stop();
        Q_EMIT integrationReady(0);
        return;
    }
    m_toggle->setEnabled(false);
    m_controller.start([this](qint64 integrationId, const QString& error) {
        m_toggle->setEnabled(true);
        refresh();
        if (integrationId == 0) {
            m_state->setText(tr("Could not start: %1").arg(error.toHtmlEscaped()));
            return;
        }
        Q_EMIT integrationReady(integrationId);
    });
}

void SandboxPanel::refresh()
{
    const bool running = m_controller.isRunning();
    m_toggle->setChecked(running);
    m_toggle->setText(running ? tr("Stop the Sandbox") : tr("Start the Sandbox"));
    m_presets->setCurrentIndex(m_presets->findData(int(m_controller.preset())));
    m_received->clear();
    m_requests->clear();
    m_received->setEnabled(running);
    m_requests->setEnabled(running);
    if (!running) {
        m_countdown->stop();
        m_state->setText(tr("Off. Start it to try Courier without an LRS of your own."));
        return;
    }
    Sandbox& sandbox = *m_controller.sandbox();
    QString state = tr("On at %1").arg(sandbox.statementsUrl().toString());
    if (const int left = m_controller.outageSecondsLeft(); left > 0) {
        state += tr(" — outage, %1 s left").arg(left);
        m_countdown->start();
    } else {
        m_countdown->stop();
    }
    m_state->setText(state.toHtmlEscaped());
    SandboxStatements::Query query;
    query.withVoided = true;
    query.limit = 200;
    QString error;
    for (const SandboxStatements::Stored& row : sandbox.statements().list(query, &error)) {
        const QString verb = row.statement.value(QStringLiteral("verb"))
                                 .toObject()
                                 .value(QStringLiteral("id"))
                                 .toString()
                                 .section(QLatin1Char('/'), -1);
        auto* item = new QListWidgetItem(QStringLiteral("%1  %2  %3%4")
                                             .arg(row.stored.toLocalTime().toString(QStringLiteral("HH:mm:ss")), verb,
                                                  row.id.left(8), row.voided ? tr("  (voided)") : QString()));
        item->setToolTip(QString::fromUtf8(QJsonDocument(row.statement).toJson(QJsonDocument::Indented)));
        m_received->addItem(item);
    }
    const QList<Sandbox::Request>& requests = sandbox.requests();
    for (qsizetype i = requests.size() - 1; i >= 0 && i >= requests.size() - 200; --i) {
        const Sandbox::Request& request = requests.at(i);
        auto* item = new QListWidgetItem(
            QStringLiteral("%1  %2 %3 → %4")
                .arg(request.at.toLocalTime().toString(QStringLiteral("HH:mm:ss")), QString::fromLatin1(request.method),
                     request.target.section(QLatin1Char('?'), 0, 0),
                     request.status ? QString::number(request.status) : tr("dropped")));
        item->setToolTip(request.outcome);
        m_requests->addItem(item);
    }
}
