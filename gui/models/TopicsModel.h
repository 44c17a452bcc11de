#pragma once
// Partitions of every topic: leader, replicas, ISR. Leaderless and under-replicated partitions
// are flagged.

#include "models/RowTableModel.h"

namespace skiff::gui {

class ClusterModel;

class TopicsModel : public RowTableModel {
    Q_OBJECT
public:
    enum Column { Topic, Partition, Leader, Epoch, Replicas, Isr, State, ColumnCount };

    explicit TopicsModel(ClusterModel *cluster, QObject *parent = nullptr);

    QStringList topicNames() const;

private:
    void rebuild() override;

    ClusterModel *m_cluster;
};

} // namespace skiff::gui
