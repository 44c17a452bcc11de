// What the charts draw, without a window: thinning keeps spikes, the newest point and the shape
// of step lines while bounding the point count; the longest Ready-loop interval per sample comes
// from the growth of the node's cumulative histogram; the histogram picker offers every
// histogram a snapshot carries.
#include "FakeAdminServer.h"
#include "metrics/HistogramBuckets.h"
#include "models/ChartSeries.h"
#include "models/HistogramChoices.h"
#include "admin/TrafficRates.h"
#include "models/HistogramDelta.h"

#include <QTest>

using namespace skiff;
using namespace skiff::gui;
using metrics::HistogramBuckets;
using skiff::gui::test::histogramOf;

namespace {

NodeEntry nodeWithTerms(const std::vector<uint64_t> &terms)
{
    NodeEntry n;
    n.history = RingBuffer<NodeSample>(terms.size());
    for (size_t i = 0; i < terms.size(); ++i) {
        NodeSample s;
        s.localMs = qint64(i) * 100;
        s.term = terms[i];
        n.history.push(s);
    }
    return n;
}

} // namespace

class ChartSeriesTest : public QObject {
    Q_OBJECT
private slots:
    void decimateBoundsPointsAndKeepsSpikes()
    {
        // Two minutes at 10 Hz: 1,200 points of 50 ms with one 900 ms and one 1 ms sample.
        QList<QPointF> points;
        for (int i = 0; i < 1200; ++i)
            points.append(QPointF(-120.0 + i * 0.1, i == 700 ? 900.0 : i == 300 ? 1.0 : 50.0));
        const QList<QPointF> thin = ChartSeries::decimate(points, -120.0, 0.0, 150);
        QVERIFY2(thin.size() <= 2 * 150 + 1, qPrintable(QString::number(thin.size())));
        QVERIFY(thin.size() >= 150);   // every bin holds samples: one point or two each
        QCOMPARE(thin.first(), points.first());
        QCOMPARE(thin.last(), points.last());
        QVERIFY(thin.contains(points[700]));
        QVERIFY(thin.contains(points[300]));
        for (int i = 1; i < thin.size(); ++i)
            QVERIFY(thin[i].x() > thin[i - 1].x());   // still in time order
    }

    void decimateLeavesShortListsAlone()
    {
        QList<QPointF> points;
        for (int i = 0; i < 20; ++i)
            points.append(QPointF(-2.0 + i * 0.1, i % 3));
        QCOMPARE(ChartSeries::decimate(points, -10.0, 0.0, 10), points);
        QCOMPARE(ChartSeries::decimate(points, -10.0, 0.0, 0), points);
        QCOMPARE(ChartSeries::decimate({}, -10.0, 0.0, 10), QList<QPointF>{});
    }

    void dropFlatRunsKeepsCorners()
    {
        const QList<QPointF> in{{0, 1}, {1, 1}, {2, 1}, {2, 2}, {3, 2}, {4, 2}, {5, 3}};
        const QList<QPointF> want{{0, 1}, {2, 1}, {2, 2}, {4, 2}, {5, 3}};
        QCOMPARE(ChartSeries::dropFlatRuns(in), want);
        QCOMPARE(ChartSeries::dropFlatRuns({{0, 5}}), (QList<QPointF>{{0, 5}}));
    }

