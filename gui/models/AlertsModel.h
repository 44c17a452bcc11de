#pragma once
// The current alerts, most severe first; an empty table means the cluster is healthy.

#include "models/RowTableModel.h"

namespace skiff::gui {

class ClusterModel;

class AlertsModel : public RowTableModel {
    Q_OBJECT
public:
    enum Column { Severity, Source, Text, Since, ColumnCount };

    explicit AlertsModel(ClusterModel *cluster, QObject *parent = nullptr);

private:
    void rebuild() override;

    ClusterModel *m_cluster;
};

} // namespace skiff::gui
