#include "console/TestConsolePage.h"

#include "console/JsonHighlighter.h"
#include "delivery/DeliveryTransport.h"
#include "integrations/IntegrationService.h"
#include "receiver/ReceiverCheckDialog.h"
#include "sandbox/SandboxPanel.h"
#include "statements/ProviderProfile.h"
#include "statements/StatementValidator.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QShortcut>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QUuid>
#include <QVBoxLayout>

namespace {

QFont monospace()
{
    QFont font(QStringLiteral("monospace"));
    font.setStyleHint(QFont::Monospace);
    return font;
}

QLineEdit* line(const QString& text, const QString& placeholder = QString())
{
    auto* edit = new QLineEdit(text);
    edit->setPlaceholderText(placeholder);
    return edit;
}

QString pretty(const QString& body)
{
    const QJsonDocument json = QJsonDocument::fromJson(body.toUtf8());
    return json.isNull() ? body : QString::fromUtf8(json.toJson(QJsonDocument::Indented));
}

} // namespace

TestConsolePage::TestConsolePage(Store& store, IntegrationService& integrations, DeliveryTransport& transport,
                                 QWidget* parent)
    : QWidget(parent)
    , m_store(store)
    , m_integrations(integrations)
    , m_transport(transport)
    , m_statementId(QUuid::createUuid().toString(QUuid::WithoutBraces))
{
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* splitter = new QSplitter;
    layout->addWidget(splitter);

    // History
    auto* historyBox = new QWidget;
    auto* historyLayout = new QVBoxLayout(historyBox);
    historyLayout->addWidget(new QLabel(tr("<b>History</b>")));
    m_history = new QListWidget;
    m_history->setObjectName(QStringLiteral("history"));
    historyBox->setMinimumWidth(190);
    historyLayout->addWidget(m_history);
    m_historyLayout = historyLayout;
    connect(m_history, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row >= 0 && row < m_sends.size()) {
            setStatementText(m_sends.at(row).statement);
            showSend(m_sends.at(row));
        }
    });
    splitter->addWidget(historyBox);

    // The statement
    auto* middle = new QWidget;
    auto* middleLayout = new QVBoxLayout(middle);
    auto* top = new QHBoxLayout;
    m_integration = new QComboBox;
    m_integration->setObjectName(QStringLiteral("integration"));
    m_integration->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_integration->setMinimumContentsLength(14);
    m_send = new QPushButton(tr("&Send"));
    m_send->setDefault(true);
    m_send->setToolTip(tr("Send this statement now (Ctrl+Return)"));
    m_again = new QPushButton(tr("Send the Same Id Again"));
    m_again->setToolTip(tr("Send the last statement again, unchanged: a receiver should answer 2xx or 409"));
    m_again->setEnabled(false);
    auto* regenerate = new QPushButton(tr("Regenerate Id"));
    top->addWidget(new QLabel(tr("Integration")));
    top->addWidget(m_integration, 1);
    top->addWidget(m_send);
    m_topLayout = top;
    middleLayout->addLayout(top);
    m_editorTabs = new QTabWidget;
    // The id buttons sit beside the Form/JSON tabs, so the statement and the response both get room on a laptop.
    auto* idButtons = new QWidget;
    auto* idLayout = new QHBoxLayout(idButtons);
    idLayout->setContentsMargins(0, 0, 0, 2);
    idLayout->addWidget(regenerate);
    idLayout->addWidget(m_again);
    m_editorTabs->setCornerWidget(idButtons, Qt::TopRightCorner);
    m_editorTabs->addTab(buildForm(), tr("Form"));
    m_json = new QPlainTextEdit;
    m_json->setObjectName(QStringLiteral("json"));
    m_json->setFont(monospace());
    m_json->setLineWrapMode(QPlainTextEdit::NoWrap);
    new JsonHighlighter(m_json->document());
    m_editorTabs->addTab(m_json, tr("JSON"));
    middleLayout->addWidget(m_editorTabs, 3);
    m_findings = new QListWidget;
    m_findings->setObjectName(QStringLiteral("findings"));
    m_findings->setMaximumHeight(140);
    middleLayout->addWidget(m_findings, 1);
    splitter->addWidget(middle);

    splitter->addWidget(buildResponse());
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 3);
    splitter->setStretchFactor(2, 3);
    splitter->setSizes({170, 500, 420});

    connect(m_send, &QPushButton::clicked, this, &TestConsolePage::send);
    connect(m_again, &QPushButton::clicked, this, &TestConsolePage::sendSameIdAgain);
    connect(regenerate, &QPushButton::clicked, this, &TestConsolePage::regenerateId);
    connect(m_json, &QPlainTextEdit::textChanged, this, &TestConsolePage::jsonChanged);
    connect(m_findings, &QListWidget::itemActivated, this, &TestConsolePage::goToFinding);
    connect(m_findings, &QListWidget::itemClicked, this, &TestConsolePage::goToFinding);
    auto* shortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), this);
    connect(shortcut, &QShortcut::activated, this, &TestConsolePage::send);
    connect(&m_integrations, &IntegrationService::integrationsChanged, this, &TestConsolePage::reloadIntegrations);

    reloadIntegrations();
    reloadHistory();
    formChanged();
}

