#pragma once
// The broker registry as each node sees it: one row per (broker, node). A broker whose
// registration differs between nodes is flagged on every row, with the differing fields named.

#include "models/RowTableModel.h"

namespace skiff::gui {

class ClusterModel;

class BrokersModel : public RowTableModel {
    Q_OBJECT
public:
    enum Column { Broker, SeenBy, KafkaAddress, Rack, Fenced, Incarnation, Heartbeat, AdminAddress, Mismatch, ColumnCount };

    explicit BrokersModel(ClusterModel *cluster, QObject *parent = nullptr);

private:
    void rebuild() override;

    ClusterModel *m_cluster;
};

} // namespace skiff::gui
