#include "console/StatementForm.h"

#include "statements/JsonTextPatch.h"
#include "statements/StatementTemplates.h"

#include <QComboBox>
#include <QDoubleValidator>
#include <QFormLayout>
#include <QGridLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QUuid>
#include <QVBoxLayout>

namespace {

const QString adlVerbs = QStringLiteral("http://adlnet.gov/expapi/verbs/");
const QString adlActivities = QStringLiteral("http://adlnet.gov/expapi/activities/");
constexpr int OtherRole = Qt::UserRole + 1; // an item that shows a value the form has no choice for

QStringList path(const char* dotted)
{
    return QString::fromLatin1(dotted).split(QLatin1Char('.'));
}

QJsonValue at(const QJsonObject& object, const QStringList& keys)
{
    QJsonValue value = object;
    for (const QString& key : keys)
        value = value.toObject().value(key);
    return value;
}

QString lastSegment(const QString& iri)
{
    return iri.mid(iri.lastIndexOf(QLatin1Char('/')) + 1);
}

// A JSON scalar as it is written in the text (a number as "14", a string in quotes).
QString scalarText(const QJsonValue& value)
{
    const QByteArray text = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(text.mid(1, text.size() - 2));
}

void setText(QLineEdit* edit, const QString& text)
{
    if (edit->text() == text)
        return;
    edit->setText(text);
    if (!edit->hasFocus())
        edit->setCursorPosition(0); // a long IRI shows its start
}

// Selects the item whose data is value; a value none of them has gets an item of its own, shown as `other`.
void choose(QComboBox* combo, const QString& value, const QString& other)
{
    for (int i = combo->count() - 1; i >= 0; --i) {
        if (combo->itemData(i, OtherRole).toBool() && combo->itemData(i).toString() != value)
            combo->removeItem(i);
    }
    int index = combo->findData(value);
    if (index < 0) {
        combo->addItem(other, value);
        index = combo->count() - 1;
        combo->setItemData(index, true, OtherRole);
    }
    combo->setCurrentIndex(index);
}

} // namespace

