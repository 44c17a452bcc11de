// The metadata model of replication, through the state machine as every node applies it: broker
// epochs, AlterPartition's checks in Kafka's order, the ISR removals and elections that fencing,
// unfencing, registration, removal, controlled shutdown and offline partition logs cause, and
// ElectLeaders. Pure: no
// sockets, no clocks.
#include "metadata.pb.h"
#include "metadata/MetadataStateMachine.h"
#include "metadata/PartitionChanges.h"

#include <QTest>

using namespace skiff;
using namespace skiff::metadata;

using Ids = std::vector<uint64_t>;

namespace {

std::string topicId(const std::string &name) { return std::string(16, name[0]); }

Command registerBroker(uint64_t id, const std::string &incarnation)
{
    Command c;
    c.mutable_register_broker()->set_broker_id(id);
    c.mutable_register_broker()->set_incarnation_id(incarnation);
    return c;
}

Command fence(uint64_t id, bool fenced = true)
{
    Command c;
    if (fenced)
        c.mutable_fence_broker()->set_broker_id(id);
    else
        c.mutable_unfence_broker()->set_broker_id(id);
    return c;
}

// Topic `name` (id: its first letter, 16 times) with one partition per replica list.
Command createTopic(const std::string &name, const std::vector<Ids> &partitions, std::map<std::string, std::string> configs = {})
{
    Command c;
    auto *t = c.mutable_create_topic();
    t->set_name(name);
    t->set_topic_id(topicId(name));
    for (size_t p = 0; p < partitions.size(); ++p) {
        auto *a = t->add_partitions();
        a->set_partition(int32_t(p));
        for (uint64_t r : partitions[p])
            a->add_replicas(r);
    }
    t->mutable_configs()->insert(configs.begin(), configs.end());
    return c;
}

struct Member {
    uint64_t id;
    int64_t epoch;
};

Command alter(uint64_t broker, int64_t brokerEpoch, int32_t partition, int32_t leaderEpoch, int32_t partitionEpoch,
              const std::vector<Member> &isr, const std::string &topic = "t")
{
    Command c;
    auto *a = c.mutable_alter_partition();
    a->set_broker_id(broker);
    a->set_broker_epoch(brokerEpoch);
    a->set_topic(topic);
    a->set_topic_id(topicId(topic));
    a->set_partition(partition);
    a->set_leader_epoch(leaderEpoch);
    a->set_partition_epoch(partitionEpoch);
    for (const Member &m : isr) {
        auto *member = a->add_new_isr();
        member->set_broker_id(m.id);
        member->set_broker_epoch(m.epoch);
    }
    return c;
}

Command elect(ElectionType type, const std::vector<std::pair<std::string, int32_t>> &partitions)
{
    Command c;
    c.mutable_elect_leaders()->set_type(type);
    for (const auto &[topic, p] : partitions) {
        auto *ref = c.mutable_elect_leaders()->add_partitions();
        ref->set_topic(topic);
        ref->set_topic_id(topicId(topic));
        ref->set_partition(p);
    }
    return c;
}

Command controlledShutdown(uint64_t broker, int64_t epoch)
{
    Command c;
    c.mutable_controlled_shutdown()->set_broker_id(broker);
    c.mutable_controlled_shutdown()->set_broker_epoch(epoch);
    return c;
}

// Broker `id` (process "inc-<id>") reports partitions of topic "t" whose log it cannot write or
// open, and partitions back online.
Command offlineLogs(uint64_t id, const std::vector<int32_t> &offline, const std::vector<int32_t> &online = {})
{
    Command c;
    auto *r = c.mutable_set_offline_replicas();
    r->set_broker_id(id);
    r->set_incarnation_id("inc-" + std::to_string(id));
    for (bool off : {true, false}) {
        for (int32_t p : off ? offline : online) {
            auto *ref = off ? r->add_offline() : r->add_online();
            ref->set_topic("t");
            ref->set_topic_id(topicId("t"));
            ref->set_partition(p);
        }
    }
    return c;
}

Command setConfig(const std::string &topic, const std::string &key, const std::string &value)
{
    Command c;
    c.mutable_alter_topic_config()->set_name(topic);
    (*c.mutable_alter_topic_config()->mutable_set())[key] = value;
    return c;
}

// A state machine that numbers its entries itself.
class Cluster {
public:
    ApplyResult apply(const Command &c) { return m_sm.apply(++m_index, c); }
    uint64_t lastIndex() const { return m_index; }
    const PartitionInfo &partition(const std::string &topic, int32_t p) const
    {
        return m_sm.image()->topic(topic)->partitions.at(size_t(p));
    }
    const BrokerInfo &broker(uint64_t id) const { return *m_sm.image()->broker(id); }
    int64_t epochOf(uint64_t id) const { return broker(id).brokerEpoch; }

private:
    MetadataStateMachine m_sm;
    uint64_t m_index = 0;
};

// Brokers 1, 2, 3 registered at entries 1, 2, 3 (so their broker epochs are 1, 2, 3).
void registerThree(Cluster &cluster)
{
    for (uint64_t id : {1, 2, 3})
        QVERIFY(cluster.apply(registerBroker(id, "inc-" + std::to_string(id))).status.isOk());
}

AlterPartitionOutcome outcomeOf(const ApplyResult &r) { return AlterPartitionOutcome(r.value); }

#define EXPECT_STATE(p, leader_, isr_, leaderEpoch_, partitionEpoch_)                                                  \
    do {                                                                                                               \
        QCOMPARE((p).leader, uint64_t(leader_));                                                                       \
        QCOMPARE((p).isr, Ids(isr_));                                                                                  \
        QCOMPARE((p).leaderEpoch, int32_t(leaderEpoch_));                                                              \
        QCOMPARE((p).partitionEpoch, int32_t(partitionEpoch_));                                                        \
    } while (false)

} // namespace

