#pragma once
// The data plane over time, per node: bytes in from producers, bytes out to consumers (solid) and
// to replicas (dotted), and the p99 of Produce with acks=all (solid) and of consumers' Fetch
// (dotted) over each rate span (ClusterModel::kRateSpanMs). Same rules as ChartsPanel: redrawn
// at 4 Hz while visible, each series thinned to about a point per pixel and replaced in bulk; the
// window follows ChartsPanel's (MainWindow keeps them together). Nodes too old to report traffic
// are named above the charts instead of drawn as zero.

#include "views/TimeChartPanel.h"

#include <map>

class QChart;
class QLabel;
class QLineSeries;
class QValueAxis;

namespace skiff::gui {

class ClusterModel;

class TrafficPanel : public TimeChartPanel {
    Q_OBJECT
public:
    explicit TrafficPanel(ClusterModel *cluster, QWidget *parent = nullptr);

    void refresh() override;

    // For tests: points drawn per chart, the bytes axes' unit, and the notice line.
    int bytesInPoints() const;
    int bytesOutPoints() const;
    int latencyPoints() const;
    QString bytesUnit() const { return m_bytesUnit; }
    QString notice() const;

private:
    struct NodeSeries {
        QLineSeries *in = nullptr;
        QLineSeries *consumerOut = nullptr;
        QLineSeries *replicaOut = nullptr;
        QLineSeries *produceP99 = nullptr;
        QLineSeries *fetchP99 = nullptr;
        int colorIndex = 0;
    };
    NodeSeries &seriesFor(const QString &address, uint64_t nodeId);
    void applyTheme() override;

    QLabel *m_notice;
    QChart *m_inChart, *m_outChart, *m_latencyChart;
    QValueAxis *m_inX, *m_inY, *m_outX, *m_outY, *m_latencyX, *m_latencyY;
    QString m_bytesUnit = QStringLiteral("B/s");
    std::map<QString, NodeSeries> m_series;
    int m_nextColor = 0;
};

} // namespace skiff::gui
