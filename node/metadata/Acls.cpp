#include "metadata/Acls.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace skiff::metadata {

namespace {

template <class E, size_t N>
std::string_view nameIn(const std::array<std::pair<E, std::string_view>, N> &names, E value)
{
    for (const auto &[v, name] : names)
        if (v == value)
            return name;
    return "UNKNOWN";
}

bool sameIgnoringCase(std::string_view a, std::string_view b)
{
    return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                      [](char x, char y) { return std::toupper(uint8_t(x)) == std::toupper(uint8_t(y)); });
}

template <class E, size_t N>
std::optional<E> valueIn(const std::array<std::pair<E, std::string_view>, N> &names, std::string_view name)
{
    for (const auto &[v, n] : names)
        if (sameIgnoringCase(n, name))
            return v;
    return std::nullopt;
}

constexpr std::array<std::pair<AclResourceType, std::string_view>, 8> kResourceTypes{{
    {AclResourceType::Unknown, "UNKNOWN"},
    {AclResourceType::Any, "ANY"},
    {AclResourceType::Topic, "TOPIC"},
    {AclResourceType::Group, "GROUP"},
    {AclResourceType::Cluster, "CLUSTER"},
    {AclResourceType::TransactionalId, "TRANSACTIONAL_ID"},
    {AclResourceType::DelegationToken, "DELEGATION_TOKEN"},
    {AclResourceType::User, "USER"},
}};
constexpr std::array<std::pair<AclPatternType, std::string_view>, 5> kPatternTypes{{
    {AclPatternType::Unknown, "UNKNOWN"},
    {AclPatternType::Any, "ANY"},
    {AclPatternType::Match, "MATCH"},
    {AclPatternType::Literal, "LITERAL"},
    {AclPatternType::Prefixed, "PREFIXED"},
}};
constexpr std::array<std::pair<AclOperation, std::string_view>, 15> kOperations{{
    {AclOperation::Unknown, "UNKNOWN"},
    {AclOperation::Any, "ANY"},
    {AclOperation::All, "ALL"},
    {AclOperation::Read, "READ"},
    {AclOperation::Write, "WRITE"},
    {AclOperation::Create, "CREATE"},
    {AclOperation::Delete, "DELETE"},
    {AclOperation::Alter, "ALTER"},
    {AclOperation::Describe, "DESCRIBE"},
    {AclOperation::ClusterAction, "CLUSTER_ACTION"},
    {AclOperation::DescribeConfigs, "DESCRIBE_CONFIGS"},
    {AclOperation::AlterConfigs, "ALTER_CONFIGS"},
    {AclOperation::IdempotentWrite, "IDEMPOTENT_WRITE"},
    {AclOperation::CreateTokens, "CREATE_TOKENS"},
    {AclOperation::DescribeTokens, "DESCRIBE_TOKENS"},
}};
constexpr std::array<std::pair<AclPermission, std::string_view>, 4> kPermissions{{
    {AclPermission::Unknown, "UNKNOWN"},
    {AclPermission::Any, "ANY"},
    {AclPermission::Deny, "DENY"},
    {AclPermission::Allow, "ALLOW"},
}};

bool knownCode(int8_t code, size_t count) { return code >= 0 && size_t(code) < count; }

} // namespace

std::string_view aclResourceTypeName(AclResourceType type) { return nameIn(kResourceTypes, type); }
std::string_view aclPatternTypeName(AclPatternType type) { return nameIn(kPatternTypes, type); }
std::string_view aclOperationName(AclOperation operation) { return nameIn(kOperations, operation); }
std::string_view aclPermissionName(AclPermission permission) { return nameIn(kPermissions, permission); }
std::optional<AclResourceType> aclResourceTypeFromName(std::string_view name) { return valueIn(kResourceTypes, name); }
std::optional<AclPatternType> aclPatternTypeFromName(std::string_view name) { return valueIn(kPatternTypes, name); }
std::optional<AclOperation> aclOperationFromName(std::string_view name) { return valueIn(kOperations, name); }
std::optional<AclPermission> aclPermissionFromName(std::string_view name) { return valueIn(kPermissions, name); }

