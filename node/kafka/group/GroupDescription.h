#pragma once
// What an operator sees of the groups one node coordinates (the admin socket's DescribeGroups,
// /metrics): each group's state, protocol, members with their assignments, and committed offsets
// beside the high watermark of the partition where this node hosts a replica of it. Built on the
// coordinator's thread from its shards; the lag itself is computed by its one rule
// (shared/admin/GroupViews.h) from the committed offset and the high watermark. Pure.

#include "kafka/group/CommittedOffset.h"
#include "kafka/group/ConsumerProtocol.h"
#include "kafka/group/GroupState.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace skiff::kafka::group {

class CoordinatorShard;

struct MemberDescription {
    std::string memberId;
    std::string groupInstanceId;   // empty: not a static member
    std::string clientId;
    std::string clientHost;
    std::vector<AssignedPartitions> assignment;   // empty unless the consumer protocol's
};

struct OffsetDescription {
    std::string topic;
    int32_t partition = 0;
    int64_t committed = -1;
    std::optional<int64_t> highWatermark;   // nullopt: no replica of the partition here
};

struct GroupDescription {
    std::string groupId;
    GroupState state = GroupState::Empty;
    std::string protocolType;   // empty for a group that only commits offsets
    std::string protocol;       // the selected assignor; empty before the first rebalance
    int32_t generation = 0;
    std::vector<MemberDescription> members;   // by member id
    std::vector<OffsetDescription> offsets;   // by topic, then partition
};

// The high watermark of a partition this node hosts a replica of (the leader's is exact, a
// follower's is its own, which trails the leader's a little); nullopt elsewhere.
using HighWatermarkOf = std::function<std::optional<int64_t>(const PartitionKey &)>;

// Every group of `shard` (with members, or only offsets), by group id.
std::vector<GroupDescription> describeGroups(const CoordinatorShard &shard, const HighWatermarkOf &highWatermark);

} // namespace skiff::kafka::group
