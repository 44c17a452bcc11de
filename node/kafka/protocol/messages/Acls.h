#pragma once
// The ACL APIs, versions 0-3, flexible from v2: DescribeAcls (key 29), CreateAcls (key 30),
// DeleteAcls (key 31). Skiff has no authorizer; the broker answers them as a Kafka broker
// without one does (SECURITY_DISABLED), so the codec exists for those answers.

#include "kafka/protocol/ApiKeys.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace skiff::kafka {

// A filter over ACL bindings (DescribeAcls' body, each DeleteAcls filter). Null strings match any.
struct AclBindingFilter {
    int8_t resourceTypeFilter = 0;
    std::optional<std::string> resourceNameFilter;
    int8_t patternTypeFilter = 3;   // v1+; 3 = LITERAL
    std::optional<std::string> principalFilter;
    std::optional<std::string> hostFilter;
    int8_t operation = 0;
    int8_t permissionType = 0;
    bool operator==(const AclBindingFilter &) const = default;
};

// One ACL binding (each CreateAcls creation, each ACL a DeleteAcls filter matched).
struct AclBinding {
    int8_t resourceType = 0;
    std::string resourceName;
    int8_t patternType = 3;   // v1+; 3 = LITERAL
    std::string principal;
    std::string host;
    int8_t operation = 0;
    int8_t permissionType = 0;
    bool operator==(const AclBinding &) const = default;
};

struct DescribeAclsRequest {
    static constexpr ApiKey kApiKey = ApiKey::DescribeAcls;
    static constexpr const char *kName = "DescribeAclsRequest";

    AclBindingFilter filter;

    bool operator==(const DescribeAclsRequest &) const = default;
};

struct DescribeAclsResponse {
    static constexpr ApiKey kApiKey = ApiKey::DescribeAcls;
    static constexpr const char *kName = "DescribeAclsResponse";

    struct Acl {
        std::string principal;
        std::string host;
        int8_t operation = 0;
        int8_t permissionType = 0;
        bool operator==(const Acl &) const = default;
    };
    struct Resource {
        int8_t resourceType = 0;
        std::string resourceName;
        int8_t patternType = 3;   // v1+
        std::vector<Acl> acls;
        bool operator==(const Resource &) const = default;
    };

    int32_t throttleTimeMs = 0;
    int16_t errorCode = 0;
    std::optional<std::string> errorMessage;
    std::vector<Resource> resources;

    bool operator==(const DescribeAclsResponse &) const = default;
};

struct CreateAclsRequest {
    static constexpr ApiKey kApiKey = ApiKey::CreateAcls;
    static constexpr const char *kName = "CreateAclsRequest";

    std::vector<AclBinding> creations;

    bool operator==(const CreateAclsRequest &) const = default;
};

struct CreateAclsResponse {
    static constexpr ApiKey kApiKey = ApiKey::CreateAcls;
    static constexpr const char *kName = "CreateAclsResponse";

    struct Result {
        int16_t errorCode = 0;
        std::optional<std::string> errorMessage;
        bool operator==(const Result &) const = default;
    };

    int32_t throttleTimeMs = 0;
    std::vector<Result> results;   // one per creation, in order

    bool operator==(const CreateAclsResponse &) const = default;
};

struct DeleteAclsRequest {
    static constexpr ApiKey kApiKey = ApiKey::DeleteAcls;
    static constexpr const char *kName = "DeleteAclsRequest";

    std::vector<AclBindingFilter> filters;

    bool operator==(const DeleteAclsRequest &) const = default;
};

struct DeleteAclsResponse {
    static constexpr ApiKey kApiKey = ApiKey::DeleteAcls;
    static constexpr const char *kName = "DeleteAclsResponse";

    struct MatchingAcl {
        int16_t errorCode = 0;
        std::optional<std::string> errorMessage;
        AclBinding acl;
        bool operator==(const MatchingAcl &) const = default;
    };
    struct FilterResult {
        int16_t errorCode = 0;
        std::optional<std::string> errorMessage;
        std::vector<MatchingAcl> matchingAcls;
        bool operator==(const FilterResult &) const = default;
    };

    int32_t throttleTimeMs = 0;
    std::vector<FilterResult> filterResults;   // one per filter, in order

    bool operator==(const DeleteAclsResponse &) const = default;
};

} // namespace skiff::kafka
