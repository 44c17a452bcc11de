#include "views/ChartKit.h"

#include "models/ChartSeries.h"
#include "models/ClusterModel.h"
#include "views/TimeChartPanel.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QLineSeries>
#include <QValueAxis>

#include <algorithm>
#include <iterator>

namespace skiff::gui::chartkit {
namespace {

const QColor kNodeColors[] = {QColor(0x1f, 0x77, 0xb4), QColor(0xff, 0x7f, 0x0e), QColor(0x2c, 0xa0, 0x2c),
                              QColor(0x94, 0x67, 0xbd), QColor(0x8c, 0x56, 0x4b), QColor(0x17, 0xbe, 0xcf)};

} // namespace

QColor nodeColor(int index) { return kNodeColors[size_t(index) % std::size(kNodeColors)]; }

QPen linePen(const QColor &color, Qt::PenStyle style)
{
    QPen pen(color);
    pen.setWidthF(1.0);
    pen.setStyle(style);
    return pen;
}

QChart *makeChart(const QString &title)
{
    auto *chart = new QChart;
    chart->setTitle(title);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->setAnimationOptions(QChart::NoAnimation);   // 4 Hz bulk replaces; animation would lag behind
    return chart;
}

QChartView *makeView(QChart *chart)
{
    auto *view = new QChartView(chart);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumHeight(180);
    return view;
}

QValueAxis *addAxis(QChart *chart, Qt::Alignment alignment, const QString &title, const QString &format)
{
    auto *axis = new QValueAxis;
    axis->setTitleText(title);
    axis->setLabelFormat(format);
    chart->addAxis(axis, alignment);
    return axis;
}

void setTopAndTicks(QValueAxis *axis, double top)
{
    axis->setRange(0, top);
    axis->setTickInterval(top / 5);
}

double largestY(const QList<QPointF> &points, double floor)
{
    for (const QPointF &p : points)
        floor = std::max(floor, p.y());
    return floor;
}

double niceTop(double largest, double headroom, double floor)
{
    return ChartSeries::niceCeiling(std::max(floor, largest * headroom));
}

void setTimeRange(QValueAxis *axis, double left)
{
    axis->setRange(left, 0);
    axis->setTickInterval(ChartSeries::niceCeiling(-left / 6));
}

void attach(QChart *chart, QLineSeries *series, QValueAxis *x, QValueAxis *y)
{
    chart->addSeries(series);
    series->attachAxis(x);
    series->attachAxis(y);
}

int pointsOf(const QChart *chart)
{
    int n = 0;
    for (QAbstractSeries *s : chart->series())
        if (auto *xy = qobject_cast<QXYSeries *>(s))
            n += int(xy->count());
    return n;
}

QComboBox *makeWindowPicker(qint64 currentMs)
{
    auto *picker = new QComboBox;
    picker->setToolTip(QObject::tr("How far back the time charts reach"));
    for (qint64 ms : TimeChartPanel::kWindowChoicesMs)
        picker->addItem(QObject::tr("%1 min").arg(ms / 60'000), ms);
    picker->setCurrentIndex(picker->findData(currentMs));
    return picker;
}

bool selectWindow(QComboBox *picker, qint64 ms)
{
    const int at = picker->findData(ms);
    if (at < 0)
        return false;
    if (picker->currentIndex() != at) {
        QSignalBlocker block(picker);
        picker->setCurrentIndex(at);
    }
    return true;
}

double windowLeft(const ClusterModel &cluster, qint64 nowMs, qint64 windowMs, qint64 stepMs)
{
    qint64 oldest = nowMs;
    for (const NodeEntry &n : cluster.nodes())
        if (!n.history.empty())
            oldest = std::min(oldest, n.history[0].localMs);
    const qint64 steps = (nowMs - oldest + stepMs - 1) / stepMs;
    return -double(std::clamp<qint64>(steps * stepMs, stepMs, windowMs)) / 1000.0;
}

int binsFor(double plotWidth) { return plotWidth >= 30 ? int(plotWidth / 3) : 200; }

} // namespace skiff::gui::chartkit
