#pragma once
// Whether a principal may do an operation on a resource, by the ACLs of the metadata image, as
// Apache Kafka's StandardAuthorizer decides it:
// - a super user (super.users) may do everything;
// - the ACLs that apply to a resource are the literal ones of its name, the literal wildcard "*"
//   and the prefixed ones whose name begins it; of those, the ones of the principal (or
//   "User:*") and the host (or "*");
// - any DENY of the operation (or ALL) denies, before any ALLOW is looked at;
// - an ALLOW of the operation or ALL allows; DESCRIBE is also allowed by READ, WRITE, DELETE and
//   ALTER, DESCRIBE_CONFIGS by ALTER_CONFIGS (Kafka's implied operations);
// - a resource no ACL applies to at all (for any principal) is allowed only with
//   allow.everyone.if.no.acl.found.
// Pure: no I/O, no logging (kafka/server/RequestAuthorization logs and counts denials).

#include "metadata/Acls.h"

#include <set>
#include <string>
#include <string_view>

namespace skiff::auth {

// Who asks: Kafka's principal ("User:alice", "User:ANONYMOUS", "User:CN=client,O=Example")
// and the client's address as text ("127.0.0.1").
struct Principal {
    std::string name;
    std::string host;
};

// The principal of a connection no one authenticated (a PLAINTEXT listener, an SSL one without a
// client certificate), as Kafka names it.
inline constexpr std::string_view kAnonymousPrincipal = "User:ANONYMOUS";

struct AuthorizerRules {
    std::set<std::string, std::less<>> superUsers;   // super.users
    bool allowEveryoneIfNoAclFound = false;          // allow.everyone.if.no.acl.found
};

bool authorize(const metadata::AclSet &acls, const AuthorizerRules &rules, const Principal &who,
               metadata::AclOperation operation, metadata::AclResourceType type, std::string_view name);

// Whether `who` may do `operation` on some resource of `type` (Kafka's authorizeByResourceType,
// KIP-679: an idempotent producer needs WRITE on any topic): an ALLOW of it (or ALL) on some
// pattern that no DENY of the same principal covers: one on the same pattern, a prefixed one
// that begins it, or the literal wildcard.
bool authorizeAnyOfType(const metadata::AclSet &acls, const AuthorizerRules &rules, const Principal &who,
                        metadata::AclOperation operation, metadata::AclResourceType type);

} // namespace skiff::auth
