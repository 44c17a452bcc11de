// servingOf: the one rule for who serves a partition (Kafka Metadata, Produce/Fetch, the admin
// socket). A leader that is fenced, unregistered or unable to open its log serves nothing.
#include "metadata/PartitionServing.h"

#include <QTest>

using namespace skiff::metadata;

namespace {

MetadataImage imageWith(std::initializer_list<std::pair<uint64_t, bool>> brokers)
{
    MetadataImage image;
    for (const auto &[id, fenced] : brokers) {
        BrokerInfo b;
        b.id = id;
        b.fenced = fenced;
        image.brokers[id] = b;
    }
    return image;
}

PartitionInfo partition(std::vector<uint64_t> replicas, uint64_t leader)
{
    PartitionInfo p;
    p.replicas = replicas;
    p.isr = replicas;
    p.leader = leader;
    return p;
}

} // namespace

class PartitionServingTest : public QObject {
    Q_OBJECT
private slots:
    void aLiveLeaderServes()
    {
        const auto image = imageWith({{1, false}, {2, false}});
        const PartitionServing s = servingOf(image, partition({2, 1}, 2));
        QCOMPARE(s.leader, uint64_t(2));
        QVERIFY(s.state == PartitionState::Ok);
        QVERIFY(s.offlineReplicas.empty());
    }

    void aFencedLeaderIsNoLeader()
    {
        const auto image = imageWith({{1, false}, {2, true}});
        const PartitionServing s = servingOf(image, partition({2, 1}, 2));
        QCOMPARE(s.leader, uint64_t(0));
        QVERIFY(s.state == PartitionState::Offline);
        QCOMPARE(s.offlineReplicas, std::vector<uint64_t>{2});
    }

    void anUnregisteredOrMissingLeaderIsNoLeader()
    {
        const auto image = imageWith({{1, false}});
        QVERIFY(servingOf(image, partition({3}, 3)).state == PartitionState::Offline);
        QCOMPARE(servingOf(image, partition({3}, 3)).offlineReplicas, std::vector<uint64_t>{3});
        const PartitionServing none = servingOf(image, partition({1}, 0));
        QCOMPARE(none.leader, uint64_t(0));
        QVERIFY(none.state == PartitionState::Offline);
        QVERIFY(none.offlineReplicas.empty());
    }

    void aFencedFollowerIsAnOfflineReplicaOnly()
    {
        const auto image = imageWith({{1, false}, {2, true}, {3, false}});
        const PartitionServing s = servingOf(image, partition({1, 2, 3}, 1));
        QCOMPARE(s.leader, uint64_t(1));
        QVERIFY(s.state == PartitionState::Ok);
        QCOMPARE(s.offlineReplicas, std::vector<uint64_t>{2});
    }

    void aLeaderThatCannotOpenTheLogIsStorageOffline()
    {
        const auto image = imageWith({{1, false}, {2, false}});
        PartitionInfo p = partition({1, 2}, 1);
        p.offlineReplicas = {1};
        const PartitionServing s = servingOf(image, p);
        QCOMPARE(s.leader, uint64_t(0));
        QVERIFY(s.state == PartitionState::StorageOffline);
        QCOMPARE(s.offlineReplicas, std::vector<uint64_t>{1});
    }

    void theBrokerItselfKnowsItsStorageFirst()
    {
        const auto image = imageWith({{1, false}, {2, false}});
        const PartitionServing s = servingOf(image, partition({2, 1}, 2), 2);
        QCOMPARE(s.leader, uint64_t(0));
        QVERIFY(s.state == PartitionState::StorageOffline);
        QCOMPARE(s.offlineReplicas, std::vector<uint64_t>{2});
        // Another broker's local knowledge says nothing about this leader.
        QVERIFY(servingOf(image, partition({2, 1}, 2), 1).state == PartitionState::Ok);
    }

    void fencedWinsOverStorage()
    {
        const auto image = imageWith({{1, true}});
        PartitionInfo p = partition({1}, 1);
        p.offlineReplicas = {1};
        QVERIFY(servingOf(image, p).state == PartitionState::Offline);
        QCOMPARE(servingOf(image, p).offlineReplicas, std::vector<uint64_t>{1});
    }
};

QTEST_MAIN(PartitionServingTest)
#include "PartitionServingTest.moc"