class ReplicationCommandsTest : public QObject {
    Q_OBJECT
private slots:
    void brokerEpochIsTheIndexOfTheIncarnationsRegistration()
    {
        Cluster c;
        for (int i = 0; i < 4; ++i)   // other entries first: the epoch is the entry's index, not a count
            QVERIFY(c.apply(createTopic("pad" + std::to_string(i), {{9}})).status.isOk());
        QVERIFY(c.apply(registerBroker(2, "inc-a")).status.isOk());
        QCOMPARE(c.epochOf(2), int64_t(5));
        QVERIFY(c.apply(registerBroker(2, "inc-a")).status.isOk());   // the same process again: same epoch
        QCOMPARE(c.epochOf(2), int64_t(5));
        QVERIFY(c.apply(fence(2)).status.isOk());
        QVERIFY(c.apply(fence(2, false)).status.isOk());
        QCOMPARE(c.epochOf(2), int64_t(5));                       // fencing is not a new incarnation
        QVERIFY(c.apply(fence(2)).status.isOk());
        QVERIFY(c.apply(registerBroker(2, "inc-b")).status.isOk());   // a restart
        QCOMPARE(c.epochOf(2), int64_t(c.lastIndex()));
        QCOMPARE(c.epochOf(2), int64_t(10));
    }