QWidget* TestConsolePage::buildForm()
{
    auto* form = new QWidget;
    auto* layout = new QFormLayout(form);
    m_verb = new QComboBox;
    m_verb->addItem(tr("completed"), int(TemplateValues::Verb::Completed));
    m_verb->addItem(tr("progressed"), int(TemplateValues::Verb::Progressed));
    m_kind = new QComboBox;
    m_kind->addItem(tr("course"), int(TemplateValues::ObjectKind::Course));
    m_kind->addItem(tr("lesson"), int(TemplateValues::ObjectKind::Lesson));
    m_namespace = new QComboBox;
    m_namespace->addItem(tr("ADL (http://adlnet.gov/expapi/verbs/…)"), int(TemplateValues::Namespace::Adl));
    m_namespace->addItem(tr("Vendor"), int(TemplateValues::Namespace::Vendor));
    m_vendorBase =
        line(QStringLiteral("http://example.com/xapi"), tr("vendor namespace, e.g. http://example.com/xapi"));
    m_actorBy = new QComboBox;
    m_actorBy->addItem(tr("e-mail (mbox)"), int(TemplateValues::ActorBy::Mbox));
    m_actorBy->addItem(tr("account (homePage + name)"), int(TemplateValues::ActorBy::Account));
    m_actorName = line(QStringLiteral("Test Learner"));
    m_actorEmail = line(QStringLiteral("learner@example.com"));
    m_homePage = line(QStringLiteral("https://sso.example.com"));
    m_accountName = line(QStringLiteral("learner-0001"));
    m_objectId = line(QStringLiteral("http://example.com/activities/course-1"));
    m_objectId->setObjectName(QStringLiteral("objectId"));
    m_objectName = line(QStringLiteral("Test course"));
    m_completion = new QCheckBox(tr("completed"));
    m_completion->setChecked(true);
    m_duration = new QDoubleSpinBox;
    m_duration->setRange(0, 1e7);
    m_duration->setSuffix(tr(" s"));
    m_duration->setValue(1728);
    m_raw = new QDoubleSpinBox;
    m_raw->setRange(-1e6, 1e6);
    m_raw->setValue(14);
    m_max = new QDoubleSpinBox;
    m_max->setRange(-1e6, 1e6);
    m_max->setValue(14);
    m_platform = line(QStringLiteral("xAPI Courier"));
    layout->addRow(tr("Verb"), m_verb);
    layout->addRow(tr("Namespace"), m_namespace);
    layout->addRow(tr("Vendor base"), m_vendorBase);
    layout->addRow(tr("Object"), m_kind);
    layout->addRow(tr("Object id"), m_objectId);
    layout->addRow(tr("Object name"), m_objectName);
    layout->addRow(tr("Actor by"), m_actorBy);
    layout->addRow(tr("Actor name"), m_actorName);
    layout->addRow(tr("E-mail"), m_actorEmail);
    layout->addRow(tr("Home page"), m_homePage);
    layout->addRow(tr("Account name"), m_accountName);
    layout->addRow(tr("Result"), m_completion);
    layout->addRow(tr("Duration"), m_duration);
    layout->addRow(tr("Score (raw)"), m_raw);
    layout->addRow(tr("Score (max, min 0)"), m_max);
    layout->addRow(tr("Platform"), m_platform);
    for (QComboBox* combo : {m_verb, m_kind, m_namespace, m_actorBy}) {
        combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon); // narrow windows elide
        combo->setMinimumContentsLength(12);
        connect(combo, &QComboBox::currentIndexChanged, this, &TestConsolePage::formChanged);
    }
    for (QLineEdit* edit :
         {m_vendorBase, m_actorName, m_actorEmail, m_homePage, m_accountName, m_objectId, m_objectName, m_platform})
        connect(edit, &QLineEdit::textEdited, this, &TestConsolePage::formChanged);
    connect(m_completion, &QCheckBox::toggled, this, &TestConsolePage::formChanged);
    for (QDoubleSpinBox* spin : {m_duration, m_raw, m_max})
        connect(spin, &QDoubleSpinBox::valueChanged, this, &TestConsolePage::formChanged);
    auto* scroll = new QScrollArea;
    scroll->setWidget(form);
    scroll->setWidgetResizable(true);
    return scroll;
}

