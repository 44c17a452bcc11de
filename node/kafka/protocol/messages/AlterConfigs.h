#pragma once
// AlterConfigs (key 33), versions 0-2, flexible from v2; IncrementalAlterConfigs (key 44),
// versions 0-1, flexible from v1. Both answer one result per resource in the same layout.

#include "kafka/protocol/ApiKeys.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace skiff::kafka {

struct AlterConfigsRequest {
    static constexpr ApiKey kApiKey = ApiKey::AlterConfigs;
    static constexpr const char *kName = "AlterConfigsRequest";

    struct Config {
        std::string name;
        std::optional<std::string> value;
        bool operator==(const Config &) const = default;
    };
    struct Resource {
        int8_t resourceType = 0;
        std::string resourceName;
        std::vector<Config> configs;
        bool operator==(const Resource &) const = default;
    };

    std::vector<Resource> resources;
    bool validateOnly = false;

    bool operator==(const AlterConfigsRequest &) const = default;
};

// One result per resource (AlterConfigs and IncrementalAlterConfigs share the layout).
struct AlterConfigsResourceResult {
    int16_t errorCode = 0;
    std::optional<std::string> errorMessage;
    int8_t resourceType = 0;
    std::string resourceName;
    bool operator==(const AlterConfigsResourceResult &) const = default;
};

struct AlterConfigsResponse {
    static constexpr ApiKey kApiKey = ApiKey::AlterConfigs;
    static constexpr const char *kName = "AlterConfigsResponse";

    int32_t throttleTimeMs = 0;
    std::vector<AlterConfigsResourceResult> responses;

    bool operator==(const AlterConfigsResponse &) const = default;
};

struct IncrementalAlterConfigsRequest {
    static constexpr ApiKey kApiKey = ApiKey::IncrementalAlterConfigs;
    static constexpr const char *kName = "IncrementalAlterConfigsRequest";

    // Kafka's AlterConfigOp.OpType ids.
    static constexpr int8_t kSet = 0;
    static constexpr int8_t kDelete = 1;
    static constexpr int8_t kAppend = 2;
    static constexpr int8_t kSubtract = 3;

    struct Config {
        std::string name;
        int8_t configOperation = kSet;
        std::optional<std::string> value;
        bool operator==(const Config &) const = default;
    };
    struct Resource {
        int8_t resourceType = 0;
        std::string resourceName;
        std::vector<Config> configs;
        bool operator==(const Resource &) const = default;
    };

    std::vector<Resource> resources;
    bool validateOnly = false;

    bool operator==(const IncrementalAlterConfigsRequest &) const = default;
};

struct IncrementalAlterConfigsResponse {
    static constexpr ApiKey kApiKey = ApiKey::IncrementalAlterConfigs;
    static constexpr const char *kName = "IncrementalAlterConfigsResponse";

    int32_t throttleTimeMs = 0;
    std::vector<AlterConfigsResourceResult> responses;

    bool operator==(const IncrementalAlterConfigsResponse &) const = default;
};

} // namespace skiff::kafka