    void alterPartitionIsCheckedInKafkasOrder()
    {
        Cluster c;
        registerThree(c);
        QVERIFY(c.apply(createTopic("t", {{1, 2, 3}})).status.isOk());
        // Broker 1 leaves and comes back: broker 2 leads (leader epoch 1, partition epoch 1), ISR [2,3].
        QVERIFY(c.apply(fence(1)).status.isOk());
        QVERIFY(c.apply(fence(1, false)).status.isOk());
        EXPECT_STATE(c.partition("t", 0), 2, Ids({2, 3}), 1, 1);
        const PartitionInfo before = c.partition("t", 0);

        // A request wrong in every way; each step fixes the check that refused it, and the next
        // check in Kafka's order refuses it next.
        auto check = [&](const Command &cmd, AlterPartitionOutcome want, StatusCode code, const char *mentions) {
            const ApplyResult r = c.apply(cmd);
            QCOMPARE(outcomeOf(r), want);
            QCOMPARE(r.status.code(), code);
            QVERIFY2(r.status.message().find(alterPartitionOutcomeName(want)) != std::string::npos, r.status.message().c_str());
            QVERIFY2(r.status.message().find(mentions) != std::string::npos, r.status.message().c_str());
            QVERIFY(r.changed.empty());
            EXPECT_STATE(c.partition("t", 0), before.leader, before.isr, before.leaderEpoch, before.partitionEpoch);
        };
        using O = AlterPartitionOutcome;
        Command cmd = alter(3, 99, 0, 0, 5, {{2, 2}, {2, 2}, {4, 1}});
        cmd.mutable_alter_partition()->set_topic_id(std::string(16, 'z'));
        check(cmd, O::StaleBrokerEpoch, StatusCode::FailedPrecondition, "broker epoch 99 is not the registration's (3)");
        check(alter(9, 9, 0, 1, 1, {{9, 9}}), O::StaleBrokerEpoch, StatusCode::FailedPrecondition, "not registered");

        cmd.mutable_alter_partition()->set_broker_epoch(3);
        check(cmd, O::UnknownTopicOrPartition, StatusCode::NotFound, "no such partition");
        Command otherPartition = alter(2, 2, 7, 1, 1, {{2, 2}});
        check(otherPartition, O::UnknownTopicOrPartition, StatusCode::NotFound, "t-7");
        check(alter(2, 2, 0, 1, 1, {{2, 2}}, "nope"), O::UnknownTopicOrPartition, StatusCode::NotFound, "nope-0");

        cmd.mutable_alter_partition()->set_topic_id(topicId("t"));
        check(cmd, O::NotController, StatusCode::Unavailable, "partition epoch 5");   // newer partition epoch
        check(alter(2, 2, 0, 2, 1, {{2, 2}}), O::NotController, StatusCode::Unavailable, "leader epoch 2");

        cmd.mutable_alter_partition()->set_partition_epoch(0);
        check(cmd, O::FencedLeaderEpoch, StatusCode::FailedPrecondition, "leader epoch 0");

        cmd.mutable_alter_partition()->set_leader_epoch(1);
        check(cmd, O::InvalidRequest, StatusCode::InvalidArgument, "broker 3 is not the leader (2)");

        cmd.mutable_alter_partition()->set_broker_id(2);
        cmd.mutable_alter_partition()->set_broker_epoch(2);
        check(cmd, O::InvalidUpdateVersion, StatusCode::FailedPrecondition, "partition epoch is stale");

        cmd.mutable_alter_partition()->set_partition_epoch(1);
        check(cmd, O::InvalidRequest, StatusCode::InvalidArgument, "names a broker twice");
        cmd.mutable_alter_partition()->mutable_new_isr(1)->set_broker_id(3);
        check(cmd, O::InvalidRequest, StatusCode::InvalidArgument, "names broker 4, not a replica [1,2,3]");
        cmd.mutable_alter_partition()->mutable_new_isr()->RemoveLast();
        cmd.mutable_alter_partition()->mutable_new_isr(0)->set_broker_id(1);
        check(cmd, O::InvalidRequest, StatusCode::InvalidArgument, "leaves out the leader");
        // (RECOVERING with ISR > 1 comes next: uncleanElectionNeedsTheTopicConfig.)

        cmd.mutable_alter_partition()->mutable_new_isr(0)->set_broker_id(2);   // [2 at epoch 2, 3 at epoch 3]...
        cmd.mutable_alter_partition()->mutable_new_isr(1)->set_broker_epoch(7);   // ...but 3 at epoch 7
        check(cmd, O::IneligibleReplica, StatusCode::FailedPrecondition, "broker 3 has broker epoch 3, not 7");

        cmd.mutable_alter_partition()->mutable_new_isr(1)->set_broker_epoch(3);
        auto *one = cmd.mutable_alter_partition()->add_new_isr();
        one->set_broker_id(1);
        one->set_broker_epoch(1);
        const ApplyResult ok = c.apply(cmd);
        QVERIFY2(ok.status.isOk(), ok.status.message().c_str());
        QCOMPARE(outcomeOf(ok), O::Ok);
        // The ISR in replica order; only the partition epoch moves (Kafka >= 3.6).
        EXPECT_STATE(c.partition("t", 0), 2, Ids({1, 2, 3}), 1, 2);
        QCOMPARE(ok.changed.size(), size_t(1));
        QCOMPARE(ok.changed[0].oldIsr, Ids({2, 3}));
        QCOMPARE(ok.changed[0].newIsr, Ids({1, 2, 3}));
    }

