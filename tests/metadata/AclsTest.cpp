// ACLs in the metadata: the rules a new ACL and a filter must meet (Kafka's words), filter
// matching (Any, Match and exact patterns), the state machine applying AlterAcls all or nothing
// with every addition checked when applied, and the image and snapshot codecs carrying them.

#include "metadata.pb.h"
#include "metadata/Acls.h"
#include "metadata/MetadataImageCodec.h"
#include "metadata/MetadataSnapshotCodec.h"
#include "metadata/MetadataStateMachine.h"

#include <QTest>

using namespace skiff;
using namespace skiff::metadata;

namespace {

AclBinding acl(AclResourceType type, const std::string &name, AclPatternType pattern, const std::string &principal,
               AclOperation operation, AclPermission permission = AclPermission::Allow, const std::string &host = "*")
{
    return {type, name, pattern, principal, host, operation, permission};
}

AclBinding topicRead(const std::string &topic, const std::string &principal = "User:alice")
{
    return acl(AclResourceType::Topic, topic, AclPatternType::Literal, principal, AclOperation::Read);
}

Command alter(std::vector<AclBinding> additions, std::vector<AclBinding> removals = {})
{
    Command c;
    for (const auto &a : additions)
        aclToEntry(a, c.mutable_alter_acls()->add_additions());
    for (const auto &r : removals)
        aclToEntry(r, c.mutable_alter_acls()->add_removals());
    return c;
}

} // namespace

class AclsTest : public QObject {
    Q_OBJECT
private slots:
    void newAclRulesAreKafkas()
    {
        QVERIFY(checkNewAcl(topicRead("orders")).empty());
        auto refusal = [](AclBinding a) { return QString::fromStdString(checkNewAcl(a)); };
        AclBinding a = topicRead("orders");
        a.resourceType = AclResourceType::Any;
        QCOMPARE(refusal(a), QStringLiteral("Invalid resourceType 1"));
        a = topicRead("orders");
        a.patternType = AclPatternType::Match;
        QCOMPARE(refusal(a), QStringLiteral("Invalid patternType 2"));
        a = topicRead("orders");
        a.operation = AclOperation::Any;
        QCOMPARE(refusal(a), QStringLiteral("Invalid operation 1"));
        a = topicRead("orders");
        a.permission = AclPermission::Unknown;
        QCOMPARE(refusal(a), QStringLiteral("Invalid permissionType 0"));
        a = topicRead("");
        QCOMPARE(refusal(a), QStringLiteral("Resource name should not be empty"));
        a = acl(AclResourceType::Cluster, "other", AclPatternType::Literal, "User:alice", AclOperation::Alter);
        QCOMPARE(refusal(a), QStringLiteral("The only valid name for the CLUSTER resource is kafka-cluster"));
        a = topicRead("orders", "alice");
        QVERIFY(refusal(a).startsWith(QStringLiteral("Could not parse principal from `alice`")));
        a = topicRead("orders");
        a.resourceType = AclResourceType(42);
        QCOMPARE(refusal(a), QStringLiteral("Invalid resourceType 42"));
    }

    void filtersMatchAsKafkas()
    {
        const AclBinding literal = topicRead("orders");
        const AclBinding wildcard = topicRead("*");
        const AclBinding prefixed = acl(AclResourceType::Topic, "ord", AclPatternType::Prefixed, "User:bob", AclOperation::Write);
        const AclBinding group = acl(AclResourceType::Group, "orders", AclPatternType::Literal, "User:alice", AclOperation::Read);
        AclFilter any;
        for (const auto &b : {literal, wildcard, prefixed, group})
            QVERIFY(any.matches(b));
        AclFilter exact{AclResourceType::Topic, "orders", AclPatternType::Literal};
        QVERIFY(exact.matches(literal));
        QVERIFY(!exact.matches(wildcard));
        QVERIFY(!exact.matches(prefixed));
        QVERIFY(!exact.matches(group));
        // MATCH: everything that would apply to topic "orders".
        AclFilter match{AclResourceType::Topic, "orders", AclPatternType::Match};
        QVERIFY(match.matches(literal));
        QVERIFY(match.matches(wildcard));
        QVERIFY(match.matches(prefixed));
        QVERIFY(!match.matches(group));
        AclFilter anyPatternNamed{AclResourceType::Any, "orders", AclPatternType::Any};
        QVERIFY(anyPatternNamed.matches(literal));
        QVERIFY(anyPatternNamed.matches(group));
        QVERIFY(!anyPatternNamed.matches(prefixed));   // ANY compares names exactly
        AclFilter bob;
        bob.principal = "User:bob";
        QVERIFY(bob.matches(prefixed));
        QVERIFY(!bob.matches(literal));
        AclFilter writes;
        writes.operation = AclOperation::Write;
        writes.permission = AclPermission::Allow;
        QVERIFY(writes.matches(prefixed));
        QVERIFY(!writes.matches(literal));
        AclFilter unknown;
        unknown.patternType = AclPatternType::Unknown;
        QCOMPARE(QString::fromStdString(checkAclFilter(unknown)), QStringLiteral("Invalid patternTypeFilter 0"));
        QVERIFY(checkAclFilter(any).empty());
    }

