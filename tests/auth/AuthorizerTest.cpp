// The authorizer's decisions, as Kafka's StandardAuthorizer makes them: super users, literal,
// wildcard and prefixed patterns, principal and host wildcards, DENY before ALLOW, the implied
// operations, allow.everyone.if.no.acl.found, and KIP-679's "WRITE on any topic".

#include "auth/Authorizer.h"

#include <QTest>

using namespace skiff;
using namespace skiff::auth;
using namespace skiff::metadata;

namespace {

AclBinding acl(AclResourceType type, const std::string &name, AclPatternType pattern, const std::string &principal,
               AclOperation operation, AclPermission permission = AclPermission::Allow, const std::string &host = "*")
{
    return {type, name, pattern, principal, host, operation, permission};
}

const Principal alice{"User:alice", "10.0.0.1"};
const Principal bob{"User:bob", "10.0.0.2"};

bool topic(const AclSet &acls, const Principal &who, AclOperation op, const std::string &name, AuthorizerRules rules = {})
{
    return authorize(acls, rules, who, op, AclResourceType::Topic, name);
}

} // namespace

class AuthorizerTest : public QObject {
    Q_OBJECT
private slots:
    void noAclDeniesUnlessAllowedEveryone()
    {
        QVERIFY(!topic({}, alice, AclOperation::Read, "orders"));
        QVERIFY(topic({}, alice, AclOperation::Read, "orders", {{}, true}));
        // With allow.everyone.if.no.acl.found, an ACL on the resource for someone else still closes it.
        const AclSet bobOnly{acl(AclResourceType::Topic, "orders", AclPatternType::Literal, "User:bob", AclOperation::Read)};
        QVERIFY(!topic(bobOnly, alice, AclOperation::Read, "orders", {{}, true}));
        QVERIFY(topic(bobOnly, alice, AclOperation::Read, "payments", {{}, true}));
    }

    void superUsersMayDoEverything()
    {
        const AclSet denyAll{acl(AclResourceType::Topic, "*", AclPatternType::Literal, "User:*", AclOperation::All, AclPermission::Deny)};
        AuthorizerRules rules;
        rules.superUsers.insert("User:alice");
        QVERIFY(topic(denyAll, alice, AclOperation::Write, "orders", rules));
        QVERIFY(!topic(denyAll, bob, AclOperation::Write, "orders", rules));
    }

    void patternsApply()
    {
        const AclSet acls{
            acl(AclResourceType::Topic, "orders", AclPatternType::Literal, "User:alice", AclOperation::Read),
            acl(AclResourceType::Topic, "pay-", AclPatternType::Prefixed, "User:alice", AclOperation::Write),
            acl(AclResourceType::Topic, "*", AclPatternType::Literal, "User:bob", AclOperation::Read),
            acl(AclResourceType::Group, "orders", AclPatternType::Literal, "User:alice", AclOperation::Read),
        };
        QVERIFY(topic(acls, alice, AclOperation::Read, "orders"));
        QVERIFY(!topic(acls, alice, AclOperation::Read, "orders2"));   // literal is exact
        QVERIFY(topic(acls, alice, AclOperation::Write, "pay-eu"));
        QVERIFY(topic(acls, alice, AclOperation::Write, "pay-"));
        QVERIFY(!topic(acls, alice, AclOperation::Write, "pay"));
        QVERIFY(!topic(acls, alice, AclOperation::Write, "orders"));
        QVERIFY(topic(acls, bob, AclOperation::Read, "anything"));
        QVERIFY(!topic(acls, bob, AclOperation::Write, "anything"));
        QVERIFY(authorize(acls, {}, alice, AclOperation::Read, AclResourceType::Group, "orders"));
        QVERIFY(!authorize(acls, {}, bob, AclOperation::Read, AclResourceType::Group, "orders"));
    }

    void principalAndHostWildcards()
    {
        const AclSet acls{
            acl(AclResourceType::Topic, "orders", AclPatternType::Literal, "User:*", AclOperation::Read, AclPermission::Allow, "10.0.0.1"),
        };
        QVERIFY(topic(acls, alice, AclOperation::Read, "orders"));
        QVERIFY(!topic(acls, bob, AclOperation::Read, "orders"));   // another host
    }

