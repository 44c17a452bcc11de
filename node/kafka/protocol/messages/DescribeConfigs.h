#pragma once
// DescribeConfigs (key 32), versions 0-4. Flexible from v4.

#include "kafka/protocol/ApiKeys.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace skiff::kafka {

struct DescribeConfigsRequest {
    static constexpr ApiKey kApiKey = ApiKey::DescribeConfigs;
    static constexpr const char *kName = "DescribeConfigsRequest";

    // Resource types used by Skiff (Kafka's ConfigResource.Type).
    static constexpr int8_t kTopicResource = 2;
    static constexpr int8_t kBrokerResource = 4;

    struct Resource {
        int8_t resourceType = 0;
        std::string resourceName;
        std::optional<std::vector<std::string>> configurationKeys; // null: all keys
        bool operator==(const Resource &) const = default;
    };

    std::vector<Resource> resources;
    bool includeSynonyms = false;      // v1+
    bool includeDocumentation = false; // v3+

    bool operator==(const DescribeConfigsRequest &) const = default;
};

struct DescribeConfigsResponse {
    static constexpr ApiKey kApiKey = ApiKey::DescribeConfigs;
    static constexpr const char *kName = "DescribeConfigsResponse";

    struct Synonym {
        std::string name;
        std::optional<std::string> value;
        int8_t source = 0;
        bool operator==(const Synonym &) const = default;
    };
    struct Config {
        std::string name;
        std::optional<std::string> value;
        bool readOnly = false;
        bool isDefault = false;   // v0 only
        int8_t configSource = -1; // v1+
        bool isSensitive = false;
        std::vector<Synonym> synonyms; // v1+
        int8_t configType = 0;         // v3+
        std::optional<std::string> documentation; // v3+
        bool operator==(const Config &) const = default;
    };
    struct ResourceResult {
        int16_t errorCode = 0;
        std::optional<std::string> errorMessage;
        int8_t resourceType = 0;
        std::string resourceName;
        std::vector<Config> configs;
        bool operator==(const ResourceResult &) const = default;
    };

    int32_t throttleTimeMs = 0;
    std::vector<ResourceResult> results;

    bool operator==(const DescribeConfigsResponse &) const = default;
};

} // namespace skiff::kafka
