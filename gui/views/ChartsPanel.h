#pragma once
// The charts: Ready-loop period against the watchdog miss threshold, term (a step line for all
// nodes), commit rate, and a latency histogram (lock wait/hold per lock and node, WAL fsync when
// the node measures it). Redrawn at a fixed 4 Hz from the ClusterModel, never per snapshot:
// each series is replaced in bulk (QXYSeries::replace) from the ring buffers.

#include <QWidget>

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
class QTimer;

namespace skiff::gui {

class ClusterModel;

class ChartsPanel : public QWidget {
    Q_OBJECT
public:
    static constexpr int kRefreshMs = 250;        // 4 Hz
    static constexpr qint64 kWindowMs = 120'000;  // what the time charts show at most
    static constexpr qint64 kMinWindowMs = 10'000;

    explicit ChartsPanel(ClusterModel *cluster, QWidget *parent = nullptr);

    void setWatchdogMissMs(int ms);
    void setDark(bool dark);
    // Redraws now (the timer does it otherwise); the screenshot calls it before grabbing.
    void refresh();

    // For tests: how many points the drawn series hold, per chart.
    int loopPoints() const;
    int termPoints() const;
    int commitPoints() const;
    int histogramBars() const;
    QString histogramTitle() const;

private:
    struct NodeSeries {
        QLineSeries *loop = nullptr;
        QLineSeries *gap = nullptr;
        QLineSeries *term = nullptr;
        QLineSeries *commit = nullptr;
        int colorIndex = 0;
    };

    QChartView *makeView(QChart *chart);
    NodeSeries &seriesFor(const QString &address, uint64_t nodeId);
    void refreshHistogram();
    void refillHistogramChoices();
    void applyTheme();

    ClusterModel *m_cluster;
    QTimer *m_timer;
    int m_watchdogMissMs = 200;
    bool m_dark = false;

    QChart *m_loopChart;
    QChart *m_termChart;
    QChart *m_commitChart;
    QChart *m_histChart;
    QValueAxis *m_loopX, *m_loopY, *m_termX, *m_termY, *m_commitX, *m_commitY, *m_histY;
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
