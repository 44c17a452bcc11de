#pragma once
// SyncGroup (key 14), versions 0-5. Flexible from v4.

#include "kafka/protocol/ApiKeys.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace skiff::kafka {

struct SyncGroupRequest {
    static constexpr ApiKey kApiKey = ApiKey::SyncGroup;
    static constexpr const char *kName = "SyncGroupRequest";

    struct Assignment {
        std::string memberId;
        std::string assignment; // opaque to the broker
        bool operator==(const Assignment &) const = default;
    };

    std::string groupId;
    int32_t generationId = 0;
    std::string memberId;
    std::optional<std::string> groupInstanceId; // v3+
    std::optional<std::string> protocolType;    // v5+
    std::optional<std::string> protocolName;    // v5+
    std::vector<Assignment> assignments;

    bool operator==(const SyncGroupRequest &) const = default;
};

struct SyncGroupResponse {
    static constexpr ApiKey kApiKey = ApiKey::SyncGroup;
    static constexpr const char *kName = "SyncGroupResponse";

    int32_t throttleTimeMs = 0; // v1+
    int16_t errorCode = 0;
    std::optional<std::string> protocolType; // v5+
    std::optional<std::string> protocolName; // v5+
    std::string assignment;

    bool operator==(const SyncGroupResponse &) const = default;
};

} // namespace skiff::kafka