    void denyWinsOverAllow()
    {
        const AclSet acls{
            acl(AclResourceType::Topic, "*", AclPatternType::Literal, "User:alice", AclOperation::All),
            acl(AclResourceType::Topic, "secret-", AclPatternType::Prefixed, "User:alice", AclOperation::Read, AclPermission::Deny),
        };
        QVERIFY(topic(acls, alice, AclOperation::Read, "orders"));
        QVERIFY(!topic(acls, alice, AclOperation::Read, "secret-plans"));
        QVERIFY(topic(acls, alice, AclOperation::Write, "secret-plans"));   // only READ is denied
        const AclSet denyAll{
            acl(AclResourceType::Topic, "orders", AclPatternType::Literal, "User:alice", AclOperation::Read),
            acl(AclResourceType::Topic, "orders", AclPatternType::Literal, "User:*", AclOperation::All, AclPermission::Deny),
        };
        QVERIFY(!topic(denyAll, alice, AclOperation::Read, "orders"));
    }

    void impliedOperations()
    {
        for (AclOperation granted : {AclOperation::Read, AclOperation::Write, AclOperation::Delete, AclOperation::Alter}) {
            const AclSet acls{acl(AclResourceType::Topic, "orders", AclPatternType::Literal, "User:alice", granted)};
            QVERIFY(topic(acls, alice, AclOperation::Describe, "orders"));
            QVERIFY(!topic(acls, alice, AclOperation::DescribeConfigs, "orders"));
        }
        const AclSet alterConfigs{acl(AclResourceType::Topic, "orders", AclPatternType::Literal, "User:alice", AclOperation::AlterConfigs)};
        QVERIFY(topic(alterConfigs, alice, AclOperation::DescribeConfigs, "orders"));
        QVERIFY(!topic(alterConfigs, alice, AclOperation::Describe, "orders"));
        // Implied only for ALLOW: a DENY of READ does not deny DESCRIBE.
        const AclSet denyRead{
            acl(AclResourceType::Topic, "orders", AclPatternType::Literal, "User:alice", AclOperation::Describe),
            acl(AclResourceType::Topic, "orders", AclPatternType::Literal, "User:alice", AclOperation::Read, AclPermission::Deny),
        };
        QVERIFY(topic(denyRead, alice, AclOperation::Describe, "orders"));
        QVERIFY(!topic(denyRead, alice, AclOperation::Read, "orders"));
    }

    void writeOnAnyTopic()
    {
        QVERIFY(!authorizeAnyOfType({}, {}, alice, AclOperation::Write, AclResourceType::Topic));
        const AclSet prefixed{acl(AclResourceType::Topic, "pay-", AclPatternType::Prefixed, "User:alice", AclOperation::Write)};
        QVERIFY(authorizeAnyOfType(prefixed, {}, alice, AclOperation::Write, AclResourceType::Topic));
        QVERIFY(!authorizeAnyOfType(prefixed, {}, bob, AclOperation::Write, AclResourceType::Topic));
        AclSet denied = prefixed;
        denied.insert(acl(AclResourceType::Topic, "pay", AclPatternType::Prefixed, "User:alice", AclOperation::Write, AclPermission::Deny));
        QVERIFY(!authorizeAnyOfType(denied, {}, alice, AclOperation::Write, AclResourceType::Topic));
        AclSet narrowerDeny = prefixed;
        narrowerDeny.insert(acl(AclResourceType::Topic, "pay-eu", AclPatternType::Literal, "User:alice", AclOperation::Write, AclPermission::Deny));
        QVERIFY(authorizeAnyOfType(narrowerDeny, {}, alice, AclOperation::Write, AclResourceType::Topic));
        AclSet wildcardDeny = prefixed;
        wildcardDeny.insert(acl(AclResourceType::Topic, "*", AclPatternType::Literal, "User:*", AclOperation::All, AclPermission::Deny));
        QVERIFY(!authorizeAnyOfType(wildcardDeny, {}, alice, AclOperation::Write, AclResourceType::Topic));
    }
};

QTEST_GUILESS_MAIN(AuthorizerTest)
#include "AuthorizerTest.moc"
