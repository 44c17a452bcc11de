#pragma once
// DescribeQuorum (key 55), versions 0-2, flexible from v0 (KIP-595). An operator tool
// (kafka-metadata-quorum describe, Admin.describeMetadataQuorum) asks for the state of the
// metadata quorum: its leader, epoch and high watermark, and how far each voter and observer has
// replicated. The request is the same in every version; the response adds each replica's last
// fetch and last caught-up times in v1 (KIP-836), and in v2 error messages, each replica's
// directory id and the voters' listeners (KIP-853).

#include "kafka/protocol/ApiKeys.h"
#include "kafka/protocol/Uuid.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace skiff::kafka {

// The one topic-partition a DescribeQuorum names: the metadata log's.
inline constexpr const char *kClusterMetadataTopic = "__cluster_metadata";
inline constexpr int32_t kClusterMetadataPartition = 0;

struct DescribeQuorumRequest {
    static constexpr ApiKey kApiKey = ApiKey::DescribeQuorum;
    static constexpr const char *kName = "DescribeQuorumRequest";

    struct Topic {
        std::string topicName;
        std::vector<int32_t> partitions;   // each a PartitionData with only its index
        bool operator==(const Topic &) const = default;
    };

    std::vector<Topic> topics;

    bool operator==(const DescribeQuorumRequest &) const = default;
};

struct DescribeQuorumResponse {
    static constexpr ApiKey kApiKey = ApiKey::DescribeQuorum;
    static constexpr const char *kName = "DescribeQuorumResponse";

    struct ReplicaState {
        int32_t replicaId = 0;
        Uuid replicaDirectoryId{};             // v2+
        int64_t logEndOffset = -1;             // -1: unknown
        int64_t lastFetchTimestamp = -1;       // v1+; leader wall clock ms, -1: unknown
        int64_t lastCaughtUpTimestamp = -1;    // v1+
        bool operator==(const ReplicaState &) const = default;
    };
    struct Partition {
        int32_t partitionIndex = 0;
        int16_t errorCode = 0;
        std::optional<std::string> errorMessage;   // v2+
        int32_t leaderId = -1;
        int32_t leaderEpoch = -1;
        int64_t highWatermark = -1;
        std::vector<ReplicaState> currentVoters;
        std::vector<ReplicaState> observers;
        bool operator==(const Partition &) const = default;
    };
    struct Topic {
        std::string topicName;
        std::vector<Partition> partitions;
        bool operator==(const Topic &) const = default;
    };
    struct Listener {
        std::string name;
        std::string host;
        uint16_t port = 0;
        bool operator==(const Listener &) const = default;
    };
    struct Node {
        int32_t nodeId = 0;
        std::vector<Listener> listeners;
        bool operator==(const Node &) const = default;
    };

    // No ThrottleTimeMs: the schema has none.
    int16_t errorCode = 0;
    std::optional<std::string> errorMessage;   // v2+
    std::vector<Topic> topics;
    std::vector<Node> nodes;                   // v2+

    bool operator==(const DescribeQuorumResponse &) const = default;
};

} // namespace skiff::kafka
