#pragma once
// ListOffsets (key 2), versions 1-10. Flexible from v6. v8-v10 differ only in what a broker
// accepts (earliest-local and earliest-tiered timestamps) and v10's TimeoutMs.

#include "kafka/protocol/ApiKeys.h"

#include <cstdint>
#include <string>
#include <vector>

namespace skiff::kafka {

struct ListOffsetsRequest {
    static constexpr ApiKey kApiKey = ApiKey::ListOffsets;
    static constexpr const char *kName = "ListOffsetsRequest";

    // Timestamp values with special meaning.
    static constexpr int64_t kLatest = -1;
    static constexpr int64_t kEarliest = -2;
    static constexpr int64_t kMaxTimestamp = -3; // v7+
    static constexpr int64_t kEarliestLocal = -4; // v8+: the local log's start (KIP-405)
    static constexpr int64_t kLatestTiered = -5;  // v9+: the last offset in remote storage (KIP-1005)

    struct Partition {
        int32_t partitionIndex = 0;
        int32_t currentLeaderEpoch = -1; // v4+
        int64_t timestamp = 0;
        bool operator==(const Partition &) const = default;
    };
    struct Topic {
        std::string name;
        std::vector<Partition> partitions;
        bool operator==(const Topic &) const = default;
    };

    int32_t replicaId = -1;
    int8_t isolationLevel = 0; // v2+
    int32_t timeoutMs = 0;     // v10+: how long a remote-storage lookup may take (KIP-1075)
    std::vector<Topic> topics;

    bool operator==(const ListOffsetsRequest &) const = default;
};

struct ListOffsetsResponse {
    static constexpr ApiKey kApiKey = ApiKey::ListOffsets;
    static constexpr const char *kName = "ListOffsetsResponse";

    struct Partition {
        int32_t partitionIndex = 0;
        int16_t errorCode = 0;
        int64_t timestamp = -1;
        int64_t offset = -1;
        int32_t leaderEpoch = -1; // v4+
        bool operator==(const Partition &) const = default;
    };
    struct Topic {
        std::string name;
        std::vector<Partition> partitions;
        bool operator==(const Topic &) const = default;
    };

    int32_t throttleTimeMs = 0; // v2+
    std::vector<Topic> topics;

    bool operator==(const ListOffsetsResponse &) const = default;
};

} // namespace skiff::kafka
