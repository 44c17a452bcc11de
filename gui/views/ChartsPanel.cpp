#include "views/ChartsPanel.h"

#include "models/ChartSeries.h"
#include "models/ClusterModel.h"
#include "models/Format.h"
#include "models/HistogramChoices.h"
#include "views/ChartKit.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPen>
#include <QTimer>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace skiff::gui {
using namespace chartkit;

ChartsPanel::ChartsPanel(ClusterModel *cluster, QWidget *parent)
    : TimeChartPanel(cluster, parent)
{
    m_loopChart = makeChart(tr("Ready-loop period, ms (solid: mean per sample, dotted: longest interval per sample)"));
    m_loopX = addAxis(m_loopChart, Qt::AlignBottom, QString(), QStringLiteral("%ds"));
    m_loopY = addAxis(m_loopChart, Qt::AlignLeft, tr("ms"), QStringLiteral("%d"));
    m_threshold = new QLineSeries;
    m_threshold->setName(tr("miss threshold"));
    attach(m_loopChart, m_threshold, m_loopX, m_loopY);

    m_termChart = makeChart(tr("Raft term"));
    m_termX = addAxis(m_termChart, Qt::AlignBottom, QString(), QStringLiteral("%ds"));
    m_termY = addAxis(m_termChart, Qt::AlignLeft, tr("term"), QStringLiteral("%d"));
    for (QValueAxis *y : {m_loopY, m_termY}) {
        y->setTickType(QValueAxis::TicksDynamic);
        y->setTickAnchor(0);
    }

    m_commitChart = makeChart(tr("Commit index rate (entries/s)"));
    m_commitX = addAxis(m_commitChart, Qt::AlignBottom, QString(), QStringLiteral("%ds"));
    m_commitY = addAxis(m_commitChart, Qt::AlignLeft, tr("/s"), QStringLiteral("%.1f"));
    // Per node: the furthest behind of the followers of the partitions it leads (only leaders
    // know); a follower falling out of the ISR shows as a climbing line on its leader.
    m_lagChart = makeChart(tr("Largest follower lag per leader (messages)"));
    m_lagX = addAxis(m_lagChart, Qt::AlignBottom, QString(), QStringLiteral("%ds"));
    m_lagY = addAxis(m_lagChart, Qt::AlignLeft, tr("messages"), QStringLiteral("%d"));
    for (QValueAxis *axis : {m_commitY, m_loopX, m_termX, m_commitX, m_lagX, m_lagY}) {
        axis->setTickType(QValueAxis::TicksDynamic);
        axis->setTickAnchor(0);
    }

    m_histChart = makeChart(tr("Latency histogram"));
    m_histChart->legend()->hide();
    m_bars = new QBarSeries;
    m_bars->setBarWidth(0.9);
    m_histChart->addSeries(m_bars);
    m_histX = new QBarCategoryAxis;
    m_histX->setLabelsAngle(-90);
    m_histChart->addAxis(m_histX, Qt::AlignBottom);
    m_histY = addAxis(m_histChart, Qt::AlignLeft, tr("count"), QStringLiteral("%d"));
    m_histY->setTickType(QValueAxis::TicksDynamic);
    m_histY->setTickAnchor(0);
    m_bars->attachAxis(m_histX);
    m_bars->attachAxis(m_histY);

    m_histNode = new QComboBox;
    m_histNode->setToolTip(tr("Node whose histograms are shown"));
    m_histSource = new QComboBox;
    m_histSource->setToolTip(tr("Histogram: the Ready loop's interval or a phase of it, WAL or partition-log fsync, or a tracked lock's wait or hold time"));
    m_histSource->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_histStats = new QLabel;
    m_histStats->setWordWrap(true);
    m_histStats->setTextInteractionFlags(Qt::TextSelectableByMouse);
    connect(m_histNode, &QComboBox::currentIndexChanged, this, [this] {
        refillHistogramChoices();
        refreshHistogram();
    });
    connect(m_histSource, &QComboBox::currentIndexChanged, this, &ChartsPanel::refreshHistogram);

    auto *histBox = new QWidget;
    auto *histLayout = new QVBoxLayout(histBox);
    histLayout->setContentsMargins(0, 0, 0, 0);
    auto *pick = new QHBoxLayout;
    auto *nodeLabel = new QLabel(tr("&Node:"));
    nodeLabel->setBuddy(m_histNode);
    auto *sourceLabel = new QLabel(tr("&Histogram:"));
    sourceLabel->setBuddy(m_histSource);
    pick->addWidget(nodeLabel);
    pick->addWidget(m_histNode);
    pick->addWidget(sourceLabel);
    pick->addWidget(m_histSource, 1);
    histLayout->addLayout(pick);
    histLayout->addWidget(m_histStats);
    histLayout->addWidget(makeView(m_histChart), 1);

    QHBoxLayout *windowRow = makeWindowRow();
    windowRow->addStretch(1);

    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setSpacing(4);
    grid->addLayout(windowRow, 0, 0, 1, 2);
    grid->addWidget(makeView(m_loopChart), 1, 0);
    grid->addWidget(makeView(m_termChart), 1, 1);
    // Commit rate and follower lag share a cell: a third row would push the panel past 800 px.
    auto *rates = new QHBoxLayout;
    rates->setSpacing(4);
    rates->addWidget(makeView(m_commitChart), 1);
    rates->addWidget(makeView(m_lagChart), 1);
    grid->addLayout(rates, 2, 0);
    grid->addWidget(histBox, 2, 1);
    grid->setRowStretch(1, 1);
    grid->setRowStretch(2, 1);
    grid->setColumnStretch(0, 1);
    grid->setColumnStretch(1, 1);

    startRefreshing();
}