StatementForm::StatementForm(QPlainTextEdit* json, QWidget* parent)
    : QWidget(parent)
    , m_json(json)
{
    auto* outer = new QVBoxLayout(this);
    m_note = new QLabel;
    m_note->setObjectName(QStringLiteral("formNote"));
    m_note->setWordWrap(true);
    m_note->setTextFormat(Qt::PlainText);
    m_note->hide();
    outer->addWidget(m_note);
    m_fields = new QWidget;
    auto* layout = new QFormLayout(m_fields);
    layout->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(m_fields);
    outer->addStretch(1);

    m_verb = addChoice(tr("Verb"), QStringLiteral("verb"));
    m_verb->addItem(tr("completed"), QStringLiteral("completed"));
    m_verb->addItem(tr("progressed"), QStringLiteral("progressed"));
    m_verb->setToolTip(tr("verb.id (its last part) and verb.display"));
    m_namespace = addChoice(tr("Namespace"), QStringLiteral("namespace"));
    m_namespace->addItem(tr("ADL (http://adlnet.gov/expapi/verbs/…)"), QStringLiteral("adl"));
    m_namespace->addItem(tr("Vendor"), QStringLiteral("vendor"));
    m_namespace->setToolTip(tr("verb.id: the ADL verbs or a vendor's"));
    m_vendorBase = new QLineEdit(QStringLiteral("http://example.com/xapi"));
    m_vendorBase->setObjectName(QStringLiteral("vendorBase"));
    m_vendorBase->setPlaceholderText(tr("vendor namespace, e.g. http://example.com/xapi"));
    m_vendorBase->setToolTip(tr("verb.id is {vendor base}/verbs/{verb}"));
    layout->addRow(tr("Vendor base"), m_vendorBase);
    m_kind = addChoice(tr("Object"), QStringLiteral("kind"));
    m_kind->addItem(tr("course"), QStringLiteral("course"));
    m_kind->addItem(tr("lesson"), QStringLiteral("lesson"));
    m_kind->setToolTip(tr("object.definition.type (its last part)"));
    m_objectId = addLine(tr("Object id"), QStringLiteral("objectId"), path("object.id"));
    m_objectName = new QLineEdit;
    m_objectName->setObjectName(QStringLiteral("objectName"));
    m_objectName->setToolTip(tr("object.definition.name"));
    layout->addRow(tr("Object name"), m_objectName);
    m_actorBy = addChoice(tr("Actor by"), QStringLiteral("actorBy"));
    m_actorBy->addItem(tr("e-mail (mbox)"), QStringLiteral("mbox"));
    m_actorBy->addItem(tr("account (homePage + name)"), QStringLiteral("account"));
    m_actorBy->setToolTip(tr("How actor is identified: actor.mbox or actor.account"));
    m_actorName = addLine(tr("Actor name"), QStringLiteral("actorName"), path("actor.name"));
    m_actorEmail = new QLineEdit(QStringLiteral("learner@example.com"));
    m_actorEmail->setObjectName(QStringLiteral("actorEmail"));
    m_actorEmail->setToolTip(tr("actor.mbox, without mailto:"));
    layout->addRow(tr("E-mail"), m_actorEmail);
    m_homePage = addLine(tr("Home page"), QStringLiteral("homePage"), path("actor.account.homePage"));
    m_homePage->setText(QStringLiteral("https://sso.example.com"));
    m_accountName = addLine(tr("Account name"), QStringLiteral("accountName"), path("actor.account.name"));
    m_accountName->setText(QStringLiteral("learner-0001"));
    m_completion = addChoice(tr("Completion"), QStringLiteral("completion"));
    m_completion->addItem(tr("— (not in the statement)"), QString());
    m_completion->addItem(tr("true (completed)"), QStringLiteral("true"));
    m_completion->addItem(tr("false (not completed)"), QStringLiteral("false"));
    m_completion->setToolTip(tr("result.completion"));
    m_duration = addLine(tr("Duration"), QStringLiteral("duration"), path("result.duration"));
    m_duration->setPlaceholderText(tr("ISO 8601, e.g. PT28M48S"));
    // The score's four numbers in two rows of two, so the form fits a laptop's screen without scrolling either way.
    auto* score = new QWidget;
    auto* scoreLayout = new QGridLayout(score);
    scoreLayout->setContentsMargins(0, 0, 0, 0);
    addNumber(scoreLayout, 0, 0, tr("raw"), QStringLiteral("scoreRaw"), path("result.score.raw"));
    addNumber(scoreLayout, 0, 2, tr("max"), QStringLiteral("scoreMax"), path("result.score.max"));
    addNumber(scoreLayout, 1, 0, tr("min"), QStringLiteral("scoreMin"), path("result.score.min"));
    addNumber(scoreLayout, 1, 2, tr("scaled"), QStringLiteral("scoreScaled"), path("result.score.scaled"));
    scoreLayout->setColumnStretch(1, 1);
    scoreLayout->setColumnStretch(3, 1);
    layout->addRow(tr("Score"), score);
    m_platform = addLine(tr("Platform"), QStringLiteral("platform"), path("context.platform"));

    connect(m_verb, &QComboBox::activated, this, &StatementForm::verbChosen);
    connect(m_namespace, &QComboBox::activated, this, [this] {
        const QString id = m_namespace->currentData() == QLatin1String("adl")
                               ? QString(adlVerbs + verbWord())
                               : QString(m_vendorBase->text() + QStringLiteral("/verbs/") + verbWord());
        edited(m_namespace, {Edit{path("verb.id"), id}});
    });
    connect(m_vendorBase, &QLineEdit::textEdited, this, [this](const QString& text) {
        edited(m_vendorBase, {Edit{path("verb.id"), QString(text + QStringLiteral("/verbs/") + verbWord())}});
    });
    connect(m_kind, &QComboBox::activated, this, &StatementForm::kindChosen);
    connect(m_objectName, &QLineEdit::textEdited, this, [this](const QString& text) {
        // The language the name has (en-US when it has none yet).
        const QJsonObject names = at(m_statement, path("object.definition.name")).toObject();
        const QString language =
            names.contains(QStringLiteral("en-US")) || names.isEmpty() ? QStringLiteral("en-US") : names.begin().key();
        edited(m_objectName, {{path("object.definition.name") << language,
                               text.isEmpty() ? QJsonValue(QJsonValue::Undefined) : QJsonValue(text)}});
    });
    connect(m_actorBy, &QComboBox::activated, this, &StatementForm::actorChosen);
    connect(m_actorEmail, &QLineEdit::textEdited, this, [this](const QString& text) {
        edited(m_actorEmail, {{path("actor.mbox"), text.isEmpty() ? QJsonValue(QJsonValue::Undefined)
                                                                  : QJsonValue(QStringLiteral("mailto:") + text)}});
    });
    connect(m_completion, &QComboBox::activated, this, [this] {
        const QString value = m_completion->currentData().toString();
        if (m_completion->currentData(OtherRole).toBool())
            return;
        edited(m_completion, {{path("result.completion"),
                               value.isEmpty() ? QJsonValue(QJsonValue::Undefined) : QJsonValue(value == "true")}});
    });
    // Ctrl+Z and Ctrl+Shift+Z in a field undo and redo in the JSON, where the form's edits are.
    for (QWidget* field : m_fields->findChildren<QWidget*>()) {
        if (qobject_cast<QLineEdit*>(field) || qobject_cast<QComboBox*>(field))
            field->installEventFilter(this);
    }
    connect(m_json->document(), &QTextDocument::contentsChange, this, [this] {
        if (!m_applying)
            m_lastSource = nullptr; // typed in the JSON, or undone: the next form edit is a step of its own
    });
}

