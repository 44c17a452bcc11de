#pragma once
// ListGroups (key 16), versions 0-5. Flexible from v3.

#include "kafka/protocol/ApiKeys.h"

#include <cstdint>
#include <string>
#include <vector>

namespace skiff::kafka {

struct ListGroupsRequest {
    static constexpr ApiKey kApiKey = ApiKey::ListGroups;
    static constexpr const char *kName = "ListGroupsRequest";

    std::vector<std::string> statesFilter; // v4+; empty: all states
    std::vector<std::string> typesFilter;  // v5+ (KIP-848); empty: all types

    bool operator==(const ListGroupsRequest &) const = default;
};

struct ListGroupsResponse {
    static constexpr ApiKey kApiKey = ApiKey::ListGroups;
    static constexpr const char *kName = "ListGroupsResponse";

    struct Group {
        std::string groupId;
        std::string protocolType;
        std::string groupState; // v4+
        std::string groupType;  // v5+: "classic" or "consumer"
        bool operator==(const Group &) const = default;
    };

    int32_t throttleTimeMs = 0; // v1+
    int16_t errorCode = 0;
    std::vector<Group> groups;

    bool operator==(const ListGroupsResponse &) const = default;
};

} // namespace skiff::kafka
