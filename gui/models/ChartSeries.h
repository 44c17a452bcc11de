#pragma once
// Point lists for the charts, built from a node's sample history. x is seconds relative to
// `nowMs` (negative: the past), so every node shares one axis whatever its clock says.
//
// The heartbeat chart shows, per sample, the mean Ready-loop period (elapsed / iterations) and
// the longest interval (from the interval histogram's growth), against watchdog.miss.ms.
//
// Painting cost grows with points, not pixels: a 2-minute window at 10 Hz is 1,200 points per
// series, and the stroker cost of that was most of the dashboard's CPU. So the lists are thinned
// to what the chart can show: flat stretches of step lines lose their inner points, other lines
// keep their lowest and highest point per pixel-wide bin (spikes survive; see decimate()).

#include "admin.pb.h"
#include "models/NodeEntry.h"

#include <QList>
#include <QPointF>
#include <QString>

namespace skiff::gui {

struct HistogramBar {
    QString label;     // upper bound of the bar, e.g. "1.00ms"
    qint64 upperMicros = 0;
    quint64 count = 0;
};

class ChartSeries {
public:
    static QList<QPointF> loopInterval(const NodeEntry &node, qint64 nowMs, qint64 windowMs);
    static QList<QPointF> longestInterval(const NodeEntry &node, qint64 nowMs, qint64 windowMs);
    // A step line: the term holds until the sample where it changes. Only its corners are kept.
    static QList<QPointF> termSteps(const NodeEntry &node, qint64 nowMs, qint64 windowMs);
    static QList<QPointF> commitRate(const NodeEntry &node, qint64 nowMs, qint64 windowMs);
    static QList<QPointF> maxFollowerLag(const NodeEntry &node, qint64 nowMs, qint64 windowMs);
    // Any other per-sample figure (the data plane's rates and p99s), its unknown samples (< 0) left out.
    static QList<QPointF> of(const NodeEntry &node, qint64 nowMs, qint64 windowMs, double NodeSample::*figure);

    // At most two points per bin of [fromX, toX] (`bins` equal bins): the lowest and the highest,
    // in time order, plus the newest point; lists that already fit are returned as they are.
    static QList<QPointF> decimate(const QList<QPointF> &points, double fromX, double toX, int bins);
    // Removes the points inside runs of equal y, which draw nothing a straight segment does not.
    static QList<QPointF> dropFlatRuns(const QList<QPointF> &points);

    // The smallest 1, 2, 2.5 or 5 × 10^k at or above `value` (> 0): axis tops that stay put while
    // the data moves a little.
    static double niceCeiling(double value);

    // The histogram's non-empty range merged into at most `maxBars` bars.
    static std::vector<HistogramBar> bars(const admin::Histogram &histogram, int maxBars);
};

} // namespace skiff::gui
