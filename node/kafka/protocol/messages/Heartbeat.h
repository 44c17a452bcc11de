#pragma once
// Heartbeat (key 12), versions 0-4. Flexible from v4.

#include "kafka/protocol/ApiKeys.h"

#include <cstdint>
#include <optional>
#include <string>

namespace skiff::kafka {

struct HeartbeatRequest {
    static constexpr ApiKey kApiKey = ApiKey::Heartbeat;
    static constexpr const char *kName = "HeartbeatRequest";

    std::string groupId;
    int32_t generationId = 0;
    std::string memberId;
    std::optional<std::string> groupInstanceId; // v3+

    bool operator==(const HeartbeatRequest &) const = default;
};

struct HeartbeatResponse {
    static constexpr ApiKey kApiKey = ApiKey::Heartbeat;
    static constexpr const char *kName = "HeartbeatResponse";

    int32_t throttleTimeMs = 0; // v1+
    int16_t errorCode = 0;

    bool operator==(const HeartbeatResponse &) const = default;
};

} // namespace skiff::kafka
