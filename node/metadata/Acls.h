#pragma once
// Access control lists in Apache Kafka's model, as the metadata image holds them: each binds a
// resource pattern (type, name, literal or prefixed) to an entry (principal, host, operation,
// allow or deny). Written through Raft (CreateAcls, DeleteAcls, skiffctl acls) and read by the
// authorizer (auth/Authorizer.h) from the image a request is served with. The enum values are
// Kafka's wire codes, so a binding travels unchanged from a request to the image and back.

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace skiff::metadata {

enum class AclResourceType : int8_t {
    Unknown = 0, Any = 1, Topic = 2, Group = 3, Cluster = 4, TransactionalId = 5, DelegationToken = 6, User = 7
};
enum class AclPatternType : int8_t { Unknown = 0, Any = 1, Match = 2, Literal = 3, Prefixed = 4 };
enum class AclOperation : int8_t {
    Unknown = 0, Any = 1, All = 2, Read = 3, Write = 4, Create = 5, Delete = 6, Alter = 7, Describe = 8,
    ClusterAction = 9, DescribeConfigs = 10, AlterConfigs = 11, IdempotentWrite = 12, CreateTokens = 13,
    DescribeTokens = 14
};
enum class AclPermission : int8_t { Unknown = 0, Any = 1, Deny = 2, Allow = 3 };

// Kafka's names ("TOPIC", "PREFIXED", "IDEMPOTENT_WRITE", "ALLOW"), for logs, skiffctl and the
// admin socket; the parsers take them in any case ("Read", "read").
std::string_view aclResourceTypeName(AclResourceType type);
std::string_view aclPatternTypeName(AclPatternType type);
std::string_view aclOperationName(AclOperation operation);
std::string_view aclPermissionName(AclPermission permission);
std::optional<AclResourceType> aclResourceTypeFromName(std::string_view name);
std::optional<AclPatternType> aclPatternTypeFromName(std::string_view name);
std::optional<AclOperation> aclOperationFromName(std::string_view name);
std::optional<AclPermission> aclPermissionFromName(std::string_view name);

// The one name of the cluster resource, the resource name matching every name of a type, the
// principal matching every principal and the host matching every host (Kafka's constants).
inline constexpr std::string_view kClusterResourceName = "kafka-cluster";
inline constexpr std::string_view kWildcardResource = "*";
inline constexpr std::string_view kWildcardPrincipal = "User:*";
inline constexpr std::string_view kWildcardHost = "*";

struct AclBinding {
    AclResourceType resourceType = AclResourceType::Unknown;
    std::string resourceName;
    AclPatternType patternType = AclPatternType::Literal;
    std::string principal;   // "User:alice"
    std::string host;        // an address, or "*"
    AclOperation operation = AclOperation::Unknown;
    AclPermission permission = AclPermission::Unknown;

    // Ordered by resource first: the ACLs of one resource pattern are adjacent (Authorizer finds
    // them with one range lookup per pattern).
    auto key() const { return std::tie(resourceType, patternType, resourceName, principal, host, operation, permission); }
    friend bool operator<(const AclBinding &a, const AclBinding &b) { return a.key() < b.key(); }
    friend bool operator==(const AclBinding &a, const AclBinding &b) { return a.key() == b.key(); }
};

using AclSet = std::set<AclBinding>;

// "TOPIC:PREFIXED:orders- User:alice from * ALLOW WRITE": one line of a log or a listing.
std::string describeAcl(const AclBinding &acl);

// A filter over bindings (DescribeAcls, each DeleteAcls filter): null strings and the Any codes
// match everything; pattern type Match matches the patterns that would apply to the named
// resource (the literal name, the literal wildcard, and every prefix of it).
struct AclFilter {
    AclResourceType resourceType = AclResourceType::Any;
    std::optional<std::string> resourceName;
    AclPatternType patternType = AclPatternType::Any;
    std::optional<std::string> principal;
    std::optional<std::string> host;
    AclOperation operation = AclOperation::Any;
    AclPermission permission = AclPermission::Any;

    bool matches(const AclBinding &acl) const;
};

// Why an ACL cannot be stored or a filter used, in Kafka's words (its INVALID_REQUEST messages);
// empty when it can. Every node applies checkNewAcl to a command, so all refuse alike.
std::string checkNewAcl(const AclBinding &acl);
std::string checkAclFilter(const AclFilter &filter);

// The ACLs of `acls` that `filter` matches, in set order.
std::vector<AclBinding> matchingAcls(const AclSet &acls, const AclFilter &filter);

// The command's form of a binding (metadata.proto AclEntry) and back (AclAlteration.cpp, apart so
// that the rules above need no protobuf). A code outside int8 becomes Unknown, which checkNewAcl
// refuses.
class AclEntry;
class AlterAcls;
AclBinding aclFromEntry(const AclEntry &entry);
void aclToEntry(const AclBinding &acl, AclEntry *entry);
// checkNewAcl over the command's additions: the first refusal, or empty.
std::string checkAclAlteration(const AlterAcls &command);

} // namespace skiff::metadata