    void ineligibleReplicasAreKeptOutOfTheIsr()
    {
        Cluster c;
        registerThree(c);
        QVERIFY(c.apply(createTopic("t", {{1, 2, 3, 4}})).status.isOk());   // 4 never registers
        QVERIFY(c.apply(alter(1, 1, 0, 0, 0, {{1, 1}})).status.isOk());
        EXPECT_STATE(c.partition("t", 0), 1, Ids({1}), 0, 1);
        using O = AlterPartitionOutcome;
        auto outcome = [&](const std::vector<Member> &isr) { return outcomeOf(c.apply(alter(1, 1, 0, 0, 1, isr))); };
        QCOMPARE(outcome({{1, 1}, {4, 4}}), O::IneligibleReplica);    // not registered
        QCOMPARE(outcome({{1, 1}, {2, -1}}), O::IneligibleReplica);   // -1 skips the check for the leader only
        QVERIFY(c.apply(fence(3)).status.isOk());
        QCOMPARE(outcome({{1, 1}, {3, 3}}), O::IneligibleReplica);    // fenced
        QVERIFY(c.apply(controlledShutdown(2, 2)).status.isOk());
        QCOMPARE(outcome({{1, 1}, {2, 2}}), O::IneligibleReplica);    // shutting down
        EXPECT_STATE(c.partition("t", 0), 1, Ids({1}), 0, 1);

        // A restarted broker 2 comes back with a new epoch; the old one is refused, the new one taken.
        QVERIFY(c.apply(fence(2)).status.isOk());
        QVERIFY(c.apply(registerBroker(2, "inc-2b")).status.isOk());
        const int64_t epoch2 = c.epochOf(2);
        QVERIFY(!c.broker(2).inControlledShutdown);
        QCOMPARE(outcome({{1, 1}, {2, 2}}), O::IneligibleReplica);
        QCOMPARE(outcome({{1, -1}, {2, epoch2}}), O::Ok);
        EXPECT_STATE(c.partition("t", 0), 1, Ids({1, 2}), 0, 2);
    }

    void alterPartitionIsACompareAndSwap()
    {
        Cluster c;
        registerThree(c);
        QVERIFY(c.apply(createTopic("t", {{1, 2, 3}})).status.isOk());
        EXPECT_STATE(c.partition("t", 0), 1, Ids({1, 2, 3}), 0, 0);
        QVERIFY(c.apply(alter(1, 1, 0, 0, 0, {{1, 1}, {3, 3}})).status.isOk());   // shrink
        EXPECT_STATE(c.partition("t", 0), 1, Ids({1, 3}), 0, 1);
        // A second request built on the same view loses.
        QCOMPARE(outcomeOf(c.apply(alter(1, 1, 0, 0, 0, {{1, 1}}))), AlterPartitionOutcome::InvalidUpdateVersion);
        QVERIFY(c.apply(alter(1, 1, 0, 0, 1, {{3, 3}, {1, 1}, {2, 2}})).status.isOk());   // expand
        EXPECT_STATE(c.partition("t", 0), 1, Ids({1, 2, 3}), 0, 2);
        const ApplyResult same = c.apply(alter(1, 1, 0, 0, 2, {{1, 1}, {2, 2}, {3, 3}}));   // nothing to change
        QCOMPARE(outcomeOf(same), AlterPartitionOutcome::Ok);
        QVERIFY(same.changed.empty());
        EXPECT_STATE(c.partition("t", 0), 1, Ids({1, 2, 3}), 0, 2);
    }

