// Parse + validate (simdjson and the rules, StatementValidator::validateInput) against QJsonDocument's parse alone, on
// the same statements in one run, validating as xAPI 1.0.3 and as 2.0.0. Target (issue 20): parse + validate at
// least 2.5 times the rate of Qt's parse alone, in both modes, on both samples.
// For scale, the same run times Learning Locker's validator (@learninglocker/xapi-validation, run by Node.js on the
// same statement text) when `npm ci` was run in bench/learninglocker; target (issue 20): ours (1.0.3, what Learning
// Locker validates) at least 10 times its rate on the vendor sample.
#include "statements/StatementValidator.h"
#include "statements/XapiVersion.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTextStream>

#include <functional>

namespace {

const QByteArray smallStatement =
    R"({"id":"6a1d3c34-7c1e-4f55-9a4f-8f1a2a3b4c5d","actor":{"mbox":"mailto:ada@example.com"},)"
    R"("verb":{"id":"http://adlnet.gov/expapi/verbs/completed"},"object":{"id":"http://example.com/activities/1"}})";

constexpr int Rounds = 7;

// Statements per second of each piece of work over `seconds` each, best of its rounds. The rounds take turns (one of
// each, then again), so a busy spell on the machine (other builds) falls on all of them alike rather than on one.
QList<double> rates(const QList<std::function<void()>>& works, double seconds)
{
    QList<double> best(works.size(), 0.0);
    for (int round = 0; round < Rounds; ++round) {
        for (qsizetype w = 0; w < works.size(); ++w) {
            QElapsedTimer timer;
            timer.start();
            qint64 count = 0;
            while (timer.nsecsElapsed() < qint64(seconds * 1e9 / Rounds)) {
                for (int i = 0; i < 200; ++i)
                    works[w]();
                count += 200;
            }
            best[w] = std::max(best[w], double(count) / (double(timer.nsecsElapsed()) / 1e9));
        }
    }
    return best;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const double seconds = argc > 1 ? QByteArray(argv[1]).toDouble() : 3.0;
    QFile sample(QStringLiteral(COURIER_SAMPLES_DIR "/vendor-completed.json"));
    if (!sample.open(QIODevice::ReadOnly))
        return 2;
    const QByteArray vendor = sample.readAll();
    QTextStream out(stdout);
    out << "bench_validator: statements per second, best of " << Rounds << " rounds taken in turn, " << seconds
        << " s per measurement\n";
    constexpr double target = 2.5;
    bool pass = true;
    QList<double> ours; // xAPI 1.0.3, per sample
    for (const auto& [name, input] :
         {std::pair{"vendor-completed.json", vendor}, std::pair{"small statement", smallStatement}}) {
        for (const XapiVersion version : {XapiVersion::V1_0_3, XapiVersion::V2_0_0}) {
            if (!StatementValidator::validateInput(input, version).isValid())
                return 3; // both are valid in both versions: the benchmark measures the full walk
        }
        volatile qsizetype sink = 0;
        // Parse alone, against what the product does to take statements in: parse them and check every rule
        // (StatementValidator::validateInput returns each statement's text and the findings; the callers that need
        // Qt JSON objects, enqueue and the test console, parse that text when they need it).
        const auto validate = [&](XapiVersion version) {
            return [&, version] {
                const StatementBatch batch = StatementValidator::validateInput(input, version);
                sink = sink + batch.statements.first().size() + batch.findings.size();
            };
        };
        const QList<double> measured = rates({[&] { sink = sink + QJsonDocument::fromJson(input).object().size(); },
                                              validate(XapiVersion::V1_0_3), validate(XapiVersion::V2_0_0)},
                                             seconds);
        const double parse = measured[0];
        for (const XapiVersion version : {XapiVersion::V1_0_3, XapiVersion::V2_0_0}) {
            const double both = measured[version == XapiVersion::V1_0_3 ? 1 : 2];
            if (version == XapiVersion::V1_0_3)
                ours << both;
            const double ratio = both / parse;
            pass = pass && ratio >= target;
            out << QStringLiteral("  %1: Qt parse %2/s, parse+validate (xAPI %3) %4/s, ratio %5 (target >= %6) %7\n")
                       .arg(QString::fromLatin1(name).leftJustified(22))
                       .arg(qRound(parse))
                       .arg(XapiVersions::name(version))
                       .arg(qRound(both))
                       .arg(ratio, 0, 'f', 2)
                       .arg(target, 0, 'f', 1)
                       .arg(ratio >= target ? QStringLiteral("PASS") : QStringLiteral("FAIL"));
        }
    }
    // Learning Locker's validator on the same texts, in the same run.
    const QString script = QStringLiteral(COURIER_SOURCE_DIR "/bench/learninglocker/rate.js");
    const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
    QTemporaryDir dir;
    QFile small(dir.filePath(QStringLiteral("small.json")));
    if (node.isEmpty() || !QFile::exists(QStringLiteral(COURIER_SOURCE_DIR "/bench/learninglocker/node_modules")) ||
        !small.open(QIODevice::WriteOnly)) {
        out << "  Learning Locker's validator: not measured (needs node and `npm ci` in bench/learninglocker)\n";
    } else {
        small.write(smallStatement);
        small.close();
        QProcess process;
        process.start(node, {script, QString::number(seconds), sample.fileName(), small.fileName()});
        process.waitForFinished(int(seconds * 4 * 1000) + 30000);
        const QList<QByteArray> lines = process.readAllStandardOutput().trimmed().split('\n');
        if (process.exitCode() != 0 || lines.size() != 2) {
            out << "  Learning Locker's validator: failed (" << process.readAllStandardError().trimmed() << ")\n";
            pass = false;
        }
        for (qsizetype i = 0; i < lines.size() && i < ours.size() && process.exitCode() == 0; ++i) {
            const double theirs = lines[i].split(' ').first().toDouble();
            const double times = theirs > 0 ? ours[i] / theirs : 0;
            const bool vendor = i == 0; // the target is on the vendor sample
            if (vendor)
                pass = pass && times >= 10;
            out << QStringLiteral("  %1: Learning Locker (node) %2/s, ours (xAPI 1.0.3) %3 times its rate%4\n")
                       .arg(QString::fromLatin1(i == 0 ? "vendor-completed.json" : "small statement").leftJustified(22))
                       .arg(qRound(theirs))
                       .arg(times, 0, 'f', 1)
                       .arg(vendor ? (times >= 10 ? QStringLiteral(" (target >= 10) PASS")
                                                  : QStringLiteral(" (target >= 10) FAIL"))
                                   : QString());
        }
    }
    out << (pass ? "PASS\n" : "FAIL\n");
    return pass ? 0 : 1;
}
