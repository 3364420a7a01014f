#pragma once

#include <QJsonObject>
#include <QWidget>

#include <optional>

class QComboBox;
class QGridLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;

// The Test Console's form over the statement's JSON, which stays the source of truth: each field shows one path of
// the statement and edits exactly that path in the JSON text (JsonTextPatch), as an edit of the JSON editor, so
// Ctrl+Z undoes form and JSON edits alike. Members the form does not know are kept as they are. After every change
// of the JSON the form shows what it says and enables the fields that apply (the e-mail for an mbox actor, the home
// page and account name for an account, the vendor base for a vendor verb).
class StatementForm final : public QWidget
{
    Q_OBJECT

public:
    explicit StatementForm(QPlainTextEdit* json, QWidget* parent = nullptr);

    // A new statement with the form's defaults, a new id and the time now.
    static QJsonObject defaultStatement();
    // Shows the statement; nullopt when the JSON is not one statement object (`why` says what it is instead): the
    // fields then stay as they are and cannot be edited until the JSON is one statement again.
    void follow(const std::optional<QJsonObject>& statement, const QString& why = QString());
    // Sets (or, with an undefined value, removes) the member at path in the JSON, as one undoable edit. False when
    // the JSON cannot take it (it does not parse, or a step of the path is not an object).
    bool setMember(const QStringList& path, const QJsonValue& value);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    struct Edit
    {
        QStringList path;
        QJsonValue value; // undefined: remove
    };
    bool apply(const QList<Edit>& edits, QObject* source);
    void edited(QObject* source, const QList<Edit>& edits);
    QLineEdit* addLine(const QString& label, const QString& objectName, const QStringList& path);
    QLineEdit* addNumber(QGridLayout* grid, int row, int column, const QString& label, const QString& objectName,
                         const QStringList& path);
    QComboBox* addChoice(const QString& label, const QString& objectName);
    void verbChosen();
    void kindChosen();
    void actorChosen();
    QString verbWord() const;
    QString vendorBase() const;

    QPlainTextEdit* m_json;
    QJsonObject m_statement;
    bool m_following = false;
    bool m_applying = false;
    QObject* m_lastSource = nullptr; // typing in one field joins its edits into one undo step

    QWidget* m_fields = nullptr;
    QLabel* m_note = nullptr;
    QComboBox* m_verb = nullptr;
    QComboBox* m_namespace = nullptr;
    QLineEdit* m_vendorBase = nullptr;
    QComboBox* m_kind = nullptr;
    QLineEdit* m_objectId = nullptr;
    QLineEdit* m_objectName = nullptr;
    QComboBox* m_actorBy = nullptr;
    QLineEdit* m_actorName = nullptr;
    QLineEdit* m_actorEmail = nullptr;
    QLineEdit* m_homePage = nullptr;
    QLineEdit* m_accountName = nullptr;
    QComboBox* m_completion = nullptr;
    QLineEdit* m_duration = nullptr;
    QList<std::pair<QLineEdit*, QStringList>> m_lines; // plain text fields and their paths
    QList<std::pair<QLineEdit*, QStringList>> m_numbers;
    QLineEdit* m_platform = nullptr;
};
