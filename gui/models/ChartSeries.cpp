#include "models/ChartSeries.h"

#include "metrics/HistogramBuckets.h"
#include "models/Format.h"

#include <algorithm>
#include <cmath>

namespace skiff::gui {
namespace {

// The first sample at or after `fromMs` (samples are in arrival order): the rings hold ten
// minutes, a window may be one.
size_t firstFrom(const RingBuffer<NodeSample> &h, qint64 fromMs)
{
    size_t lo = 0, hi = h.size();
    while (lo < hi) {
        const size_t mid = lo + (hi - lo) / 2;
        if (h[mid].localMs < fromMs)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

template <class F>
QList<QPointF> collect(const NodeEntry &node, qint64 nowMs, qint64 windowMs, F value)
{
    QList<QPointF> points;
    const auto &h = node.history;
    for (size_t i = firstFrom(h, nowMs - windowMs); i < h.size(); ++i) {
        const NodeSample &s = h[i];
        const double y = value(s);
        if (y >= 0)
            points.append(QPointF(double(s.localMs - nowMs) / 1000.0, y));
    }
    return points;
}

} // namespace

QList<QPointF> ChartSeries::loopInterval(const NodeEntry &node, qint64 nowMs, qint64 windowMs)
{
    return collect(node, nowMs, windowMs, [](const NodeSample &s) { return s.loopIntervalMs; });
}

QList<QPointF> ChartSeries::longestInterval(const NodeEntry &node, qint64 nowMs, qint64 windowMs)
{
    return collect(node, nowMs, windowMs, [](const NodeSample &s) { return s.longestIntervalMs; });
}

QList<QPointF> ChartSeries::commitRate(const NodeEntry &node, qint64 nowMs, qint64 windowMs)
{
    return collect(node, nowMs, windowMs, [](const NodeSample &s) { return s.commitRate; });
}

QList<QPointF> ChartSeries::maxFollowerLag(const NodeEntry &node, qint64 nowMs, qint64 windowMs)
{
    return collect(node, nowMs, windowMs, [](const NodeSample &s) { return s.maxFollowerLag; });
}

QList<QPointF> ChartSeries::of(const NodeEntry &node, qint64 nowMs, qint64 windowMs, double NodeSample::*figure)
{
    return collect(node, nowMs, windowMs, [figure](const NodeSample &s) { return s.*figure; });
}

QList<QPointF> ChartSeries::termSteps(const NodeEntry &node, qint64 nowMs, qint64 windowMs)
{
    QList<QPointF> points;
    const auto &h = node.history;
    bool first = true;
    double lastTerm = 0;
    for (size_t i = firstFrom(h, nowMs - windowMs); i < h.size(); ++i) {
        const NodeSample &s = h[i];
        const double x = double(s.localMs - nowMs) / 1000.0;
        if (!first && double(s.term) != lastTerm)
            points.append(QPointF(x, lastTerm));
        points.append(QPointF(x, double(s.term)));
        lastTerm = double(s.term);
        first = false;
    }
    if (!points.isEmpty())
        points.append(QPointF(0, lastTerm));   // the current term holds until now
    return dropFlatRuns(points);
}

QList<QPointF> ChartSeries::decimate(const QList<QPointF> &points, double fromX, double toX, int bins)
{
    if (bins < 1 || toX <= fromX || points.size() <= 2 * qsizetype(bins))
        return points;
    const double width = (toX - fromX) / bins;
    const auto binOf = [&](const QPointF &p) { return std::clamp(int((p.x() - fromX) / width), 0, bins - 1); };
    QList<QPointF> out;
    out.reserve(2 * bins + 1);
    for (qsizetype i = 0; i < points.size();) {
        const int bin = binOf(points[i]);
        qsizetype lo = i, hi = i, j = i + 1;
        for (; j < points.size() && binOf(points[j]) == bin; ++j) {
            if (points[j].y() < points[lo].y())
                lo = j;
            if (points[j].y() > points[hi].y())
                hi = j;
        }
        out.append(points[std::min(lo, hi)]);
        if (lo != hi)
            out.append(points[std::max(lo, hi)]);
        i = j;
    }
    if (out.last() != points.last())
        out.append(points.last());   // the line ends at the newest sample
    return out;
}

QList<QPointF> ChartSeries::dropFlatRuns(const QList<QPointF> &points)
{
    QList<QPointF> out;
    for (qsizetype i = 0; i < points.size(); ++i) {
        const bool inner = i > 0 && i + 1 < points.size() && points[i - 1].y() == points[i].y() &&
                           points[i + 1].y() == points[i].y();
        if (!inner)
            out.append(points[i]);
    }
    return out;
}

double ChartSeries::niceCeiling(double value)
{
    if (!(value > 0))
        return 1;
    const double power = std::pow(10.0, std::floor(std::log10(value)));
    for (double step : {1.0, 2.0, 2.5, 5.0, 10.0})
        if (step * power >= value * (1 - 1e-12))
            return step * power;
    return 10 * power;
}

std::vector<HistogramBar> ChartSeries::bars(const admin::Histogram &histogram, int maxBars)
{
    using metrics::HistogramBuckets;
    const auto &counts = histogram.bucket_counts();
    int lo = -1, hi = -1;
    for (int i = 0; i < counts.size(); ++i)
        if (counts[i]) {
            if (lo < 0)
                lo = i;
            hi = i;
        }
    std::vector<HistogramBar> out;
    if (lo < 0 || maxBars < 1)
        return out;
    const int span = hi - lo + 1;
    const int per = (span + maxBars - 1) / maxBars;
    for (int start = lo; start <= hi; start += per) {
        HistogramBar bar;
        const int end = std::min(hi, start + per - 1);
        for (int i = start; i <= end; ++i)
            bar.count += counts[i];
        bar.upperMicros = HistogramBuckets::upperBound(size_t(end));
        // Short labels: the axis draws them rotated under narrow bars.
        bar.label = bar.upperMicros == HistogramBuckets::kInfinity ? QStringLiteral(">10s") : formatMicros(bar.upperMicros).remove(QLatin1Char(' '));
        out.push_back(bar);
    }
    return out;
}

} // namespace skiff::gui