    void fencingRemovesTheBrokerFromIsrsAndMovesItsLeaderships()
    {
        Cluster c;
        registerThree(c);
        QVERIFY(c.apply(createTopic("t", {{1, 2, 3}, {2, 3, 1}, {1}, {3, 1}})).status.isOk());
        QVERIFY(c.apply(alter(3, 3, 3, 0, 0, {{3, 3}})).status.isOk());   // t-3: ISR [3], 1 lags

        const ApplyResult fenced = c.apply(fence(1));
        QVERIFY(fenced.status.isOk());
        EXPECT_STATE(c.partition("t", 0), 2, Ids({2, 3}), 1, 1);   // new leader: first replica in the ISR
        EXPECT_STATE(c.partition("t", 1), 2, Ids({2, 3}), 0, 1);   // a shrink alone keeps the leader epoch
        EXPECT_STATE(c.partition("t", 2), 0, Ids({1}), 1, 1);      // the last member stays; no leader
        EXPECT_STATE(c.partition("t", 3), 3, Ids({3}), 0, 1);      // not in its ISR: untouched
        QCOMPARE(fenced.changed.size(), size_t(3));
        QCOMPARE(fenced.changed[0].oldLeader, uint64_t(1));
        QCOMPARE(fenced.changed[0].newLeader, uint64_t(2));
        QCOMPARE(fenced.changed[2].newLeader, uint64_t(0));

        QVERIFY(c.apply(fence(1)).changed.empty());   // again: nothing left to change

        QVERIFY(c.apply(fence(2)).status.isOk());
        EXPECT_STATE(c.partition("t", 0), 3, Ids({3}), 2, 2);
        EXPECT_STATE(c.partition("t", 1), 3, Ids({3}), 1, 2);
        QVERIFY(c.apply(fence(3)).status.isOk());   // the last live broker: everything waits
        EXPECT_STATE(c.partition("t", 0), 0, Ids({3}), 3, 3);
        EXPECT_STATE(c.partition("t", 3), 0, Ids({3}), 1, 2);
    }

    void aBrokerThatComesBackLeadsItsLeaderlessPartitions()
    {
        Cluster c;
        registerThree(c);
        QVERIFY(c.apply(createTopic("t", {{1}, {1, 2}, {2, 1}})).status.isOk());
        QVERIFY(c.apply(fence(1)).status.isOk());
        EXPECT_STATE(c.partition("t", 0), 0, Ids({1}), 1, 1);
        EXPECT_STATE(c.partition("t", 1), 2, Ids({2}), 1, 1);

        const ApplyResult back = c.apply(fence(1, false));   // unfenced
        EXPECT_STATE(c.partition("t", 0), 1, Ids({1}), 2, 2);
        EXPECT_STATE(c.partition("t", 1), 2, Ids({2}), 1, 1);   // led already: it stays (no preferred election)
        QCOMPARE(back.changed.size(), size_t(1));

        // A new process registering (the old one fenced) is the same.
        QVERIFY(c.apply(fence(1)).status.isOk());
        EXPECT_STATE(c.partition("t", 0), 0, Ids({1}), 3, 3);
        QVERIFY(c.apply(registerBroker(1, "inc-1b")).status.isOk());
        EXPECT_STATE(c.partition("t", 0), 1, Ids({1}), 4, 4);

        // Removal is a departure too.
        Command remove;
        remove.mutable_remove_broker()->set_broker_id(2);
        QVERIFY(c.apply(remove).status.isOk());
        EXPECT_STATE(c.partition("t", 1), 0, Ids({2}), 2, 2);
        EXPECT_STATE(c.partition("t", 2), 0, Ids({2}), 1, 2);   // its ISR was [2] since 1 was fenced
    }

