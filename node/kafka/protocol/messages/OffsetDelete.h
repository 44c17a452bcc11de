#pragma once
// OffsetDelete (key 47), version 0. Never flexible.

#include "kafka/protocol/ApiKeys.h"

#include <cstdint>
#include <string>
#include <vector>

namespace skiff::kafka {

struct OffsetDeleteRequest {
    static constexpr ApiKey kApiKey = ApiKey::OffsetDelete;
    static constexpr const char *kName = "OffsetDeleteRequest";

    struct Partition {
        int32_t partitionIndex = 0;
        bool operator==(const Partition &) const = default;
    };
    struct Topic {
        std::string name;
        std::vector<Partition> partitions;
        bool operator==(const Topic &) const = default;
    };

    std::string groupId;
    std::vector<Topic> topics;

    bool operator==(const OffsetDeleteRequest &) const = default;
};

struct OffsetDeleteResponse {
    static constexpr ApiKey kApiKey = ApiKey::OffsetDelete;
    static constexpr const char *kName = "OffsetDeleteResponse";

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

    int16_t errorCode = 0;
    int32_t throttleTimeMs = 0;
    std::vector<Topic> topics;

    bool operator==(const OffsetDeleteResponse &) const = default;
};

} // namespace skiff::kafka
