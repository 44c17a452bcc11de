#pragma once
// OffsetForLeaderEpoch (key 23), versions 0-4. CurrentLeaderEpoch from v2 (KIP-320), ReplicaId
// from v3, flexible from v4. Consumers ask it to detect a truncated position (KIP-320); a
// follower can ask it for the end offset of an epoch (KIP-101), as Fetch v12+ does inline.

#include "kafka/protocol/ApiKeys.h"

#include <cstdint>
#include <string>
#include <vector>

namespace skiff::kafka {

struct OffsetForLeaderEpochRequest {
    static constexpr ApiKey kApiKey = ApiKey::OffsetForLeaderEpoch;
    static constexpr const char *kName = "OffsetForLeaderEpochRequest";

    // ReplicaId values with special meaning.
    static constexpr int32_t kConsumerReplicaId = -1;
    // Kafka's default, and what a v0-2 request means: a "debug" consumer allowed past the HW.
    static constexpr int32_t kDebugReplicaId = -2;

    struct Partition {
        int32_t partition = 0;
        int32_t currentLeaderEpoch = -1; // v2+
        int32_t leaderEpoch = 0;
        bool operator==(const Partition &) const = default;
    };
    struct Topic {
        std::string topic;
        std::vector<Partition> partitions;
        bool operator==(const Topic &) const = default;
    };

    int32_t replicaId = kDebugReplicaId; // v3+
    std::vector<Topic> topics;

    bool operator==(const OffsetForLeaderEpochRequest &) const = default;
};

struct OffsetForLeaderEpochResponse {
    static constexpr ApiKey kApiKey = ApiKey::OffsetForLeaderEpoch;
    static constexpr const char *kName = "OffsetForLeaderEpochResponse";

    struct EpochEndOffset {
        int16_t errorCode = 0;
        int32_t partition = 0;
        int32_t leaderEpoch = -1; // v1+
        int64_t endOffset = -1;
        bool operator==(const EpochEndOffset &) const = default;
    };
    struct Topic {
        std::string topic;
        std::vector<EpochEndOffset> partitions;
        bool operator==(const Topic &) const = default;
    };

    int32_t throttleTimeMs = 0; // v2+
    std::vector<Topic> topics;

    bool operator==(const OffsetForLeaderEpochResponse &) const = default;
};

} // namespace skiff::kafka
