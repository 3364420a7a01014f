#include "MainWindow.h"

MainWindow::MainWindow(Store& store, QWidget* parent)
    : QMainWindow(parent)
{
    Q_UNUSED(store)
}
