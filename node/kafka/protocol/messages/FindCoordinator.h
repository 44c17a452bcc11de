#pragma once
// FindCoordinator (key 10), versions 0-4. Flexible from v3. v0-3 ask for one key, v4 for a batch.

#include "kafka/protocol/ApiKeys.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace skiff::kafka {

struct FindCoordinatorRequest {
    static constexpr ApiKey kApiKey = ApiKey::FindCoordinator;
    static constexpr const char *kName = "FindCoordinatorRequest";

    static constexpr int8_t kGroupKey = 0;
    static constexpr int8_t kTransactionKey = 1;

    std::string key;                          // v0-3
    int8_t keyType = kGroupKey;               // v1+
    std::vector<std::string> coordinatorKeys; // v4+

    bool operator==(const FindCoordinatorRequest &) const = default;
};

struct FindCoordinatorResponse {
    static constexpr ApiKey kApiKey = ApiKey::FindCoordinator;
    static constexpr const char *kName = "FindCoordinatorResponse";

    struct Coordinator {
        std::string key;
        int32_t nodeId = 0;
        std::string host;
        int32_t port = 0;
        int16_t errorCode = 0;
        std::optional<std::string> errorMessage;
        bool operator==(const Coordinator &) const = default;
    };

    int32_t throttleTimeMs = 0;              // v1+
    int16_t errorCode = 0;                   // v0-3
    std::optional<std::string> errorMessage; // v1-3
    int32_t nodeId = 0;                      // v0-3
    std::string host;                        // v0-3
    int32_t port = 0;                        // v0-3
    std::vector<Coordinator> coordinators;   // v4+

    bool operator==(const FindCoordinatorResponse &) const = default;
};

} // namespace skiff::kafka