QComboBox* StatementForm::addChoice(const QString& label, const QString& objectName)
{
    auto* combo = new QComboBox;
    combo->setObjectName(objectName);
    combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon); // narrow windows elide
    combo->setMinimumContentsLength(12);
    static_cast<QFormLayout*>(m_fields->layout())->addRow(label, combo);
    return combo;
}

QLineEdit* StatementForm::addLine(const QString& label, const QString& objectName, const QStringList& path)
{
    auto* edit = new QLineEdit;
    edit->setObjectName(objectName);
    edit->setToolTip(path.join(QLatin1Char('.')));
    static_cast<QFormLayout*>(m_fields->layout())->addRow(label, edit);
    m_lines.append({edit, path});
    connect(edit, &QLineEdit::textEdited, this, [this, edit, path](const QString& text) {
        edited(edit, {{path, text.isEmpty() ? QJsonValue(QJsonValue::Undefined) : QJsonValue(text)}});
    });
    return edit;
}

QLineEdit* StatementForm::addNumber(QGridLayout* grid, int row, int column, const QString& label,
                                    const QString& objectName, const QStringList& path)
{
    auto* edit = new QLineEdit;
    edit->setObjectName(objectName);
    edit->setToolTip(path.join(QLatin1Char('.')));
    auto* validator = new QDoubleValidator(edit);
    validator->setLocale(QLocale::c());
    edit->setValidator(validator);
    auto* name = new QLabel(label);
    name->setBuddy(edit);
    grid->addWidget(name, row, column);
    grid->addWidget(edit, row, column + 1);
    m_numbers.append({edit, path});
    connect(edit, &QLineEdit::textEdited, this, [this, edit, path](const QString& text) {
        if (text.isEmpty())
            return edited(edit, {{path, QJsonValue(QJsonValue::Undefined)}});
        bool ok = false;
        const double number = QLocale::c().toDouble(text, &ok);
        if (ok) // "1e" or "-" on the way to a number changes nothing yet
            edited(edit, {{path, number}});
    });
    return edit;
}

QJsonObject StatementForm::defaultStatement()
{
    TemplateValues values;
    values.verbNamespace = TemplateValues::Namespace::Adl;
    values.vendorBase = QStringLiteral("http://example.com/xapi");
    values.actorName = QStringLiteral("Test Learner");
    values.actorEmail = QStringLiteral("learner@example.com");
    values.objectId = QStringLiteral("http://example.com/activities/course-1");
    values.objectName = QStringLiteral("Test course");
    values.completion = true;
    values.durationSeconds = 1728;
    values.scoreRaw = 14;
    values.scoreMin = 0.0;
    values.scoreMax = 14;
    values.platform = QStringLiteral("xAPI Courier");
    values.language = QStringLiteral("en-US");
    values.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    values.timestamp = QDateTime::currentDateTimeUtc();
    return StatementTemplates::build(values);
}

