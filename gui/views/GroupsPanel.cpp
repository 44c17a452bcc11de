#include "views/GroupsPanel.h"

#include "models/ChartSeries.h"
#include "models/ClusterModel.h"
#include "views/ChartKit.h"

#include <QChart>
#include <QChartView>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <set>

namespace skiff::gui {

using namespace chartkit;

GroupsPanel::GroupsPanel(ClusterModel *cluster, QWidget *parent)
    : TimeChartPanel(cluster, parent)
{
    m_chart = makeChart(tr("Total lag per consumer group (messages)"));
    m_x = addAxis(m_chart, Qt::AlignBottom, QString(), QStringLiteral("%ds"));
    m_y = addAxis(m_chart, Qt::AlignLeft, tr("messages"), QStringLiteral("%d"));
    for (QValueAxis *axis : {m_x, m_y}) {
        axis->setTickType(QValueAxis::TicksDynamic);
        axis->setTickAnchor(0);
    }
    m_notice = new QLabel;
    m_notice->setWordWrap(true);
    QHBoxLayout *top = makeWindowRow();
    top->addWidget(m_notice, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(makeView(m_chart), 1);
    startRefreshing();
}

void GroupsPanel::applyTheme()
{
    m_chart->setTheme(m_dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    m_chart->setBackgroundRoundness(0);
    for (auto &[id, s] : m_series)
        s.line->setPen(linePen(nodeColor(s.colorIndex), Qt::SolidLine));
}

void GroupsPanel::refresh()
{
    if (!isVisible())
        return;
    const qint64 now = m_cluster->now();
    const double left = windowLeft(*m_cluster, now, m_windowMs, kMinWindowMs);
    const qint64 fromMs = now + qint64(left * 1000);
    const int bins = binsFor(m_chart->plotArea().width());

    // The groups with the most lag now (a growing one first), at most kChartedGroups.
    std::vector<const GroupEntry *> charted;
    for (const GroupEntry &g : m_cluster->groups())
        if (!g.lag.empty())
            charted.push_back(&g);
    std::sort(charted.begin(), charted.end(), [](const GroupEntry *a, const GroupEntry *b) {
        return std::make_pair(a->lagGrowing, a->totalLag) > std::make_pair(b->lagGrowing, b->totalLag);
    });
    if (charted.size() > size_t(kChartedGroups))
        charted.resize(size_t(kChartedGroups));
    std::set<std::string> keep;
    for (const GroupEntry *g : charted)
        keep.insert(g->group.group_id());
    for (auto it = m_series.begin(); it != m_series.end();) {
        if (!keep.count(it->first)) {
            m_chart->removeSeries(it->second.line);
            delete it->second.line;
            it = m_series.erase(it);
        } else {
            ++it;
        }
    }
    double lagMax = 0;
    for (const GroupEntry *g : charted) {
        auto [it, added] = m_series.try_emplace(g->group.group_id());
        if (added) {
            it->second.line = new QLineSeries;
            it->second.line->setName(QString::fromStdString(g->group.group_id()));
            it->second.colorIndex = m_nextColor++;
            attach(m_chart, it->second.line, m_x, m_y);
            it->second.line->setPen(linePen(nodeColor(it->second.colorIndex), Qt::SolidLine));
        }
        QList<QPointF> points;
        for (size_t i = 0; i < g->lag.size(); ++i)
            if (g->lag[i].localMs >= fromMs)
                points.append(QPointF(double(g->lag[i].localMs - now) / 1000.0, double(g->lag[i].totalLag)));
        lagMax = largestY(points, lagMax);
        it->second.line->replace(ChartSeries::decimate(points, left, 0, bins));
    }
    setTimeRange(m_x, left);
    setTopAndTicks(m_y, niceTop(lagMax, 1.2, 10));

    QString text = m_cluster->groupNotices().join(QLatin1Char('\n'));
    if (text.isEmpty() && m_cluster->hasGroups() && m_cluster->groups().empty())
        text = tr("no consumer group on any node");
    else if (text.isEmpty() && !m_cluster->hasGroups())
        text = tr("asking the nodes for their groups…");
    m_notice->setText(text);
}

int GroupsPanel::lagPoints() const { return pointsOf(m_chart); }
QString GroupsPanel::notice() const { return m_notice->text(); }

} // namespace skiff::gui