void ChartsPanel::setWatchdogMissMs(int ms)
{
    m_watchdogMissMs = ms;
    refresh();
}

void ChartsPanel::applyTheme()
{
    const auto theme = m_dark ? QChart::ChartThemeDark : QChart::ChartThemeLight;
    for (QChart *c : {m_loopChart, m_termChart, m_commitChart, m_lagChart, m_histChart}) {
        c->setTheme(theme);
        c->setBackgroundRoundness(0);
    }
    // A theme recolours every series: put ours back.
    m_threshold->setPen(linePen(QColor(220, 40, 40), Qt::DashLine));
    for (auto &[address, s] : m_series) {
        const QColor color = nodeColor(s.colorIndex);
        for (QLineSeries *line : {s.loop, s.term, s.commit, s.lag})
            line->setPen(linePen(color, Qt::SolidLine));
        s.longest->setPen(linePen(color, Qt::DotLine));
    }
    for (QBarSet *set : m_bars->barSets())
        set->setColor(QColor(0x1f, 0x77, 0xb4));
}

ChartsPanel::NodeSeries &ChartsPanel::seriesFor(const QString &address, uint64_t nodeId)
{
    auto it = m_series.find(address);
    if (it != m_series.end())
        return it->second;
    NodeSeries s;
    s.colorIndex = m_nextColor++;
    const QString name = nodeId ? tr("node %1").arg(nodeId) : address;
    s.loop = new QLineSeries;
    s.loop->setName(name);
    s.longest = new QLineSeries;
    s.longest->setName(tr("%1 longest").arg(name));
    s.term = new QLineSeries;
    s.term->setName(name);
    s.commit = new QLineSeries;
    s.commit->setName(name);
    s.lag = new QLineSeries;
    s.lag->setName(name);
    attach(m_loopChart, s.loop, m_loopX, m_loopY);
    attach(m_loopChart, s.longest, m_loopX, m_loopY);
    // One legend entry per node: the dotted longest-interval line shares its colour (the title says so).
    for (QLegendMarker *marker : m_loopChart->legend()->markers(s.longest))
        marker->setVisible(false);
    attach(m_termChart, s.term, m_termX, m_termY);
    attach(m_commitChart, s.commit, m_commitX, m_commitY);
    attach(m_lagChart, s.lag, m_lagX, m_lagY);
    auto &ref = m_series.emplace(address, s).first->second;
    applyTheme();
    return ref;
}

