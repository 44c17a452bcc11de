#include "models/ChartSeries.h"

#include "metrics/HistogramBuckets.h"
#include "models/Format.h"

namespace skiff::gui {
namespace {

template <class F>
QList<QPointF> collect(const NodeEntry &node, qint64 nowMs, qint64 windowMs, F value)
{
    QList<QPointF> points;
    const auto &h = node.history;
    for (size_t i = 0; i < h.size(); ++i) {
        const NodeSample &s = h[i];
        if (s.localMs < nowMs - windowMs)
            continue;
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

QList<QPointF> ChartSeries::maxLoopGap(const NodeEntry &node, qint64 nowMs, qint64 windowMs)
{
    return collect(node, nowMs, windowMs, [](const NodeSample &s) { return double(s.maxLoopGapMs); });
}

QList<QPointF> ChartSeries::commitRate(const NodeEntry &node, qint64 nowMs, qint64 windowMs)
{
    return collect(node, nowMs, windowMs, [](const NodeSample &s) { return s.commitRate; });
}

QList<QPointF> ChartSeries::termSteps(const NodeEntry &node, qint64 nowMs, qint64 windowMs)
{
    QList<QPointF> points;
    const auto &h = node.history;
    bool first = true;
    double lastTerm = 0;
    for (size_t i = 0; i < h.size(); ++i) {
        const NodeSample &s = h[i];
        if (s.localMs < nowMs - windowMs)
            continue;
        const double x = double(s.localMs - nowMs) / 1000.0;
        if (!first && double(s.term) != lastTerm)
            points.append(QPointF(x, lastTerm));
        points.append(QPointF(x, double(s.term)));
        lastTerm = double(s.term);
        first = false;
    }
    if (!points.isEmpty())
        points.append(QPointF(0, lastTerm));   // the current term holds until now
    return points;
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
