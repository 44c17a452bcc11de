#include "admin/AclCommands.h"

#include "metadata/Acls.h"

#include <optional>

namespace skiff::admin {
namespace {

// `name` parsed with the metadata's parser (any case); `fallback` when it is empty.
template <class E>
Result<E> codeOf(const std::string &name, std::optional<E> (*parse)(std::string_view), E fallback, const char *what)
{
    if (name.empty())
        return fallback;
    if (auto code = parse(name))
        return *code;
    return invalidArgument(std::string("unknown ACL ") + what + " '" + name + "'");
}

struct Codes {
    metadata::AclResourceType type;
    metadata::AclPatternType pattern;
    metadata::AclOperation operation;
    metadata::AclPermission permission;
};

// The codes `acl` names, each field left empty `empty`'s.
Result<Codes> codesOf(const Acl &acl, const Codes &empty)
{
    using namespace metadata;
    auto type = codeOf(acl.resource_type(), aclResourceTypeFromName, empty.type, "resource type");
    auto pattern = codeOf(acl.pattern_type(), aclPatternTypeFromName, empty.pattern, "pattern type");
    auto operation = codeOf(acl.operation(), aclOperationFromName, empty.operation, "operation");
    auto permission = codeOf(acl.permission(), aclPermissionFromName, empty.permission, "permission");
    for (const Status &s : {type.status(), pattern.status(), operation.status(), permission.status()})
        if (!s.isOk())
            return s;
    return Codes{*type, *pattern, *operation, *permission};
}

Result<metadata::AclBinding> bindingOf(const Acl &acl)
{
    using namespace metadata;
    auto c = codesOf(acl, {AclResourceType::Unknown, AclPatternType::Literal, AclOperation::Unknown, AclPermission::Allow});
    if (!c.isOk())
        return c.status();
    return AclBinding{c->type, acl.resource_name(), c->pattern, acl.principal(),
                      acl.host().empty() ? std::string(kWildcardHost) : acl.host(), c->operation, c->permission};
}

Result<metadata::AclFilter> filterOf(const Acl &f)
{
    using namespace metadata;
    auto c = codesOf(f, {AclResourceType::Any, AclPatternType::Any, AclOperation::Any, AclPermission::Any});
    if (!c.isOk())
        return c.status();
    auto optional = [](const std::string &s) { return s.empty() ? std::nullopt : std::optional<std::string>(s); };
    metadata::AclFilter filter{c->type, optional(f.resource_name()), c->pattern, optional(f.principal()), optional(f.host()),
                               c->operation, c->permission};
    if (std::string why = checkAclFilter(filter); !why.empty())
        return invalidArgument(why);
    return filter;
}

Acl aclOf(const metadata::AclBinding &b)
{
    Acl acl;
    acl.set_resource_type(std::string(metadata::aclResourceTypeName(b.resourceType)));
    acl.set_resource_name(b.resourceName);
    acl.set_pattern_type(std::string(metadata::aclPatternTypeName(b.patternType)));
    acl.set_principal(b.principal);
    acl.set_host(b.host);
    acl.set_operation(std::string(metadata::aclOperationName(b.operation)));
    acl.set_permission(std::string(metadata::aclPermissionName(b.permission)));
    return acl;
}

} // namespace

Result<AclList> listAcls(const metadata::MetadataImage &image, const Acl &filter)
{
    auto f = filterOf(filter);
    if (!f.isOk())
        return f.status();
    AclList out;
    for (const metadata::AclBinding &b : metadata::matchingAcls(image.acls, *f))
        *out.add_acls() = aclOf(b);
    return out;
}

Result<metadata::Command> buildAddAcls(const AddAcls &request)
{
    if (request.acls().empty())
        return invalidArgument("add_acls names no ACL");
    metadata::Command command;
    for (const Acl &acl : request.acls()) {
        auto binding = bindingOf(acl);
        if (!binding.isOk())
            return binding.status();
        if (std::string why = metadata::checkNewAcl(*binding); !why.empty())
            return invalidArgument(why);
        metadata::aclToEntry(*binding, command.mutable_alter_acls()->add_additions());
    }
    return command;
}

Result<metadata::Command> buildRemoveAcls(const metadata::MetadataImage &image, const RemoveAcls &request)
{
    if (request.filters().empty())
        return invalidArgument("remove_acls names no filter");
    metadata::AclSet matched;
    for (const Acl &filter : request.filters()) {
        auto f = filterOf(filter);
        if (!f.isOk())
            return f.status();
        for (metadata::AclBinding &b : metadata::matchingAcls(image.acls, *f))
            matched.insert(std::move(b));
    }
    if (matched.empty())
        return notFound("no ACL matches (skiffctl acls lists them)");
    metadata::Command command;
    for (const metadata::AclBinding &b : matched)
        metadata::aclToEntry(b, command.mutable_alter_acls()->add_removals());
    return command;
}

std::string describeAclAlteration(const metadata::AlterAcls &command)
{
    std::string out;
    for (const auto &r : command.removals())
        out += (out.empty() ? "removed " : "\nremoved ") + metadata::describeAcl(metadata::aclFromEntry(r));
    for (const auto &a : command.additions())
        out += (out.empty() ? "added " : "\nadded ") + metadata::describeAcl(metadata::aclFromEntry(a));
    return out;
}

} // namespace skiff::admin
