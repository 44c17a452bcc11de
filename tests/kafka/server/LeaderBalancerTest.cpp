// The automatic rebalance's decision (Kafka's checkAndTriggerAutoLeaderRebalance): per broker,
// the share of the partitions it prefers but does not lead against
// leader.imbalance.per.broker.percentage. Pure: images built by hand.
#include "kafka/server/LeaderBalancer.h"

#include <QTest>

using namespace skiff;
using namespace skiff::metadata;

namespace {

// Brokers 1-3 live. Topic t has ten partitions preferring broker 1 (replicas {1, 2}, ISR both),
// of which the first `movedFrom1` are led by 2; topic u has two preferring 2 ({2, 3}), one led by 3,
// whose ISR lacks 2 when `uIsrLacksPreferred`.
MetadataImage image(int movedFrom1, bool uIsrLacksPreferred)
{
    MetadataImage image;
    for (uint64_t id : {1, 2, 3}) {
        BrokerInfo b;
        b.id = id;
        b.brokerEpoch = int64_t(id);
        image.brokers[id] = b;
    }
    auto t = std::make_shared<TopicInfo>(TopicInfo{std::string("t"), {}, {}, {}});
    for (int32_t p = 0; p < 10; ++p) {
        PartitionInfo info;
        info.partition = p;
        info.replicas = {1, 2};
        info.isr = {1, 2};
        info.leader = p < movedFrom1 ? 2 : 1;
        t->partitions.push_back(info);
    }
    image.topics["t"] = t;
    auto u = std::make_shared<TopicInfo>(TopicInfo{std::string("u"), {}, {}, {}});
    for (int32_t p = 0; p < 2; ++p) {
        PartitionInfo info;
        info.partition = p;
        info.replicas = {2, 3};
        info.isr = (p == 1 && uIsrLacksPreferred) ? std::vector<uint64_t>{3} : std::vector<uint64_t>{2, 3};
        info.leader = p == 1 ? 3 : 2;
        u->partitions.push_back(info);
    }
    image.topics["u"] = u;
    return image;
}

std::vector<std::string> names(const std::vector<ElectionTarget> &targets)
{
    std::vector<std::string> out;
    for (const auto &t : targets)
        out.push_back(t.topic + "-" + std::to_string(t.partition));
    return out;
}

} // namespace

class LeaderBalancerTest : public QObject {
    Q_OBJECT
private slots:
    void theShareMustExceedThePercentage()
    {
        // Broker 2 prefers u-0 and u-1 and leads only u-0: 50 %.
        QCOMPARE(names(kafka::partitionsToRebalance(image(0, false), 49)), std::vector<std::string>{"u-1"});
        QVERIFY(kafka::partitionsToRebalance(image(0, false), 50).empty());
        QVERIFY(kafka::partitionsToRebalance(image(0, false), 100).empty());
    }

    void theThresholdIsPerBroker()
    {
        // Broker 1: 1 of 10 not led = 10 %, not above 10 %; 2 of 10 is. Broker 2 (50 %) stays below 60 %.
        QVERIFY(kafka::partitionsToRebalance(image(1, false), 60).empty());
        QCOMPARE(names(kafka::partitionsToRebalance(image(1, false), 10)), std::vector<std::string>{"u-1"});
        QCOMPARE(names(kafka::partitionsToRebalance(image(2, false), 10)), (std::vector<std::string>{"t-0", "t-1", "u-1"}));
        QVERIFY(kafka::partitionsToRebalance(image(2, false), 60).empty());
    }

    void onlyPartitionsThatCanMoveAreProposed()
    {
        // u-1's preferred replica is out of its ISR: imbalanced, but an election would fail.
        QVERIFY(kafka::partitionsToRebalance(image(0, true), 0).empty());
        auto i = image(3, false);
        i.brokers[1].fenced = true;   // broker 1 cannot lead: its partitions stay where they are
        QCOMPARE(names(kafka::partitionsToRebalance(i, 10)), std::vector<std::string>{"u-1"});
    }
};

QTEST_GUILESS_MAIN(LeaderBalancerTest)
#include "LeaderBalancerTest.moc"
