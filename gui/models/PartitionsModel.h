#pragma once
// Partitions of every topic: the serving leader, replicas, ISR and the state the node reports,
// and, from the leader's own answer, its log (start, high watermark, end, size on disk, segments)
// and each follower's lag (messages behind the leader's log end). Offline and under-replicated
// partitions are flagged (a tint and the State column). Numeric columns sort as numbers
// (RowTableModel::SortRole).

#include "models/RowTableModel.h"

namespace skiff::gui {

class ClusterModel;

class PartitionsModel : public RowTableModel {
    Q_OBJECT
public:
    enum Column {
        Topic, Partition, Leader, Epoch, Replicas, Isr, State, LogStart, HighWatermark, LogEnd, Size, Segments, ReplicaLag,
        ColumnCount
    };

    explicit PartitionsModel(ClusterModel *cluster, QObject *parent = nullptr);

    QStringList topicNames() const;

private:
    void rebuild() override;

    ClusterModel *m_cluster;
};

} // namespace skiff::gui
