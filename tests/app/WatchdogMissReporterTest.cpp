// Watchdog misses become events: one per loop per check, with the count since the last check,
// nothing while the count stands still, and a re-registered loop (counter back to zero) is not
// mistaken for a burst.
#include "app/WatchdogMissReporter.h"

#include <QTest>

using skiff::app::WatchdogMissReporter;
using skiff::sync::LoopStats;

namespace {

LoopStats loop(const char *name, uint64_t misses)
{
    LoopStats s;
    s.name = name;
    s.misses = misses;
    return s;
}

} // namespace

class WatchdogMissReporterTest : public QObject {
    Q_OBJECT
private slots:
    void reportsGrowthOnly()
    {
        WatchdogMissReporter r(std::chrono::milliseconds(200));
        QVERIFY(r.check({loop("raft", 0), loop("kafka", 0)}).empty());

        auto texts = r.check({loop("raft", 3), loop("kafka", 0)});
        QCOMPARE(texts.size(), size_t(1));
        QCOMPARE(QString::fromStdString(texts[0]),
                 QStringLiteral("loop raft missed its heartbeat 3 times since the last check (silent over watchdog.miss.ms = 200 ms; 3 since start)"));

        QVERIFY(r.check({loop("raft", 3), loop("kafka", 0)}).empty());   // nothing new

        texts = r.check({loop("raft", 4), loop("kafka", 1)});
        QCOMPARE(texts.size(), size_t(2));
        QVERIFY(QString::fromStdString(texts[0]).startsWith(QStringLiteral("loop raft missed its heartbeat 1 time since")));
        QVERIFY(QString::fromStdString(texts[0]).endsWith(QStringLiteral("4 since start)")));
        QVERIFY(QString::fromStdString(texts[1]).startsWith(QStringLiteral("loop kafka missed its heartbeat 1 time")));

        // Registered again: the counter restarts; only what follows is news.
        QVERIFY(r.check({loop("raft", 0)}).empty());
        QCOMPARE(r.check({loop("raft", 2)}).size(), size_t(1));
    }
};

QTEST_GUILESS_MAIN(WatchdogMissReporterTest)
#include "WatchdogMissReporterTest.moc"
