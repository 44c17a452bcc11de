#pragma once
// Total lag per consumer group over time (the groups with the most lag now, at most
// kChartedGroups lines, so the legend stays readable), the window as on the other time charts,
// and a line naming the nodes too old to describe their groups. Redrawn at 4 Hz while visible.

#include "views/TimeChartPanel.h"

#include <map>
#include <string>

class QChart;
class QLabel;
class QLineSeries;
class QValueAxis;

namespace skiff::gui {

class ClusterModel;

class GroupsPanel : public TimeChartPanel {
    Q_OBJECT
public:
    static constexpr int kChartedGroups = 8;

    explicit GroupsPanel(ClusterModel *cluster, QWidget *parent = nullptr);

    void refresh() override;

    // For tests: the groups charted and their points; the notice line.
    int chartedGroups() const { return int(m_series.size()); }
    int lagPoints() const;
    QString notice() const;

private:
    void applyTheme() override;

    QLabel *m_notice;
    QChart *m_chart;
    QValueAxis *m_x, *m_y;
    struct GroupSeries {
        QLineSeries *line = nullptr;
        int colorIndex = 0;
    };
    std::map<std::string, GroupSeries> m_series;
    int m_nextColor = 0;
};

} // namespace skiff::gui
