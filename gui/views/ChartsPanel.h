#pragma once
// The charts: Ready-loop period (mean and longest interval per sample) against the watchdog
// miss threshold, term (a step line for all nodes), commit rate, the largest follower lag of the
// partitions each node leads (replication), and a latency histogram (the
// Ready loop's interval and phases, lock wait/hold per lock, metadata WAL and partition-log fsync
// when the node measures them; per node). Redrawn at a fixed 4 Hz from the ClusterModel, never
// per snapshot: each series is thinned to about a point per pixel and replaced in bulk
// (QXYSeries::replace).

#include "views/TimeChartPanel.h"

#include <map>

class QChart;
class QChartView;
class QComboBox;
class QLabel;
class QLineSeries;
class QBarSeries;
class QBarSet;
class QBarCategoryAxis;
class QValueAxis;

namespace skiff::gui {

class ClusterModel;

class ChartsPanel : public TimeChartPanel {
    Q_OBJECT
public:
    explicit ChartsPanel(ClusterModel *cluster, QWidget *parent = nullptr);

    void setWatchdogMissMs(int ms);
    void refresh() override;

    // For tests: how many points the drawn series hold, per chart.
    int loopPoints() const;
    double loopMaxMs() const;   // the heartbeat chart's y axis reaches this far
    int termPoints() const;
    int commitPoints() const;
    int lagPoints() const;
    int histogramBars() const;
    QString histogramTitle() const;
    double timeAxisLeft() const;   // seconds, negative

private:
    struct NodeSeries {
        QLineSeries *loop = nullptr;
        QLineSeries *longest = nullptr;
        QLineSeries *term = nullptr;
        QLineSeries *commit = nullptr;
        QLineSeries *lag = nullptr;
        int colorIndex = 0;
    };

    NodeSeries &seriesFor(const QString &address, uint64_t nodeId);
    void refreshHistogram();
    void refillHistogramChoices();
    void applyTheme() override;

    int m_watchdogMissMs = 200;

    QChart *m_loopChart;
    QChart *m_termChart;
    QChart *m_commitChart;
    QChart *m_lagChart;
    QChart *m_histChart;
    QValueAxis *m_loopX, *m_loopY, *m_termX, *m_termY, *m_commitX, *m_commitY, *m_lagX, *m_lagY, *m_histY;
    QBarCategoryAxis *m_histX;
    QLineSeries *m_threshold;
    QBarSeries *m_bars;
    QComboBox *m_histNode;
    QComboBox *m_histSource;
    QLabel *m_histStats;
    std::map<QString, NodeSeries> m_series;
    int m_nextColor = 0;
};

} // namespace skiff::gui
