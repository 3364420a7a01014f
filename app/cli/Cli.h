#pragma once

#include "cli/CliOutput.h"
#include "store/StoreLocation.h"

#include <QCommandLineOption>
#include <QObject>
#include <QStringList>

#include <functional>
#include <memory>

class DeliveryActions;
class SecretStore;
class IntegrationService;
class KeychainSecretStore;
class Store;

// The headless face of xAPI Courier: `xapi-courier [--db PATH|URL] COMMAND ...`. Calls the same core functions as
// the GUI. Runs inside the event loop and reports its exit code through finished.
class Cli final : public QObject
{
    Q_OBJECT

public:
    using Finished = std::function<void(int exitCode)>;

    explicit Cli(QObject* parent = nullptr);
    ~Cli() override;

    // True when the arguments ask for a command, --help or --version rather than the GUI.
    static bool wantsCli(const QStringList& arguments);
    // The --db value for the GUI (empty when not given).
    static QString guiDatabaseArgument(const QStringList& arguments, QString* error);
    static QCommandLineOption databaseOption();

    void run(const QStringList& arguments, Finished finished);

    // For subcommands.
    CliOutput& output() { return m_output; }
    // Read: a command that only reads finds no SQLite store where none is, says so and creates nothing; Write: the
    // store (and its folder) is created when there is none.
    enum class StoreUse { Write, Read };
    bool openStore(const QString& databaseArgument, StoreUse use = StoreUse::Write);
    // Where a subcommand's --db value (else the global --db, $XAPI_COURIER_DB or the default) points, with the
    // PostgreSQL role's password from the keychain when it keeps one.
    StoreLocation storeLocation(const QString& databaseArgument) const;
    // The same, as written: no password attached.
    StoreLocation namedStore(const QString& databaseArgument) const;
    IntegrationService& integrations() { return *m_integrations; }
    DeliveryActions& deliveries() { return *m_deliveries; }
    Store& store() { return *m_store; }
    SecretStore& secrets();

private:
    QString helpText() const;

    CliOutput m_output;
    QString m_globalDatabase;
    std::unique_ptr<Store> m_store;
    std::unique_ptr<KeychainSecretStore> m_secrets;
    std::unique_ptr<IntegrationService> m_integrations;
    std::unique_ptr<DeliveryActions> m_deliveries;
};
