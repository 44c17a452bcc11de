// The one rule for a consumer group's lag and the cluster view of groups (admin/GroupViews.h):
// each group once, from its coordinator (the newer generation when a moving coordinator answered
// twice); a lag the coordinator knew kept, an unknown one filled from the partition leader's high
// watermark in the merged partitions, left unknown when no leader reported; totals of known lags.
#include "admin/GroupViews.h"

#include <QTest>

using namespace skiff::admin;

namespace {

GroupOffset *addOffset(Group &g, const std::string &topic, int32_t partition, int64_t committed)
{
    GroupOffset *o = g.add_offsets();
    o->set_topic(topic);
    o->set_partition(partition);
    o->set_committed(committed);
    return o;
}

Partition partition(const std::string &topic, int32_t p, int32_t leaderEpoch, std::optional<int64_t> leaderHw)
{
    Partition out;
    out.set_topic(topic);
    out.set_partition(p);
    out.set_leader_epoch(leaderEpoch);
    out.set_partition_epoch(1);
    if (leaderHw) {
        out.mutable_replication()->set_leader_epoch(leaderEpoch);
        out.mutable_replication()->set_high_watermark(*leaderHw);
    }
    return out;
}

} // namespace

class GroupViewsTest : public QObject {
    Q_OBJECT
private slots:
    void lagIsTheWatermarkPastTheCommitNeverNegative()
    {
        QCOMPARE(consumerLag(100, 60), int64_t(40));
        QCOMPARE(consumerLag(100, 100), int64_t(0));
        QCOMPARE(consumerLag(90, 100), int64_t(0));   // a follower's watermark trailing the commit

        GroupOffset o;
        o.set_committed(25);
        setLag(o, 30);
        QVERIFY(o.lag_known());
        QCOMPARE(o.high_watermark(), int64_t(30));
        QCOMPARE(o.lag(), int64_t(5));
        GroupOffset none;
        none.set_committed(-1);   // "no position" committed: nothing to measure from
        setLag(none, 30);
        QVERIFY(!none.lag_known());
        QCOMPARE(none.lag(), int64_t(0));

        Group g;
        addOffset(g, "t", 0, 10)->set_lag_known(true);
        g.mutable_offsets(0)->set_lag(7);
        addOffset(g, "t", 1, 10);   // unknown: not counted
        QCOMPARE(updateTotalLag(g), int64_t(7));
        QCOMPARE(g.total_lag(), int64_t(7));
    }

    void mergeTakesEachGroupFromItsCoordinatorAndLagsFromLeaders()
    {
        // Node 1 coordinates "billing" (it hosts orders-0, so knows its lag) and "audit"; node 2
        // answered "billing" too, from an older generation (it coordinated it before).
        GroupList node1;
        Group *billing = node1.add_groups();
        billing->set_group_id("billing");
        billing->set_state("Stable");
        billing->set_generation(5);
        billing->set_coordinator(1);
        setLag(*addOffset(*billing, "orders", 0, 90), 95);   // known here: 5 (the leader says 100)
        addOffset(*billing, "orders", 1, 40);                 // leader node 3 reports 70: 30
        addOffset(*billing, "orders", 2, 10);                 // leader did not answer: unknown
        Group *audit = node1.add_groups();
        audit->set_group_id("audit");
        audit->set_state("Empty");
        audit->set_coordinator(1);
        addOffset(*audit, "orders", 1, 80);                   // committed past the watermark: 0
        GroupList node2;
        Group *old = node2.add_groups();
        old->set_group_id("billing");
        old->set_state("PreparingRebalance");
        old->set_generation(4);
        old->set_coordinator(2);
        GroupList node3;   // coordinates nothing

        PartitionList partitions;
        *partitions.add_partitions() = partition("orders", 0, 3, 100);
        *partitions.add_partitions() = partition("orders", 1, 2, 70);
        *partitions.add_partitions() = partition("orders", 2, 1, std::nullopt);

        const GroupList merged = mergeGroupViews({node2, node1, node3}, partitions);
        QCOMPARE(merged.groups_size(), 2);
        const Group &a = merged.groups(0);
        QCOMPARE(a.group_id(), std::string("audit"));
        QVERIFY(a.offsets(0).lag_known());
        QCOMPARE(a.offsets(0).high_watermark(), int64_t(70));
        QCOMPARE(a.offsets(0).lag(), int64_t(0));
        QCOMPARE(a.total_lag(), int64_t(0));

        const Group &b = merged.groups(1);
        QCOMPARE(b.group_id(), std::string("billing"));
        QCOMPARE(b.coordinator(), uint64_t(1));
        QCOMPARE(b.state(), std::string("Stable"));
        QCOMPARE(b.offsets_size(), 3);
        QCOMPARE(b.offsets(0).high_watermark(), int64_t(95));
        QCOMPARE(b.offsets(0).lag(), int64_t(5));
        QVERIFY(b.offsets(1).lag_known());
        QCOMPARE(b.offsets(1).high_watermark(), int64_t(70));
        QCOMPARE(b.offsets(1).lag(), int64_t(30));
        QVERIFY(!b.offsets(2).lag_known());
        QCOMPARE(b.total_lag(), int64_t(35));

        QCOMPARE(mergeGroupViews({}, partitions).groups_size(), 0);
    }
};

QTEST_APPLESS_MAIN(GroupViewsTest)
#include "GroupViewsTest.moc"