QString StatementForm::verbWord() const
{
    const QString word = lastSegment(at(m_statement, path("verb.id")).toString());
    return word.isEmpty() ? m_verb->currentData().toString() : word;
}

QString StatementForm::vendorBase() const
{
    const QString id = at(m_statement, path("verb.id")).toString();
    const QString suffix = QStringLiteral("/verbs/") + lastSegment(id);
    return id.endsWith(suffix) ? id.chopped(suffix.size()) : id.left(id.lastIndexOf(QLatin1Char('/')));
}

void StatementForm::verbChosen()
{
    if (m_verb->currentData(OtherRole).toBool())
        return;
    const QString word = m_verb->currentData().toString();
    const QString id = at(m_statement, path("verb.id")).toString();
    // The same namespace, another verb; its display follows in every language it has.
    const QString base = id.isEmpty() ? adlVerbs : id.left(id.lastIndexOf(QLatin1Char('/')) + 1);
    QList<Edit> edits{Edit{path("verb.id"), QString(base + word)}};
    const QJsonObject display = at(m_statement, path("verb.display")).toObject();
    for (auto it = display.begin(); it != display.end(); ++it)
        edits.append(Edit{path("verb.display") << it.key(), word});
    edited(m_verb, edits);
}

void StatementForm::kindChosen()
{
    if (m_kind->currentData(OtherRole).toBool())
        return;
    const QString word = m_kind->currentData().toString();
    const QString type = at(m_statement, path("object.definition.type")).toString();
    QString newType;
    if (lastSegment(type) == QLatin1String("course") || lastSegment(type) == QLatin1String("lesson"))
        newType = type.left(type.lastIndexOf(QLatin1Char('/')) + 1) + word; // the vendor's types stay the vendor's
    else if (m_namespace->currentData() == QLatin1String("vendor"))
        newType = m_vendorBase->text() + QStringLiteral("/types/") + word;
    else
        newType = adlActivities + word;
    edited(m_kind, {{path("object.definition.type"), newType}});
}

void StatementForm::actorChosen()
{
    if (m_actorBy->currentData(OtherRole).toBool())
        return;
    // An Agent has exactly one identifier: the others go.
    const QJsonValue gone(QJsonValue::Undefined);
    QList<Edit> edits{Edit{path("actor.mbox"), gone}, Edit{path("actor.mbox_sha1sum"), gone},
                      Edit{path("actor.openid"), gone}, Edit{path("actor.account"), gone}};
    if (m_actorBy->currentData() == QLatin1String("mbox"))
        edits.append(Edit{path("actor.mbox"), QString(QStringLiteral("mailto:") + m_actorEmail->text())});
    else
        edits.append(Edit{path("actor.account"), QJsonObject{{QStringLiteral("homePage"), m_homePage->text()},
                                                             {QStringLiteral("name"), m_accountName->text()}}});
    edited(m_actorBy, edits);
}

void StatementForm::edited(QObject* source, const QList<Edit>& edits)
{
    if (m_following)
        return;
    if (!apply(edits, source)) {
        follow(m_statement); // the field shows the JSON again
        m_note->setText(tr("The JSON has no object where %1 goes: edit it in the JSON tab.")
                            .arg(edits.constLast().path.join(QLatin1Char('.'))));
        m_note->show();
    }
}

bool StatementForm::setMember(const QStringList& path, const QJsonValue& value)
{
    return apply({{path, value}}, nullptr);
}

bool StatementForm::apply(const QList<Edit>& edits, QObject* source)
{
    QTextCursor cursor(m_json->document());
    bool begun = false;
    bool ok = true;
    m_applying = true;
    for (const Edit& edit : edits) {
        const QString text = m_json->toPlainText();
        const auto change = edit.value.isUndefined() ? JsonTextPatch::remove(text, edit.path)
                                                     : JsonTextPatch::set(text, edit.path, edit.value);
        if (!change) {
            ok = false;
            break;
        }
        if (change->isEmpty())
            continue;
        if (!begun) {
            // Typing in one field is one step of undo, as typing in the JSON is.
            if (source && source == m_lastSource)
                cursor.joinPreviousEditBlock();
            else
                cursor.beginEditBlock();
            begun = true;
        }
        cursor.setPosition(int(change->position));
        cursor.setPosition(int(change->position + change->length), QTextCursor::KeepAnchor);
        cursor.insertText(change->text);
    }
    if (begun)
        cursor.endEditBlock();
    m_applying = false;
    m_lastSource = ok ? source : nullptr;
    return ok;
}

