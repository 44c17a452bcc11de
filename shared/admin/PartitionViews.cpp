#include "admin/PartitionViews.h"

#include <algorithm>
#include <map>
#include <string>
#include <utility>

namespace skiff::admin {

PartitionList mergePartitionViews(const std::vector<PartitionList> &answers)
{
    struct Merged {
        Partition metadata;
        std::vector<const PartitionReplication *> reports;
    };
    std::map<std::pair<std::string, int32_t>, Merged> byPartition;
    for (const PartitionList &answer : answers) {
        for (const Partition &p : answer.partitions()) {
            auto [it, added] = byPartition.try_emplace({p.topic(), p.partition()});
            if (added || p.partition_epoch() > it->second.metadata.partition_epoch())
                it->second.metadata = p;
            if (p.has_replication())
                it->second.reports.push_back(&p.replication());
        }
    }
    PartitionList out;
    for (auto &[key, merged] : byPartition) {
        Partition *p = out.add_partitions();
        *p = std::move(merged.metadata);
        p->clear_replication();
        // One leader per leader epoch: a report in the partition's epoch is its current leader's.
        for (const PartitionReplication *r : merged.reports)
            if (r->leader_epoch() == p->leader_epoch()) {
                *p->mutable_replication() = *r;
                break;
            }
    }
    return out;
}

int64_t maxFollowerLag(const Partition &p)
{
    int64_t lag = 0;
    for (const ReplicaProgress &f : p.replication().followers())
        lag = std::max(lag, f.lag());
    return lag;
}

} // namespace skiff::admin
