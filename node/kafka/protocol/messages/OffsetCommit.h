#pragma once
// OffsetCommit (key 8), versions 0-8. Flexible from v8.

#include "kafka/protocol/ApiKeys.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace skiff::kafka {

struct OffsetCommitRequest {
    static constexpr ApiKey kApiKey = ApiKey::OffsetCommit;
    static constexpr const char *kName = "OffsetCommitRequest";

    struct Partition {
        int32_t partitionIndex = 0;
        int64_t committedOffset = 0;
        int32_t committedLeaderEpoch = -1; // v6+
        int64_t commitTimestamp = -1;      // v1 only
        std::optional<std::string> committedMetadata;
        bool operator==(const Partition &) const = default;
    };
    struct Topic {
        std::string name;
        std::vector<Partition> partitions;
        bool operator==(const Topic &) const = default;
    };

    std::string groupId;
    int32_t generationIdOrMemberEpoch = -1;     // v1+
    std::string memberId;                       // v1+
    std::optional<std::string> groupInstanceId; // v7+
    int64_t retentionTimeMs = -1;               // v2-4
    std::vector<Topic> topics;

    bool operator==(const OffsetCommitRequest &) const = default;
};

struct OffsetCommitResponse {
    static constexpr ApiKey kApiKey = ApiKey::OffsetCommit;
    static constexpr const char *kName = "OffsetCommitResponse";

    struct Partition {
        int32_t partitionIndex = 0;
        int16_t errorCode = 0;
        bool operator==(const Partition &) const = default;
    };
    struct Topic {
        std::string name;
        std::vector<Partition> partitions;
        bool operator==(const Topic &) const = default;
    };

    int32_t throttleTimeMs = 0; // v3+
    std::vector<Topic> topics;

    bool operator==(const OffsetCommitResponse &) const = default;
};

} // namespace skiff::kafka
