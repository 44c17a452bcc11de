#pragma once
// Throughput per topic, summed over the nodes that served it (ClusterModel::topicRates): messages
// and bytes in from producers, out to consumers, out to and in from replicas, per second over
// the latest rate span. Sorts by number (RowTableModel::SortRole). A node too old to report
// traffic is not counted; the Traffic tab says which.

#include "models/RowTableModel.h"

namespace skiff::gui {

class ClusterModel;

class TopicTrafficModel : public RowTableModel {
    Q_OBJECT
public:
    enum Column {
        Topic, MessagesIn, BytesIn, ConsumerMessagesOut, ConsumerBytesOut, ReplicaBytesOut, ReplicaBytesIn, ColumnCount
    };

    explicit TopicTrafficModel(ClusterModel *cluster, QObject *parent = nullptr);

private:
    void rebuild() override;

    ClusterModel *m_cluster;
};

} // namespace skiff::gui