void ChartsPanel::refresh()
{
    // Nothing to draw for while another tab is shown or the window is minimised; render() and
    // showing the panel again call this directly.
    if (!isVisible())
        return;
    const qint64 now = m_cluster->now();
    const double left = windowLeft(*m_cluster, now, m_windowMs, kMinWindowMs);
    double loopMax = 0, termMin = -1, termMax = 1, commitMax = 0, lagMax = 0;
    // At most two points (lowest, highest) per bin of three pixels of the narrowest time chart:
    // spikes stay, and a line of ~2,000 samples costs what a few hundred do. Before the first
    // layout there is no plot area yet.
    const int bins = binsFor(std::min({m_loopChart->plotArea().width(), m_commitChart->plotArea().width()}));

    // Nodes that went away lose their series.
    for (auto it = m_series.begin(); it != m_series.end();) {
        if (!m_cluster->nodeByAddress(it->first)) {
            for (QLineSeries *line :
                 {it->second.loop, it->second.longest, it->second.term, it->second.commit, it->second.lag}) {
                line->chart()->removeSeries(line);
                delete line;
            }
            it = m_series.erase(it);
        } else {
            ++it;
        }
    }
    for (const NodeEntry &n : m_cluster->nodes()) {
        if (!n.hasSnapshot)
            continue;
        NodeSeries &s = seriesFor(n.address, n.latest.node_id());
        const QList<QPointF> loop = ChartSeries::decimate(ChartSeries::loopInterval(n, now, m_windowMs), left, 0, bins);
        const QList<QPointF> longest = ChartSeries::decimate(ChartSeries::longestInterval(n, now, m_windowMs), left, 0, bins);
        const QList<QPointF> term = ChartSeries::termSteps(n, now, m_windowMs);
        const QList<QPointF> commit = ChartSeries::decimate(ChartSeries::commitRate(n, now, m_windowMs), left, 0, bins);
        s.loop->replace(loop);
        s.longest->replace(longest);
        s.term->replace(term);
        s.commit->replace(commit);
        const QList<QPointF> lag = ChartSeries::decimate(ChartSeries::maxFollowerLag(n, now, m_windowMs), left, 0, bins);
        s.lag->replace(lag);
        lagMax = largestY(lag, lagMax);
        loopMax = largestY(loop, largestY(longest, loopMax));
        for (const QPointF &p : term) {
            termMin = termMin < 0 ? p.y() : std::min(termMin, p.y());
            termMax = std::max(termMax, p.y());
        }
        commitMax = largestY(commit, commitMax);
    }
    m_threshold->replace(QList<QPointF>{QPointF(left, m_watchdogMissMs), QPointF(0, m_watchdogMissMs)});
    // Ticks on whole seconds from "now" backwards (-10s … 0s; -120s, -100s … 0s).
    for (QValueAxis *x : {m_loopX, m_termX, m_commitX, m_lagX})
        setTimeRange(x, left);
    // Every range change re-lays out every series of its chart (Qt Charts strokes a hit-test
    // shape per series each time), so a range is only set when it really moves: the y tops are
    // rounded up to 1, 2, 2.5 or 5 × 10^k and set once, instead of setRange + applyNiceNumbers
    // (two changes per redraw).
    setTopAndTicks(m_loopY, niceTop(loopMax, 1.1, m_watchdogMissMs * 1.25));
    m_termY->setRange(std::max(0.0, termMin - 1), termMax + 1);
    m_termY->setTickInterval(std::max(1.0, std::ceil((termMax - termMin + 2) / 5)));
    setTopAndTicks(m_commitY, niceTop(commitMax, 1.2, 1));
    setTopAndTicks(m_lagY, niceTop(lagMax, 1.2, 10));
    refillHistogramChoices();
    refreshHistogram();
}

