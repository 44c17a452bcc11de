#pragma once
// Point lists for the charts, built from a node's sample history. x is seconds relative to
// `nowMs` (negative: the past), so every node shares one axis whatever its clock says.
//
// The snapshot has no Ready-loop interval histogram: it carries the iteration counter and the
// largest gap since start. So the "heartbeat interval" chart shows the mean period between two
// samples (elapsed / iterations) and the running maximum gap, against watchdog.miss.ms.

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
    static QList<QPointF> maxLoopGap(const NodeEntry &node, qint64 nowMs, qint64 windowMs);
    // A step line: the term holds until the sample where it changes.
    static QList<QPointF> termSteps(const NodeEntry &node, qint64 nowMs, qint64 windowMs);
    static QList<QPointF> commitRate(const NodeEntry &node, qint64 nowMs, qint64 windowMs);

    // The histogram's non-empty range merged into at most `maxBars` bars.
    static std::vector<HistogramBar> bars(const admin::Histogram &histogram, int maxBars);
};

} // namespace skiff::gui
