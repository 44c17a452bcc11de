#pragma once
// DeleteRecords (key 21), versions 0-2. Flexible from v2. KIP-107: moves each partition's log
// start offset (its low watermark) up to the given offset.

#include "kafka/protocol/ApiKeys.h"

#include <cstdint>
#include <string>
#include <vector>

namespace skiff::kafka {

struct DeleteRecordsRequest {
    static constexpr ApiKey kApiKey = ApiKey::DeleteRecords;
    static constexpr const char *kName = "DeleteRecordsRequest";
    static constexpr int64_t kHighWatermark = -1;   // an offset meaning "up to the high watermark"

    struct Partition {
        int32_t partitionIndex = 0;
        int64_t offset = 0;
        bool operator==(const Partition &) const = default;
    };
    struct Topic {
        std::string name;
        std::vector<Partition> partitions;
        bool operator==(const Topic &) const = default;
    };

    std::vector<Topic> topics;
    int32_t timeoutMs = 0;

    bool operator==(const DeleteRecordsRequest &) const = default;
};

struct DeleteRecordsResponse {
    static constexpr ApiKey kApiKey = ApiKey::DeleteRecords;
    static constexpr const char *kName = "DeleteRecordsResponse";

    struct Partition {
        int32_t partitionIndex = 0;
        int64_t lowWatermark = -1;
        int16_t errorCode = 0;
        bool operator==(const Partition &) const = default;
    };
    struct Topic {
        std::string name;
        std::vector<Partition> partitions;
        bool operator==(const Topic &) const = default;
    };

    int32_t throttleTimeMs = 0;
    std::vector<Topic> topics;

    bool operator==(const DeleteRecordsResponse &) const = default;
};

} // namespace skiff::kafka
