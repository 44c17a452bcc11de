#include "metadata.pb.h"
#include "metadata/MetadataStateMachine.h"

#include <QTest>

using namespace skiff;
using namespace skiff::metadata;

namespace {

Command createTopic(const std::string &name, int partitions, std::map<std::string, std::string> configs = {})
{
    Command c;
    auto *t = c.mutable_create_topic();
    t->set_name(name);
    t->set_topic_id(std::string(16, 'x'));
    for (int p = 0; p < partitions; ++p) {
        auto *a = t->add_partitions();
        a->set_partition(p);
        a->add_replicas(1);
    }
    t->mutable_configs()->insert(configs.begin(), configs.end());
    return c;
}

} // namespace

class MetadataStateMachineTest : public QObject {
    Q_OBJECT
private slots:
    void createTopicAndKeepOldImagesIntact()
    {
        MetadataStateMachine sm;
        const ImagePtr before = sm.image();
        QVERIFY(sm.apply(1, createTopic("orders", 3, {{"retention.ms", "1000"}})).status.isOk());
        const ImagePtr after = sm.image();
        QVERIFY(before->topics.empty());   // readers holding the old image never see a change
        QCOMPARE(after->appliedIndex, 1u);
        const TopicInfo *t = after->topic("orders");
        QVERIFY(t);
        QCOMPARE(t->partitions.size(), size_t(3));
        QCOMPARE(t->partitions[2].leader, 1u);
        QCOMPARE(t->partitions[2].isr, std::vector<uint64_t>{1});
        QCOMPARE(t->configs.at("retention.ms"), std::string("1000"));
    }

    void duplicateTopicIsAResultNotAChange()
    {
        MetadataStateMachine sm;
        QVERIFY(sm.apply(1, createTopic("t", 1)).status.isOk());
        const auto result = sm.apply(2, createTopic("t", 5));
        QCOMPARE(result.status.code(), StatusCode::AlreadyExists);
        QCOMPARE(sm.image()->topic("t")->partitions.size(), size_t(1));
        QCOMPARE(sm.image()->appliedIndex, 2u);
    }

    void untouchedTopicsAreShared()
    {
        MetadataStateMachine sm;
        QVERIFY(sm.apply(1, createTopic("a", 1)).status.isOk());
        const auto a1 = sm.image()->topics.at("a");
        QVERIFY(sm.apply(2, createTopic("b", 1)).status.isOk());
        QCOMPARE(sm.image()->topics.at("a").get(), a1.get());
    }

    void deleteAlterAndGrowPartitions()
    {
        MetadataStateMachine sm;
        QVERIFY(sm.apply(1, createTopic("t", 2)).status.isOk());
        Command grow;
        grow.mutable_create_partitions()->set_name("t");
        grow.mutable_create_partitions()->add_new_partitions()->add_replicas(1);
        QVERIFY(sm.apply(2, grow).status.isOk());
        QCOMPARE(sm.image()->topic("t")->partitions.size(), size_t(3));
        QCOMPARE(sm.image()->topic("t")->partitions[2].partition, 2);

        Command alter;
        (*alter.mutable_alter_topic_config()->mutable_set())["retention.bytes"] = "10";
        alter.mutable_alter_topic_config()->set_name("t");
        QVERIFY(sm.apply(3, alter).status.isOk());
        QCOMPARE(sm.image()->topic("t")->configs.at("retention.bytes"), std::string("10"));

        Command del;
        del.mutable_delete_topic()->set_name("t");
        QVERIFY(sm.apply(4, del).status.isOk());
        QVERIFY(!sm.image()->topic("t"));
        QCOMPARE(sm.apply(5, del).status.code(), StatusCode::NotFound);
    }

    void producerIdBlocksNeverOverlap()
    {
        MetadataStateMachine sm;
        Command alloc;
        alloc.mutable_allocate_producer_ids()->set_broker_id(1);
        alloc.mutable_allocate_producer_ids()->set_count(100);
        const uint64_t first = sm.apply(1, alloc).value;
        const uint64_t second = sm.apply(2, alloc).value;
        QCOMPARE(second, first + 100);
    }

    void brokerRegistrationAndFencing()
    {
        MetadataStateMachine sm;
        Command reg;
        reg.mutable_register_broker()->set_broker_id(2);
        reg.mutable_register_broker()->set_incarnation_id("inc-a");
        reg.mutable_register_broker()->set_kafka_host("127.0.0.1");
        reg.mutable_register_broker()->set_kafka_port(19092);
        QVERIFY(sm.apply(1, reg).status.isOk());
        QVERIFY(sm.apply(2, reg).status.isOk());   // idempotent per (id, incarnation)
        QCOMPARE(sm.image()->brokers.size(), size_t(1));
        QCOMPARE(sm.image()->broker(2)->kafkaPort, uint16_t(19092));

        Command fenceOld;
        fenceOld.mutable_fence_broker()->set_broker_id(2);
        fenceOld.mutable_fence_broker()->set_incarnation_id("inc-old");
        QCOMPARE(sm.apply(3, fenceOld).status.code(), StatusCode::FailedPrecondition);
        QVERIFY(!sm.image()->broker(2)->fenced);
        Command fence;
        fence.mutable_fence_broker()->set_broker_id(2);
        fence.mutable_fence_broker()->set_incarnation_id("inc-a");
        QVERIFY(sm.apply(4, fence).status.isOk());
        QVERIFY(sm.image()->broker(2)->fenced);
    }

    void aLiveBrokerIdCannotBeTakenByAnotherProcess()
    {
        MetadataStateMachine sm;
        Command first;
        first.mutable_register_broker()->set_broker_id(3);
        first.mutable_register_broker()->set_incarnation_id("inc-a");
        QVERIFY(sm.apply(1, first).status.isOk());
        Command second = first;
        second.mutable_register_broker()->set_incarnation_id("inc-b");
        const auto refused = sm.apply(2, second);
        QCOMPARE(refused.status.code(), StatusCode::FailedPrecondition);
        QVERIFY(refused.status.message().find("inc-a") != std::string::npos);
        QCOMPARE(sm.image()->broker(3)->incarnationId, std::string("inc-a"));

        Command fence;
        fence.mutable_fence_broker()->set_broker_id(3);
        fence.mutable_fence_broker()->set_incarnation_id("inc-a");
        QVERIFY(sm.apply(3, fence).status.isOk());
        QVERIFY(sm.apply(4, second).status.isOk());   // the restart is accepted once its predecessor is fenced
        QCOMPARE(sm.image()->broker(3)->incarnationId, std::string("inc-b"));
        QVERIFY(!sm.image()->broker(3)->fenced);
    }

    void commandWithNothingSetIsRefused()
    {
        MetadataStateMachine sm;
        const auto result = sm.apply(1, Command());
        QCOMPARE(result.status.code(), StatusCode::Internal);
    }
};

QTEST_GUILESS_MAIN(MetadataStateMachineTest)
#include "MetadataStateMachineTest.moc"
