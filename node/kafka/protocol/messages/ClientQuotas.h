#pragma once
// DescribeClientQuotas (key 48) and AlterClientQuotas (key 49), versions 0-1, flexible from v1
// (KIP-546). The broker serves them from the metadata image (kafka/server/SecurityHandler.h).

#include "kafka/protocol/ApiKeys.h"

#include <bit>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace skiff::kafka {

// A float64 field is equal to another when the wire would carry the same 8 bytes: a NaN a client
// sent decodes, re-encodes and compares equal to itself (the codec round trip the fuzzer checks).
inline bool sameFloat64(double a, double b) { return std::bit_cast<uint64_t>(a) == std::bit_cast<uint64_t>(b); }

// One part of a quota entity: ("user", "alice"), ("client-id", null = the default).
struct QuotaEntityPart {
    std::string entityType;
    std::optional<std::string> entityName;
    bool operator==(const QuotaEntityPart &) const = default;
};

struct DescribeClientQuotasRequest {
    static constexpr ApiKey kApiKey = ApiKey::DescribeClientQuotas;
    static constexpr const char *kName = "DescribeClientQuotasRequest";

    struct Component {
        std::string entityType;
        int8_t matchType = 0;   // 0 exact name, 1 default, 2 any specified
        std::optional<std::string> match;
        bool operator==(const Component &) const = default;
    };

    std::vector<Component> components;
    bool strict = false;

    bool operator==(const DescribeClientQuotasRequest &) const = default;
};

struct DescribeClientQuotasResponse {
    static constexpr ApiKey kApiKey = ApiKey::DescribeClientQuotas;
    static constexpr const char *kName = "DescribeClientQuotasResponse";

    struct Value {
        std::string key;
        double value = 0;
        bool operator==(const Value &o) const { return key == o.key && sameFloat64(value, o.value); }
    };
    struct Entry {
        std::vector<QuotaEntityPart> entity;
        std::vector<Value> values;
        bool operator==(const Entry &) const = default;
    };

    int32_t throttleTimeMs = 0;
    int16_t errorCode = 0;
    std::optional<std::string> errorMessage;
    std::optional<std::vector<Entry>> entries;   // null when errorCode is set

    bool operator==(const DescribeClientQuotasResponse &) const = default;
};

struct AlterClientQuotasRequest {
    static constexpr ApiKey kApiKey = ApiKey::AlterClientQuotas;
    static constexpr const char *kName = "AlterClientQuotasRequest";

    struct Op {
        std::string key;
        double value = 0;
        bool remove = false;
        bool operator==(const Op &o) const { return key == o.key && sameFloat64(value, o.value) && remove == o.remove; }
    };
    struct Entry {
        std::vector<QuotaEntityPart> entity;
        std::vector<Op> ops;
        bool operator==(const Entry &) const = default;
    };

    std::vector<Entry> entries;
    bool validateOnly = false;

    bool operator==(const AlterClientQuotasRequest &) const = default;
};

struct AlterClientQuotasResponse {
    static constexpr ApiKey kApiKey = ApiKey::AlterClientQuotas;
    static constexpr const char *kName = "AlterClientQuotasResponse";

    struct Entry {
        int16_t errorCode = 0;
        std::optional<std::string> errorMessage;
        std::vector<QuotaEntityPart> entity;
        bool operator==(const Entry &) const = default;
    };

    int32_t throttleTimeMs = 0;
    std::vector<Entry> entries;

    bool operator==(const AlterClientQuotasResponse &) const = default;
};

} // namespace skiff::kafka
