#pragma once
// ListOffsets (key 2), versions 1-7. Flexible from v6.

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
