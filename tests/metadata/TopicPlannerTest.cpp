// The topic creation rules of metadata/TopicPlanner: every refusal reason, at its boundaries.
#include "metadata/MetadataImage.h"
#include "metadata/TopicPlanner.h"

#include <QTest>

#include <set>

using namespace skiff;
using namespace skiff::metadata;

namespace {

// Brokers 1, 2 and 3 serving, broker 4 fenced; topic "existing" with 2 partitions of 2 replicas.
MetadataImage clusterImage()
{
    MetadataImage image;
    for (uint64_t id : {1, 2, 3, 4}) {
        BrokerInfo b;
        b.id = id;
        b.fenced = id == 4;
        image.brokers[id] = b;
    }
    auto topic = std::make_shared<TopicInfo>();
    topic->name = "existing";
    for (int32_t p = 0; p < 2; ++p) {
        PartitionInfo info;
        info.partition = p;
        info.replicas = {uint64_t(1 + p), uint64_t(2 + p)};
        info.leader = info.replicas[0];
        topic->partitions.push_back(info);
    }
    image.topics["existing"] = topic;
    return image;
}

TopicPolicy policy(int64_t maxPartitionsPerBroker = 0)
{
    TopicPolicy p;
    p.defaultPartitions = 1;
    p.defaultReplicationFactor = 1;
    p.maxPartitionsPerBroker = maxPartitionsPerBroker;
    p.validateConfigs = [](const std::map<std::string, std::string> &c) {
        if (c.count("bogus"))
            return invalidArgument("unknown topic config 'bogus'");
        if (c.count("retention.ms") && c.at("retention.ms") == "1h")
            return invalidArgument("retention.ms: '1h' is not an integer");
        return Status::ok();
    };
    p.listConfigDefault = [](const std::string &name) {
        return name == "cleanup.policy" ? std::optional<std::string>("delete") : std::nullopt;
    };
    return p;
}

NewTopic topic(const std::string &name, std::optional<int32_t> partitions = std::nullopt,
               std::optional<int32_t> replicationFactor = std::nullopt)
{
    NewTopic t;
    t.name = name;
    t.partitions = partitions;
    t.replicationFactor = replicationFactor;
    return t;
}

NewPartitions grow(const std::string &name, int32_t totalCount, std::vector<std::vector<int32_t>> assignments = {})
{
    NewPartitions g;
    g.name = name;
    g.totalCount = totalCount;
    g.assignments = std::move(assignments);
    return g;
}

// The refusal's reason and message, or a failure naming what was planned instead.
#define EXPECT_REFUSAL(plan, expectedReason, messagePart)                                                            \
    do {                                                                                                               \
        const TopicPlan &plan_ = (plan);                                                                               \
        QVERIFY2(!plan_.isOk(), "planned a command instead of refusing");                                              \
        QCOMPARE(topicRefusalName(plan_.refusal().reason), topicRefusalName(expectedReason));                          \
        QVERIFY2(plan_.refusal().message.find(messagePart) != std::string::npos, plan_.refusal().message.c_str());     \
    } while (false)

} // namespace

class TopicPlannerTest : public QObject {
    Q_OBJECT
private slots:
    void createsWithTheNodeDefaults()
    {
        const auto plan = planCreateTopic(clusterImage(), policy(10000), topic("orders"));
        QVERIFY2(plan.isOk(), plan.isOk() ? "" : plan.refusal().message.c_str());
        const auto &c = plan.command().create_topic();
        QCOMPARE(c.name(), std::string("orders"));
        QCOMPARE(c.topic_id().size(), size_t(16));
        QCOMPARE(c.partitions_size(), 1);
        QCOMPARE(c.partitions(0).replicas_size(), 1);
        QCOMPARE(c.max_partitions_per_broker(), int64_t(10000));
    }

    void placesReplicasOnDistinctUnfencedBrokers()
    {
        NewTopic t = topic("spread", 6, 3);
        t.configs["retention.ms"] = "1000";
        const auto plan = planCreateTopic(clusterImage(), policy(), t);
        QVERIFY(plan.isOk());
        const auto &c = plan.command().create_topic();
        QCOMPARE(c.configs().at("retention.ms"), std::string("1000"));
        QCOMPARE(c.partitions_size(), 6);
        std::set<uint64_t> leaders;
        for (int p = 0; p < 6; ++p) {
            const auto &a = c.partitions(p);
            QCOMPARE(a.partition(), p);
            const std::set<uint64_t> replicas(a.replicas().begin(), a.replicas().end());
            QCOMPARE(replicas, (std::set<uint64_t>{1, 2, 3}));   // never the fenced broker 4
            leaders.insert(a.replicas(0));
        }
        QCOMPARE(leaders.size(), size_t(3));
    }

