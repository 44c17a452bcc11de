#include "auth/Authorizer.h"

#include <algorithm>
#include <functional>

namespace skiff::auth {

using metadata::AclBinding;
using metadata::AclOperation;
using metadata::AclPatternType;
using metadata::AclPermission;
using metadata::AclResourceType;
using metadata::AclSet;

namespace {

bool forPrincipal(const AclBinding &acl, const Principal &who)
{
    return (acl.principal == who.name || acl.principal == metadata::kWildcardPrincipal)
           && (acl.host == who.host || acl.host == metadata::kWildcardHost);
}

// Calls `visit` with every ACL of pattern (type, pattern, name); stops when it returns true.
bool anyOfPattern(const AclSet &acls, AclResourceType type, AclPatternType pattern, std::string_view name,
                  const std::function<bool(const AclBinding &)> &visit)
{
    AclBinding probe;
    probe.resourceType = type;
    probe.patternType = pattern;
    probe.resourceName = std::string(name);
    probe.operation = AclOperation::Unknown;
    probe.permission = AclPermission::Unknown;
    for (auto it = acls.lower_bound(probe);
         it != acls.end() && it->resourceType == type && it->patternType == pattern && it->resourceName == name; ++it)
        if (visit(*it))
            return true;
    return false;
}

bool hasPrefixed(const AclSet &acls, AclResourceType type)
{
    AclBinding probe;
    probe.resourceType = type;
    probe.patternType = AclPatternType::Prefixed;
    auto it = acls.lower_bound(probe);
    return it != acls.end() && it->resourceType == type && it->patternType == AclPatternType::Prefixed;
}

// Every ACL that applies to resource (type, name), whoever it is for; stops when `visit` says so.
bool anyApplying(const AclSet &acls, AclResourceType type, std::string_view name,
                 const std::function<bool(const AclBinding &)> &visit)
{
    if (anyOfPattern(acls, type, AclPatternType::Literal, name, visit))
        return true;
    if (name != metadata::kWildcardResource && anyOfPattern(acls, type, AclPatternType::Literal, metadata::kWildcardResource, visit))
        return true;
    if (!hasPrefixed(acls, type))
        return false;
    for (size_t length = 1; length <= name.size(); ++length)
        if (anyOfPattern(acls, type, AclPatternType::Prefixed, name.substr(0, length), visit))
            return true;
    return false;
}

bool allowedBy(AclOperation granted, AclOperation asked)
{
    if (granted == asked || granted == AclOperation::All)
        return true;
    switch (asked) {
    case AclOperation::Describe:
        return granted == AclOperation::Read || granted == AclOperation::Write || granted == AclOperation::Delete
               || granted == AclOperation::Alter;
    case AclOperation::DescribeConfigs:
        return granted == AclOperation::AlterConfigs;
    default:
        return false;
    }
}

bool deniedBy(const AclBinding &acl, AclOperation asked)
{
    return acl.permission == AclPermission::Deny && (acl.operation == asked || acl.operation == AclOperation::All);
}

} // namespace

bool authorize(const AclSet &acls, const AuthorizerRules &rules, const Principal &who, AclOperation operation,
               AclResourceType type, std::string_view name)
{
    if (rules.superUsers.contains(who.name))
        return true;
    bool anyAcl = false;
    bool allowed = false;
    const bool denied = anyApplying(acls, type, name, [&](const AclBinding &acl) {
        anyAcl = true;
        if (!forPrincipal(acl, who))
            return false;
        if (deniedBy(acl, operation))
            return true;
        allowed = allowed || (acl.permission == AclPermission::Allow && allowedBy(acl.operation, operation));
        return false;
    });
    if (denied)
        return false;
    return allowed || (!anyAcl && rules.allowEveryoneIfNoAclFound);
}

bool authorizeAnyOfType(const AclSet &acls, const AuthorizerRules &rules, const Principal &who, AclOperation operation,
                        AclResourceType type)
{
    if (rules.superUsers.contains(who.name))
        return true;
    bool anyAcl = false;
    for (const AclBinding &allow : acls) {
        if (allow.resourceType != type)
            continue;
        anyAcl = true;
        if (allow.permission != AclPermission::Allow || !forPrincipal(allow, who) || !allowedBy(allow.operation, operation))
            continue;
        // Denied on everything this ALLOW covers: the same pattern, a prefixed deny that begins
        // its name (a literal name or a longer prefix), or the literal wildcard.
        const bool covered = std::any_of(acls.begin(), acls.end(), [&](const AclBinding &deny) {
            if (deny.resourceType != type || !forPrincipal(deny, who) || !deniedBy(deny, operation))
                return false;
            if (deny.patternType == AclPatternType::Literal)
                return deny.resourceName == metadata::kWildcardResource
                       || (allow.patternType == AclPatternType::Literal && deny.resourceName == allow.resourceName);
            return allow.resourceName.starts_with(deny.resourceName);
        });
        if (!covered)
            return true;
    }
    return !anyAcl && rules.allowEveryoneIfNoAclFound;
}

} // namespace skiff::auth