    void namesParseInAnyCase()
    {
        QCOMPARE(aclOperationFromName("idempotent_write"), std::optional(AclOperation::IdempotentWrite));
        QCOMPARE(aclResourceTypeFromName("Topic"), std::optional(AclResourceType::Topic));
        QCOMPARE(aclPatternTypeFromName("PREFIXED"), std::optional(AclPatternType::Prefixed));
        QCOMPARE(aclPermissionFromName("deny"), std::optional(AclPermission::Deny));
        QVERIFY(!aclOperationFromName("reed"));
        QCOMPARE(QString::fromStdString(describeAcl(topicRead("orders"))),
                 QStringLiteral("TOPIC:LITERAL:orders User:alice from * ALLOW READ"));
    }

    void stateMachineAppliesAllOrNothing()
    {
        MetadataStateMachine sm;
        QVERIFY(sm.apply(1, alter({topicRead("orders"), topicRead("payments")})).status.isOk());
        QCOMPARE(sm.image()->acls.size(), size_t(2));
        // Adding one again and removing one absent are no-ops, as in Kafka.
        QVERIFY(sm.apply(2, alter({topicRead("orders")}, {topicRead("absent")})).status.isOk());
        QCOMPARE(sm.image()->acls.size(), size_t(2));
        // One invalid addition refuses the whole command: the removal is not carried out either.
        const ApplyResult refused = sm.apply(3, alter({topicRead("audit"), topicRead("x", "nocolon")}, {topicRead("orders")}));
        QCOMPARE(refused.status.code(), StatusCode::InvalidArgument);
        QVERIFY2(refused.status.message().find("Could not parse principal") != std::string::npos, refused.status.message().c_str());
        QCOMPARE(sm.image()->acls.size(), size_t(2));
        QCOMPARE(sm.image()->appliedIndex, uint64_t(3));
        QVERIFY(sm.apply(4, alter({}, {topicRead("orders")})).status.isOk());
        QCOMPARE(sm.image()->acls.size(), size_t(1));
        QCOMPARE(sm.image()->acls.begin()->resourceName, std::string("payments"));
    }

    void imageAndSnapshotCarryAcls()
    {
        MetadataImage want;
        want.acls = {topicRead("orders"),
                     acl(AclResourceType::Group, "app-", AclPatternType::Prefixed, "User:CN=client,O=Example", AclOperation::Read,
                         AclPermission::Allow, "10.0.0.1"),
                     acl(AclResourceType::Cluster, "kafka-cluster", AclPatternType::Literal, "User:bob", AclOperation::All,
                         AclPermission::Deny)};
        const std::string bytes = encodeImage(want);
        auto got = decodeImage(bytes);
        QVERIFY2(got, got.status().toString().c_str());
        QVERIFY(got->acls == want.acls);
        QCOMPARE(encodeImage(*got), bytes);

        ImageSnapshot s;
        s.ParseFromString(bytes);
        ImageSnapshot old = s;
        old.clear_acls();   // as a build before ACLs wrote it
        got = decodeImage(old.SerializeAsString());
        QVERIFY2(got, got.status().toString().c_str());
        QVERIFY(got->acls.empty());
        ImageSnapshot twice = s;
        *twice.add_acls() = s.acls(0);
        got = decodeImage(twice.SerializeAsString());
        QVERIFY(!got);
        QVERIFY2(got.status().message().find("appears twice") != std::string::npos, got.status().message().c_str());
        ImageSnapshot broken = s;
        broken.mutable_acls(0)->set_operation(1);   // ANY may not be stored
        got = decodeImage(broken.SerializeAsString());
        QVERIFY(!got);
        QVERIFY2(got.status().message().find("Invalid operation 1") != std::string::npos, got.status().message().c_str());

        auto snapshot = decodeSnapshotPayload(encodeSnapshotPayload(want, {{1, "127.0.0.1:9093"}}), 7);
        QVERIFY2(snapshot, snapshot.status().toString().c_str());
        QVERIFY(snapshot->image.acls == want.acls);
    }
};

QTEST_GUILESS_MAIN(AclsTest)
#include "AclsTest.moc"
