#pragma once
// DescribeUserScramCredentials (key 50) and AlterUserScramCredentials (key 51), version 0,
// flexible (KIP-554). kafka/server/SecurityHandler.h answers them from the metadata image.

#include "kafka/protocol/ApiKeys.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace skiff::kafka {

struct DescribeUserScramCredentialsRequest {
    static constexpr ApiKey kApiKey = ApiKey::DescribeUserScramCredentials;
    static constexpr const char *kName = "DescribeUserScramCredentialsRequest";

    std::optional<std::vector<std::string>> users;   // null or empty: every user

    bool operator==(const DescribeUserScramCredentialsRequest &) const = default;
};

struct DescribeUserScramCredentialsResponse {
    static constexpr ApiKey kApiKey = ApiKey::DescribeUserScramCredentials;
    static constexpr const char *kName = "DescribeUserScramCredentialsResponse";

    struct CredentialInfo {
        int8_t mechanism = 0;
        int32_t iterations = 0;
        bool operator==(const CredentialInfo &) const = default;
    };
    struct Result {
        std::string user;
        int16_t errorCode = 0;
        std::optional<std::string> errorMessage;
        std::vector<CredentialInfo> credentialInfos;
        bool operator==(const Result &) const = default;
    };

    int32_t throttleTimeMs = 0;
    int16_t errorCode = 0;
    std::optional<std::string> errorMessage;
    std::vector<Result> results;

    bool operator==(const DescribeUserScramCredentialsResponse &) const = default;
};

struct AlterUserScramCredentialsRequest {
    static constexpr ApiKey kApiKey = ApiKey::AlterUserScramCredentials;
    static constexpr const char *kName = "AlterUserScramCredentialsRequest";

    struct Deletion {
        std::string name;
        int8_t mechanism = 0;
        bool operator==(const Deletion &) const = default;
    };
    struct Upsertion {
        std::string name;
        int8_t mechanism = 0;
        int32_t iterations = 0;
        std::string salt;
        std::string saltedPassword;
        bool operator==(const Upsertion &) const = default;
    };

    std::vector<Deletion> deletions;
    std::vector<Upsertion> upsertions;

    bool operator==(const AlterUserScramCredentialsRequest &) const = default;
};

struct AlterUserScramCredentialsResponse {
    static constexpr ApiKey kApiKey = ApiKey::AlterUserScramCredentials;
    static constexpr const char *kName = "AlterUserScramCredentialsResponse";

    struct Result {
        std::string user;
        int16_t errorCode = 0;
        std::optional<std::string> errorMessage;
        bool operator==(const Result &) const = default;
    };

    int32_t throttleTimeMs = 0;
    std::vector<Result> results;   // one per user named in the request

    bool operator==(const AlterUserScramCredentialsResponse &) const = default;
};

} // namespace skiff::kafka