std::string describeAcl(const AclBinding &acl)
{
    return std::string(aclResourceTypeName(acl.resourceType)) + ":" + std::string(aclPatternTypeName(acl.patternType)) + ":"
           + acl.resourceName + " " + acl.principal + " from " + acl.host + " "
           + std::string(aclPermissionName(acl.permission)) + " " + std::string(aclOperationName(acl.operation));
}

bool AclFilter::matches(const AclBinding &acl) const
{
    if (resourceType != AclResourceType::Any && resourceType != acl.resourceType)
        return false;
    if (patternType != AclPatternType::Any && patternType != AclPatternType::Match && patternType != acl.patternType)
        return false;
    if (resourceName) {
        if (patternType == AclPatternType::Match) {
            const bool applies = acl.patternType == AclPatternType::Literal
                                     ? (acl.resourceName == *resourceName || acl.resourceName == kWildcardResource)
                                     : resourceName->starts_with(acl.resourceName);
            if (!applies)
                return false;
        } else if (acl.resourceName != *resourceName) {
            return false;
        }
    }
    if (principal && *principal != acl.principal)
        return false;
    if (host && *host != acl.host)
        return false;
    if (operation != AclOperation::Any && operation != acl.operation)
        return false;
    return permission == AclPermission::Any || permission == acl.permission;
}

std::string checkNewAcl(const AclBinding &acl)
{
    if (!knownCode(int8_t(acl.resourceType), kResourceTypes.size()) || acl.resourceType == AclResourceType::Unknown
        || acl.resourceType == AclResourceType::Any)
        return "Invalid resourceType " + std::to_string(int(acl.resourceType));
    if (acl.patternType != AclPatternType::Literal && acl.patternType != AclPatternType::Prefixed)
        return "Invalid patternType " + std::to_string(int(acl.patternType));
    if (!knownCode(int8_t(acl.operation), kOperations.size()) || acl.operation == AclOperation::Unknown
        || acl.operation == AclOperation::Any)
        return "Invalid operation " + std::to_string(int(acl.operation));
    if (acl.permission != AclPermission::Allow && acl.permission != AclPermission::Deny)
        return "Invalid permissionType " + std::to_string(int(acl.permission));
    if (acl.resourceName.empty())
        return "Resource name should not be empty";
    if (acl.resourceType == AclResourceType::Cluster && acl.resourceName != kClusterResourceName)
        return "The only valid name for the CLUSTER resource is " + std::string(kClusterResourceName);
    const size_t colon = acl.principal.find(':');
    if (colon == std::string::npos || colon == 0)
        return "Could not parse principal from `" + acl.principal
               + "` (expected a string in format principalType:principalName)";
    if (acl.host.empty())
        return "Invalid empty host";
    return {};
}

std::string checkAclFilter(const AclFilter &filter)
{
    if (!knownCode(int8_t(filter.resourceType), kResourceTypes.size()) || filter.resourceType == AclResourceType::Unknown)
        return "Invalid resourceTypeFilter " + std::to_string(int(filter.resourceType));
    if (!knownCode(int8_t(filter.patternType), kPatternTypes.size()) || filter.patternType == AclPatternType::Unknown)
        return "Invalid patternTypeFilter " + std::to_string(int(filter.patternType));
    if (!knownCode(int8_t(filter.operation), kOperations.size()) || filter.operation == AclOperation::Unknown)
        return "Invalid operation " + std::to_string(int(filter.operation));
    if (!knownCode(int8_t(filter.permission), kPermissions.size()) || filter.permission == AclPermission::Unknown)
        return "Invalid permissionType " + std::to_string(int(filter.permission));
    return {};
}

std::vector<AclBinding> matchingAcls(const AclSet &acls, const AclFilter &filter)
{
    std::vector<AclBinding> out;
    for (const AclBinding &acl : acls)
        if (filter.matches(acl))
            out.push_back(acl);
    return out;
}

} // namespace skiff::metadata
