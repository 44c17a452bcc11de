#include "metrics/Histogram.h"
#include "metrics/HistogramSnapshot.h"

#include <QTest>
#include <algorithm>
#include <cmath>
#include <random>
#include <thread>
#include <vector>

using namespace skiff::metrics;

namespace {
// Log-uniform latencies from 1 µs to ~20 s, so every decade and the overflow bucket get values.
std::vector<int64_t> randomLatencies(uint32_t seed, size_t n)
{
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> exponent(0.0, std::log(2e7));
    std::vector<int64_t> values(n);
    for (auto &v : values)
        v = int64_t(std::exp(exponent(rng)));
    return values;
}
} // namespace

class HistogramTest : public QObject {
    Q_OBJECT
private slots:
    void boundsAreMonotonicAndCoverTheRange()
    {
        QCOMPARE(HistogramBuckets::upperBound(0), int64_t(1));
        for (size_t i = 1; i < HistogramBuckets::kBucketCount; ++i)
            QVERIFY2(HistogramBuckets::upperBound(i) > HistogramBuckets::upperBound(i - 1), qPrintable(QString::number(i)));
        QVERIFY(HistogramBuckets::upperBound(HistogramBuckets::kOverflowBucket - 1) >= 10'000'000);
        QCOMPARE(HistogramBuckets::upperBound(HistogramBuckets::kOverflowBucket), HistogramBuckets::kInfinity);
        // Relative width stays within 1/16 above the linear range: the quantile error bound.
        for (size_t i = 17; i < HistogramBuckets::kOverflowBucket; ++i) {
            const double lo = double(HistogramBuckets::lowerBound(i));
            QVERIFY((double(HistogramBuckets::upperBound(i)) - lo) / lo <= 1.0 / 16 + 1e-12);
        }
    }

    void everyValueLandsInTheBucketContainingIt()
    {
        auto check = [](int64_t v) {
            const size_t b = HistogramBuckets::bucketFor(v);
            if (b == 0)
                return v <= 1;
            return HistogramBuckets::lowerBound(b) < v && v <= HistogramBuckets::upperBound(b);
        };
        for (int64_t v = -5; v <= 100'000; ++v)
            QVERIFY2(check(v), qPrintable(QString::number(v)));
        for (size_t i = 0; i + 1 < HistogramBuckets::kBucketCount; ++i) {
            const int64_t u = HistogramBuckets::upperBound(i);
            QCOMPARE(HistogramBuckets::bucketFor(u), i);
            QCOMPARE(HistogramBuckets::bucketFor(u + 1), i + 1);
        }
        for (int64_t v : randomLatencies(7, 100'000))
            QVERIFY2(check(v), qPrintable(QString::number(v)));
        QCOMPARE(HistogramBuckets::bucketFor(INT64_MAX), HistogramBuckets::kOverflowBucket);
        QCOMPARE(HistogramBuckets::bucketFor(INT64_MIN), size_t(0));
    }

    void snapshotCountsSumMinMax()
    {
        Histogram h;
        QCOMPARE(h.snapshot().count(), uint64_t(0));
        QCOMPARE(h.snapshot().quantile(0.5), int64_t(0));
        for (int64_t v : {5, 100, 3, 20'000'000})
            h.record(v);
        const HistogramSnapshot s = h.snapshot();
        QCOMPARE(s.count(), uint64_t(4));
        QCOMPARE(s.sum(), int64_t(20'000'108));
        QCOMPARE(s.min(), int64_t(3));
        QCOMPARE(s.max(), int64_t(20'000'000));
        QCOMPARE(s.counts()[HistogramBuckets::kOverflowBucket], uint64_t(1));
        QCOMPARE(s.quantile(1.0), int64_t(20'000'000)); // overflow reports max, not +Inf
        QCOMPARE(s.quantile(0.0), int64_t(3));
        h.reset();
        QCOMPARE(h.snapshot().count(), uint64_t(0));
    }

    void mergeEqualsRecordingBothStreams()
    {
        const auto a = randomLatencies(1, 5000);
        const auto b = randomLatencies(2, 7000);
        Histogram ha, hb, both;
        for (int64_t v : a) {
            ha.record(v);
            both.record(v);
        }
        for (int64_t v : b) {
            hb.record(v);
            both.record(v);
        }
        HistogramSnapshot merged = ha.snapshot();
        merged.merge(hb.snapshot());
        const HistogramSnapshot expected = both.snapshot();
        QCOMPARE(merged.counts(), expected.counts());
        QCOMPARE(merged.count(), expected.count());
        QCOMPARE(merged.sum(), expected.sum());
        QCOMPARE(merged.min(), expected.min());
        QCOMPARE(merged.max(), expected.max());
        // Merging into / from an empty snapshot must not invent a min of 0.
        HistogramSnapshot empty;
        empty.merge(merged);
        QCOMPARE(empty.min(), expected.min());
        merged.merge(HistogramSnapshot());
        QCOMPARE(merged.min(), expected.min());
    }

    void quantilesWithinOneBucket()
    {
        auto values = randomLatencies(42, 50'000);
        Histogram h;
        for (int64_t v : values)
            h.record(v);
        std::sort(values.begin(), values.end());
        const HistogramSnapshot s = h.snapshot();
        for (double q : {0.01, 0.1, 0.5, 0.9, 0.99, 0.999, 1.0}) {
            const size_t rank = std::max<size_t>(1, size_t(std::ceil(q * double(values.size()))));
            const int64_t exact = values[rank - 1];
            const int64_t estimate = s.quantile(q);
            const QString what = QString("q=%1 exact=%2 estimate=%3").arg(q).arg(exact).arg(estimate);
            QVERIFY2(estimate >= exact, qPrintable(what));
            if (exact <= HistogramBuckets::kLastFiniteBound) {
                // One bucket's relative error (1/16), or 1 µs in the linear range.
                QVERIFY2(double(estimate - exact) <= std::max(1.0, double(exact) / 16.0), qPrintable(what));
            } else {
                QCOMPARE(estimate, s.max());
            }
        }
    }

    void concurrentRecordingLosesNothing()
    {
        Histogram h;
        constexpr int kThreads = 8;
        constexpr int kPerThread = 200'000;
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&h, t] {
                for (int i = 0; i < kPerThread; ++i)
                    h.record(int64_t(t * 1000 + i % 1000 + 1));
            });
        }
        HistogramSnapshot during = h.snapshot(); // concurrent snapshot must be safe
        for (auto &th : threads)
            th.join();
        QVERIFY(during.count() <= uint64_t(kThreads) * kPerThread);
        const HistogramSnapshot s = h.snapshot();
        QCOMPARE(s.count(), uint64_t(kThreads) * kPerThread);
        int64_t expectedSum = 0;
        for (int t = 0; t < kThreads; ++t)
            for (int i = 0; i < kPerThread; ++i)
                expectedSum += t * 1000 + i % 1000 + 1;
        QCOMPARE(s.sum(), expectedSum);
        QCOMPARE(s.min(), int64_t(1));
        QCOMPARE(s.max(), int64_t(7 * 1000 + 1000));
    }
};

QTEST_GUILESS_MAIN(HistogramTest)
#include "HistogramTest.moc"
