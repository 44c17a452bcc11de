// The ACL rules that read a metadata command (Acls.h), apart so that Acls.cpp needs no protobuf.
#include "metadata.pb.h"
#include "metadata/Acls.h"

namespace skiff::metadata {

namespace {

template <class E>
E codeOf(int32_t wire)
{
    return wire >= INT8_MIN && wire <= INT8_MAX ? E(int8_t(wire)) : E::Unknown;
}

} // namespace

AclBinding aclFromEntry(const AclEntry &entry)
{
    return AclBinding{codeOf<AclResourceType>(entry.resource_type()), entry.resource_name(),
                      codeOf<AclPatternType>(entry.pattern_type()), entry.principal(), entry.host(),
                      codeOf<AclOperation>(entry.operation()), codeOf<AclPermission>(entry.permission())};
}

void aclToEntry(const AclBinding &acl, AclEntry *entry)
{
    entry->set_resource_type(int32_t(acl.resourceType));
    entry->set_resource_name(acl.resourceName);
    entry->set_pattern_type(int32_t(acl.patternType));
    entry->set_principal(acl.principal);
    entry->set_host(acl.host);
    entry->set_operation(int32_t(acl.operation));
    entry->set_permission(int32_t(acl.permission));
}

std::string checkAclAlteration(const AlterAcls &command)
{
    for (const AclEntry &entry : command.additions())
        if (std::string why = checkNewAcl(aclFromEntry(entry)); !why.empty())
            return why;
    return {};
}

} // namespace skiff::metadata
