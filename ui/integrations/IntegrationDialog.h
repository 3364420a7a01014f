#pragma once

#include "common/FieldIssue.h"
#include "integrations/Integration.h"
#include "retention/RetentionPolicies.h"

#include <QDialog>
#include <QHash>
#include <QSet>

#include <optional>

class IntegrationService;
struct IntegrationOutcome;
class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QScrollArea;
class QSpinBox;
class QWidget;

// Add or edit one integration: every field of the portal, the xAPI version its receiver speaks and how long it keeps
// what it delivered, checked as you type (errors in red under the field, warnings in amber), OK only while the input
// is acceptable, and the save itself (the receiver's GET .../about for auto, keychain, then store) done without
// blocking the window. The fields scroll when the screen is too short for them. Changing only the retention saves
// only the retention: the integration keeps its revision, and what is held stays held.
class IntegrationDialog final : public QDialog
{
    Q_OBJECT

public:
    IntegrationDialog(IntegrationService& service, std::optional<Integration> existing, QWidget* parent = nullptr);

    void accept() override;
    void reject() override;

    // For tests and for people using the keyboard: the editor and the inline message of a field (JSON key).
    QWidget* editor(const QString& field) const { return m_editors.value(field); }
    QString message(const QString& field) const;
    QPushButton* okButton() const;
    QString bannerText() const;
    // A sentence shown above the fields (e.g. why the integration is held and what saving releases), and the one shown
    // instead while only the retention differs from what is saved (which releases nothing).
    void setNotice(const QString& text, const QString& whenOnlyRetention = QString());

Q_SIGNALS:
    void saved(const Integration& integration);

private:
    QWidget* addField(class QFormLayout* form, const QString& field, const QString& label, QWidget* editor,
                      const QString& hint = QString());
    Integration draft() const;
    RetentionPolicy retention() const;
    // Editing, and nothing but the retention differs from what is saved (no secret typed either).
    bool onlyRetentionChanged() const;
    FieldIssues issues(QString* error) const;
    void updateXapiHint();
    void updateRetentionSuffixes();
    void save(const QString& secret);
    void finishSave(const IntegrationOutcome& outcome, bool isNew);
    QString secret() const;
    void revalidate();
    void showIssues(const FieldIssues& issues, bool showAllErrors);
    void updateAuthFields();
    void growToFit();
    void setBusy(bool busy);
    void showBanner(const QString& text);

    IntegrationService& m_service;
    std::optional<Integration> m_existing;
    QHash<QString, QWidget*> m_editors;
    QHash<QString, QLabel*> m_messages;
    QHash<QString, QWidget*> m_rows;
    QHash<QString, QLabel*> m_labels;
    QSet<QString> m_touched;
    QLineEdit* m_name = nullptr;
    QComboBox* m_provider = nullptr;
    QLineEdit* m_emails = nullptr;
    QLineEdit* m_statementUrl = nullptr;
    QComboBox* m_auth = nullptr;
    QLineEdit* m_authUrl = nullptr;
    QLineEdit* m_clientId = nullptr;
    QLineEdit* m_clientSecret = nullptr;
    QComboBox* m_clientAuth = nullptr;
    QLineEdit* m_username = nullptr;
    QLineEdit* m_password = nullptr;
    QCheckBox* m_enabled = nullptr;
    QSpinBox* m_retryInterval = nullptr;
    QSpinBox* m_concurrency = nullptr;
    QSpinBox* m_batchSize = nullptr;
    QCheckBox* m_alerts = nullptr;
    QComboBox* m_xapiVersion = nullptr;
    QSpinBox* m_retentionDays = nullptr;
    QSpinBox* m_keepBodiesDays = nullptr;
    RetentionPolicy m_savedRetention; // of the integration edited, as read when the dialog opened
    QScrollArea* m_scroll = nullptr;
    QString m_notice;
    QString m_noticeOnlyRetention;
    QLabel* m_banner = nullptr;
    QLabel* m_missing = nullptr;
    QStringList m_fieldOrder; // as the form shows them
    QDialogButtonBox* m_buttons = nullptr;
    bool m_busy = false;
};
