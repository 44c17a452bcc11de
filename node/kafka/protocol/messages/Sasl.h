#pragma once
// SaslHandshake (key 17, versions 0-1) and SaslAuthenticate (key 36, versions 0-2, flexible from
// 2): how a client authenticates on a SASL listener (KIP-43, KIP-152). After a version 0
// handshake the SASL tokens travel as bare size-prefixed frames, without these messages.

#include "kafka/protocol/ApiKeys.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace skiff::kafka {

struct SaslHandshakeRequest {
    static constexpr ApiKey kApiKey = ApiKey::SaslHandshake;
    static constexpr const char *kName = "SaslHandshakeRequest";

    std::string mechanism;

    bool operator==(const SaslHandshakeRequest &) const = default;
};

struct SaslHandshakeResponse {
    static constexpr ApiKey kApiKey = ApiKey::SaslHandshake;
    static constexpr const char *kName = "SaslHandshakeResponse";

    int16_t errorCode = 0;
    std::vector<std::string> mechanisms;   // the ones this listener enables

    bool operator==(const SaslHandshakeResponse &) const = default;
};

struct SaslAuthenticateRequest {
    static constexpr ApiKey kApiKey = ApiKey::SaslAuthenticate;
    static constexpr const char *kName = "SaslAuthenticateRequest";

    std::string authBytes;

    bool operator==(const SaslAuthenticateRequest &) const = default;
};

struct SaslAuthenticateResponse {
    static constexpr ApiKey kApiKey = ApiKey::SaslAuthenticate;
    static constexpr const char *kName = "SaslAuthenticateResponse";

    int16_t errorCode = 0;
    std::optional<std::string> errorMessage;
    std::string authBytes;
    int64_t sessionLifetimeMs = 0;   // v1+; 0: the session does not expire

    bool operator==(const SaslAuthenticateResponse &) const = default;
};

} // namespace skiff::kafka
