#include "models/PartitionsModel.h"

#include "admin/AdminProtocol.h"
#include "admin/PartitionViews.h"
#include "models/ClusterModel.h"
#include "models/Format.h"

namespace skiff::gui {
namespace {

QString ids(const google::protobuf::RepeatedField<uint64_t> &list)
{
    QStringList out;
    for (uint64_t id : list)
        out << QString::number(id);
    return out.join(QLatin1Char(','));
}

// "2:0, 3:15": each follower's lag as its leader reported it; empty when the leader did not.
QString replicaLag(const admin::Partition &p)
{
    QStringList out;
    for (const admin::ReplicaProgress &f : p.replication().followers())
        out << QStringLiteral("%1:%2").arg(f.broker()).arg(f.lag());
    return out.join(QStringLiteral(", "));
}

// Why the followers out of the ISR are out, as the leader sees them.
QString behind(const admin::Partition &p)
{
    QStringList out;
    for (const admin::ReplicaProgress &f : p.replication().followers())
        if (!f.in_isr())
            out << (f.caught_up_age_ms() < 0 ? QStringLiteral("broker %1 is %2 messages behind, not caught up in this leader epoch")
                                                   .arg(f.broker())
                                                   .arg(f.lag())
                                             : QStringLiteral("broker %1 is %2 messages behind, last caught up %3 s ago")
                                                   .arg(f.broker())
                                                   .arg(f.lag())
                                                   .arg(double(f.caught_up_age_ms()) / 1000.0, 0, 'f', 1));
    return out.join(QStringLiteral("; "));
}

} // namespace

PartitionsModel::PartitionsModel(ClusterModel *cluster, QObject *parent)
    : RowTableModel({tr("Topic"), tr("Partition"), tr("Leader"), tr("Epoch"), tr("Replicas"), tr("ISR"), tr("State"),
                     tr("Log start"), tr("HW"), tr("Log end"), tr("Size"), tr("Segments"), tr("Replica lag")},
                    parent),
      m_cluster(cluster)
{
    connect(cluster, &ClusterModel::partitionsChanged, this, &PartitionsModel::scheduleRebuild);
    rebuild();
}

QStringList PartitionsModel::topicNames() const
{
    QStringList names;
    for (const admin::Partition &p : m_cluster->partitions().partitions()) {
        const QString name = QString::fromStdString(p.topic());
        if (!names.contains(name))
            names << name;
    }
    return names;
}

void PartitionsModel::rebuild()
{
    std::vector<Row> rows;
    for (const admin::Partition &p : m_cluster->partitions().partitions()) {
        Row r;
        // The node decides the state (the rule Kafka Metadata follows); shown as it says.
        QString state = QString::fromLatin1(admin::partitionStateText(p.state()));
        switch (p.state()) {
        case admin::PARTITION_STATE_OFFLINE:
            r.flag = Flag::Critical;
            r.reason = p.assigned_leader()
                           ? tr("its leader, broker %1, is fenced or gone: clients get LEADER_NOT_AVAILABLE until it is "
                                "back").arg(p.assigned_leader())
                           : tr("no leader: produce and fetch fail until one is assigned");
            break;
        case admin::PARTITION_STATE_STORAGE_OFFLINE:
            r.flag = Flag::Critical;
            r.reason = tr("the leader cannot open the partition's log: produce and fetch get KAFKA_STORAGE_ERROR until it "
                          "opens (it retries by itself; its log says why)");
            break;
        case admin::PARTITION_STATE_OK:
            if (p.isr_size() < p.replicas_size()) {
                state = tr("under-replicated");
                r.flag = Flag::Warning;
                r.reason = tr("%1 of %2 replicas in sync").arg(p.isr_size()).arg(p.replicas_size());
                if (const QString why = behind(p); !why.isEmpty())
                    r.reason += QStringLiteral(": ") + why;
            }
            break;
        default:
            r.flag = Flag::Warning;
            r.reason = tr("the node does not report partition states (an older version)");
            break;
        }
        // The leader's log, from its own answer: "no answer" when the leader did not answer the
        // last poll; "node too old" when it answered without log sizes.
        const bool answered = p.has_replication();
        const admin::PartitionReplication &log = p.replication();
        const bool sized = answered && log.log_size_reported();
        const QString unknown = answered ? tr("node too old") : tr("no answer");
        const auto offset = [&](bool known, int64_t value) -> QVariant { return known ? QVariant(qlonglong(value)) : QVariant(unknown); };
        const auto numberKey = [](bool known, double value) -> QVariant { return known ? QVariant(value) : QVariant(-1.0); };
        r.cells = {QString::fromStdString(p.topic()), p.partition(),
                   p.leader() ? QString::number(p.leader()) : tr("none"), p.leader_epoch(),
                   ids(p.replicas()), ids(p.isr()), state,
                   offset(sized, log.log_start()), offset(answered, log.high_watermark()), offset(answered, log.log_end()),
                   sized ? QVariant(formatBytes(double(log.size_bytes()))) : QVariant(unknown),
                   offset(sized, log.segments()),
                   answered ? QVariant(replicaLag(p)) : QVariant(unknown)};
        r.sortKeys = r.cells;
        r.sortKeys[Leader] = qlonglong(p.leader());
        r.sortKeys[LogStart] = numberKey(sized, double(log.log_start()));
        r.sortKeys[HighWatermark] = numberKey(answered, double(log.high_watermark()));
        r.sortKeys[LogEnd] = numberKey(answered, double(log.log_end()));
        r.sortKeys[Size] = numberKey(sized, double(log.size_bytes()));
        r.sortKeys[Segments] = numberKey(sized, double(log.segments()));
        r.sortKeys[ReplicaLag] = numberKey(answered, double(admin::maxFollowerLag(p)));
        rows.push_back(std::move(r));
    }
    setRows(std::move(rows));
}

} // namespace skiff::gui