    void aReplicaWhoseLogIsOfflineHandsOverItsLeadershipAndLeavesTheIsr()
    {
        Cluster c;
        registerThree(c);
        QVERIFY(c.apply(createTopic("t", {{1, 2, 3}, {1, 2, 3}, {1}})).status.isOk());

        // The leader of t-0 cannot write (a full disk): the next ISR member leads, in a new epoch.
        const ApplyResult full = c.apply(offlineLogs(1, {0}));
        QVERIFY(full.status.isOk());
        EXPECT_STATE(c.partition("t", 0), 2, Ids({2, 3}), 1, 1);
        EXPECT_STATE(c.partition("t", 1), 1, Ids({1, 2, 3}), 0, 0);   // not reported: untouched
        QCOMPARE(full.changed.size(), size_t(1));
        QCOMPARE(full.changed[0].oldLeader, uint64_t(1));
        QCOMPARE(full.changed[0].newLeader, uint64_t(2));

        // A follower's offline log takes it out of the ISR; the leader and its epoch stay.
        QVERIFY(c.apply(offlineLogs(3, {1})).status.isOk());
        EXPECT_STATE(c.partition("t", 1), 1, Ids({1, 2}), 0, 1);

        // Nor does it join again, however level with the leader, while its log is offline.
        const ApplyResult rejoin = c.apply(alter(2, 2, 0, 1, 1, {{2, 2}, {1, 1}, {3, 3}}));
        QCOMPARE(outcomeOf(rejoin), AlterPartitionOutcome::IneligibleReplica);
        QVERIFY(QString::fromStdString(rejoin.status.message()).contains("offline"));

        // With no other member to take over, the leader keeps its partition: reads go on and
        // producers get KAFKA_STORAGE_ERROR, where a leaderless partition would serve nothing.
        QVERIFY(c.apply(offlineLogs(1, {2})).changed.empty());
        EXPECT_STATE(c.partition("t", 2), 1, Ids({1}), 0, 0);
        QVERIFY(c.apply(offlineLogs(2, {0})).status.isOk());   // t-0: 3 is the one left
        EXPECT_STATE(c.partition("t", 0), 3, Ids({3}), 2, 2);
        QVERIFY(c.apply(offlineLogs(3, {0})).changed.empty());
        EXPECT_STATE(c.partition("t", 0), 3, Ids({3}), 2, 2);

        // No election ever picks a replica whose log is offline: fenced, 3 leaves t-0 leaderless
        // (1 and 2 are offline there and out of the ISR anyway), and coming back it does not lead
        // again while its log is offline; its log back online, it does.
        QVERIFY(c.apply(fence(3)).status.isOk());
        EXPECT_STATE(c.partition("t", 0), 0, Ids({3}), 3, 3);
        QVERIFY(c.apply(fence(3, false)).changed.empty());
        EXPECT_STATE(c.partition("t", 0), 0, Ids({3}), 3, 3);
        const ApplyResult back = c.apply(offlineLogs(3, {}, {0, 1}));
        EXPECT_STATE(c.partition("t", 0), 3, Ids({3}), 4, 4);
        EXPECT_STATE(c.partition("t", 1), 1, Ids({1, 2}), 0, 1);   // back in the ISR only through its leader
        QCOMPARE(back.changed.size(), size_t(1));
        QVERIFY(c.partition("t", 0).offlineReplicas == Ids({1, 2}));
    }

