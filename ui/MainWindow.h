#pragma once

#include <QMainWindow>

class Store;

class MainWindow final : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(Store& store, QWidget* parent = nullptr);
};
