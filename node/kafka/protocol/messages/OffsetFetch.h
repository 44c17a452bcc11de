#pragma once
// OffsetFetch (key 9), versions 0-8. Flexible from v6. v0-7 ask for one group, v8 for a batch
// (`groups`); both use the same topic/partition structs.

#include "kafka/protocol/ApiKeys.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace skiff::kafka {

struct OffsetFetchRequest {
    static constexpr ApiKey kApiKey = ApiKey::OffsetFetch;
    static constexpr const char *kName = "OffsetFetchRequest";

    struct Topic {
        std::string name;
        std::vector<int32_t> partitionIndexes;
        bool operator==(const Topic &) const = default;
    };
    struct Group {
        std::string groupId;
        std::optional<std::vector<Topic>> topics; // null: all committed offsets
        bool operator==(const Group &) const = default;
    };

    std::string groupId;                      // v0-7
    std::optional<std::vector<Topic>> topics; // v0-7, nullable v2+ (null: all)
    std::vector<Group> groups;                // v8+
    bool requireStable = false;               // v7+

    bool operator==(const OffsetFetchRequest &) const = default;
};

struct OffsetFetchResponse {
    static constexpr ApiKey kApiKey = ApiKey::OffsetFetch;
    static constexpr const char *kName = "OffsetFetchResponse";

    struct Partition {
        int32_t partitionIndex = 0;
        int64_t committedOffset = -1;
        int32_t committedLeaderEpoch = -1; // v5+
        std::optional<std::string> metadata;
        int16_t errorCode = 0;
        bool operator==(const Partition &) const = default;
    };
    struct Topic {
        std::string name;
        std::vector<Partition> partitions;
        bool operator==(const Topic &) const = default;
    };
    struct Group {
        std::string groupId;
        std::vector<Topic> topics;
        int16_t errorCode = 0;
        bool operator==(const Group &) const = default;
    };

    int32_t throttleTimeMs = 0; // v3+
    std::vector<Topic> topics;  // v0-7
    int16_t errorCode = 0;      // v2-7
    std::vector<Group> groups;  // v8+

    bool operator==(const OffsetFetchResponse &) const = default;
};

} // namespace skiff::kafka