    void uncleanElectionNeedsTheTopicConfig()
    {
        Cluster c;
        registerThree(c);
        QVERIFY(c.apply(createTopic("clean", {{1, 2}})).status.isOk());
        QVERIFY(c.apply(createTopic("unclean", {{1, 2}}, {{kUncleanLeaderElectionConfig, "TRUE"}})).status.isOk());
        for (const char *topic : {"clean", "unclean"})
            QVERIFY(c.apply(alter(1, 1, 0, 0, 0, {{1, 1}}, topic)).status.isOk());   // ISR [1]

        QVERIFY(c.apply(fence(1)).status.isOk());
        EXPECT_STATE(c.partition("clean", 0), 0, Ids({1}), 1, 2);     // waits for 1
        EXPECT_STATE(c.partition("unclean", 0), 2, Ids({2}), 1, 2);   // takes 2, and loses what only 1 had
        QVERIFY(c.partition("unclean", 0).leaderRecovery == LeaderRecovery::Recovering);
        QVERIFY(c.partition("clean", 0).leaderRecovery == LeaderRecovery::Recovered);

        // While recovering the ISR is the leader alone, until the leader says it has recovered.
        QVERIFY(c.apply(fence(1, false)).status.isOk());
        EXPECT_STATE(c.partition("clean", 0), 1, Ids({1}), 2, 3);   // 1 back: it leads again
        const ApplyResult grow = c.apply(alter(2, 2, 0, 1, 2, {{2, 2}, {1, 1}}, "unclean"));
        QCOMPARE(outcomeOf(grow), AlterPartitionOutcome::InvalidRequest);
        QVERIFY2(grow.status.message().find("recovering") != std::string::npos, grow.status.message().c_str());
        Command recovered = alter(2, 2, 0, 1, 2, {{2, 2}}, "unclean");
        recovered.mutable_alter_partition()->set_leader_recovered(true);
        QVERIFY(c.apply(recovered).status.isOk());
        EXPECT_STATE(c.partition("unclean", 0), 2, Ids({2}), 1, 3);
        QVERIFY(c.partition("unclean", 0).leaderRecovery == LeaderRecovery::Recovered);
        QVERIFY(c.apply(alter(2, 2, 0, 1, 3, {{2, 2}, {1, 1}}, "unclean")).status.isOk());
        EXPECT_STATE(c.partition("unclean", 0), 2, Ids({1, 2}), 1, 4);

        // Turning the config on elects a partition that waits; so does a replica coming back.
        QVERIFY(c.apply(fence(1)).status.isOk());
        QVERIFY(c.apply(fence(2)).status.isOk());
        EXPECT_STATE(c.partition("clean", 0), 0, Ids({1}), 3, 4);
        QVERIFY(c.apply(fence(2, false)).status.isOk());
        EXPECT_STATE(c.partition("clean", 0), 0, Ids({1}), 3, 4);   // not allowed: still waits
        const ApplyResult turnedOn = c.apply(setConfig("clean", kUncleanLeaderElectionConfig, "true"));
        QVERIFY(turnedOn.status.isOk());
        QCOMPARE(turnedOn.changed.size(), size_t(1));
        EXPECT_STATE(c.partition("clean", 0), 2, Ids({2}), 4, 5);
        QVERIFY(c.partition("clean", 0).leaderRecovery == LeaderRecovery::Recovering);
        // "unclean" waited for 2, its last ISR member, which took it back cleanly when unfenced.
        EXPECT_STATE(c.partition("unclean", 0), 2, Ids({2}), 3, 7);
        QVERIFY(c.partition("unclean", 0).leaderRecovery == LeaderRecovery::Recovered);
    }

