#include "StoreFixtures.h"
#include "TestStore.h"

#include "delivery/DeliveryQueue.h"
#include "delivery/QueueImport.h"

#include <QBuffer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
#include <QUuid>

#include <unistd.h>

// Statements from an input into the queue: the three forms, all-or-nothing validation, --skip-invalid, standard
// input (a pipe, read twice through a temporary file) and inputs longer than one transaction.
class TestQueueImport final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestStore> m_fixture;
    qint64 m_first = 0;
    qint64 m_second = 0;
    const QDateTime m_now = QDateTime(QDate(2026, 12, 2), QTime(12, 0), Qt::UTC);
    const QByteArray m_invalid = R"({"actor":{"mbox":"nobody"},"verb":{"id":"x"},"object":{"id":"http://e.com/a"}})";

    static QJsonObject statement(const QString& id)
    {
        QFile file(QStringLiteral(COURIER_SAMPLES_DIR "/vendor-completed.json"));
        if (!file.open(QIODevice::ReadOnly))
            qFatal("cannot read %s", qPrintable(file.fileName()));
        QJsonObject object = QJsonDocument::fromJson(file.readAll()).object();
        object.remove(QStringLiteral("stored"));
        object.remove(QStringLiteral("authority"));
        if (id.isEmpty())
            object.remove(QStringLiteral("id"));
        else
            object.insert(QStringLiteral("id"), id);
        return object;
    }
    static QByteArray line(const QString& id) { return QJsonDocument(statement(id)).toJson(QJsonDocument::Compact); }
    static QString uuid(int i) { return QStringLiteral("00000000-0000-4000-8000-%1").arg(i, 12, 10, QLatin1Char('0')); }

    QueueImport::Report import(QByteArray input, bool skipInvalid = false)
    {
        QBuffer buffer(&input);
        buffer.open(QIODevice::ReadOnly);
        return QueueImport::run(m_fixture->store(), buffer, {m_first, m_second}, skipInvalid, m_now);
    }
    // The statement ids queued to the first integration, in enqueue order.
    QStringList queued()
    {
        QString error;
        QStringList ids;
        for (const Delivery& delivery : DeliveryQueue(m_fixture->store()).pending(m_first, 0, 100000, m_now, &error))
            ids << delivery.statementId;
        return ids;
    }

