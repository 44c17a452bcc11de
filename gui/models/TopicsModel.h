#pragma once
// Partitions of every topic: the serving leader, replicas, ISR and the state the node reports,
// and, from the leader's own answer, the high watermark and each follower's lag (messages behind
// the leader's log end). Offline and under-replicated partitions are flagged.

#include "models/RowTableModel.h"

namespace skiff::gui {

class ClusterModel;

class TopicsModel : public RowTableModel {
    Q_OBJECT
public:
    enum Column { Topic, Partition, Leader, Epoch, Replicas, Isr, State, HighWatermark, ReplicaLag, ColumnCount };

    explicit TopicsModel(ClusterModel *cluster, QObject *parent = nullptr);

    QStringList topicNames() const;

private:
    void rebuild() override;

    ClusterModel *m_cluster;
};

} // namespace skiff::gui
