#pragma once
// CreatePartitions (key 37), versions 0-3. Flexible from v2.

#include "kafka/protocol/ApiKeys.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace skiff::kafka {

struct CreatePartitionsRequest {
    static constexpr ApiKey kApiKey = ApiKey::CreatePartitions;
    static constexpr const char *kName = "CreatePartitionsRequest";

    struct Assignment {
        std::vector<int32_t> brokerIds;
        bool operator==(const Assignment &) const = default;
    };
    struct Topic {
        std::string name;
        int32_t count = 0; // new total partition count
        std::optional<std::vector<Assignment>> assignments;
        bool operator==(const Topic &) const = default;
    };

    std::vector<Topic> topics;
    int32_t timeoutMs = 0;
    bool validateOnly = false;

    bool operator==(const CreatePartitionsRequest &) const = default;
};

struct CreatePartitionsResponse {
    static constexpr ApiKey kApiKey = ApiKey::CreatePartitions;
    static constexpr const char *kName = "CreatePartitionsResponse";

    struct TopicResult {
        std::string name;
        int16_t errorCode = 0;
        std::optional<std::string> errorMessage;
        bool operator==(const TopicResult &) const = default;
    };

    int32_t throttleTimeMs = 0;
    std::vector<TopicResult> results;

    bool operator==(const CreatePartitionsResponse &) const = default;
};

} // namespace skiff::kafka
