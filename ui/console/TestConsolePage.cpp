#include "console/TestConsolePage.h"

#include "console/JsonHighlighter.h"
#include "console/StatementForm.h"
#include "delivery/DeliveryTransport.h"
#include "integrations/IntegrationService.h"
#include "receiver/ReceiverCheckDialog.h"
#include "sandbox/SandboxPanel.h"
#include "statements/ProviderProfile.h"
#include "statements/RuleTable.h"
#include "statements/StatementValidator.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
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
#include <QTextBlock>
#include <QUuid>
#include <QVBoxLayout>

namespace {

QFont monospace()
{
    QFont font(QStringLiteral("monospace"));
    font.setStyleHint(QFont::Monospace);
    return font;
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
    connect(m_history, &QListWidget::currentRowChanged, this, &TestConsolePage::openHistoryEntry);
    // A click on the entry already selected opens it again (after the statement was edited, say).
    connect(m_history, &QListWidget::itemClicked, this,
            [this](QListWidgetItem* item) { openHistoryEntry(m_history->row(item)); });
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
    m_again->setObjectName(QStringLiteral("sendAgain"));
    m_again->setToolTip(tr("Send the statement on screen again with the id it was sent with: a receiver should "
                           "answer 2xx or 409"));
    m_again->setEnabled(false);
    auto* regenerate = new QPushButton(tr("Regenerate Id"));
    // The xAPI version the statement is validated against.
    m_xapiVersion = new QComboBox;
    m_xapiVersion->setObjectName(QStringLiteral("xapiVersion"));
    m_xapiVersion->addItem(tr("xAPI 1.0.3"), int(XapiVersion::V1_0_3));
    m_xapiVersion->addItem(tr("xAPI 2.0.0"), int(XapiVersion::V2_0_0));
    m_xapiVersion->setToolTip(tr("The rules the statement is checked against"));
    connect(m_xapiVersion, &QComboBox::currentIndexChanged, this, &TestConsolePage::jsonChanged);
    // Picking an integration picks the version it speaks (and sends in its header); the choice can be changed.
    connect(m_integration, &QComboBox::currentIndexChanged, this, [this](int index) {
        const QVariant version = m_integration->itemData(index, Qt::UserRole + 1);
        if (version.isValid())
            m_xapiVersion->setCurrentIndex(std::max(0, m_xapiVersion->findData(version.toInt())));
    });
    top->addWidget(new QLabel(tr("Integration")));
    top->addWidget(m_integration, 1);
    top->addWidget(m_xapiVersion);
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
    m_json = new QPlainTextEdit;
    m_json->setObjectName(QStringLiteral("json"));
    m_json->setFont(monospace());
    m_json->setLineWrapMode(QPlainTextEdit::NoWrap);
    new JsonHighlighter(m_json->document());
    m_json->setPlainText(QString::fromUtf8(QJsonDocument(StatementForm::defaultStatement()).toJson()));
    m_form = new StatementForm(m_json);
    auto* formScroll = new QScrollArea;
    formScroll->setWidget(m_form);
    formScroll->setWidgetResizable(true);
    m_editorTabs->addTab(formScroll, tr("Form"));
    m_editorTabs->addTab(m_json, tr("JSON"));
    middleLayout->addWidget(m_editorTabs, 3);
    m_findings = new QListWidget;
    m_findings->setObjectName(QStringLiteral("findings"));
    m_findings->setMaximumHeight(140);
    m_findings->setWordWrap(true); // a long finding wraps instead of running off to the right
    m_findings->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_findings->setResizeMode(QListView::Adjust);
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
    jsonChanged();
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
    m_timing->setWordWrap(true); // a long integration name wraps instead of being cut off
    top->addWidget(m_status);
    top->addWidget(m_timing, 1);
    layout->addLayout(top);
    m_message = new QLabel;
    m_message->setObjectName(QStringLiteral("message"));
    m_message->setWordWrap(true);
    m_message->setTextFormat(Qt::PlainText); // the receiver's words are data, never markup
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->hide();
    layout->addWidget(m_message);
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
    for (const Integration& integration : m_integrations.list(&error)) {
        m_integration->addItem(integration.name, integration.id);
        m_integration->setItemData(m_integration->count() - 1, int(integration.effectiveXapiVersion()),
                                   Qt::UserRole + 1);
    }
    m_integration->setCurrentIndex(std::max(0, m_integration->findData(current)));
    m_send->setEnabled(m_integration->count() > 0);
    m_send->setToolTip(m_integration->count() > 0 ? tr("Send this statement now (Ctrl+Return)")
                                                  : tr("Add an integration first (Integrations page)"));
}

void TestConsolePage::jsonChanged()
{
    const auto version = XapiVersion(m_xapiVersion->currentData().toInt());
    const StatementBatch batch = StatementValidator::validateInput(m_json->toPlainText().toUtf8(), version);
    m_findings->clear();
    if (!batch.parseError.isEmpty()) {
        auto* item = new QListWidgetItem(tr("✖ %1").arg(batch.parseError), m_findings);
        if (batch.errorLine > 0) // a click goes to the place
            item->setData(Qt::UserRole + 1, QPoint(batch.errorColumn, batch.errorLine));
    } else if (batch.findings.isEmpty()) {
        auto* item = new QListWidgetItem(tr("✔ Valid xAPI %1 statement").arg(XapiVersions::name(version)), m_findings);
        item->setForeground(QColor(0x2e, 0xa0, 0x43));
    }
    for (const Finding& finding : batch.findings) {
        auto* item = new QListWidgetItem(QStringLiteral("✖ ") + finding.toText(), m_findings);
        item->setData(Qt::UserRole, finding.path);
        if (const Rule* rule = RuleTable::find(finding.rule))
            item->setToolTip(tr("%1\n\n%2, section %3: %4")
                                 .arg(finding.toText(), rule->citation(), QLatin1StringView(rule->section),
                                      QString::fromUtf8(rule->requirement)));
        item->setForeground(QColor(0xc6, 0x28, 0x28));
    }
    // The form shows the statement, when the JSON is one statement object.
    const bool one = batch.parseError.isEmpty() && batch.statements.size() == 1 &&
                     m_json->toPlainText().trimmed().startsWith(QLatin1Char('{'));
    if (one)
        m_form->follow(batch.object(0));
    else if (!batch.parseError.isEmpty())
        m_form->follow(std::nullopt, tr("The JSON does not parse: the form shows it again once it does. Fix it in "
                                        "the JSON tab (see the findings below)."));
    else
        m_form->follow(std::nullopt, tr("The JSON holds %n statement(s): the form edits one statement object.", "",
                                        int(batch.statements.size())));
    const QString id = one ? batch.object(0).value(QStringLiteral("id")).toString() : QString();
    m_again->setEnabled(!m_sending && !id.isEmpty() && m_sentIds.contains(id));
}

void TestConsolePage::goToFinding()
{
    QListWidgetItem* item = m_findings->currentItem();
    if (!item)
        return;
    if (const QPoint place = item->data(Qt::UserRole + 1).toPoint(); !place.isNull()) {
        // Where the text stops being JSON: its line and column.
        const QTextBlock block = m_json->document()->findBlockByNumber(place.y() - 1);
        QTextCursor cursor(block);
        cursor.movePosition(QTextCursor::Right, QTextCursor::MoveAnchor, std::min(place.x() - 1, block.length() - 1));
        m_editorTabs->setCurrentWidget(m_json);
        m_json->setTextCursor(cursor);
        m_json->setFocus();
        return;
    }
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
    // Only the id changes; where the JSON cannot take one, the findings say why.
    if (!m_form->setMember({QStringLiteral("id")}, QUuid::createUuid().toString(QUuid::WithoutBraces)))
        m_status->setText(tr("Regenerate Id needs the JSON to be one statement object; see the findings."));
}

QString TestConsolePage::statementText() const
{
    return m_json->toPlainText();
}

void TestConsolePage::setStatementText(const QString& json)
{
    replaceStatement(pretty(json));
}

void TestConsolePage::replaceStatement(const QString& text)
{
    // One edit of the document, so Ctrl+Z brings back what was there.
    QTextCursor cursor(m_json->document());
    cursor.beginEditBlock();
    cursor.select(QTextCursor::Document);
    cursor.insertText(text);
    cursor.endEditBlock();
}

QByteArray TestConsolePage::screenStatement() const
{
    const QByteArray text = m_json->toPlainText().trimmed().toUtf8();
    return QJsonDocument::fromJson(text).isNull() ? QByteArray() : text;
}

void TestConsolePage::send()
{
    const QByteArray statement = screenStatement();
    if (statement.isEmpty()) {
        m_status->setText(tr("The JSON does not parse; see the findings."));
        return;
    }
    fire(statement);
}

void TestConsolePage::sendSameIdAgain()
{
    // Exactly the statement on screen (a history entry, or the last one sent), its id unchanged.
    const QByteArray statement = screenStatement();
    if (!statement.isEmpty())
        fire(statement);
}

void TestConsolePage::fire(const QByteArray& body)
{
    QString error;
    const auto integration = m_integrations.repository().byId(m_integration->currentData().toLongLong(), &error);
    if (!integration) {
        m_status->setText(tr("Choose an integration to send to."));
        return;
    }
    m_sending = true;
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
        self->m_sending = false;
        self->m_send->setEnabled(true);
        TestSend send = TestSendLog::fromResult(target.id, target.name, QString::fromUtf8(body), result);
        QString failure;
        TestSendLog(self->m_store).record(send, &failure);
        self->showSend(send);
        self->reloadHistory();
        self->jsonChanged(); // "Send the Same Id Again" now applies to this id
        Q_EMIT self->sent(send);
    });
}

