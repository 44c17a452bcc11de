#pragma once
// JoinGroup (key 11), versions 0-7. Flexible from v6.

#include "kafka/protocol/ApiKeys.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace skiff::kafka {

struct JoinGroupRequest {
    static constexpr ApiKey kApiKey = ApiKey::JoinGroup;
    static constexpr const char *kName = "JoinGroupRequest";

    struct Protocol {
        std::string name;
        std::string metadata; // opaque to the broker
        bool operator==(const Protocol &) const = default;
    };

    std::string groupId;
    int32_t sessionTimeoutMs = 0;
    int32_t rebalanceTimeoutMs = -1; // v1+
    std::string memberId;
    std::optional<std::string> groupInstanceId; // v5+
    std::string protocolType;
    std::vector<Protocol> protocols;

    bool operator==(const JoinGroupRequest &) const = default;
};

struct JoinGroupResponse {
    static constexpr ApiKey kApiKey = ApiKey::JoinGroup;
    static constexpr const char *kName = "JoinGroupResponse";

    struct Member {
        std::string memberId;
        std::optional<std::string> groupInstanceId; // v5+
        std::string metadata;
        bool operator==(const Member &) const = default;
    };

    int32_t throttleTimeMs = 0; // v2+
    int16_t errorCode = 0;
    int32_t generationId = -1;
    std::optional<std::string> protocolType; // v7+
    std::optional<std::string> protocolName; // nullable v7+
    std::string leader;
    std::string memberId;
    std::vector<Member> members;

    bool operator==(const JoinGroupResponse &) const = default;
};

} // namespace skiff::kafka
