// The authorizer's decisions, as Kafka's StandardAuthorizer makes them: super users, literal,
// wildcard and prefixed patterns, principal and host wildcards, DENY before ALLOW, the implied
// operations, allow.everyone.if.no.acl.found, and KIP-679's "WRITE on any topic".

#include "auth/Authorizer.h"

#include <QTest>

#include <random>
#include <string>
#include <vector>

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

// KIP-679's rule stated pairwise, as authorizeAnyOfType decided it before it was made linear:
// some ALLOW of the principal (operation or ALL; DESCRIBE implied by READ, WRITE, DELETE, ALTER)
// that no DENY of it covers (the literal wildcard, the same literal name, a prefix of its name).
// The oracle the many-ACL cases compare with.
bool anyOfTypePairwise(const AclSet &acls, const AuthorizerRules &rules, const Principal &who, AclOperation op,
                       AclResourceType type)
{
    if (rules.superUsers.contains(who.name))
        return true;
    const auto mine = [&](const AclBinding &a) {
        return a.resourceType == type && (a.principal == who.name || a.principal == "User:*") && (a.host == who.host || a.host == "*");
    };
    const auto grants = [&](AclOperation granted) {
        return granted == op || granted == AclOperation::All
               || (op == AclOperation::Describe
                   && (granted == AclOperation::Read || granted == AclOperation::Write || granted == AclOperation::Delete
                       || granted == AclOperation::Alter))
               || (op == AclOperation::DescribeConfigs && granted == AclOperation::AlterConfigs);
    };
    bool anyAcl = false;
    for (const AclBinding &allow : acls) {
        anyAcl = anyAcl || allow.resourceType == type;
        if (!mine(allow) || allow.permission != AclPermission::Allow || !grants(allow.operation))
            continue;
        bool covered = false;
        for (const AclBinding &deny : acls) {
            if (!mine(deny) || deny.permission != AclPermission::Deny || (deny.operation != op && deny.operation != AclOperation::All))
                continue;
            if (deny.patternType == AclPatternType::Literal)
                covered = covered || deny.resourceName == "*"
                          || (allow.patternType == AclPatternType::Literal && deny.resourceName == allow.resourceName);
            else
                covered = covered || allow.resourceName.starts_with(deny.resourceName);
        }
        if (!covered)
            return true;
    }
    return !anyAcl && rules.allowEveryoneIfNoAclFound;
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

    void writeOnAnyTopicAmongThousandsOfAcls()
    {
        // 3,000 literal WRITE grants to alice, each with its DENY, and as many groups' ACLs: denied.
        AclSet acls;
        for (int i = 0; i < 3000; ++i) {
            const std::string name = "orders-" + std::to_string(i);
            acls.insert(acl(AclResourceType::Topic, name, AclPatternType::Literal, "User:alice", AclOperation::Write));
            acls.insert(acl(AclResourceType::Topic, name, AclPatternType::Literal, "User:alice", AclOperation::Write, AclPermission::Deny));
            acls.insert(acl(AclResourceType::Group, name, AclPatternType::Literal, "User:alice", AclOperation::Read));
        }
        QVERIFY(!authorizeAnyOfType(acls, {}, alice, AclOperation::Write, AclResourceType::Topic));
        QVERIFY(!authorizeAnyOfType(acls, {{}, true}, alice, AclOperation::Write, AclResourceType::Topic));
        // One grant no deny covers, somewhere among them, allows...
        acls.insert(acl(AclResourceType::Topic, "orders-17-eu", AclPatternType::Prefixed, "User:*", AclOperation::All));
        QVERIFY(authorizeAnyOfType(acls, {}, alice, AclOperation::Write, AclResourceType::Topic));
        QVERIFY(!authorizeAnyOfType(acls, {}, alice, AclOperation::Delete, AclResourceType::Group));
        // ... until a prefixed deny that begins its name covers it (a literal one of the same name does not).
        acls.insert(acl(AclResourceType::Topic, "orders-17-eu", AclPatternType::Literal, "User:alice", AclOperation::Write, AclPermission::Deny));
        QVERIFY(authorizeAnyOfType(acls, {}, alice, AclOperation::Write, AclResourceType::Topic));
        acls.insert(acl(AclResourceType::Topic, "orders-1", AclPatternType::Prefixed, "User:alice", AclOperation::Write, AclPermission::Deny));
        QVERIFY(!authorizeAnyOfType(acls, {}, alice, AclOperation::Write, AclResourceType::Topic));
        QVERIFY(authorizeAnyOfType(acls, {}, bob, AclOperation::Write, AclResourceType::Topic));
    }

    void anyOfTypeDecidesAsThePairwiseRule()
    {
        // Random ACL sets of up to 1,500 bindings over short names (so prefixes overlap), every
        // principal, host, pattern, permission and a mix of operations: the same answer as the
        // pairwise rule for every question asked.
        std::mt19937 random(679);
        const std::vector<std::string> principals{"User:alice", "User:bob", "User:*"};
        const std::vector<std::string> hosts{"*", "10.0.0.1", "10.0.0.2", "10.0.0.9"};
        const std::vector<AclOperation> operations{AclOperation::Write, AclOperation::All, AclOperation::Read,
                                                   AclOperation::Describe, AclOperation::Alter, AclOperation::AlterConfigs};
        const auto pick = [&](const auto &from) { return from[random() % from.size()]; };
        int allowed = 0;
        int questions = 0;
        for (int round = 0; round < 53; ++round) {
            AclSet acls;
            const int size = round < 50 ? int(random() % 60) : 1500;
            for (int i = 0; i < size; ++i) {
                std::string name = random() % 20 == 0 ? "*" : "";
                for (size_t length = 1 + random() % 3; name != "*" && name.size() < length;)
                    name += char('a' + random() % 3);
                acls.insert(acl(random() % 4 == 0 ? AclResourceType::Group : AclResourceType::Topic, name,
                                random() % 2 ? AclPatternType::Prefixed : AclPatternType::Literal, pick(principals),
                                pick(operations), random() % 3 == 0 ? AclPermission::Deny : AclPermission::Allow, pick(hosts)));
            }
            for (const AuthorizerRules &rules : {AuthorizerRules{}, AuthorizerRules{{}, true}, AuthorizerRules{{"User:bob"}, false}})
                for (const Principal &who : {alice, bob})
                    for (AclOperation op : {AclOperation::Write, AclOperation::Describe, AclOperation::DescribeConfigs})
                        for (AclResourceType type : {AclResourceType::Topic, AclResourceType::Group, AclResourceType::Cluster}) {
                            const bool expected = anyOfTypePairwise(acls, rules, who, op, type);
                            QCOMPARE(authorizeAnyOfType(acls, rules, who, op, type), expected);
                            allowed += expected;
                            ++questions;
                        }
        }
        // Both answers were asked for often enough for the comparison to mean something.
        QVERIFY2(allowed > questions / 10 && allowed < questions * 9 / 10,
                 qPrintable(QStringLiteral("%1 of %2 allowed").arg(allowed).arg(questions)));
    }
};

QTEST_GUILESS_MAIN(AuthorizerTest)
#include "AuthorizerTest.moc"