void ChartsPanel::refillHistogramChoices()
{
    // Nodes.
    QStringList addresses;
    for (const NodeEntry &n : m_cluster->nodes())
        if (n.hasSnapshot)
            addresses << n.address;
    QStringList current;
    for (int i = 0; i < m_histNode->count(); ++i)
        current << m_histNode->itemData(i).toString();
    if (current != addresses) {
        const QString keep = m_histNode->currentData().toString();
        QSignalBlocker block(m_histNode);
        m_histNode->clear();
        for (const QString &a : addresses)
            m_histNode->addItem(tr("node %1").arg(m_cluster->nodeByAddress(a)->latest.node_id()), a);
        const int at = m_histNode->findData(keep);
        m_histNode->setCurrentIndex(at >= 0 ? at : 0);
    }
    // Histograms of the chosen node.
    const NodeEntry *n = m_cluster->nodeByAddress(m_histNode->currentData().toString());
    QStringList keys, labels;
    if (n && n->hasSnapshot)
        for (const HistogramChoice &c : HistogramChoices::of(n->latest)) {
            keys << c.key;
            labels << c.label;
        }
    current.clear();
    for (int i = 0; i < m_histSource->count(); ++i)
        current << m_histSource->itemData(i).toString();
    if (current != keys) {
        QString keep = m_histSource->currentData().toString();
        if (keep.isEmpty() && n && n->hasSnapshot)
            keep = HistogramChoices::mostInteresting(n->latest);   // first time
        QSignalBlocker block(m_histSource);
        m_histSource->clear();
        for (int i = 0; i < keys.size(); ++i)
            m_histSource->addItem(labels[i], keys[i]);
        const int at = m_histSource->findData(keep);
        m_histSource->setCurrentIndex(at >= 0 ? at : 0);
    }
}

void ChartsPanel::refreshHistogram()
{
    const NodeEntry *n = m_cluster->nodeByAddress(m_histNode->currentData().toString());
    const QString key = m_histSource->currentData().toString();
    const std::vector<HistogramChoice> choices = n && n->hasSnapshot ? HistogramChoices::of(n->latest)
                                                                     : std::vector<HistogramChoice>{};
    const admin::Histogram *h = nullptr;
    QString what;
    for (const HistogramChoice &c : choices)
        if (c.key == key) {
            h = c.histogram;
            what = c.what;
        }
    const std::vector<HistogramBar> bars = h ? ChartSeries::bars(*h, 16) : std::vector<HistogramBar>{};
    QStringList categories;
    QList<qreal> values;
    qreal maxCount = 0;
    for (const HistogramBar &b : bars) {
        categories << b.label;
        values << qreal(b.count);
        maxCount = std::max(maxCount, qreal(b.count));
    }
    QBarSet *set = m_bars->barSets().isEmpty() ? nullptr : m_bars->barSets().first();
    if (!set) {
        set = new QBarSet(tr("count"));
        set->setColor(QColor(0x1f, 0x77, 0xb4));
        m_bars->append(set);
    }
    if (m_histX->categories() != categories) {
        m_histX->clear();
        m_histX->append(categories.isEmpty() ? QStringList{QStringLiteral(" ")} : categories);
    }
    set->remove(0, int(set->count()));
    set->append(values);
    setTopAndTicks(m_histY, niceTop(maxCount, 1.1, 5));

    QString stats;
    if (!n || !n->hasSnapshot)
        stats = tr("no node answers yet");
    else if (!h)
        stats = choices.empty() ? tr("this node reports no latency histograms") : tr("choose a histogram");
    else if (h->count() == 0)
        stats = tr("%1: no samples yet").arg(what);
    else
        stats = tr("%1: %2 samples · p50 %3 · p99 %4 · max %5")
                    .arg(what)
                    .arg(h->count())
                    .arg(formatMicros(h->p50()), formatMicros(h->p99()), formatMicros(h->max()));
    if (n && n->hasSnapshot && !n->latest.wal_fsync_measured())
        stats += tr("  (WAL fsync: not measured by this node)");
    if (n && n->hasSnapshot && !n->latest.log_fsync_measured())
        stats += tr("  (partition-log fsync: none yet on this node)");
    m_histStats->setText(stats);
}

int ChartsPanel::loopPoints() const { return pointsOf(m_loopChart) - int(m_threshold->count()); }
double ChartsPanel::loopMaxMs() const { return m_loopY->max(); }
int ChartsPanel::termPoints() const { return pointsOf(m_termChart); }
int ChartsPanel::commitPoints() const { return pointsOf(m_commitChart); }
int ChartsPanel::lagPoints() const { return pointsOf(m_lagChart); }
int ChartsPanel::histogramBars() const
{
    return m_bars->barSets().isEmpty() ? 0 : int(m_bars->barSets().first()->count());
}
QString ChartsPanel::histogramTitle() const { return m_histStats->text(); }
double ChartsPanel::timeAxisLeft() const { return m_loopX->min(); }

} // namespace skiff::gui
