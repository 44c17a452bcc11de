#pragma once
// LeaveGroup (key 13), versions 0-4. Flexible from v4. v0-2 name one member, v3+ a batch.

#include "kafka/protocol/ApiKeys.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace skiff::kafka {

struct LeaveGroupRequest {
    static constexpr ApiKey kApiKey = ApiKey::LeaveGroup;
    static constexpr const char *kName = "LeaveGroupRequest";

    struct Member {
        std::string memberId;
        std::optional<std::string> groupInstanceId;
        bool operator==(const Member &) const = default;
    };

    std::string groupId;
    std::string memberId;        // v0-2
    std::vector<Member> members; // v3+

    bool operator==(const LeaveGroupRequest &) const = default;
};

struct LeaveGroupResponse {
    static constexpr ApiKey kApiKey = ApiKey::LeaveGroup;
    static constexpr const char *kName = "LeaveGroupResponse";

    struct Member {
        std::string memberId;
        std::optional<std::string> groupInstanceId;
        int16_t errorCode = 0;
        bool operator==(const Member &) const = default;
    };

    int32_t throttleTimeMs = 0; // v1+
    int16_t errorCode = 0;
    std::vector<Member> members; // v3+

    bool operator==(const LeaveGroupResponse &) const = default;
};

} // namespace skiff::kafka
