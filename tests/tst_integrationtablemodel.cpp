#include "integrations/IntegrationTableModel.h"

#include <QAbstractItemModelTester>
#include <QSortFilterProxyModel>
#include <QTest>

class TestIntegrationTableModel final : public QObject
{
    Q_OBJECT

private:
    static Integration integration(qint64 id, const QString& name, bool enabled, Integration::Health health)
    {
        Integration i;
        i.id = id;
        i.name = name;
        i.provider = name.toLower();
        i.statementUrl = QUrl(QStringLiteral("https://%1.example/xapi").arg(name.toLower()));
        i.enabled = enabled;
        i.storedHealth = health;
        return i;
    }

private Q_SLOTS:
    void modelIsSound()
    {
        IntegrationTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setIntegrations({integration(1, QStringLiteral("Beta"), true, Integration::Health::Held),
                               integration(2, QStringLiteral("Alpha"), false, Integration::Health::Healthy)},
                              {{1, 12}});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.columnCount(), 6);
        model.setIntegrations({});
        QCOMPARE(model.rowCount(), 0);
    }

    void displayAndSortValues()
    {
        IntegrationTableModel model;
        model.setIntegrations({integration(1, QStringLiteral("Beta"), true, Integration::Health::Retrying),
                               integration(2, QStringLiteral("Alpha"), false, Integration::Health::Healthy)},
                              {{1, 12}});
        using C = IntegrationTableModel::Column;
        QCOMPARE(model.index(0, int(C::Health)).data().toString(), QStringLiteral("Retrying"));
        QCOMPARE(model.index(1, int(C::Health)).data().toString(), QStringLiteral("Disabled"));
        QCOMPARE(model.index(1, int(C::Status)).data().toString(), QStringLiteral("Disabled"));
        QCOMPARE(model.index(0, int(C::Queued)).data().toInt(), 12);
        QVERIFY(!model.index(0, int(C::Health)).data(Qt::DecorationRole).value<QIcon>().isNull());
        QCOMPARE(model.index(0, 0).data(IntegrationTableModel::IdRole).toLongLong(), 1);
        QCOMPARE(model.headerData(int(C::StatementUrl), Qt::Horizontal, Qt::DisplayRole).toString(),
                 QStringLiteral("Statement URL"));

        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        proxy.setSortRole(IntegrationTableModel::SortRole);
        proxy.sort(int(C::Name));
        QCOMPARE(proxy.index(0, int(C::Name)).data().toString(), QStringLiteral("Alpha"));
        proxy.sort(int(C::Queued), Qt::DescendingOrder);
        QCOMPARE(proxy.index(0, int(C::Name)).data().toString(), QStringLiteral("Beta"));
        QCOMPARE(model.rowOf(2), 1);
        QCOMPARE(model.rowOf(99), -1);
    }
};

QTEST_MAIN(TestIntegrationTableModel)
#include "tst_integrationtablemodel.moc"