private Q_SLOTS:
    void init()
    {
        m_fixture = std::make_unique<TestStore>();
        QVERIFY(m_fixture->isValid());
        m_first = StoreFixtures::addOpenIntegration(m_fixture->store(), QStringLiteral("first"));
        m_second = StoreFixtures::addOpenIntegration(m_fixture->store(), QStringLiteral("second"));
    }
    void cleanup() { m_fixture.reset(); }

    void ndjsonWithBlankLinesCrlfAndAByteOrderMark()
    {
        const QByteArray input =
            "\xEF\xBB\xBF" + line(uuid(1)) + "\r\n\r\n" + line(uuid(2)) + "\r\n" + line(QString()) + "\n\n";
        const QueueImport::Report report = import(input);
        QVERIFY2(report.parseError.isEmpty() && report.error.isEmpty(), qPrintable(report.parseError + report.error));
        QCOMPARE(report.read, 3);
        QCOMPARE(report.queued, 3);
        const QStringList ids = queued();
        QCOMPARE(ids.size(), 3);
        QCOMPARE(ids.mid(0, 2), (QStringList{uuid(1), uuid(2)}));
        QVERIFY(!QUuid::fromString(ids[2]).isNull()); // it had none: a new UUID, kept from now on
        QCOMPARE(StoreFixtures::countDeliveries(m_fixture->store(), Delivery::State::Queued), 6); // to both
    }

    void anInvalidStatementQueuesNothingUnlessSkipped()
    {
        const QByteArray input = line(uuid(1)) + '\n' + m_invalid + '\n' + line(uuid(3)) + '\n' + m_invalid + '\n';
        QueueImport::Report report = import(input);
        QCOMPARE(report.read, 4);
        QCOMPARE(report.queued, 0);
        QCOMPARE(report.invalid, (QList<int>{1, 3}));
        QVERIFY(!report.findings.isEmpty());
        QCOMPARE(report.findings.first().statement, 1);
        QVERIFY2(report.findings.first().path.startsWith(QLatin1String("[1]")),
                 qPrintable(report.findings.first().toText()));
        QCOMPARE(queued(), QStringList());

        report = import(input, true);
        QCOMPARE(report.queued, 2);
        QCOMPARE(report.invalid, (QList<int>{1, 3}));
        QCOMPARE(queued(), (QStringList{uuid(1), uuid(3)}));
    }

    // A line that is not JSON stops the input, unless skipInvalid: then it is skipped as an invalid statement, with a
    // finding naming its line (a broken first line too, when a statement stands on the second).
    void aLineThatIsNotJsonStopsEverythingUnlessSkipped()
    {
        const QByteArray input = line(uuid(1)) + '\n' + line(uuid(2)) + "\n\n{\"actor\": \n" + line(uuid(4)) + '\n';
        QueueImport::Report report = import(input);
        QVERIFY2(report.parseError.startsWith(QLatin1String("line 4 is not a JSON statement")),
                 qPrintable(report.parseError));
        QCOMPARE(report.queued, 0);
        QCOMPARE(queued(), QStringList());

        report = import(input, true);
        QVERIFY2(report.parseError.isEmpty() && report.error.isEmpty(), qPrintable(report.parseError + report.error));
        QCOMPARE(report.read, 4);
        QCOMPARE(report.invalid, QList<int>{2});
        QCOMPARE(report.findings.size(), 1);
        QCOMPARE(report.findings.first().statement, 2);
        QVERIFY2(report.findings.first().toText().startsWith(QLatin1String("[2]: line 4 is not a JSON statement")),
                 qPrintable(report.findings.first().toText()));
        QCOMPARE(report.queued, 3);
        QCOMPARE(queued(), (QStringList{uuid(1), uuid(2), uuid(4)}));

        report = import("not json\n" + line(uuid(5)) + '\n', true);
        QCOMPARE(report.invalid, QList<int>{0});
        QCOMPARE(report.queued, 1);
        // Only an array may continue its first line with a statement: that stays one JSON text.
        report = import("[\n" + line(uuid(6)) + "\n]\n", true);
        QVERIFY2(report.parseError.isEmpty(), qPrintable(report.parseError));
        QCOMPARE(report.invalid, QList<int>{});
        QCOMPARE(report.queued, 1);
        QCOMPARE(queued(), (QStringList{uuid(1), uuid(2), uuid(4), uuid(5), uuid(6)}));
    }

    void anArrayOrOneStatementIsReadWhole()
    {
        const QJsonArray array{statement(uuid(1)), statement(uuid(2))};
        QueueImport::Report report = import(QJsonDocument(array).toJson(QJsonDocument::Indented));
        QCOMPARE(report.queued, 2);
        report = import(QJsonDocument(statement(uuid(3))).toJson(QJsonDocument::Indented));
        QCOMPARE(report.queued, 1);
        report = import(line(uuid(4))); // one line, nothing after it
        QCOMPARE(report.queued, 1);
        QCOMPARE(queued(), (QStringList{uuid(1), uuid(2), uuid(3), uuid(4)}));

        report = import("[" + line(uuid(5)) + "," + m_invalid + "]");
        QCOMPARE(report.invalid, QList<int>{1});
        QCOMPARE(report.queued, 0);
        report = import("");
        QVERIFY(report.parseError.contains(QLatin1String("empty")));
    }

    void standardInputIsReadTwiceThroughATemporaryFile()
    {
        QByteArray input;
        for (int i = 0; i < 20; ++i)
            input += line(uuid(i)) + '\n';
        input += m_invalid + '\n';
        int ends[2];
        QCOMPARE(::pipe(ends), 0);
        QCOMPARE(::write(ends[1], input.constData(), size_t(input.size())), ssize_t(input.size())); // < 64 KiB
        ::close(ends[1]);
        QFile pipe;
        QVERIFY(pipe.open(ends[0], QIODevice::ReadOnly, QFileDevice::AutoCloseHandle));
        QVERIFY(pipe.isSequential());
        const QueueImport::Report report = QueueImport::run(m_fixture->store(), pipe, {m_first}, true, m_now);
        QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
        QCOMPARE(report.read, 21);
        QCOMPARE(report.invalid, QList<int>{20});
        QCOMPARE(report.queued, 20);
        QCOMPARE(queued().size(), 20);
        QCOMPARE(queued().last(), uuid(19));
    }

    void longInputsGoInSeveralTransactionsInOrder()
    {
        const int count = QueueImport::StatementsPerTransaction * 2 + 500;
        QByteArray input;
        for (int i = 0; i < count; ++i)
            input += line(uuid(i)) + '\n';
        const QueueImport::Report report = import(input);
        QCOMPARE(report.queued, count);
        const QStringList ids = queued();
        QCOMPARE(ids.size(), count);
        for (int i = 0; i < count; ++i)
            QCOMPARE(ids[i], uuid(i));
    }
};

QTEST_GUILESS_MAIN(TestQueueImport)
#include "tst_queueimport.moc"
