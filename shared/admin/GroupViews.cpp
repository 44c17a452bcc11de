#include "admin/GroupViews.h"

#include <algorithm>
#include <map>
#include <string>
#include <utility>

namespace skiff::admin {

int64_t consumerLag(int64_t highWatermark, int64_t committed)
{
    return std::max<int64_t>(0, highWatermark - committed);
}

void setLag(GroupOffset &offset, int64_t highWatermark)
{
    offset.set_high_watermark(highWatermark);
    offset.set_lag_known(offset.committed() >= 0);
    offset.set_lag(offset.lag_known() ? consumerLag(highWatermark, offset.committed()) : 0);
}

int64_t updateTotalLag(Group &group)
{
    int64_t total = 0;
    for (const GroupOffset &o : group.offsets())
        total += o.lag_known() ? o.lag() : 0;
    group.set_total_lag(total);
    return total;
}

GroupList mergeGroupViews(const std::vector<GroupList> &answers, const PartitionList &partitions)
{
    std::map<std::string, const Group *> byId;
    for (const GroupList &answer : answers) {
        for (const Group &g : answer.groups()) {
            auto [it, added] = byId.try_emplace(g.group_id(), &g);
            if (!added && g.generation() > it->second->generation())
                it->second = &g;
        }
    }
    std::map<std::pair<std::string, int32_t>, int64_t> leaderHighWatermark;
    for (const Partition &p : partitions.partitions())
        if (p.has_replication())
            leaderHighWatermark[{p.topic(), p.partition()}] = p.replication().high_watermark();
    GroupList out;
    for (const auto &[id, g] : byId) {
        Group *merged = out.add_groups();
        *merged = *g;
        for (GroupOffset &o : *merged->mutable_offsets()) {
            if (o.lag_known())
                continue;
            if (auto hw = leaderHighWatermark.find({o.topic(), o.partition()}); hw != leaderHighWatermark.end())
                setLag(o, hw->second);
        }
        updateTotalLag(*merged);
    }
    return out;
}

} // namespace skiff::admin
