#include "integrations/IntegrationService.h"

#include "common/Logging.h"
#include "integrations/IntegrationRules.h"
#include "secrets/SecretStore.h"

#include <QNetworkAccessManager>
#include <QUuid>

namespace {

void normalize(Integration& draft)
{
    draft.name = draft.name.trimmed();
    draft.provider = draft.provider.trimmed();
    draft.clientId = draft.clientId.trimmed();
    draft.username = draft.username.trimmed();
    if (draft.auth != Integration::Auth::OAuth2) {
        draft.authUrl.clear();
        draft.clientId.clear();
    }
    if (draft.auth != Integration::Auth::Basic)
        draft.username.clear();
}

IntegrationOutcome failure(const QString& error)
{
    IntegrationOutcome outcome;
    outcome.error = error;
    return outcome;
}

IntegrationOutcome refused(const FieldIssues& issues)
{
    IntegrationOutcome outcome;
    outcome.issues = issues;
    return outcome;
}

FieldIssues warningsOf(const FieldIssues& issues)
{
    FieldIssues warnings;
    for (const FieldIssue& issue : issues) {
        if (!issue.isError())
            warnings << issue;
    }
    return warnings;
}

} // namespace

IntegrationService::IntegrationService(Store& store, SecretStore& secrets, QObject* parent)
    : QObject(parent)
    , m_store(store)
    , m_secrets(secrets)
    , m_repository(store)
{
    QString error;
    m_fingerprint = m_repository.fingerprint(&error);
    connect(this, &IntegrationService::integrationsChanged, this, [this] {
        QString error;
        m_fingerprint = m_repository.fingerprint(&error);
    });
}

IntegrationService::~IntegrationService() = default;

void IntegrationService::detectXapiVersion(Integration draft, std::function<void(const XapiDetection::Outcome&)> done)
{
    if (!m_network)
        m_network = std::make_unique<QNetworkAccessManager>();
    XapiDetection::detect(*m_network, std::move(draft), this, std::move(done));
}

void IntegrationService::followStore()
{
    QString error;
    const QString now = m_repository.fingerprint(&error);
    if (now.isEmpty() || now == m_fingerprint)
        return;
    Q_EMIT integrationsChanged();
}

bool IntegrationService::secretRequired(const Integration& draft, QString* error) const
{
    if (!draft.needsSecret())
        return false;
    if (draft.id == 0)
        return true;
    const auto existing = m_repository.byId(draft.id, error);
    return !existing || existing->auth != draft.auth || !existing->hasSecret;
}

FieldIssues IntegrationService::check(const Integration& draft, bool secretGiven, QString* error) const
{
    Integration normalized = draft;
    normalize(normalized);
    FieldIssues issues = IntegrationRules::check(normalized, secretGiven, secretRequired(normalized, error));
    issues << m_repository.checkUnique(normalized, error);
    return issues;
}

void IntegrationService::add(Integration draft, const QString& secret, IntegrationCallback done)
{
    draft.id = 0;
    draft.uid = QUuid::createUuid().toString(QUuid::WithoutBraces);
    normalize(draft);
    QString error;
    const FieldIssues issues = check(draft, !secret.isEmpty(), &error);
    if (!error.isEmpty())
        return done(failure(error));
    if (hasErrors(issues))
        return done(refused(issues));
    draft.hasSecret = draft.needsSecret();
    if (!draft.hasSecret)
        return saveRow(draft, true, warningsOf(issues), std::move(done), nullptr);

    const QString key = SecretStore::integrationKey(draft.uid);
    m_secrets.write(key, secret, this, [this, draft, key, issues, done](const SecretResult& written) {
        if (!written.ok())
            return done(failure(QStringLiteral("The integration was not saved. %1").arg(written.message)));
        auto undo = [this, key](IntegrationCallback then) {
            m_secrets.remove(key, this, [then](const SecretResult&) { then({}); });
        };
        saveRow(draft, true, warningsOf(issues), done, undo);
    });
}