bool StatementForm::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() == QEvent::ShortcutOverride || event->type() == QEvent::KeyPress) {
        auto* key = static_cast<QKeyEvent*>(event);
        const bool undo = key->matches(QKeySequence::Undo);
        const bool redo = key->matches(QKeySequence::Redo);
        if (undo || redo) {
            event->accept();
            if (event->type() == QEvent::KeyPress) {
                m_lastSource = nullptr;
                undo ? m_json->undo() : m_json->redo();
            }
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void StatementForm::follow(const std::optional<QJsonObject>& statement, const QString& why)
{
    m_fields->setEnabled(statement.has_value());
    m_note->setVisible(!statement);
    if (!statement) {
        m_note->setText(why);
        return;
    }
    m_statement = *statement;
    m_following = true;
    const QJsonObject& s = m_statement;

    const QString verbId = at(s, path("verb.id")).toString();
    const QString word = lastSegment(verbId);
    choose(m_verb, word, word.isEmpty() ? tr("(none)") : word);
    const bool adl = verbId.startsWith(adlVerbs);
    choose(m_namespace,
           verbId.isEmpty() ? QString()
           : adl            ? QStringLiteral("adl")
                            : QStringLiteral("vendor"),
           tr("(none)"));
    const bool vendor = !verbId.isEmpty() && !adl;
    if (vendor)
        setText(m_vendorBase, vendorBase());
    m_vendorBase->setEnabled(vendor);

    const QString kind = lastSegment(at(s, path("object.definition.type")).toString());
    choose(m_kind, kind, kind.isEmpty() ? tr("(no type)") : kind);
    const QJsonObject names = at(s, path("object.definition.name")).toObject();
    setText(
        m_objectName,
        names.value(QStringLiteral("en-US")).toString(names.isEmpty() ? QString() : names.begin().value().toString()));

    const QJsonObject actor = s.value(QStringLiteral("actor")).toObject();
    QString by;
    for (const QString& identifier : {QStringLiteral("mbox"), QStringLiteral("account"), QStringLiteral("mbox_sha1sum"),
                                      QStringLiteral("openid")}) {
        if (actor.contains(identifier)) {
            by = identifier;
            break;
        }
    }
    choose(m_actorBy, by, by.isEmpty() ? tr("(no identifier)") : by);
    if (by == QLatin1String("mbox"))
        setText(m_actorEmail,
                actor.value(QStringLiteral("mbox")).toString().remove(QRegularExpression(QStringLiteral("^mailto:"))));
    m_actorEmail->setEnabled(by == QLatin1String("mbox"));
    for (QLineEdit* accountField : {m_homePage, m_accountName})
        accountField->setEnabled(by == QLatin1String("account"));

    for (const auto& [edit, keys] : std::as_const(m_lines)) {
        // The account's fields keep their text while the actor has none, for when it gets one.
        if (!edit->isEnabled())
            continue;
        const QJsonValue value = at(s, keys);
        setText(edit, value.isString() ? value.toString() : value.isUndefined() ? QString() : scalarText(value));
    }
    for (const auto& [edit, keys] : std::as_const(m_numbers)) {
        const QJsonValue value = at(s, keys);
        bool ok = false;
        const double shown = QLocale::c().toDouble(edit->text(), &ok);
        if (value.isDouble() && ok && shown == value.toDouble())
            continue; // "14.50" while typing stays as typed
        setText(edit, value.isUndefined() ? QString() : scalarText(value));
    }
    const QJsonValue completion = at(s, path("result.completion"));
    choose(m_completion,
           completion.isUndefined() ? QString()
           : completion.isBool()    ? (completion.toBool() ? QStringLiteral("true") : QStringLiteral("false"))
                                    : scalarText(completion),
           scalarText(completion));
    m_following = false;
}
