#pragma once
// Consumer groups: one row per group (state, protocol, generation, coordinator, members, total
// lag, whether it grows), flagged when the lag grows; and one row per committed offset (group,
// topic, partition, committed, high watermark, lag). Lags are the nodes' (GroupOffset.lag), never
// computed here. Numbers sort as numbers (RowTableModel::SortRole).

#include "models/RowTableModel.h"

namespace skiff::gui {

class ClusterModel;

class GroupsModel : public RowTableModel {
    Q_OBJECT
public:
    enum Column { Group, State, Protocol, Generation, Coordinator, Members, TotalLag, Trend, ColumnCount };

    explicit GroupsModel(ClusterModel *cluster, QObject *parent = nullptr);

private:
    void rebuild() override;

    ClusterModel *m_cluster;
};

class GroupOffsetsModel : public RowTableModel {
    Q_OBJECT
public:
    enum Column { Group, Topic, Partition, Committed, HighWatermark, Lag, ColumnCount };

    explicit GroupOffsetsModel(ClusterModel *cluster, QObject *parent = nullptr);

private:
    void rebuild() override;

    ClusterModel *m_cluster;
};

} // namespace skiff::gui
