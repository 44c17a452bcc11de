#pragma once
// Metadata (key 3), versions 0-12. Flexible from v9.

#include "kafka/protocol/ApiKeys.h"
#include "kafka/protocol/Uuid.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace skiff::kafka {

inline constexpr int32_t kAuthorizedOperationsOmitted = INT32_MIN;

struct MetadataRequest {
    static constexpr ApiKey kApiKey = ApiKey::Metadata;
    static constexpr const char *kName = "MetadataRequest";

    struct Topic {
        Uuid topicId{};                  // v10+
        std::optional<std::string> name; // nullable v10+ (lookup by id)
        bool operator==(const Topic &) const = default;
    };

    // v0: an empty list means "all topics". v1+: null means all topics, empty means none.
    std::optional<std::vector<Topic>> topics;
    bool allowAutoTopicCreation = true;             // v4+
    bool includeClusterAuthorizedOperations = false; // v8-10
    bool includeTopicAuthorizedOperations = false;   // v8+

    bool operator==(const MetadataRequest &) const = default;
};

struct MetadataResponse {
    static constexpr ApiKey kApiKey = ApiKey::Metadata;
    static constexpr const char *kName = "MetadataResponse";

    struct Broker {
        int32_t nodeId = 0;
        std::string host;
        int32_t port = 0;
        std::optional<std::string> rack; // v1+
        bool operator==(const Broker &) const = default;
    };
    struct Partition {
        int16_t errorCode = 0;
        int32_t partitionIndex = 0;
        int32_t leaderId = 0;
        int32_t leaderEpoch = -1; // v7+
        std::vector<int32_t> replicaNodes;
        std::vector<int32_t> isrNodes;
        std::vector<int32_t> offlineReplicas; // v5+
        bool operator==(const Partition &) const = default;
    };
    struct Topic {
        int16_t errorCode = 0;
        std::optional<std::string> name; // nullable v12+
        Uuid topicId{};                  // v10+
        bool isInternal = false;         // v1+
        std::vector<Partition> partitions;
        int32_t topicAuthorizedOperations = kAuthorizedOperationsOmitted; // v8+
        bool operator==(const Topic &) const = default;
    };

    int32_t throttleTimeMs = 0; // v3+
    std::vector<Broker> brokers;
    std::optional<std::string> clusterId; // v2+
    int32_t controllerId = -1;            // v1+
    std::vector<Topic> topics;
    int32_t clusterAuthorizedOperations = kAuthorizedOperationsOmitted; // v8-10

    bool operator==(const MetadataResponse &) const = default;
};

} // namespace skiff::kafka
