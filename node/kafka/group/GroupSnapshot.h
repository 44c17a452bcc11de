#pragma once
// The durable form of a group: what the coordinator writes to __consumer_offsets when a
// generation's assignment is complete or the group becomes empty, and rebuilds from on load.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace skiff::kafka::group {

struct GroupSnapshot {
    struct Member {
        std::string memberId;
        std::optional<std::string> groupInstanceId;
        std::string clientId;
        std::string clientHost;
        int32_t rebalanceTimeoutMs = 0;
        int32_t sessionTimeoutMs = 0;
        std::string subscription; // metadata of the selected protocol
        std::string assignment;
        bool operator==(const Member &) const = default;
    };
    std::string groupId;
    std::string protocolType;
    int32_t generationId = 0;
    std::optional<std::string> protocolName;
    std::optional<std::string> leaderId;
    int64_t stateTimestampMs = -1; // wall clock of the write
    std::vector<Member> members;
    bool operator==(const GroupSnapshot &) const = default;
};

} // namespace skiff::kafka::group
