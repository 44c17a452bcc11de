#pragma once
// DeleteGroups (key 42), versions 0-2. Flexible from v2.

#include "kafka/protocol/ApiKeys.h"

#include <cstdint>
#include <string>
#include <vector>

namespace skiff::kafka {

struct DeleteGroupsRequest {
    static constexpr ApiKey kApiKey = ApiKey::DeleteGroups;
    static constexpr const char *kName = "DeleteGroupsRequest";

    std::vector<std::string> groupsNames;

    bool operator==(const DeleteGroupsRequest &) const = default;
};

struct DeleteGroupsResponse {
    static constexpr ApiKey kApiKey = ApiKey::DeleteGroups;
    static constexpr const char *kName = "DeleteGroupsResponse";

    struct GroupResult {
        std::string groupId;
        int16_t errorCode = 0;
        bool operator==(const GroupResult &) const = default;
    };

    int32_t throttleTimeMs = 0;
    std::vector<GroupResult> results;

    bool operator==(const DeleteGroupsResponse &) const = default;
};

} // namespace skiff::kafka