void IntegrationService::update(Integration draft, const QString& secret, IntegrationCallback done)
{
    QString error;
    const auto existing = m_repository.byId(draft.id, &error);
    if (!existing) {
        return done(failure(error.isEmpty() ? QStringLiteral("The integration no longer exists (deleted meanwhile?). "
                                                             "Reload the list.")
                                            : error));
    }
    draft.uid = existing->uid;
    normalize(draft);
    const bool secretGiven = draft.needsSecret() && !secret.isEmpty();
    const FieldIssues issues = check(draft, secretGiven, &error);
    if (!error.isEmpty())
        return done(failure(error));
    if (hasErrors(issues))
        return done(refused(issues));
    draft.hasSecret = draft.needsSecret();
    const QString key = SecretStore::integrationKey(draft.uid);

    if (!secretGiven) {
        const bool dropSecret = !draft.needsSecret() && existing->hasSecret;
        auto afterSave = [this, key, dropSecret, done](const IntegrationOutcome& outcome) {
            if (outcome.ok && dropSecret) {
                m_secrets.remove(key, this, [](const SecretResult& removed) {
                    if (!removed.ok() && removed.status != SecretResult::Status::NotFound)
                        qCWarning(lcIntegrations) << "Could not remove a secret no longer needed:" << removed.message;
                });
            }
            done(outcome);
        };
        return saveRow(draft, false, warningsOf(issues), afterSave, nullptr);
    }

    // Keep the previous secret at hand so that a failed row update can put it back.
    m_secrets.read(key, this, [this, draft, key, secret, issues, done](const SecretResult& previous) {
        if (!previous.ok() && previous.status != SecretResult::Status::NotFound)
            return done(failure(QStringLiteral("The integration was not saved. %1").arg(previous.message)));
        m_secrets.write(key, secret, this, [this, draft, key, previous, issues, done](const SecretResult& written) {
            if (!written.ok())
                return done(failure(QStringLiteral("The integration was not saved. %1").arg(written.message)));
            auto undo = [this, key, previous](IntegrationCallback then) {
                auto finished = [then](const SecretResult&) {
                    then({});
                };
                if (previous.ok())
                    m_secrets.write(key, previous.value, this, finished);
                else
                    m_secrets.remove(key, this, finished);
            };
            saveRow(draft, false, warningsOf(issues), done, undo);
        });
    });
}

void IntegrationService::saveRow(Integration draft, bool isNew, FieldIssues warnings, IntegrationCallback done,
                                 std::function<void(IntegrationCallback)> undoSecret)
{
    FieldIssues issues;
    QString error;
    const bool saved =
        isNew ? m_repository.insert(draft, &issues, &error) : m_repository.update(draft, &issues, &error);
    if (!saved) {
        IntegrationOutcome outcome = issues.isEmpty()
                                         ? failure(QStringLiteral("The integration was not saved: %1").arg(error))
                                         : refused(issues);
        if (undoSecret)
            return undoSecret([outcome, done](const IntegrationOutcome&) { done(outcome); });
        return done(outcome);
    }
    IntegrationOutcome outcome;
    outcome.ok = true;
    outcome.integration = draft;
    outcome.issues = warnings;
    Q_EMIT integrationsChanged();
    done(outcome);
}

void IntegrationService::remove(qint64 id, IntegrationCallback done)
{
    QString error;
    const auto existing = m_repository.byId(id, &error);
    if (!existing) {
        return done(failure(error.isEmpty() ? QStringLiteral("The integration no longer exists (deleted meanwhile?).")
                                            : error));
    }
    auto removeRow = [this, existing, done](std::function<void(IntegrationCallback)> undoSecret) {
        QString rowError;
        if (!m_repository.remove(existing->id, &rowError)) {
            const IntegrationOutcome outcome =
                failure(QStringLiteral("The integration was not deleted: %1").arg(rowError));
            if (undoSecret)
                return undoSecret([outcome, done](const IntegrationOutcome&) { done(outcome); });
            return done(outcome);
        }
        IntegrationOutcome outcome;
        outcome.ok = true;
        outcome.integration = *existing;
        Q_EMIT integrationsChanged();
        done(outcome);
    };
    if (!existing->hasSecret)
        return removeRow(nullptr);

    const QString key = SecretStore::integrationKey(existing->uid);
    m_secrets.read(key, this, [this, key, removeRow, done](const SecretResult& previous) {
        if (!previous.ok() && previous.status != SecretResult::Status::NotFound)
            return done(failure(QStringLiteral("The integration was not deleted. %1").arg(previous.message)));
        m_secrets.remove(key, this, [this, key, previous, removeRow, done](const SecretResult& removed) {
            if (!removed.ok() && removed.status != SecretResult::Status::NotFound)
                return done(failure(QStringLiteral("The integration was not deleted. %1").arg(removed.message)));
            std::function<void(IntegrationCallback)> undo;
            if (previous.ok()) {
                undo = [this, key, previous](IntegrationCallback then) {
                    m_secrets.write(key, previous.value, this, [then](const SecretResult&) { then({}); });
                };
            }
            removeRow(undo);
        });
    });
}

bool IntegrationService::setEnabled(qint64 id, bool enabled, QString* error)
{
    if (!m_repository.setEnabled(id, enabled, error))
        return false;
    Q_EMIT integrationsChanged();
    return true;
}

void IntegrationService::readSecret(const Integration& integration, QObject* context,
                                    std::function<void(const SecretResult&)> done)
{
    m_secrets.read(SecretStore::integrationKey(integration.uid), context, std::move(done));
}
