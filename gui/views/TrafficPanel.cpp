#include "views/TrafficPanel.h"

#include "models/ChartSeries.h"
#include "models/ClusterModel.h"
#include "views/ChartKit.h"

#include <QChart>
#include <QChartView>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegendMarker>
#include <QLineSeries>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace skiff::gui {

using namespace chartkit;

namespace {

// The binary unit the largest rate reads best in, and its size.
std::pair<QString, double> byteUnitFor(double largest)
{
    if (largest >= 1024.0 * 1024 * 1024)
        return {QStringLiteral("GiB/s"), 1024.0 * 1024 * 1024};
    if (largest >= 1024.0 * 1024)
        return {QStringLiteral("MiB/s"), 1024.0 * 1024};
    if (largest >= 1024.0)
        return {QStringLiteral("KiB/s"), 1024.0};
    return {QStringLiteral("B/s"), 1.0};
}

QList<QPointF> scaled(QList<QPointF> points, double by)
{
    for (QPointF &p : points)
        p.setY(p.y() / by);
    return points;
}

void hideFromLegend(QChart *chart, QLineSeries *series)
{
    for (QLegendMarker *marker : chart->legend()->markers(series))
        marker->setVisible(false);
}

} // namespace

TrafficPanel::TrafficPanel(ClusterModel *cluster, QWidget *parent)
    : TimeChartPanel(cluster, parent)
{
    m_inChart = makeChart(tr("Bytes in from producers, per node"));
    m_outChart = makeChart(tr("Bytes out per node (solid: to consumers, dotted: to replicas)"));
    m_latencyChart = makeChart(tr("Request p99, ms (solid: Produce acks=all, dotted: consumer Fetch)"));
    m_inX = addAxis(m_inChart, Qt::AlignBottom, QString(), QStringLiteral("%ds"));
    m_inY = addAxis(m_inChart, Qt::AlignLeft, m_bytesUnit, QStringLiteral("%.1f"));
    m_outX = addAxis(m_outChart, Qt::AlignBottom, QString(), QStringLiteral("%ds"));
    m_outY = addAxis(m_outChart, Qt::AlignLeft, m_bytesUnit, QStringLiteral("%.1f"));
    m_latencyX = addAxis(m_latencyChart, Qt::AlignBottom, QString(), QStringLiteral("%ds"));
    m_latencyY = addAxis(m_latencyChart, Qt::AlignLeft, tr("ms"), QStringLiteral("%.1f"));
    for (QValueAxis *axis : {m_inX, m_inY, m_outX, m_outY, m_latencyX, m_latencyY}) {
        axis->setTickType(QValueAxis::TicksDynamic);
        axis->setTickAnchor(0);
    }

    m_notice = new QLabel;
    m_notice->setWordWrap(true);   // always there (empty when every node reports): no relayout
    QHBoxLayout *top = makeWindowRow();
    top->addWidget(m_notice, 1);

    auto *charts = new QHBoxLayout;
    charts->setSpacing(4);
    for (QChart *c : {m_inChart, m_outChart, m_latencyChart})
        charts->addWidget(makeView(c), 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addLayout(top);
    layout->addLayout(charts, 1);

    startRefreshing();
}

void TrafficPanel::applyTheme()
{
    const auto theme = m_dark ? QChart::ChartThemeDark : QChart::ChartThemeLight;
    for (QChart *c : {m_inChart, m_outChart, m_latencyChart}) {
        c->setTheme(theme);
        c->setBackgroundRoundness(0);
    }
    for (auto &[address, s] : m_series) {
        const QColor color = nodeColor(s.colorIndex);
        for (QLineSeries *line : {s.in, s.consumerOut, s.produceP99})
            line->setPen(linePen(color, Qt::SolidLine));
        for (QLineSeries *line : {s.replicaOut, s.fetchP99})
            line->setPen(linePen(color, Qt::DotLine));
    }
}

TrafficPanel::NodeSeries &TrafficPanel::seriesFor(const QString &address, uint64_t nodeId)
{
    auto it = m_series.find(address);
    if (it != m_series.end())
        return it->second;
    NodeSeries s;
    s.colorIndex = m_nextColor++;
    const QString name = nodeId ? tr("node %1").arg(nodeId) : address;
    const auto line = [&](const QString &label) {
        auto *l = new QLineSeries;
        l->setName(label);
        return l;
    };
    s.in = line(name);
    s.consumerOut = line(name);
    s.replicaOut = line(tr("%1 to replicas").arg(name));
    s.produceP99 = line(name);
    s.fetchP99 = line(tr("%1 consumer Fetch").arg(name));
    attach(m_inChart, s.in, m_inX, m_inY);
    attach(m_outChart, s.consumerOut, m_outX, m_outY);
    attach(m_outChart, s.replicaOut, m_outX, m_outY);
    attach(m_latencyChart, s.produceP99, m_latencyX, m_latencyY);
    attach(m_latencyChart, s.fetchP99, m_latencyX, m_latencyY);
    // One legend entry per node: the dotted line shares its colour (the title says which is which).
    hideFromLegend(m_outChart, s.replicaOut);
    hideFromLegend(m_latencyChart, s.fetchP99);
    auto &ref = m_series.emplace(address, s).first->second;
    applyTheme();
    return ref;
}

void TrafficPanel::refresh()
{
    if (!isVisible())
        return;
    const qint64 now = m_cluster->now();
    const double left = windowLeft(*m_cluster, now, m_windowMs, kMinWindowMs);
    const int bins = binsFor(m_inChart->plotArea().width());

    for (auto it = m_series.begin(); it != m_series.end();) {
        if (!m_cluster->nodeByAddress(it->first)) {
            const NodeSeries &s = it->second;
            for (QLineSeries *line : {s.in, s.consumerOut, s.replicaOut, s.produceP99, s.fetchP99}) {
                line->chart()->removeSeries(line);
                delete line;
            }
            it = m_series.erase(it);
        } else {
            ++it;
        }
    }
    struct Lines {
        NodeSeries *series;
        QList<QPointF> in, consumerOut, replicaOut, produceP99, fetchP99;
    };
    std::vector<Lines> lines;
    double bytesMax = 0, latencyMax = 0;
    for (const NodeEntry &n : m_cluster->nodes()) {
        if (!n.hasSnapshot)
            continue;
        const auto of = [&](double NodeSample::*figure) {
            return ChartSeries::decimate(ChartSeries::of(n, now, m_windowMs, figure), left, 0, bins);
        };
        Lines l{&seriesFor(n.address, n.latest.node_id()), of(&NodeSample::bytesIn), of(&NodeSample::consumerBytesOut),
                of(&NodeSample::replicaBytesOut), of(&NodeSample::produceAllP99Ms), of(&NodeSample::fetchConsumerP99Ms)};
        bytesMax = largestY(l.in, largestY(l.consumerOut, largestY(l.replicaOut, bytesMax)));
        latencyMax = largestY(l.produceP99, largestY(l.fetchP99, latencyMax));
        lines.push_back(std::move(l));
    }
    // One unit for both byte charts, so their lines compare at a glance.
    const auto [unit, size] = byteUnitFor(bytesMax);
    m_bytesUnit = unit;
    for (Lines &l : lines) {
        l.series->in->replace(scaled(l.in, size));
        l.series->consumerOut->replace(scaled(l.consumerOut, size));
        l.series->replicaOut->replace(scaled(l.replicaOut, size));
        l.series->produceP99->replace(l.produceP99);
        l.series->fetchP99->replace(l.fetchP99);
    }
    for (QValueAxis *x : {m_inX, m_outX, m_latencyX})
        setTimeRange(x, left);
    // Set only when they change: every range change lays out every series of the chart again.
    for (QValueAxis *y : {m_inY, m_outY}) {
        if (y->titleText() != unit)
            y->setTitleText(unit);
        setTopAndTicks(y, niceTop(bytesMax / size, 1.2, 1));
    }
    setTopAndTicks(m_latencyY, niceTop(latencyMax, 1.2, 2));

    const QStringList old = m_cluster->nodesWithoutTraffic();
    const QString text = old.isEmpty() ? QString()
                                       : tr("%1: node too old for this view (it reports no traffic); not charted")
                                             .arg(old.join(QStringLiteral(", ")));
    m_notice->setText(text);   // QLabel ignores an unchanged text
}

int TrafficPanel::bytesInPoints() const { return pointsOf(m_inChart); }
int TrafficPanel::bytesOutPoints() const { return pointsOf(m_outChart); }
int TrafficPanel::latencyPoints() const { return pointsOf(m_latencyChart); }
QString TrafficPanel::notice() const { return m_notice->text(); }

} // namespace skiff::gui
