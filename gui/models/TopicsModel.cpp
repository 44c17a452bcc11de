#include "models/TopicsModel.h"

#include "models/ClusterModel.h"

#include <algorithm>

namespace skiff::gui {
namespace {

QString ids(const google::protobuf::RepeatedField<uint64_t> &list)
{
    QStringList out;
    for (uint64_t id : list)
        out << QString::number(id);
    return out.join(QLatin1Char(','));
}

} // namespace

TopicsModel::TopicsModel(ClusterModel *cluster, QObject *parent)
    : RowTableModel({tr("Topic"), tr("Partition"), tr("Leader"), tr("Epoch"), tr("Replicas"), tr("ISR"), tr("State")}, parent),
      m_cluster(cluster)
{
    connect(cluster, &ClusterModel::partitionsChanged, this, &TopicsModel::scheduleRebuild);
    rebuild();
}

QStringList TopicsModel::topicNames() const
{
    QStringList names;
    for (const admin::Partition &p : m_cluster->partitions().partitions()) {
        const QString name = QString::fromStdString(p.topic());
        if (!names.contains(name))
            names << name;
    }
    return names;
}

void TopicsModel::rebuild()
{
    std::vector<Row> rows;
    for (const admin::Partition &p : m_cluster->partitions().partitions()) {
        Row r;
        QString state = tr("ok");
        const auto &offline = p.offline_replicas();
        if (p.leader() == 0) {
            state = tr("leaderless");
            r.flag = Flag::Critical;
            r.reason = tr("no leader: produce and fetch fail until one is elected");
        } else if (std::find(offline.begin(), offline.end(), p.leader()) != offline.end()) {
            state = tr("offline");
            r.flag = Flag::Critical;
            r.reason = tr("the leader cannot open the partition's log: produce and fetch get KAFKA_STORAGE_ERROR until it "
                          "opens (it retries by itself; its log says why)");
        } else if (p.isr_size() < p.replicas_size()) {
            state = tr("under-replicated");
            r.flag = Flag::Warning;
            r.reason = tr("%1 of %2 replicas in sync").arg(p.isr_size()).arg(p.replicas_size());
        }
        r.cells = {QString::fromStdString(p.topic()), p.partition(),
                   p.leader() ? QString::number(p.leader()) : tr("none"), p.leader_epoch(),
                   ids(p.replicas()), ids(p.isr()), state};
        rows.push_back(std::move(r));
    }
    setRows(std::move(rows));
}

} // namespace skiff::gui