    void topicNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty") << "" << "topic name is empty";
        QTest::newRow("dot") << "." << "topic name cannot be '.'";
        QTest::newRow("dot dot") << ".." << "topic name cannot be '..'";
        QTest::newRow("250 characters") << QString(250, 'a') << "topic name is 250 characters long; the limit is 249";
        QTest::newRow("space") << "has space" << "contains a character other than ASCII letters, digits, '.', '_' and '-'";
        QTest::newRow("slash") << "a/b" << "contains a character other than";
        QTest::newRow("non-ASCII") << QString::fromUtf8("caf\xc3\xa9") << "contains a character other than";
    }
    void topicNames()
    {
        QFETCH(QString, name);
        QFETCH(QString, message);
        EXPECT_REFUSAL(planCreateTopic(clusterImage(), policy(), topic(name.toStdString())), TopicRefusal::InvalidName,
                       message.toStdString());
    }
    void legalNamesAtTheBoundaries()
    {
        for (const std::string &name : {std::string(249, 'a'), std::string("a"), std::string("..."), std::string("Orders.v1_x-y")})
            QVERIFY2(planCreateTopic(clusterImage(), policy(), topic(name)).isOk(), name.c_str());
    }

    void existingTopic()
    {
        EXPECT_REFUSAL(planCreateTopic(clusterImage(), policy(), topic("existing")), TopicRefusal::AlreadyExists,
                       "topic 'existing' already exists");
    }

    void partitionCounts_data()
    {
        QTest::addColumn<int>("partitions");
        QTest::addColumn<QString>("refusal");   // empty: planned
        QTest::newRow("0") << 0 << "number of partitions must be at least 1, got 0";
        QTest::newRow("-2") << -2 << "number of partitions must be at least 1, got -2";
        QTest::newRow("1") << 1 << "";
        QTest::newRow("limit") << kMaxPartitionsPerTopic << "";
        QTest::newRow("limit + 1") << kMaxPartitionsPerTopic + 1 << "number of partitions must be at most 100000, got 100001";
        QTest::newRow("int32 max") << INT32_MAX << "number of partitions must be at most 100000, got 2147483647";
    }
    void partitionCounts()
    {
        QFETCH(int, partitions);
        QFETCH(QString, refusal);
        const auto plan = planCreateTopic(clusterImage(), policy(), topic("counted", partitions));
        if (refusal.isEmpty()) {
            QVERIFY2(plan.isOk(), plan.isOk() ? "" : plan.refusal().message.c_str());
            QCOMPARE(plan.command().create_topic().partitions_size(), partitions);
        } else {
            EXPECT_REFUSAL(plan, TopicRefusal::InvalidPartitionCount, refusal.toStdString());
        }
    }

    void replicationFactors_data()
    {
        QTest::addColumn<int>("replicationFactor");
        QTest::addColumn<QString>("refusal");   // empty: planned
        QTest::newRow("0") << 0 << "replication factor must be at least 1, got 0";
        QTest::newRow("-1 through the admin socket") << -1 << "replication factor must be at least 1, got -1";
        QTest::newRow("1") << 1 << "";
        QTest::newRow("the unfenced brokers") << 3 << "";
        QTest::newRow("brokers + 1") << 4 << "replication factor 4 is larger than the 3 available (unfenced) brokers";
        QTest::newRow("int16 max") << 32767 << "replication factor 32767 is larger than the 3 available (unfenced) brokers";
        QTest::newRow("int16 max + 1") << 32768 << "replication factor must be at most 32767, got 32768";
        QTest::newRow("40000") << 40000 << "replication factor must be at most 32767, got 40000";
    }
    void replicationFactors()
    {
        QFETCH(int, replicationFactor);
        QFETCH(QString, refusal);
        const auto plan = planCreateTopic(clusterImage(), policy(), topic("replicated", 2, replicationFactor));
        if (refusal.isEmpty()) {
            QVERIFY2(plan.isOk(), plan.isOk() ? "" : plan.refusal().message.c_str());
            QCOMPARE(plan.command().create_topic().partitions(0).replicas_size(), replicationFactor);
        } else {
            EXPECT_REFUSAL(plan, TopicRefusal::InvalidReplicationFactor, refusal.toStdString());
        }
    }
    void defaultReplicationFactorAboveTheBrokers()
    {
        TopicPolicy p = policy();
        p.defaultReplicationFactor = 5;
        EXPECT_REFUSAL(planCreateTopic(clusterImage(), p, topic("defaulted")), TopicRefusal::InvalidReplicationFactor,
                       "replication factor 5 is larger than the 3 available");
    }

    void topicConfigs()
    {
        NewTopic t = topic("configured");
        t.configs["bogus"] = "1";
        EXPECT_REFUSAL(planCreateTopic(clusterImage(), policy(), t), TopicRefusal::InvalidConfig, "unknown topic config 'bogus'");
        TopicPolicy none = policy();
        none.validateConfigs = nullptr;
        t.configs = {{"retention.ms", "1"}};
        EXPECT_REFUSAL(planCreateTopic(clusterImage(), none, t), TopicRefusal::InvalidConfig, "takes no topic configs");
    }

    void manualAssignment()
    {
        NewTopic t = topic("manual");
        t.assignments = {{1, {3, 1}}, {0, {2, 1}}};   // any order
        const auto plan = planCreateTopic(clusterImage(), policy(), t);
        QVERIFY2(plan.isOk(), plan.isOk() ? "" : plan.refusal().message.c_str());
        const auto &c = plan.command().create_topic();
        QCOMPARE(c.partitions_size(), 2);
        QCOMPARE(std::vector<uint64_t>(c.partitions(0).replicas().begin(), c.partitions(0).replicas().end()),
                 (std::vector<uint64_t>{2, 1}));
        QCOMPARE(std::vector<uint64_t>(c.partitions(1).replicas().begin(), c.partitions(1).replicas().end()),
                 (std::vector<uint64_t>{3, 1}));
    }
    void manualAssignmentRefusals_data()
    {
        QTest::addColumn<QString>("case_");
        QTest::addColumn<QString>("message");
        QTest::newRow("with a count") << "count" << "give either replica assignments or partition count and replication factor, not both";
        QTest::newRow("gap") << "gap" << "replica assignments must cover partitions 0..1 once each";
        QTest::newRow("partition twice") << "twice" << "replica assignments must cover partitions 0..1 once each";
        QTest::newRow("no replicas") << "empty" << "partition 0 is assigned no replicas";
        QTest::newRow("uneven") << "uneven" << "partition 1 is assigned 1 replica(s), but every partition of a topic needs the same number (2)";
        QTest::newRow("broker twice") << "dup" << "partition 0 lists a broker twice";
        QTest::newRow("unknown broker") << "unknown" << "partition 1 is assigned to broker 9, which is not registered";
        QTest::newRow("negative broker") << "negative" << "partition 0 is assigned to broker -1, which is not registered";
    }
    void manualAssignmentRefusals()
    {
        QFETCH(QString, case_);
        QFETCH(QString, message);
        NewTopic t = topic("manual");
        t.assignments = {{0, {1, 2}}, {1, {2, 3}}};
        if (case_ == "count") t.replicationFactor = 2;
        if (case_ == "gap") t.assignments[1].first = 2;
        if (case_ == "twice") t.assignments[1].first = 0;
        if (case_ == "empty") t.assignments[0].second.clear();
        if (case_ == "uneven") t.assignments[1].second = {3};
        if (case_ == "dup") t.assignments[0].second = {1, 1};
        if (case_ == "unknown") t.assignments[1].second = {2, 9};
        if (case_ == "negative") t.assignments[0].second = {-1, 2};
        EXPECT_REFUSAL(planCreateTopic(clusterImage(), policy(), t),
                       case_ == "count" ? TopicRefusal::AssignmentWithCounts : TopicRefusal::InvalidReplicaAssignment,
                       message.toStdString());
    }

    void partitionsPerBrokerLimit()
    {
        // "existing" puts 1 replica on broker 1, 2 on broker 2, 1 on broker 3.
        EXPECT_REFUSAL(planCreateTopic(clusterImage(), policy(2), topic("full", 3)), TopicRefusal::PartitionLimit,
                       "topic 'full': broker ");
        EXPECT_REFUSAL(planCreateTopic(clusterImage(), policy(2), topic("full", 3)), TopicRefusal::PartitionLimit,
                       "more than max.partitions.per.broker = 2");
        QVERIFY(planCreateTopic(clusterImage(), policy(3), topic("fits", 3)).isOk());
        QVERIFY(planCreateTopic(clusterImage(), policy(0), topic("unlimited", 300)).isOk());
    }

    void growsWithTheTopicsReplicationFactor()
    {
        const auto plan = planCreatePartitions(clusterImage(), policy(100), grow("existing", 5));
        QVERIFY2(plan.isOk(), plan.isOk() ? "" : plan.refusal().message.c_str());
        const auto &c = plan.command().create_partitions();
        QCOMPARE(c.name(), std::string("existing"));
        QCOMPARE(c.max_partitions_per_broker(), int64_t(100));
        // What the state machine checks when it applies: the topic's id and the count grown from.
        const auto &id = clusterImage().topic("existing")->id;
        QCOMPARE(c.topic_id(), std::string(reinterpret_cast<const char *>(id.data()), id.size()));
        QCOMPARE(c.new_partitions_size(), 3);
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(c.new_partitions(i).partition(), 2 + i);
            QCOMPARE(c.new_partitions(i).replicas_size(), 2);
        }
    }
    void createPartitionsRefusals()
    {
        const MetadataImage image = clusterImage();
        EXPECT_REFUSAL(planCreatePartitions(image, policy(), grow("missing", 3)), TopicRefusal::UnknownTopic,
                       "topic 'missing' does not exist");
        EXPECT_REFUSAL(planCreatePartitions(image, policy(), grow("existing", 1)), TopicRefusal::InvalidPartitionCount,
                       "topic 'existing' has 2 partitions; the new count must be larger, got 1");
        EXPECT_REFUSAL(planCreatePartitions(image, policy(), grow("existing", 2)), TopicRefusal::InvalidPartitionCount,
                       "the new count must be larger, got 2");
        QVERIFY(planCreatePartitions(image, policy(), grow("existing", kMaxPartitionsPerTopic)).isOk());
        EXPECT_REFUSAL(planCreatePartitions(image, policy(), grow("existing", kMaxPartitionsPerTopic + 1)),
                       TopicRefusal::InvalidPartitionCount, "number of partitions must be at most 100000, got 100001");
        // Every serving broker already hosts a replica of "existing".
        EXPECT_REFUSAL(planCreatePartitions(image, policy(1), grow("existing", 3)), TopicRefusal::PartitionLimit,
                       "topic 'existing': broker ");
    }
    void createPartitionsManualAssignment()
    {
        const MetadataImage image = clusterImage();
        const auto plan = planCreatePartitions(image, policy(), grow("existing", 3, {{3, 1}}));
        QVERIFY2(plan.isOk(), plan.isOk() ? "" : plan.refusal().message.c_str());
        QCOMPARE(plan.command().create_partitions().new_partitions(0).partition(), 2);
        QCOMPARE(plan.command().create_partitions().new_partitions(0).replicas(0), uint64_t(3));
        EXPECT_REFUSAL(planCreatePartitions(image, policy(), grow("existing", 4, {{3, 1}})),
                       TopicRefusal::InvalidReplicaAssignment,
                       "growing topic 'existing' from 2 to 4 partitions needs 2 assignment(s), got 1");
        EXPECT_REFUSAL(planCreatePartitions(image, policy(), grow("existing", 3, {{3}})), TopicRefusal::InvalidReplicaAssignment,
                       "partition 2 is assigned 1 replica(s), but every partition of a topic needs the same number (2)");
        EXPECT_REFUSAL(planCreatePartitions(image, policy(), grow("existing", 3, {{3, 3}})),
                       TopicRefusal::InvalidReplicaAssignment, "partition 2 lists a broker twice");
        EXPECT_REFUSAL(planCreatePartitions(image, policy(), grow("existing", 3, {{3, 7}})),
                       TopicRefusal::InvalidReplicaAssignment, "partition 2 is assigned to broker 7, which is not registered");
    }

    void configChanges()
    {
        MetadataImage image = clusterImage();
        auto topic = std::make_shared<TopicInfo>(*image.topics["existing"]);
        topic->configs = {{"retention.ms", "1000"}, {"segment.bytes", "2000"}};
        image.topics["existing"] = topic;
        auto change = [](bool replaceAll, std::vector<ConfigChange> changes) {
            return TopicConfigChange{"existing", replaceAll, std::move(changes)};
        };
        auto set = [](const TopicPlan &plan) {
            const auto &s = plan.command().alter_topic_config().set();
            return std::map<std::string, std::string>(s.begin(), s.end());
        };
        auto removed = [](const TopicPlan &plan) {
            const auto &r = plan.command().alter_topic_config().remove();
            return std::vector<std::string>(r.begin(), r.end());
        };
        using Map = std::map<std::string, std::string>;
        using Names = std::vector<std::string>;

        // Incremental: SET one, DELETE another; the rest stays.
        TopicPlan plan = planAlterTopicConfig(image, policy(), change(false, {{"retention.ms", ConfigOp::Set, "5"},
                                                                              {"segment.bytes", ConfigOp::Delete, ""}}));
        QVERIFY(plan.isOk());
        QCOMPARE(plan.command().alter_topic_config().name(), std::string("existing"));
        QCOMPARE(set(plan), (Map{{"retention.ms", "5"}}));
        QCOMPARE(removed(plan), (Names{"segment.bytes"}));
        // AlterConfigs: the named configs are the whole set; the others go back to defaults.
        plan = planAlterTopicConfig(image, policy(), change(true, {{"retention.bytes", ConfigOp::Set, "9"}}));
        QVERIFY(plan.isOk());
        QCOMPARE(set(plan), (Map{{"retention.bytes", "9"}}));
        QCOMPARE(removed(plan), (Names{"retention.ms", "segment.bytes"}));
        // APPEND starts from the default of a list config; SUBTRACT takes items away.
        plan = planAlterTopicConfig(image, policy(), change(false, {{"cleanup.policy", ConfigOp::Append, "compact,delete"}}));
        QVERIFY(plan.isOk());
        QCOMPARE(set(plan), (Map{{"cleanup.policy", "delete,compact"}}));
        plan = planAlterTopicConfig(image, policy(), change(false, {{"cleanup.policy", ConfigOp::Subtract, "delete"}}));
        QVERIFY(plan.isOk());
        QCOMPARE(set(plan), (Map{{"cleanup.policy", ""}}));

        // The same rules as at creation, judged on the result.
        EXPECT_REFUSAL(planAlterTopicConfig(image, policy(), change(false, {{"bogus", ConfigOp::Set, "1"}})),
                       TopicRefusal::InvalidConfig, "unknown topic config 'bogus'");
        EXPECT_REFUSAL(planAlterTopicConfig(image, policy(), change(true, {{"retention.ms", ConfigOp::Set, "1h"}})),
                       TopicRefusal::InvalidConfig, "retention.ms: '1h' is not an integer");
        EXPECT_REFUSAL(planAlterTopicConfig(image, policy(), change(false, {{"retention.ms", ConfigOp::Append, "1"}})),
                       TopicRefusal::InvalidConfig, "Can't APPEND to key retention.ms because its type is not LIST.");
        EXPECT_REFUSAL(planAlterTopicConfig(image, policy(), change(false, {{"bogus", ConfigOp::Subtract, "1"}})),
                       TopicRefusal::InvalidConfig, "Can't SUBTRACT to key bogus because its type is not LIST.");
        EXPECT_REFUSAL(planAlterTopicConfig(image, policy(), TopicConfigChange{"nope", false, {}}), TopicRefusal::UnknownTopic,
                       "topic 'nope' does not exist");
        TopicPolicy none = policy();
        none.validateConfigs = nullptr;
        EXPECT_REFUSAL(planAlterTopicConfig(image, none, change(false, {{"retention.ms", ConfigOp::Set, "1"}})),
                       TopicRefusal::InvalidConfig, "takes no topic configs");
        // Deleting every config needs no rule at all.
        QVERIFY(planAlterTopicConfig(image, none, change(true, {})).isOk());
    }

    void everyReasonHasItsOwnName()
    {
        std::set<std::string> names;
        for (auto r : {TopicRefusal::InvalidName, TopicRefusal::AlreadyExists, TopicRefusal::UnknownTopic,
                       TopicRefusal::InvalidPartitionCount, TopicRefusal::InvalidReplicationFactor,
                       TopicRefusal::InvalidReplicaAssignment, TopicRefusal::AssignmentWithCounts,
                       TopicRefusal::InvalidConfig, TopicRefusal::PartitionLimit})
            names.insert(topicRefusalName(r));
        QCOMPARE(names.size(), size_t(9));
    }
};

QTEST_GUILESS_MAIN(TopicPlannerTest)
#include "TopicPlannerTest.moc"
