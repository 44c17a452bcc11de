#include "auth/Authorizer.h"

#include <functional>
#include <limits>
#include <set>
#include <string_view>

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

// The first ACL of resource type `type` (the set is ordered by type first: its ACLs follow).
AclSet::const_iterator firstOfType(const AclSet &acls, AclResourceType type)
{
    constexpr auto lowest = std::numeric_limits<int8_t>::min();
    AclBinding probe;
    probe.resourceType = type;
    probe.patternType = AclPatternType(lowest);
    probe.operation = AclOperation(lowest);
    probe.permission = AclPermission(lowest);
    return acls.lower_bound(probe);
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
    // One pass over the type's ACLs collects the principal's denies of the operation by pattern,
    // a second looks for an ALLOW none of them covers: linear in the ACLs (times a name's length
    // for the prefixed denies), where checking each ALLOW against every DENY was quadratic.
    const AclSet::const_iterator first = firstOfType(acls, type);
    const auto ofType = [&](AclSet::const_iterator it) { return it != acls.end() && it->resourceType == type; };
    if (!ofType(first))
        return rules.allowEveryoneIfNoAclFound;
    std::set<std::string_view> deniedLiterals;
    std::set<std::string_view> deniedPrefixes;
    for (auto it = first; ofType(it); ++it) {
        if (!forPrincipal(*it, who) || !deniedBy(*it, operation))
            continue;
        if (it->patternType != AclPatternType::Literal)
            deniedPrefixes.insert(it->resourceName);
        else if (it->resourceName == metadata::kWildcardResource)
            return false;   // denied on every resource of the type: no ALLOW is left uncovered
        else
            deniedLiterals.insert(it->resourceName);
    }
    // Denied on everything an ALLOW covers: the same literal name, or a prefixed deny that begins
    // its name (a literal name or a longer prefix).
    const auto covered = [&](const AclBinding &allow) {
        if (allow.patternType == AclPatternType::Literal && deniedLiterals.contains(allow.resourceName))
            return true;
        const std::string_view name = allow.resourceName;
        for (size_t length = 0; !deniedPrefixes.empty() && length <= name.size(); ++length)
            if (deniedPrefixes.contains(name.substr(0, length)))
                return true;
        return false;
    };
    for (auto it = first; ofType(it); ++it)
        if (it->permission == AclPermission::Allow && forPrincipal(*it, who) && allowedBy(it->operation, operation)
            && !covered(*it))
            return true;
    return false;   // the type has ACLs: allow.everyone.if.no.acl.found does not apply
}

} // namespace skiff::auth
