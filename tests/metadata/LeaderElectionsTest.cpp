// The per-partition outcomes of ElectLeaders (Kafka's ReplicationControlManager.electLeader), as
// the Kafka API, skiffctl and the automatic rebalance read them: planned on the image before the
// proposal, settled on the image after it is applied. Pure: images built by hand.
#include "metadata/LeaderElections.h"
#include "metadata/MetadataStateMachine.h"

#include <QTest>

using namespace skiff;
using namespace skiff::metadata;

namespace {

PartitionInfo partition(int32_t id, std::vector<uint64_t> replicas, std::vector<uint64_t> isr, uint64_t leader)
{
    PartitionInfo p;
    p.partition = id;
    p.replicas = std::move(replicas);
    p.isr = std::move(isr);
    p.leader = leader;
    return p;
}

// Brokers 1-3 (3 fenced); topic t: t-0 led by 2 with 1 in the ISR (can move), t-1 led by its
// preferred 1 (nothing to do), t-2 led by 1 with preferred 3 fenced, t-3 leaderless with 3 (fenced)
// its only ISR member and live replica 2.
MetadataImage image()
{
    MetadataImage image;
    for (uint64_t id : {1, 2, 3}) {
        BrokerInfo b;
        b.id = id;
        b.brokerEpoch = int64_t(id);
        b.fenced = id == 3;
        image.brokers[id] = b;
    }
    auto t = std::make_shared<TopicInfo>(TopicInfo{std::string("t"), {}, {}, {}});
    t->id.fill(7);
    t->partitions = {partition(0, {1, 2}, {1, 2}, 2), partition(1, {1, 2}, {1, 2}, 1), partition(2, {3, 1}, {1}, 1),
                     partition(3, {3, 2}, {3}, 0)};
    image.topics["t"] = t;
    return image;
}

std::vector<ElectionOutcome> outcomes(const ElectionPlan &plan)
{
    std::vector<ElectionOutcome> out;
    for (const auto &r : plan.results)
        out.push_back(r.outcome);
    return out;
}

} // namespace

class LeaderElectionsTest : public QObject {
    Q_OBJECT
private slots:
    void preferredOutcomesPerPartition()
    {
        const ElectionPlan plan = planElections(image(), ELECTION_PREFERRED,
                                                std::vector<ElectionTarget>{{"t", 0}, {"t", 1}, {"t", 2}, {"t", 9}, {"u", 0}});
        QCOMPARE(outcomes(plan), (std::vector<ElectionOutcome>{ElectionOutcome::Elected, ElectionOutcome::NotNeeded,
                                                               ElectionOutcome::PreferredNotAvailable,
                                                               ElectionOutcome::UnknownPartition, ElectionOutcome::UnknownPartition}));
        // Only the partition that can move is proposed.
        QVERIFY(plan.command.has_value());
        QCOMPARE(plan.command->elect_leaders().type(), ELECTION_PREFERRED);
        QCOMPARE(plan.command->elect_leaders().partitions_size(), 1);
        QCOMPARE(plan.command->elect_leaders().partitions(0).partition(), 0);
        QCOMPARE(plan.command->elect_leaders().partitions(0).topic_id(), std::string(16, '\x07'));
        QVERIFY(!plan.results[1].message.empty());
    }

    void noListMeansEveryPartitionThatNeedsAnElection()
    {
        // Kafka leaves out the partitions that need none.
        const ElectionPlan preferred = planElections(image(), ELECTION_PREFERRED, std::nullopt);
        QCOMPARE(preferred.results.size(), size_t(3));   // t-0, t-2, t-3 (not t-1)
        QCOMPARE(preferred.results[0].partition, 0);
        QCOMPARE(preferred.results[2].partition, 3);
        QCOMPARE(preferred.results[2].outcome, ElectionOutcome::PreferredNotAvailable);
        const ElectionPlan unclean = planElections(image(), ELECTION_UNCLEAN, std::nullopt);
        QCOMPARE(unclean.results.size(), size_t(1));   // only t-3 is leaderless
        QCOMPARE(unclean.results[0].outcome, ElectionOutcome::Elected);
    }

    void uncleanWithNoLiveReplicaIsNotAvailable()
    {
        MetadataImage i = image();
        i.brokers[2].fenced = true;
        const ElectionPlan plan = planElections(i, ELECTION_UNCLEAN, std::vector<ElectionTarget>{{"t", 3}, {"t", 1}});
        QCOMPARE(outcomes(plan), (std::vector<ElectionOutcome>{ElectionOutcome::EligibleNotAvailable, ElectionOutcome::NotNeeded}));
        QVERIFY(!plan.command.has_value());
    }

    void settledOnTheImageAfterTheApply()
    {
        ElectionPlan plan = planElections(image(), ELECTION_PREFERRED, std::vector<ElectionTarget>{{"t", 0}, {"t", 1}});
        MetadataImage after = image();
        auto t = std::make_shared<TopicInfo>(*after.topic("t"));
        t->partitions[0].leader = 1;
        after.topics["t"] = t;
        settleElections(plan, after, ELECTION_PREFERRED, Status::ok());
        QCOMPARE(outcomes(plan), (std::vector<ElectionOutcome>{ElectionOutcome::Elected, ElectionOutcome::NotNeeded}));
        QVERIFY(plan.results[0].message.empty());

        // The preferred replica was fenced before the command was applied: not elected, and why.
        ElectionPlan raced = planElections(image(), ELECTION_PREFERRED, std::vector<ElectionTarget>{{"t", 0}});
        MetadataImage fenced = image();
        fenced.brokers[1].fenced = true;
        settleElections(raced, fenced, ELECTION_PREFERRED, Status::ok());
        QCOMPARE(outcomes(raced), std::vector<ElectionOutcome>{ElectionOutcome::PreferredNotAvailable});

        // A command that failed: the partitions it carried say so, with the reason.
        ElectionPlan failed = planElections(image(), ELECTION_PREFERRED, std::vector<ElectionTarget>{{"t", 0}});
        settleElections(failed, image(), ELECTION_PREFERRED, Status(StatusCode::Unavailable, "no controller"));
        QCOMPARE(outcomes(failed), std::vector<ElectionOutcome>{ElectionOutcome::Failed});
        QVERIFY(failed.results[0].message.find("no controller") != std::string::npos);
    }

    void theProposedCommandElectsThroughTheStateMachine()
    {
        // The plan's command, applied by the state machine, gives the outcome the plan promised.
        MetadataStateMachine sm;
        sm.restore(std::make_shared<MetadataImage>(image()));
        ElectionPlan plan = planElections(*sm.image(), ELECTION_PREFERRED, std::nullopt);
        const ApplyResult r = sm.apply(1, *plan.command);
        QVERIFY(r.status.isOk());
        QCOMPARE(r.value, uint64_t(1));
        settleElections(plan, *sm.image(), ELECTION_PREFERRED, r.status);
        QCOMPARE(plan.results[0].outcome, ElectionOutcome::Elected);
        QCOMPARE(sm.image()->topic("t")->partitions[0].leader, uint64_t(1));
    }
};

QTEST_GUILESS_MAIN(LeaderElectionsTest)
#include "LeaderElectionsTest.moc"
