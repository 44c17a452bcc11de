#pragma once
// DescribeCluster (key 60), versions 0-1. Flexible from v0.

#include "kafka/protocol/ApiKeys.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace skiff::kafka {

struct DescribeClusterRequest {
    static constexpr ApiKey kApiKey = ApiKey::DescribeCluster;
    static constexpr const char *kName = "DescribeClusterRequest";

    bool includeClusterAuthorizedOperations = false;
    int8_t endpointType = 1; // v1+; 1 = brokers, 2 = controllers

    bool operator==(const DescribeClusterRequest &) const = default;
};

struct DescribeClusterResponse {
    static constexpr ApiKey kApiKey = ApiKey::DescribeCluster;
    static constexpr const char *kName = "DescribeClusterResponse";

    struct Broker {
        int32_t brokerId = 0;
        std::string host;
        int32_t port = 0;
        std::optional<std::string> rack;
        bool operator==(const Broker &) const = default;
    };

    int32_t throttleTimeMs = 0;
    int16_t errorCode = 0;
    std::optional<std::string> errorMessage;
    int8_t endpointType = 1; // v1+
    std::string clusterId;
    int32_t controllerId = -1;
    std::vector<Broker> brokers;
    int32_t clusterAuthorizedOperations = INT32_MIN;

    bool operator==(const DescribeClusterResponse &) const = default;
};

} // namespace skiff::kafka
