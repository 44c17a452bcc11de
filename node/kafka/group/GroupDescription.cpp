#include "kafka/group/GroupDescription.h"

#include "kafka/group/CoordinatorShard.h"

namespace skiff::kafka::group {
namespace {

MemberDescription describeMember(const GroupMember &m, const std::string &protocolType)
{
    MemberDescription out{m.memberId, m.groupInstanceId.value_or(""), m.clientId, m.clientHost, {}};
    // Another protocol's assignment is opaque bytes: nothing to show, as Kafka's tools do.
    if (protocolType == "consumer")
        if (auto assigned = decodeAssignment(m.assignment))
            out.assignment = std::move(*assigned);
    return out;
}

} // namespace

std::vector<GroupDescription> describeGroups(const CoordinatorShard &shard, const HighWatermarkOf &highWatermark)
{
    std::vector<GroupDescription> out;
    for (const std::string &id : shard.groupIds()) {
        GroupDescription d;
        d.groupId = id;
        if (const auto it = shard.groups().find(id); it != shard.groups().end()) {
            const Group &g = *it->second;
            d.state = g.state();
            d.protocolType = g.protocolType();
            d.protocol = g.protocolName().value_or("");
            d.generation = g.generationId();
            for (const auto &[memberId, m] : g.members())
                d.members.push_back(describeMember(m, g.protocolType()));
        }
        if (const CoordinatorShard::Offsets *offsets = shard.offsets(id))
            for (const auto &[tp, committed] : *offsets)
                d.offsets.push_back({tp.first, tp.second, committed.offset, highWatermark ? highWatermark(tp) : std::nullopt});
        out.push_back(std::move(d));
    }
    return out;
}

} // namespace skiff::kafka::group
