#pragma once
// What every time chart of the dashboard is made of (ChartsPanel, TrafficPanel): node colours,
// one-pixel pens, charts without animation, axes with ticks that stay put, and the window's left
// edge. One home, so the panels look and cost the same.

#include <QColor>
#include <QList>
#include <QPen>
#include <QPointF>
#include <QString>

class QChart;
class QChartView;
class QComboBox;
class QLineSeries;
class QValueAxis;

namespace skiff::gui {

class ClusterModel;

namespace chartkit {

// Distinguishable on light and dark backgrounds; a node keeps its colour by its index.
QColor nodeColor(int index);
// One pixel wide: the raster engine draws such lines with its cosmetic stroker; a wider pen goes
// through QStroker (joins, atan2 per segment), which was most of the dashboard's CPU time.
QPen linePen(const QColor &color, Qt::PenStyle style);
QChart *makeChart(const QString &title);
QChartView *makeView(QChart *chart);
QValueAxis *addAxis(QChart *chart, Qt::Alignment alignment, const QString &title, const QString &format);
// A y axis from 0 to `top` with five ticks (top is a nice number, so they are too).
void setTopAndTicks(QValueAxis *axis, double top);
// The largest y of `points`, or `floor` when that is larger (chainable over several lines).
double largestY(const QList<QPointF> &points, double floor);
// The top of a y axis for values up to `largest`: `headroom` times it (so the highest point stays
// clear of the chart's edge), at least `floor`, rounded up to 1, 2, 2.5 or 5 x 10^k. Rounded,
// the top moves only when the data outgrows it: every range change lays out every series again.
double niceTop(double largest, double headroom, double floor);
// A time axis from `left` (seconds, negative) to 0, ticks on whole steps back from now.
void setTimeRange(QValueAxis *axis, double left);
void attach(QChart *chart, QLineSeries *series, QValueAxis *x, QValueAxis *y);
int pointsOf(const QChart *chart);
// The Window picker: TimeChartPanel::kWindowChoicesMs, `currentMs` chosen.
QComboBox *makeWindowPicker(qint64 currentMs);
// Selects `ms` in `picker` without signalling; false when it is not a choice.
bool selectWindow(QComboBox *picker, qint64 ms);

// The time axis' left edge (seconds, negative): the window grows with the history up to
// `windowMs`, so a fresh dashboard is not a blank chart with a sliver of data at its right edge;
// it grows in `stepMs` steps, because every change of the range lays out each series and axis
// again.
double windowLeft(const ClusterModel &cluster, qint64 nowMs, qint64 windowMs, qint64 stepMs);
// Bins for ChartSeries::decimate: one per three pixels of the plot width (200 before the first
// layout, when there is no plot area yet).
int binsFor(double plotWidth);

} // namespace chartkit
} // namespace skiff::gui