QWidget* TestConsolePage::buildResponse()
{
    auto* box = new QWidget;
    box->setObjectName(QStringLiteral("response"));
    box->setMinimumWidth(280);
    auto* layout = new QVBoxLayout(box);
    auto* top = new QHBoxLayout;
    m_status = new QLabel(tr("Not sent yet"));
    m_status->setObjectName(QStringLiteral("status"));
    m_status->setMargin(4);
    m_timing = new QLabel;
    m_timing->setForegroundRole(QPalette::PlaceholderText);
    top->addWidget(m_status);
    top->addWidget(m_timing, 1);
    layout->addLayout(top);
    m_progress = new QProgressBar;
    m_progress->setRange(0, 0);
    m_progress->setMaximumHeight(6);
    m_progress->setTextVisible(false);
    m_progress->hide();
    layout->addWidget(m_progress);
    auto* tabs = new QTabWidget;
    m_body = new QPlainTextEdit;
    m_body->setReadOnly(true);
    m_body->setFont(monospace());
    new JsonHighlighter(m_body->document());
    m_headers = new QTableWidget(0, 2);
    m_headers->setHorizontalHeaderLabels({tr("Header"), tr("Value")});
    m_headers->horizontalHeader()->setStretchLastSection(true);
    m_headers->verticalHeader()->hide();
    m_headers->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_request = new QPlainTextEdit;
    m_request->setReadOnly(true);
    m_request->setFont(monospace());
    tabs->addTab(m_body, tr("Body"));
    tabs->addTab(m_headers, tr("Headers"));
    tabs->addTab(m_request, tr("Request"));
    layout->addWidget(tabs, 1);
    return box;
}

void TestConsolePage::reloadIntegrations()
{
    const qint64 current = m_integration->currentData().toLongLong();
    m_integration->clear();
    QString error;
    for (const Integration& integration : m_integrations.list(&error))
        m_integration->addItem(integration.name, integration.id);
    m_integration->setCurrentIndex(std::max(0, m_integration->findData(current)));
    m_send->setEnabled(m_integration->count() > 0);
    m_send->setToolTip(m_integration->count() > 0 ? tr("Send this statement now (Ctrl+Return)")
                                                  : tr("Add an integration first (Integrations page)"));
}

TemplateValues TestConsolePage::formValues() const
{
    TemplateValues values;
    values.verb = TemplateValues::Verb(m_verb->currentData().toInt());
    values.objectKind = TemplateValues::ObjectKind(m_kind->currentData().toInt());
    values.verbNamespace = TemplateValues::Namespace(m_namespace->currentData().toInt());
    values.vendorBase = m_vendorBase->text();
    values.actorBy = TemplateValues::ActorBy(m_actorBy->currentData().toInt());
    values.actorName = m_actorName->text();
    values.actorEmail = m_actorEmail->text();
    values.accountHomePage = m_homePage->text();
    values.accountName = m_accountName->text();
    values.objectId = m_objectId->text();
    values.objectName = m_objectName->text();
    values.completion = m_completion->isChecked();
    values.durationSeconds = m_duration->value();
    values.scoreRaw = m_raw->value();
    values.scoreMin = 0.0;
    values.scoreMax = m_max->value();
    values.platform = m_platform->text();
    values.language = QStringLiteral("en-US");
    values.id = m_statementId;
    values.timestamp = m_timestamp;
    return values;
}

void TestConsolePage::formChanged()
{
    if (m_updating)
        return;
    m_vendorBase->setEnabled(m_namespace->currentData().toInt() == int(TemplateValues::Namespace::Vendor));
    const bool mbox = m_actorBy->currentData().toInt() == int(TemplateValues::ActorBy::Mbox);
    m_actorEmail->setEnabled(mbox);
    m_homePage->setEnabled(!mbox);
    m_accountName->setEnabled(!mbox);
    if (!m_timestamp.isValid())
        m_timestamp = QDateTime::currentDateTimeUtc();
    m_updating = true;
    m_json->setPlainText(QString::fromUtf8(QJsonDocument(StatementTemplates::build(formValues())).toJson()));
    m_updating = false;
    jsonChanged();
}

