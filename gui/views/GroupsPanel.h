#pragma once
// Total lag per consumer group over time (the groups with the most lag now, at most
// kChartedGroups lines, so the legend stays readable), the window as on the other time charts,
// and a line naming the nodes too old to describe their groups. Redrawn at 4 Hz while visible.

#include <QWidget>

#include <map>
#include <string>

class QChart;
class QComboBox;
class QLabel;
class QLineSeries;
class QShowEvent;
class QTimer;
class QValueAxis;

namespace skiff::gui {

class ClusterModel;

class GroupsPanel : public QWidget {
    Q_OBJECT
public:
    static constexpr int kChartedGroups = 8;

    explicit GroupsPanel(ClusterModel *cluster, QWidget *parent = nullptr);

    void setWindowMs(qint64 ms);
    qint64 windowMs() const { return m_windowMs; }
    void setDark(bool dark);
    void refresh();

    // For tests: the groups charted and their points; the notice line.
    int chartedGroups() const { return int(m_series.size()); }
    int lagPoints() const;
    QString notice() const;

signals:
    void windowChanged(qint64 ms);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void applyTheme();

    ClusterModel *m_cluster;
    QTimer *m_timer;
    qint64 m_windowMs;
    QComboBox *m_window;
    QLabel *m_notice;
    bool m_dark = false;
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
