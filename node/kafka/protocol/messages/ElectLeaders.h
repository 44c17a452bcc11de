#pragma once
// ElectLeaders (key 43), versions 0-2. ElectionType from v1 (v0 is always preferred), the
// top-level ErrorCode of the response from v1, flexible from v2. An operator tool asks the
// controller to move leaderships to the preferred replica (or, uncleanly, to any live replica).

#include "kafka/protocol/ApiKeys.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace skiff::kafka {

struct ElectLeadersRequest {
    static constexpr ApiKey kApiKey = ApiKey::ElectLeaders;
    static constexpr const char *kName = "ElectLeadersRequest";

    // Kafka's ElectionType values.
    static constexpr int8_t kPreferred = 0;
    static constexpr int8_t kUnclean = 1;

    struct TopicPartitions {
        std::string topic;
        std::vector<int32_t> partitions;
        bool operator==(const TopicPartitions &) const = default;
    };

    int8_t electionType = kPreferred;                          // v1+
    std::optional<std::vector<TopicPartitions>> topicPartitions; // null: every partition
    int32_t timeoutMs = 60000;

    bool operator==(const ElectLeadersRequest &) const = default;
};

struct ElectLeadersResponse {
    static constexpr ApiKey kApiKey = ApiKey::ElectLeaders;
    static constexpr const char *kName = "ElectLeadersResponse";

    struct PartitionResult {
        int32_t partitionId = 0;
        int16_t errorCode = 0;
        std::optional<std::string> errorMessage;
        bool operator==(const PartitionResult &) const = default;
    };
    struct ReplicaElectionResult {
        std::string topic;
        std::vector<PartitionResult> partitionResult;
        bool operator==(const ReplicaElectionResult &) const = default;
    };

    int32_t throttleTimeMs = 0;
    int16_t errorCode = 0; // v1+
    std::vector<ReplicaElectionResult> replicaElectionResults;

    bool operator==(const ElectLeadersResponse &) const = default;
};

} // namespace skiff::kafka
