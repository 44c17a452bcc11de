#pragma once
// Kafka request latency per node and API, from the histograms the node measures: requests since
// it started and their p50/p99/max (the node's own figures), and over the latest rate span the
// requests per second and their p99 (HistogramDelta). Produce and Fetch have a row per variant
// below their own (acks=all/1/0; consumer/replica) where the node splits them; a node too old to
// measure requests has one row saying so.

#include "models/RowTableModel.h"

namespace skiff::gui {

class ClusterModel;

class LatencyModel : public RowTableModel {
    Q_OBJECT
public:
    enum Column { Node, Api, Requests, RequestsPerSecond, P50, P99, Max, RecentP99, ColumnCount };

    explicit LatencyModel(ClusterModel *cluster, QObject *parent = nullptr);

private:
    void rebuild() override;

    ClusterModel *m_cluster;
};

} // namespace skiff::gui
