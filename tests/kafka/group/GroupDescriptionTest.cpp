// What the admin socket and /metrics show of one coordinator shard's groups: the consumer
// protocol's assignment bytes decoded per member (and left alone for another protocol), offsets
// by topic and partition with the high watermark only where this node hosts the partition, and
// groups that only commit offsets.
#include "kafka/group/ConsumerProtocol.h"
#include "kafka/group/CoordinatorShard.h"
#include "kafka/group/GroupDescription.h"
#include "kafka/group/GroupRecords.h"
#include "kafka/protocol/ByteWriter.h"

#include <QTest>

using namespace skiff::kafka;
using namespace skiff::kafka::group;

namespace {

// ConsumerProtocolAssignment, as a client's assignor writes it (version 1 here; user data null).
std::string assignment(const std::vector<AssignedPartitions> &assigned)
{
    std::string out;
    ByteWriter w(out);
    w.writeInt16(1);
    w.writeArrayLength(int32_t(assigned.size()));
    for (const auto &a : assigned) {
        w.writeString(a.topic);
        w.writeArrayLength(int32_t(a.partitions.size()));
        for (int32_t p : a.partitions)
            w.writeInt32(p);
    }
    w.writeNullableBytes(std::nullopt);
    return out;
}

std::string subscription(const std::vector<std::string> &topics)
{
    std::string out;
    ByteWriter w(out);
    w.writeInt16(0);
    w.writeArrayLength(int32_t(topics.size()));
    for (const auto &t : topics)
        w.writeString(t);
    w.writeNullableBytes(std::string("ud"));
    return out;
}

} // namespace

class GroupDescriptionTest : public QObject {
    Q_OBJECT
private slots:
    void consumerProtocolMessagesDecode()
    {
        const std::vector<AssignedPartitions> assigned{{"orders", {0, 2}}, {"audit", {1}}};
        QVERIFY(decodeAssignment(assignment(assigned)) == std::optional(assigned));
        QVERIFY(decodeAssignment("") == std::optional(std::vector<AssignedPartitions>{}));   // not synced yet
        std::string truncated = assignment(assigned);
        truncated.resize(truncated.size() - 3);
        QVERIFY(!decodeAssignment(truncated));
        QVERIFY(!decodeAssignment(std::string("\xff\x00", 2)));
        QCOMPARE(subscriptionTopics(subscription({"orders", "audit"})), (std::vector<std::string>{"orders", "audit"}));
        QVERIFY(subscriptionTopics("x").empty());
    }

    void groupsWithMembersAssignmentsOffsetsAndKnownWatermarks()
    {
        CoordinatorShard shard(GroupConfig{1000, 60000, 0}, [] { return int64_t(0); });
        GroupSnapshot consumers;
        consumers.groupId = "billing";
        consumers.protocolType = "consumer";
        consumers.generationId = 4;
        consumers.protocolName = "range";
        consumers.leaderId = "m1";
        consumers.members.push_back({"m1", std::nullopt, "client-a", "/10.0.0.1", 30000, 10000,
                                     subscription({"orders"}), assignment({{"orders", {0, 1}}})});
        consumers.members.push_back({"m2", std::string("static-2"), "client-b", "/10.0.0.2", 30000, 10000,
                                     subscription({"orders"}), assignment({{"orders", {2}}})});
        QVERIFY(shard.replay(encodeGroupKey("billing"), encodeGroupValue(consumers)).isOk());
        GroupSnapshot connect = consumers;   // another protocol: its assignment is opaque
        connect.groupId = "connect-cluster";
        connect.protocolType = "connect";
        connect.protocolName = "sessioned";
        connect.members.resize(1);
        connect.members[0].assignment = assignment({{"orders", {0}}});
        QVERIFY(shard.replay(encodeGroupKey("connect-cluster"), encodeGroupValue(connect)).isOk());
        for (int32_t p : {2, 0, 1})
            QVERIFY(shard.replay(encodeOffsetKey("billing", "orders", p), encodeOffsetValue({100 + p, -1, "", 1})).isOk());
        QVERIFY(shard.replay(encodeOffsetKey("simple", "audit", 0), encodeOffsetValue({7, -1, "", 1})).isOk());

        // This node hosts orders-0 and orders-2 (leader or follower), not orders-1 nor audit-0.
        const HighWatermarkOf hw = [](const PartitionKey &tp) -> std::optional<int64_t> {
            if (tp.first == "orders" && tp.second != 1)
                return 150;
            return std::nullopt;
        };
        const std::vector<GroupDescription> groups = describeGroups(shard, hw);
        QCOMPARE(groups.size(), size_t(3));
        const GroupDescription &billing = groups[0];
        QCOMPARE(billing.groupId, std::string("billing"));
        QCOMPARE(billing.state, GroupState::Stable);
        QCOMPARE(billing.protocolType, std::string("consumer"));
        QCOMPARE(billing.protocol, std::string("range"));
        QCOMPARE(billing.generation, 4);
        QCOMPARE(billing.members.size(), size_t(2));
        QCOMPARE(billing.members[0].memberId, std::string("m1"));
        QCOMPARE(billing.members[0].clientId, std::string("client-a"));
        QCOMPARE(billing.members[0].clientHost, std::string("/10.0.0.1"));
        QCOMPARE(billing.members[0].groupInstanceId, std::string());
        QVERIFY(billing.members[0].assignment == (std::vector<AssignedPartitions>{{"orders", {0, 1}}}));
        QCOMPARE(billing.members[1].groupInstanceId, std::string("static-2"));
        QVERIFY(billing.members[1].assignment == (std::vector<AssignedPartitions>{{"orders", {2}}}));
        QCOMPARE(billing.offsets.size(), size_t(3));
        for (int32_t p = 0; p < 3; ++p) {
            QCOMPARE(billing.offsets[size_t(p)].topic, std::string("orders"));
            QCOMPARE(billing.offsets[size_t(p)].partition, p);
            QCOMPARE(billing.offsets[size_t(p)].committed, int64_t(100 + p));
        }
        QCOMPARE(billing.offsets[0].highWatermark, std::optional<int64_t>(150));
        QVERIFY(!billing.offsets[1].highWatermark);
        QCOMPARE(billing.offsets[2].highWatermark, std::optional<int64_t>(150));

        const GroupDescription &connectGroup = groups[1];
        QCOMPARE(connectGroup.groupId, std::string("connect-cluster"));
        QCOMPARE(connectGroup.members.size(), size_t(1));
        QVERIFY(connectGroup.members[0].assignment.empty());
        QVERIFY(connectGroup.offsets.empty());

        const GroupDescription &simple = groups[2];   // commits offsets, never joined
        QCOMPARE(simple.groupId, std::string("simple"));
        QCOMPARE(simple.state, GroupState::Empty);
        QCOMPARE(simple.protocolType, std::string());
        QVERIFY(simple.members.empty());
        QCOMPARE(simple.offsets.size(), size_t(1));
        QCOMPARE(simple.offsets[0].committed, int64_t(7));
        QVERIFY(!simple.offsets[0].highWatermark);
    }
};

QTEST_APPLESS_MAIN(GroupDescriptionTest)
#include "GroupDescriptionTest.moc"
