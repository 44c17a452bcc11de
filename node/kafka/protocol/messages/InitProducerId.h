#pragma once
// InitProducerId (key 22), versions 0-4. Flexible from v2.

#include "kafka/protocol/ApiKeys.h"

#include <cstdint>
#include <optional>
#include <string>

namespace skiff::kafka {

struct InitProducerIdRequest {
    static constexpr ApiKey kApiKey = ApiKey::InitProducerId;
    static constexpr const char *kName = "InitProducerIdRequest";

    std::optional<std::string> transactionalId; // null for idempotent-only producers
    int32_t transactionTimeoutMs = 0;
    int64_t producerId = -1;   // v3+
    int16_t producerEpoch = -1; // v3+

    bool operator==(const InitProducerIdRequest &) const = default;
};

struct InitProducerIdResponse {
    static constexpr ApiKey kApiKey = ApiKey::InitProducerId;
    static constexpr const char *kName = "InitProducerIdResponse";

    int32_t throttleTimeMs = 0;
    int16_t errorCode = 0;
    int64_t producerId = -1;
    int16_t producerEpoch = 0;

    bool operator==(const InitProducerIdResponse &) const = default;
};

} // namespace skiff::kafka