void TestConsolePage::showSend(const TestSend& send)
{
    const bool sent = send.statementSent();
    QString color = QStringLiteral("#8a8a8a");
    QString text = tr("No answer");
    if (!sent) {
        // The token endpoint said no (or the keychain had no secret): not the receiver's answer to the statement.
        color = QStringLiteral("#c62828");
        text = tr("Not sent");
    } else if (send.status) {
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
    const QString timing = tr("%1 · %2 bytes · %3")
                               .arg(AttemptRecord::durationText(send.durationMs))
                               .arg(send.responseBody.toUtf8().size())
                               .arg(send.integrationName);
    m_timing->setText(sent          ? timing
                      : send.status ? tr("Token endpoint answered %1 · %2").arg(*send.status).arg(timing)
                                    : tr("Token endpoint · %1").arg(timing));
    // What went wrong in words; for a token failure also that the statement never left.
    QString message = send.error;
    if (message.size() > 600)
        message = message.left(600) + QStringLiteral("…");
    if (!sent)
        message += QStringLiteral("\n") + tr("The statement was not sent: without an access token it cannot be. "
                                             "Check the integration's Client Id, Client Secret and Authentication "
                                             "URL. Body, Headers and Request show the token request.");
    m_message->setText(message);
    m_message->setVisible(!message.isEmpty());
    m_message->setStyleSheet(sent ? QString() : QStringLiteral("QLabel { color: #c62828; }"));
    m_body->setPlainText(send.error.isEmpty() || send.status ? pretty(send.responseBody) : send.error);
    m_headers->setRowCount(0);
    for (const QString& header : send.responseHeaders.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        const int row = m_headers->rowCount();
        m_headers->insertRow(row);
        m_headers->setItem(row, 0, new QTableWidgetItem(header.section(QLatin1Char(':'), 0, 0)));
        m_headers->setItem(row, 1, new QTableWidgetItem(header.section(QLatin1Char(':'), 1).trimmed()));
    }
    m_request->setPlainText(sent ? send.request + QStringLiteral("\n\n") + pretty(send.statement)
                                 : send.request + QStringLiteral("\n\n") +
                                       tr("(The statement was not sent: the token request above did not give an "
                                          "access token.)"));
}

void TestConsolePage::openHistoryEntry(int row)
{
    if (row < 0 || row >= m_sends.size())
        return;
    // The entry as it was: its integration, its statement (an edit that Ctrl+Z takes back), its answer.
    const TestSend& entry = m_sends.at(row);
    const int integration = m_integration->findData(entry.integrationId);
    if (integration >= 0)
        m_integration->setCurrentIndex(integration);
    // As it was sent, when it was sent formatted (members in the order they were typed); else indented.
    const QString statement = entry.statement.contains(QLatin1Char('\n')) ? entry.statement : pretty(entry.statement);
    if (m_json->toPlainText() != statement)
        replaceStatement(statement);
    showSend(entry);
}

void TestConsolePage::reloadHistory()
{
    QString error;
    m_sends = TestSendLog(m_store).recent(200, &error);
    QSignalBlocker blocker(m_history);
    m_history->clear();
    m_sentIds.clear();
    for (const TestSend& send : std::as_const(m_sends)) {
        const bool sent = send.statementSent();
        if (sent) // an id never sent is not sent "again"
            m_sentIds.insert(
                QJsonDocument::fromJson(send.statement.toUtf8()).object().value(QStringLiteral("id")).toString());
        m_history->addItem(QStringLiteral("%1  %2  %3")
                               .arg(send.sentAt.toLocalTime().toString(QStringLiteral("HH:mm:ss")),
                                    !sent         ? tr("not sent")
                                    : send.status ? QString::number(*send.status)
                                                  : QStringLiteral("—"),
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