    void termStepsAreOnlyTheCorners()
    {
        std::vector<uint64_t> terms(1200, 7);
        std::fill(terms.begin() + 600, terms.end(), 8);
        const NodeEntry n = nodeWithTerms(terms);
        const qint64 now = 1200 * 100;
        const QList<QPointF> steps = ChartSeries::termSteps(n, now, 200'000);
        // Start of term 7, its end where 8 begins (two points at one x), and "now".
        const QList<QPointF> want{{-120.0, 7}, {-60.0, 7}, {-60.0, 8}, {0.0, 8}};
        QCOMPARE(steps, want);
    }

    void niceCeilings()
    {
        QCOMPARE(ChartSeries::niceCeiling(250), 250.0);
        QCOMPARE(ChartSeries::niceCeiling(251), 500.0);
        QCOMPARE(ChartSeries::niceCeiling(0.3), 0.5);
        QCOMPARE(ChartSeries::niceCeiling(1.2), 2.0);
        QCOMPARE(ChartSeries::niceCeiling(999), 1000.0);
        QCOMPARE(ChartSeries::niceCeiling(1000), 1000.0);
        QCOMPARE(ChartSeries::niceCeiling(0), 1.0);
        for (double v = 0.01; v < 1e6; v *= 1.37)
            QVERIFY(ChartSeries::niceCeiling(v) >= v && ChartSeries::niceCeiling(v) <= 2.5 * v);
    }

    void seriesKeepOnlyTheWindow()
    {
        NodeEntry n;
        n.history = RingBuffer<NodeSample>(100);
        for (int i = 0; i < 150; ++i) {   // the ring keeps the last 100: 5.0 s .. 14.9 s
            NodeSample s;
            s.localMs = i * 100;
            s.loopIntervalMs = 50;
            n.history.push(s);
        }
        const QList<QPointF> last3s = ChartSeries::loopInterval(n, 15'000, 3'000);
        QCOMPARE(last3s.size(), 30);   // 12.0 s .. 14.9 s
        QCOMPARE(last3s.first().x(), -3.0);
        QCOMPARE(ChartSeries::loopInterval(n, 15'000, 60'000).size(), 100);
        QCOMPARE(ChartSeries::loopInterval(n, 15'000, 0).size(), 0);
    }

    void longestIntervalIsTheHighestBucketThatGrew()
    {
        const admin::Histogram before = histogramOf({50'000, 50'000, 400'000});
        // Since then: more 50 ms iterations and one of 250 ms. The 400 ms one is old news.
        const admin::Histogram after = histogramOf({50'000, 250'000}, before);
        const auto longest = HistogramDelta::largestMicros(before, after);
        QVERIFY(longest);
        QCOMPARE(*longest, HistogramBuckets::upperBound(HistogramBuckets::bucketFor(250'000)));
        QVERIFY(*longest >= 250'000 && *longest < 250'000 * 17 / 16);

        QVERIFY(!HistogramDelta::largestMicros(after, after));   // nothing recorded in between
        QVERIFY(!HistogramDelta::largestMicros(after, before));  // counts went down: a restart
        const auto first = HistogramDelta::largestMicros(admin::Histogram{}, before);
        QVERIFY(first && *first >= 400'000);
        const admin::Histogram huge = histogramOf({30'000'000}, before);
        QCOMPARE(*HistogramDelta::largestMicros(before, huge), int64_t(30'000'000));   // overflow: the max
    }

    void intervalPercentilesCountOnlyWhatWasRecordedInBetween()
    {
        // Since start: a hundred slow requests; in the interval: 98 fast and 2 slow ones.
        const admin::Histogram before = histogramOf(std::vector<int64_t>(100, 400'000));
        std::vector<int64_t> recent(98, 1'000);
        recent.push_back(80'000);
        recent.push_back(90'000);
        const admin::Histogram after = histogramOf(recent, before);
        const auto bound = [](int64_t micros) { return HistogramBuckets::upperBound(HistogramBuckets::bucketFor(micros)); };
        QCOMPARE(admin::intervalQuantileMicros(before, after, 0.5), std::optional<int64_t>(bound(1'000)));
        QCOMPARE(admin::intervalQuantileMicros(before, after, 0.98), std::optional<int64_t>(bound(1'000)));
        QCOMPARE(admin::intervalQuantileMicros(before, after, 0.99), std::optional<int64_t>(bound(80'000)));
        QCOMPARE(admin::intervalQuantileMicros(before, after, 1.0), std::optional<int64_t>(bound(90'000)));
        QVERIFY(!admin::intervalQuantileMicros(after, after, 0.99));    // nothing in between
        QVERIFY(!admin::intervalQuantileMicros(after, before, 0.99));   // a restart
        QCOMPARE(admin::intervalQuantileMicros(admin::Histogram{}, before, 0.99), std::optional<int64_t>(bound(400'000)));
    }

    void choicesOfferEveryHistogram()
    {
        admin::StatusSnapshot s;
        *s.mutable_ready_loop_interval_micros() = histogramOf({50'000});
        for (const char *phase : {"persist", "send", "apply", "advance"}) {
            admin::ReadyLoopPhase *p = s.add_ready_loop_phases();
            p->set_phase(phase);
            *p->mutable_micros() = histogramOf({10});
        }
        s.set_wal_fsync_measured(true);
        *s.mutable_wal_fsync_micros() = histogramOf({2'000});
        s.set_log_fsync_measured(true);
        *s.mutable_log_fsync_micros() = histogramOf({3'000});
        admin::LockClass *quiet = s.add_locks();
        quiet->set_name("quiet");
        *quiet->mutable_hold_micros() = histogramOf({1, 1, 1});
        admin::LockClass *busy = s.add_locks();
        busy->set_name("busy");
        *busy->mutable_wait_micros() = histogramOf({100});

        QStringList keys;
        for (const HistogramChoice &c : HistogramChoices::of(s)) {
            keys << c.key;
            QVERIFY(c.histogram);
            QVERIFY(!c.label.isEmpty() && !c.what.isEmpty());
        }
        QCOMPARE(keys, (QStringList{"loop", "phase:persist", "phase:send", "phase:apply", "phase:advance", "wal", "log",
                                    "wait:quiet", "hold:quiet", "wait:busy", "hold:busy"}));
        QCOMPARE(HistogramChoices::of(s)[2].histogram, &s.ready_loop_phases(1).micros());
        // A lock somebody waited for beats one that was only held.
        QCOMPARE(HistogramChoices::mostInteresting(s), QStringLiteral("wait:busy"));
        s.clear_locks();
        QCOMPARE(HistogramChoices::mostInteresting(s), QStringLiteral("loop"));
        QCOMPARE(HistogramChoices::mostInteresting(admin::StatusSnapshot{}), QString());
    }
};

QTEST_GUILESS_MAIN(ChartSeriesTest)
#include "ChartSeriesTest.moc"
