#pragma once
// ApiVersions (key 18), versions 0-4. Flexible from v3; the response header is always v0. v4
// has v3's layout (it only lets a supported feature's MinVersion be 0, KAFKA-17011).

#include "kafka/protocol/ApiKeys.h"

#include <cstdint>
#include <string>
#include <vector>

namespace skiff::kafka {

struct ApiVersionsRequest {
    static constexpr ApiKey kApiKey = ApiKey::ApiVersions;
    static constexpr const char *kName = "ApiVersionsRequest";

    std::string clientSoftwareName;    // v3+
    std::string clientSoftwareVersion; // v3+

    bool operator==(const ApiVersionsRequest &) const = default;
};

struct ApiVersionsResponse {
    static constexpr ApiKey kApiKey = ApiKey::ApiVersions;
    static constexpr const char *kName = "ApiVersionsResponse";

    struct ApiVersion {
        int16_t apiKey = 0;
        int16_t minVersion = 0;
        int16_t maxVersion = 0;
        bool operator==(const ApiVersion &) const = default;
    };
    struct SupportedFeature {
        std::string name;
        int16_t minVersion = 0;
        int16_t maxVersion = 0;
        bool operator==(const SupportedFeature &) const = default;
    };
    struct FinalizedFeature {
        std::string name;
        int16_t maxVersionLevel = 0;
        int16_t minVersionLevel = 0;
        bool operator==(const FinalizedFeature &) const = default;
    };

    int16_t errorCode = 0;
    std::vector<ApiVersion> apiKeys;
    int32_t throttleTimeMs = 0;                       // v1+
    std::vector<SupportedFeature> supportedFeatures; // v3+, tag 0
    int64_t finalizedFeaturesEpoch = -1;             // v3+, tag 1
    std::vector<FinalizedFeature> finalizedFeatures; // v3+, tag 2
    bool zkMigrationReady = false;                   // v3+, tag 3

    bool operator==(const ApiVersionsResponse &) const = default;
};

// The advertised ranges of ApiKeys.h as ApiVersionsResponse entries.
std::vector<ApiVersionsResponse::ApiVersion> advertisedApiVersions();

// What Kafka sends when a client asks for an ApiVersions version it does not support: error
// UNSUPPORTED_VERSION plus the supported ranges, to be encoded as a v0 body (header v0) whatever
// version was requested, so the client can retry with a version we speak.
ApiVersionsResponse unsupportedVersionApiVersionsResponse();

} // namespace skiff::kafka
