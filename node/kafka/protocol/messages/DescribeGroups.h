#pragma once
// DescribeGroups (key 15), versions 0-5. Flexible from v5.

#include "kafka/protocol/ApiKeys.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace skiff::kafka {

struct DescribeGroupsRequest {
    static constexpr ApiKey kApiKey = ApiKey::DescribeGroups;
    static constexpr const char *kName = "DescribeGroupsRequest";

    std::vector<std::string> groups;
    bool includeAuthorizedOperations = false; // v3+

    bool operator==(const DescribeGroupsRequest &) const = default;
};

struct DescribeGroupsResponse {
    static constexpr ApiKey kApiKey = ApiKey::DescribeGroups;
    static constexpr const char *kName = "DescribeGroupsResponse";

    struct Member {
        std::string memberId;
        std::optional<std::string> groupInstanceId; // v4+
        std::string clientId;
        std::string clientHost;
        std::string memberMetadata;
        std::string memberAssignment;
        bool operator==(const Member &) const = default;
    };
    struct Group {
        int16_t errorCode = 0;
        std::string groupId;
        std::string groupState;
        std::string protocolType;
        std::string protocolData;
        std::vector<Member> members;
        int32_t authorizedOperations = INT32_MIN; // v3+
        bool operator==(const Group &) const = default;
    };

    int32_t throttleTimeMs = 0; // v1+
    std::vector<Group> groups;

    bool operator==(const DescribeGroupsResponse &) const = default;
};

} // namespace skiff::kafka
