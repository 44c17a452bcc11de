#pragma once
// The consumer protocol's embedded messages (Kafka's ConsumerProtocolSubscription and
// ConsumerProtocolAssignment, versions 0-3, never flexible): what the members of a "consumer"
// group put in JoinGroup's protocol metadata and what the leader hands each in SyncGroup. The
// coordinator runs a group without reading them; it reads them for the topics a group consumes
// (OffsetDelete) and for the operator's view of who is assigned what.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace skiff::kafka::group {

struct AssignedPartitions {
    std::string topic;
    std::vector<int32_t> partitions;
    bool operator==(const AssignedPartitions &) const = default;
};

// The topics a subscription names, as far as the bytes can be read (the fields after the topics
// are not needed here).
std::vector<std::string> subscriptionTopics(std::string_view subscription);

// The partitions an assignment gives, in its order; empty bytes (a member not yet synced) assign
// nothing. nullopt when the bytes are not an assignment (another protocol, or damaged).
std::optional<std::vector<AssignedPartitions>> decodeAssignment(std::string_view assignment);

} // namespace skiff::kafka::group