void TestConsolePage::jsonChanged()
{
    const StatementBatch batch = StatementValidator::validateInput(m_json->toPlainText().toUtf8());
    m_findings->clear();
    if (!batch.parseError.isEmpty()) {
        m_findings->addItem(tr("✖ %1").arg(batch.parseError));
    } else if (batch.findings.isEmpty()) {
        auto* item = new QListWidgetItem(tr("✔ Valid xAPI 1.0.3 statement"), m_findings);
        item->setForeground(QColor(0x2e, 0xa0, 0x43));
    }
    for (const Finding& finding : batch.findings) {
        auto* item = new QListWidgetItem(QStringLiteral("✖ ") + finding.toText(), m_findings);
        item->setData(Qt::UserRole, finding.path);
        item->setForeground(QColor(0xc6, 0x28, 0x28));
    }
    if (m_updating || batch.statements.size() != 1)
        return;
    // Keep the form in step with what was typed, where the form can say it.
    const QJsonObject statement = batch.object(0);
    m_updating = true;
    m_statementId = statement.value(QStringLiteral("id")).toString();
    const QString verb = statement[QStringLiteral("verb")][QStringLiteral("id")].toString();
    m_verb->setCurrentIndex(verb.endsWith(QLatin1String("/progressed")) ? 1 : 0);
    m_namespace->setCurrentIndex(verb.startsWith(QLatin1String("http://adlnet.gov/")) ? 0 : 1);
    const QJsonObject actor = statement.value(QStringLiteral("actor")).toObject();
    m_actorName->setText(actor.value(QStringLiteral("name")).toString());
    if (actor.contains(QStringLiteral("mbox"))) {
        m_actorBy->setCurrentIndex(0);
        m_actorEmail->setText(actor.value(QStringLiteral("mbox")).toString().remove(QStringLiteral("mailto:")));
    } else if (actor.contains(QStringLiteral("account"))) {
        m_actorBy->setCurrentIndex(1);
        m_homePage->setText(actor[QStringLiteral("account")][QStringLiteral("homePage")].toString());
        m_accountName->setText(actor[QStringLiteral("account")][QStringLiteral("name")].toString());
    }
    m_objectId->setText(statement[QStringLiteral("object")][QStringLiteral("id")].toString());
    const QJsonObject names =
        statement[QStringLiteral("object")][QStringLiteral("definition")][QStringLiteral("name")].toObject();
    if (!names.isEmpty())
        m_objectName->setText(names.begin().value().toString());
    const QJsonObject score = statement[QStringLiteral("result")][QStringLiteral("score")].toObject();
    if (score.contains(QStringLiteral("raw")))
        m_raw->setValue(score.value(QStringLiteral("raw")).toDouble());
    if (score.contains(QStringLiteral("max")))
        m_max->setValue(score.value(QStringLiteral("max")).toDouble());
    m_updating = false;
}

void TestConsolePage::goToFinding()
{
    QListWidgetItem* item = m_findings->currentItem();
    if (!item)
        return;
    // Walk the path's keys through the text: each one is searched after the previous.
    const QString text = m_json->toPlainText();
    qsizetype position = 0;
    static const QRegularExpression keys(QStringLiteral(R"(([^.\[\]]+)|\[(\d+)\])"));
    for (auto it = keys.globalMatch(item->data(Qt::UserRole).toString()); it.hasNext();) {
        const auto match = it.next();
        if (match.captured(1).isEmpty())
            continue;
        const qsizetype found = text.indexOf(QLatin1Char('"') + match.captured(1) + QLatin1Char('"'), position);
        if (found >= 0)
            position = found;
    }
    m_editorTabs->setCurrentWidget(m_json);
    QTextCursor cursor = m_json->textCursor();
    cursor.setPosition(int(position));
    m_json->setTextCursor(cursor);
    m_json->setFocus();
}

void TestConsolePage::regenerateId()
{
    m_statementId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    m_timestamp = QDateTime::currentDateTimeUtc();
    formChanged();
}

QString TestConsolePage::statementText() const
{
    return m_json->toPlainText();
}

void TestConsolePage::setStatementText(const QString& json)
{
    m_json->setPlainText(pretty(json));
}

void TestConsolePage::send()
{
    const QJsonDocument document = QJsonDocument::fromJson(m_json->toPlainText().toUtf8());
    if (document.isNull()) {
        m_status->setText(tr("The JSON does not parse; see the findings."));
        return;
    }
    fire(document.toJson(QJsonDocument::Compact));
}

void TestConsolePage::sendSameIdAgain()
{
    if (!m_lastSent.isEmpty())
        fire(m_lastSent);
}

