#include "MainWindow.h"
#include "cli/Cli.h"
#include "secrets/KeychainSecretStore.h"
#include "store/DatabasePassword.h"
#include "store/Store.h"

#include <QApplication>
#include <QCoreApplication>
#include <QLoggingCategory>
#include <QMessageBox>
#include <QTextStream>
#include <QTimer>

#include <cstdio>

namespace {

void describeApplication()
{
    QCoreApplication::setApplicationName(QStringLiteral("xapi-courier"));
    QCoreApplication::setApplicationVersion(QStringLiteral(COURIER_VERSION));
    QCoreApplication::setOrganizationDomain(QStringLiteral("xapicourier.org"));
}

bool haveDisplay()
{
    return !qEnvironmentVariableIsEmpty("DISPLAY") || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") ||
           !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM");
}

int runCli(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    describeApplication();
    // Commands print their own results; progress logs only when asked for with QT_LOGGING_RULES.
    if (qEnvironmentVariableIsEmpty("QT_LOGGING_RULES"))
        QLoggingCategory::setFilterRules(QStringLiteral("courier.*.info=false"));
    Cli cli;
    QTimer::singleShot(
        0, &cli, [&cli, &app] { cli.run(app.arguments(), [](int exitCode) { QCoreApplication::exit(exitCode); }); });
    return app.exec();
}

int runGui(int argc, char** argv)
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    QString usageError;
    const QString database = Cli::guiDatabaseArgument(arguments, &usageError);
    QTextStream err(stderr);
    if (!usageError.isEmpty()) {
        err << "error: " << usageError << " (see xapi-courier --help)" << Qt::endl;
        return 2;
    }
    if (!haveDisplay()) {
        err << "xapi-courier: no display found (neither DISPLAY nor WAYLAND_DISPLAY is set), so the desktop "
               "application cannot start.\nOn a headless machine use the command line instead (`xapi-courier "
               "--help`, e.g. `xapi-courier integration list`), and run the delivery worker with "
               "`xapi-courier worker`."
            << Qt::endl;
        return 1;
    }

    QApplication app(argc, argv);
    describeApplication();
    QApplication::setApplicationDisplayName(QStringLiteral("xAPI Courier"));
    QApplication::setDesktopFileName(QStringLiteral("org.xapicourier.Courier"));

    KeychainSecretStore secrets;
    Store::OpenResult opened =
        Store::open(DatabasePassword::withKeychainPassword(StoreLocation::resolve(database), secrets));
    if (!opened.store) {
        QMessageBox::critical(nullptr, QStringLiteral("xAPI Courier"),
                              QStringLiteral("The store could not be opened.\n\n%1").arg(opened.error));
        err << "error: " << opened.error << Qt::endl;
        return 1;
    }
    MainWindow window(*opened.store, secrets);
    window.show();
    return app.exec();
}

} // namespace

int main(int argc, char** argv)
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    if (Cli::wantsCli(arguments))
        return runCli(argc, argv);
    return runGui(argc, argv);
}
