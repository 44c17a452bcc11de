#pragma once
// DeleteTopics (key 20), versions 1-6. Flexible from v4. v1-5 name topics in `topicNames`,
// v6 in `topics` (by name or id).

#include "kafka/protocol/ApiKeys.h"
#include "kafka/protocol/Uuid.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace skiff::kafka {

struct DeleteTopicsRequest {
    static constexpr ApiKey kApiKey = ApiKey::DeleteTopics;
    static constexpr const char *kName = "DeleteTopicsRequest";

    struct Topic {
        std::optional<std::string> name;
        Uuid topicId{};
        bool operator==(const Topic &) const = default;
    };

    std::vector<Topic> topics;            // v6+
    std::vector<std::string> topicNames; // v0-5
    int32_t timeoutMs = 0;

    bool operator==(const DeleteTopicsRequest &) const = default;
};

struct DeleteTopicsResponse {
    static constexpr ApiKey kApiKey = ApiKey::DeleteTopics;
    static constexpr const char *kName = "DeleteTopicsResponse";

    struct TopicResult {
        std::optional<std::string> name; // nullable v6+
        Uuid topicId{};                  // v6+
        int16_t errorCode = 0;
        std::optional<std::string> errorMessage; // v5+
        bool operator==(const TopicResult &) const = default;
    };

    int32_t throttleTimeMs = 0;
    std::vector<TopicResult> responses;

    bool operator==(const DeleteTopicsResponse &) const = default;
};

} // namespace skiff::kafka
