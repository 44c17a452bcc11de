#pragma once
// Fetch (key 1), versions 4-12 (topic names, not ids). Flexible from v12.

#include "kafka/protocol/ApiKeys.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace skiff::kafka {

struct FetchRequest {
    static constexpr ApiKey kApiKey = ApiKey::Fetch;
    static constexpr const char *kName = "FetchRequest";

    struct Partition {
        int32_t partition = 0;
        int32_t currentLeaderEpoch = -1; // v9+
        int64_t fetchOffset = 0;
        int32_t lastFetchedEpoch = -1;   // v12+
        int64_t logStartOffset = -1;     // v5+
        int32_t partitionMaxBytes = 0;
        bool operator==(const Partition &) const = default;
    };
    struct Topic {
        std::string topic;
        std::vector<Partition> partitions;
        bool operator==(const Topic &) const = default;
    };
    struct ForgottenTopic {
        std::string topic;
        std::vector<int32_t> partitions;
        bool operator==(const ForgottenTopic &) const = default;
    };

    std::optional<std::string> clusterId; // v12+, tag 0
    int32_t replicaId = -1;
    int32_t maxWaitMs = 0;
    int32_t minBytes = 0;
    int32_t maxBytes = 0x7fffffff;
    int8_t isolationLevel = 0;
    int32_t sessionId = 0;     // v7+
    int32_t sessionEpoch = -1; // v7+
    std::vector<Topic> topics;
    std::vector<ForgottenTopic> forgottenTopicsData; // v7+
    std::string rackId;                              // v11+

    bool operator==(const FetchRequest &) const = default;
};

struct FetchResponse {
    static constexpr ApiKey kApiKey = ApiKey::Fetch;
    static constexpr const char *kName = "FetchResponse";

    struct EpochEndOffset {
        int32_t epoch = -1;
        int64_t endOffset = -1;
        bool operator==(const EpochEndOffset &) const = default;
    };
    struct LeaderIdAndEpoch {
        int32_t leaderId = -1;
        int32_t leaderEpoch = -1;
        bool operator==(const LeaderIdAndEpoch &) const = default;
    };
    struct SnapshotId {
        int64_t endOffset = -1;
        int32_t epoch = -1;
        bool operator==(const SnapshotId &) const = default;
    };
    struct AbortedTransaction {
        int64_t producerId = 0;
        int64_t firstOffset = 0;
        bool operator==(const AbortedTransaction &) const = default;
    };
    struct Partition {
        int32_t partitionIndex = 0;
        int16_t errorCode = 0;
        int64_t highWatermark = 0;
        int64_t lastStableOffset = -1;
        int64_t logStartOffset = -1; // v5+
        EpochEndOffset divergingEpoch;   // v12+, tag 0
        LeaderIdAndEpoch currentLeader;  // v12+, tag 1
        SnapshotId snapshotId;           // v12+, tag 2
        std::optional<std::vector<AbortedTransaction>> abortedTransactions;
        int32_t preferredReadReplica = -1; // v11+
        std::optional<std::string> records; // raw record batches
        bool operator==(const Partition &) const = default;
    };
    struct Topic {
        std::string topic;
        std::vector<Partition> partitions;
        bool operator==(const Topic &) const = default;
    };

    int32_t throttleTimeMs = 0;
    int16_t errorCode = 0; // v7+
    int32_t sessionId = 0; // v7+
    std::vector<Topic> responses;

    bool operator==(const FetchResponse &) const = default;
};

} // namespace skiff::kafka
