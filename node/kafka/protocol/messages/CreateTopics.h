#pragma once
// CreateTopics (key 19), versions 2-7. Flexible from v5.

#include "kafka/protocol/ApiKeys.h"
#include "kafka/protocol/Uuid.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace skiff::kafka {

struct CreateTopicsRequest {
    static constexpr ApiKey kApiKey = ApiKey::CreateTopics;
    static constexpr const char *kName = "CreateTopicsRequest";

    struct Assignment {
        int32_t partitionIndex = 0;
        std::vector<int32_t> brokerIds;
        bool operator==(const Assignment &) const = default;
    };
    struct Config {
        std::string name;
        std::optional<std::string> value;
        bool operator==(const Config &) const = default;
    };
    struct Topic {
        std::string name;
        int32_t numPartitions = 0;      // -1: broker default (v4+)
        int16_t replicationFactor = 0;  // -1: broker default (v4+)
        std::vector<Assignment> assignments;
        std::vector<Config> configs;
        bool operator==(const Topic &) const = default;
    };

    std::vector<Topic> topics;
    int32_t timeoutMs = 60000;
    bool validateOnly = false;

    bool operator==(const CreateTopicsRequest &) const = default;
};

struct CreateTopicsResponse {
    static constexpr ApiKey kApiKey = ApiKey::CreateTopics;
    static constexpr const char *kName = "CreateTopicsResponse";

    struct Config {
        std::string name;
        std::optional<std::string> value;
        bool readOnly = false;
        int8_t configSource = -1;
        bool isSensitive = false;
        bool operator==(const Config &) const = default;
    };
    struct Topic {
        std::string name;
        Uuid topicId{}; // v7+
        int16_t errorCode = 0;
        std::optional<std::string> errorMessage;
        int16_t topicConfigErrorCode = 0;  // v5+, tag 0
        int32_t numPartitions = -1;        // v5+
        int16_t replicationFactor = -1;    // v5+
        std::optional<std::vector<Config>> configs; // v5+
        bool operator==(const Topic &) const = default;
    };

    int32_t throttleTimeMs = 0;
    std::vector<Topic> topics;

    bool operator==(const CreateTopicsResponse &) const = default;
};

} // namespace skiff::kafka
