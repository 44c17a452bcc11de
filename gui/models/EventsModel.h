#pragma once
// The events every node streamed or sent as its recent history, newest first by the nodes'
// times, filterable by node and kind.

#include "models/RowTableModel.h"

namespace skiff::gui {

class ClusterModel;

class EventsModel : public RowTableModel {
    Q_OBJECT
public:
    enum Column { Time, Node, Kind, Text, ColumnCount };

    explicit EventsModel(ClusterModel *cluster, QObject *parent = nullptr);

    // 0 / empty: all.
    void setNodeFilter(uint64_t nodeId);
    void setKindFilter(const QString &kind);
    QStringList kinds() const;
    QList<uint64_t> nodeIds() const;

private:
    void rebuild() override;

    ClusterModel *m_cluster;
    uint64_t m_nodeFilter = 0;
    QString m_kindFilter;
};

} // namespace skiff::gui