void TestConsolePage::fire(const QByteArray& body)
{
    QString error;
    const auto integration = m_integrations.repository().byId(m_integration->currentData().toLongLong(), &error);
    if (!integration) {
        m_status->setText(tr("Choose an integration to send to."));
        return;
    }
    m_lastSent = body;
    m_send->setEnabled(false);
    m_again->setEnabled(false);
    m_progress->show();
    m_status->setText(tr("Sending to %1…").arg(integration->name));
    m_status->setStyleSheet(QString());
    QPointer<TestConsolePage> self(this);
    const Integration target = *integration;
    m_transport.deliver(target, body, this, [self, target, body](const TransportResult& result) {
        if (!self)
            return;
        self->m_progress->hide();
        self->m_send->setEnabled(true);
        self->m_again->setEnabled(true);
        TestSend send = TestSendLog::fromResult(target.id, target.name, QString::fromUtf8(body), result);
        QString failure;
        TestSendLog(self->m_store).record(send, &failure);
        self->showSend(send);
        self->reloadHistory();
        Q_EMIT self->sent(send);
    });
}

void TestConsolePage::showSend(const TestSend& send)
{
    QString color = QStringLiteral("#8a8a8a");
    QString text = tr("No answer");
    if (send.status) {
        const int status = *send.status;
        color = status >= 200 && status < 300 ? QStringLiteral("#2ea043")
                : status == 409               ? QStringLiteral("#3465a4")
                : status >= 500               ? QStringLiteral("#d98c00")
                                              : QStringLiteral("#c62828");
        text = status == 409 ? tr("409 Duplicate") : QString::number(status);
    }
    m_status->setText(text);
    m_status->setStyleSheet(
        QStringLiteral("QLabel { background: %1; color: white; border-radius: 4px; padding: 3px 8px; "
                       "font-weight: bold; }")
            .arg(color));
    m_timing->setText(tr("%1 · %2 bytes · %3")
                          .arg(AttemptRecord::durationText(send.durationMs))
                          .arg(send.responseBody.toUtf8().size())
                          .arg(send.integrationName));
    m_body->setPlainText(send.error.isEmpty() || send.status ? pretty(send.responseBody) : send.error);
    m_headers->setRowCount(0);
    for (const QString& header : send.responseHeaders.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        const int row = m_headers->rowCount();
        m_headers->insertRow(row);
        m_headers->setItem(row, 0, new QTableWidgetItem(header.section(QLatin1Char(':'), 0, 0)));
        m_headers->setItem(row, 1, new QTableWidgetItem(header.section(QLatin1Char(':'), 1).trimmed()));
    }
    m_request->setPlainText(send.request + QStringLiteral("\n\n") + pretty(send.statement));
}

void TestConsolePage::reloadHistory()
{
    QString error;
    m_sends = TestSendLog(m_store).recent(200, &error);
    QSignalBlocker blocker(m_history);
    m_history->clear();
    for (const TestSend& send : std::as_const(m_sends)) {
        m_history->addItem(QStringLiteral("%1  %2  %3")
                               .arg(send.sentAt.toLocalTime().toString(QStringLiteral("HH:mm:ss")),
                                    send.status ? QString::number(*send.status) : QStringLiteral("—"),
                                    send.integrationName));
    }
}

void TestConsolePage::setReceiverTools(SandboxController* sandbox, TokenClient* tokens)
{
    m_tokens = tokens;
    if (tokens) {
        auto* check = new QPushButton(tr("Check Receiver…"));
        check->setObjectName(QStringLiteral("checkReceiver"));
        check->setToolTip(tr("Check how the chosen integration's receiver treats resends, conflicts and bad requests"));
        connect(check, &QPushButton::clicked, this, &TestConsolePage::checkReceiver);
        const auto enable = [this, check] { check->setEnabled(m_integration->count() > 0); };
        connect(m_integration, &QComboBox::currentIndexChanged, check, enable);
        enable();
        m_topLayout->addWidget(check);
    }
    if (sandbox && !m_sandboxPanel) {
        m_sandboxPanel = new SandboxPanel(*sandbox);
        m_historyLayout->addWidget(m_sandboxPanel, 1);
        connect(m_sandboxPanel, &SandboxPanel::integrationReady, this, [this](qint64 integrationId) {
            reloadIntegrations();
            if (integrationId > 0)
                m_integration->setCurrentIndex(std::max(0, m_integration->findData(integrationId)));
        });
    }
}

void TestConsolePage::checkReceiver()
{
    const qint64 id = m_integration->currentData().toLongLong();
    QString error;
    const auto integration = m_integrations.repository().byId(id, &error);
    if (!integration || !m_tokens)
        return;
    auto* dialog = new ReceiverCheckDialog(*integration, *m_tokens, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}
