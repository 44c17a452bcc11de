#pragma once
// Produce (key 0), versions 3-9 (record batch v2 only). Flexible from v9.

#include "kafka/protocol/ApiKeys.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace skiff::kafka {

struct ProduceRequest {
    static constexpr ApiKey kApiKey = ApiKey::Produce;
    static constexpr const char *kName = "ProduceRequest";

    struct Partition {
        int32_t index = 0;
        // The record batches exactly as sent; the storage layer validates and stores them.
        std::optional<std::string> records;
        bool operator==(const Partition &) const = default;
    };
    struct Topic {
        std::string name;
        std::vector<Partition> partitionData;
        bool operator==(const Topic &) const = default;
    };

    std::optional<std::string> transactionalId;
    int16_t acks = 0;
    int32_t timeoutMs = 0;
    std::vector<Topic> topicData;

    bool operator==(const ProduceRequest &) const = default;
};

struct ProduceResponse {
    static constexpr ApiKey kApiKey = ApiKey::Produce;
    static constexpr const char *kName = "ProduceResponse";

    struct RecordError {
        int32_t batchIndex = 0;
        std::optional<std::string> batchIndexErrorMessage;
        bool operator==(const RecordError &) const = default;
    };
    struct Partition {
        int32_t index = 0;
        int16_t errorCode = 0;
        int64_t baseOffset = 0;
        int64_t logAppendTimeMs = -1;
        int64_t logStartOffset = -1;          // v5+
        std::vector<RecordError> recordErrors; // v8+
        std::optional<std::string> errorMessage; // v8+
        bool operator==(const Partition &) const = default;
    };
    struct Topic {
        std::string name;
        std::vector<Partition> partitionResponses;
        bool operator==(const Topic &) const = default;
    };

    std::vector<Topic> responses;
    int32_t throttleTimeMs = 0;

    bool operator==(const ProduceResponse &) const = default;
};

} // namespace skiff::kafka
