#include "models/TopicTrafficModel.h"

#include "models/ClusterModel.h"
#include "models/Format.h"

namespace skiff::gui {

TopicTrafficModel::TopicTrafficModel(ClusterModel *cluster, QObject *parent)
    // Short headers: the table shares the tab's width with the latency table. "Out" is to
    // consumers; replication counts apart, both ways.
    : RowTableModel({tr("Topic"), tr("Msg in"), tr("Bytes in"), tr("Msg out"), tr("Bytes out"), tr("Replica out"),
                     tr("Replica in")},
                    parent),
      m_cluster(cluster)
{
    connect(cluster, &ClusterModel::nodesChanged, this, &TopicTrafficModel::scheduleRebuild);
    rebuild();
}

void TopicTrafficModel::rebuild()
{
    std::vector<Row> rows;
    for (const auto &[topic, t] : m_cluster->topicRates()) {
        Row r;
        r.cells = {QString::fromStdString(topic), formatCountRate(t.messagesIn), formatByteRate(t.bytesIn),
                   formatCountRate(t.consumerMessagesOut), formatByteRate(t.consumerBytesOut),
                   formatByteRate(t.replicaBytesOut), formatByteRate(t.replicaBytesIn)};
        r.sortKeys = {QString::fromStdString(topic), t.messagesIn, t.bytesIn, t.consumerMessagesOut,
                      t.consumerBytesOut, t.replicaBytesOut, t.replicaBytesIn};
        rows.push_back(std::move(r));
    }
    setRows(std::move(rows));
}

} // namespace skiff::gui
