#pragma once
// The admin socket's ACLs (skiffctl acls): the image's ACLs listed through a filter, and AddAcls /
// RemoveAcls as AlterAcls commands. The rules are the metadata's (metadata/Acls.h), checked here
// against the image the request saw and again when the command is applied; this edge maps Kafka's
// names to the codes and back. It serves whether or not the node sets authorizer.enable: the admin
// socket is the operator's, guarded by admin.token, not by ACLs.

#include "admin.pb.h"
#include "common/Status.h"
#include "metadata.pb.h"
#include "metadata/MetadataImage.h"

namespace skiff::admin {

// The ACLs of `image` that `filter` matches (its empty fields: any), in the image's order, by Kafka's names.
Result<AclList> listAcls(const metadata::MetadataImage &image, const Acl &filter);

// One AlterAcls adding every ACL of the request (pattern type, host and permission default to
// LITERAL, "*" and ALLOW), refused whole with checkNewAcl's words for the first bad one.
Result<metadata::Command> buildAddAcls(const AddAcls &request);
// One AlterAcls removing every ACL of `image` that a filter matches; none matched is NotFound.
Result<metadata::Command> buildRemoveAcls(const metadata::MetadataImage &image, const RemoveAcls &request);

// "added TOPIC:LITERAL:orders User:alice from * ALLOW READ", one line per ACL of the command.
std::string describeAclAlteration(const metadata::AlterAcls &command);

} // namespace skiff::admin