    void preferredElectionMovesLeadershipBack()
    {
        Cluster c;
        registerThree(c);
        QVERIFY(c.apply(createTopic("t", {{1, 2, 3}, {2, 3}})).status.isOk());
        QVERIFY(c.apply(fence(1)).status.isOk());
        QVERIFY(c.apply(fence(1, false)).status.isOk());
        EXPECT_STATE(c.partition("t", 0), 2, Ids({2, 3}), 1, 1);

        const ApplyResult notInIsr = c.apply(elect(ELECTION_PREFERRED, {{"t", 0}}));
        QVERIFY(notInIsr.status.isOk());
        QCOMPARE(notInIsr.value, uint64_t(0));   // 1 has not caught up: nothing to do
        EXPECT_STATE(c.partition("t", 0), 2, Ids({2, 3}), 1, 1);

        QVERIFY(c.apply(alter(2, 2, 0, 1, 1, {{1, 1}, {2, 2}, {3, 3}})).status.isOk());
        const ApplyResult elected = c.apply(elect(ELECTION_PREFERRED, {{"t", 0}, {"t", 1}}));
        QVERIFY(elected.status.isOk());
        QCOMPARE(elected.value, uint64_t(1));   // t-1 is led by its preferred replica already
        EXPECT_STATE(c.partition("t", 0), 1, Ids({1, 2, 3}), 2, 3);

        // A partition that does not exist (or a recreated topic) refuses the whole command.
        Command unknown = elect(ELECTION_PREFERRED, {{"t", 0}, {"t", 9}});
        QCOMPARE(c.apply(unknown).status.code(), StatusCode::NotFound);
        Command recreated = elect(ELECTION_PREFERRED, {{"t", 0}});
        recreated.mutable_elect_leaders()->mutable_partitions(0)->set_topic_id(std::string(16, 'q'));
        QCOMPARE(c.apply(recreated).status.code(), StatusCode::NotFound);

        // A preferred replica that is shutting down has left the ISR: not elected. No list means
        // every partition.
        QVERIFY(c.apply(fence(2)).status.isOk());
        QVERIFY(c.apply(fence(2, false)).status.isOk());
        EXPECT_STATE(c.partition("t", 1), 3, Ids({3}), 1, 1);
        QVERIFY(c.apply(alter(3, 3, 1, 1, 1, {{2, 2}, {3, 3}})).status.isOk());
        QVERIFY(c.apply(controlledShutdown(2, 2)).status.isOk());
        QCOMPARE(c.apply(elect(ELECTION_PREFERRED, {})).value, uint64_t(0));
        EXPECT_STATE(c.partition("t", 1), 3, Ids({3}), 1, 3);
    }

    void uncleanElectionOnRequest()
    {
        Cluster c;
        registerThree(c);
        QVERIFY(c.apply(createTopic("t", {{1, 2}, {2, 3}})).status.isOk());
        QVERIFY(c.apply(alter(1, 1, 0, 0, 0, {{1, 1}})).status.isOk());
        QVERIFY(c.apply(fence(1)).status.isOk());
        EXPECT_STATE(c.partition("t", 0), 0, Ids({1}), 1, 2);

        const ApplyResult r = c.apply(elect(ELECTION_UNCLEAN, {{"t", 0}, {"t", 1}}));
        QVERIFY(r.status.isOk());
        QCOMPARE(r.value, uint64_t(1));   // t-1 has a leader: no election needed
        EXPECT_STATE(c.partition("t", 0), 2, Ids({2}), 2, 3);
        QVERIFY(c.partition("t", 0).leaderRecovery == LeaderRecovery::Recovering);
        EXPECT_STATE(c.partition("t", 1), 2, Ids({2, 3}), 0, 0);
    }

    void controlledShutdownMovesLeadershipsAway()
    {
        Cluster c;
        registerThree(c);
        QVERIFY(c.apply(createTopic("t", {{1, 2}, {1}})).status.isOk());
        const ApplyResult stale = c.apply(controlledShutdown(1, 7));
        QCOMPARE(stale.status.code(), StatusCode::FailedPrecondition);
        QVERIFY(!c.broker(1).inControlledShutdown);
        QVERIFY(c.apply(controlledShutdown(1, 1)).status.isOk());
        QVERIFY(c.broker(1).inControlledShutdown);
        EXPECT_STATE(c.partition("t", 0), 2, Ids({2}), 1, 1);
        EXPECT_STATE(c.partition("t", 1), 0, Ids({1}), 1, 1);
        // Unfencing does not end a shutdown; a new process does.
        QVERIFY(c.apply(fence(1, false)).changed.empty());
        QVERIFY(c.apply(fence(1)).status.isOk());
        QVERIFY(c.apply(registerBroker(1, "inc-1b")).status.isOk());
        QVERIFY(!c.broker(1).inControlledShutdown);
        EXPECT_STATE(c.partition("t", 1), 1, Ids({1}), 2, 2);
    }
};

QTEST_GUILESS_MAIN(ReplicationCommandsTest)
#include "ReplicationCommandsTest.moc"
