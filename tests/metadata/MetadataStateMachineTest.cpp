#include "metadata.pb.h"
#include "metadata/BrokerEndpoints.h"
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

Command registerBroker(uint64_t id, const std::string &incarnation)
{
    Command c;
    c.mutable_register_broker()->set_broker_id(id);
    c.mutable_register_broker()->set_incarnation_id(incarnation);
    return c;
}

// Topic `name` with partitions [0, partitions) on `brokers` (every partition on all of them).
Command createOn(const std::string &name, int partitions, std::vector<uint64_t> brokers, int64_t limit = 0)
{
    Command c;
    auto *t = c.mutable_create_topic();
    t->set_name(name);
    t->set_topic_id(std::string(16, name.empty() ? 'x' : name[0]));
    t->set_max_partitions_per_broker(limit);
    for (int p = 0; p < partitions; ++p) {
        auto *a = t->add_partitions();
        a->set_partition(p);
        for (uint64_t b : brokers)
            a->add_replicas(b);
    }
    return c;
}

Command offlineReport(uint64_t broker, const std::string &incarnation, const std::string &topic, std::vector<int32_t> offline,
                      std::vector<int32_t> online = {})
{
    Command c;
    auto *r = c.mutable_set_offline_replicas();
    r->set_broker_id(broker);
    r->set_incarnation_id(incarnation);
    for (int32_t p : offline) {
        auto *ref = r->add_offline();
        ref->set_topic(topic);
        ref->set_topic_id(std::string(16, topic[0]));
        ref->set_partition(p);
    }
    for (int32_t p : online) {
        auto *ref = r->add_online();
        ref->set_topic(topic);
        ref->set_topic_id(std::string(16, topic[0]));
        ref->set_partition(p);
    }
    return c;
}

std::vector<uint64_t> offlineOf(const MetadataStateMachine &sm, const std::string &topic, int32_t partition)
{
    return sm.image()->topic(topic)->partitions[size_t(partition)].offlineReplicas;
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
        auto *added = grow.mutable_create_partitions()->add_new_partitions();
        added->set_partition(2);
        added->add_replicas(1);
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

    void registrationCarriesEveryListenerAndClientsGetTheirs()
    {
        MetadataStateMachine sm;
        Command reg;
        auto *r = reg.mutable_register_broker();
        r->set_broker_id(3);
        r->set_incarnation_id("inc-a");
        r->set_kafka_host("10.0.0.3");
        r->set_kafka_port(9192);
        auto add = [&](const char *listener, const char *host, uint32_t port, const char *protocol) {
            Endpoint *e = r->add_endpoints();
            e->set_listener(listener);
            e->set_host(host);
            e->set_port(port);
            e->set_security_protocol(protocol);
        };
        add("INTERNAL", "10.0.0.3", 9192, "PLAINTEXT");
        add("CLIENT", "broker3.example.com", 9093, "SSL");
        QVERIFY(sm.apply(1, reg).status.isOk());
        const BrokerInfo &b = *sm.image()->broker(3);
        QCOMPARE(endpointsOf(b).size(), size_t(2));
        QCOMPARE(endpointFor(b, "CLIENT")->host, std::string("broker3.example.com"));
        QCOMPARE(endpointFor(b, "CLIENT")->securityProtocol, std::string("SSL"));
        QCOMPARE(endpointFor(b, "INTERNAL")->port, uint16_t(9192));
        QVERIFY(!endpointFor(b, "PLAINTEXT"));   // it has named listeners: no implied one

        Command bad = reg;
        bad.mutable_register_broker()->set_incarnation_id("inc-b");
        bad.mutable_register_broker()->mutable_endpoints(1)->set_port(70000);
        const ApplyResult refused = sm.apply(2, bad);
        QCOMPARE(refused.status.code(), StatusCode::InvalidArgument);
        QVERIFY(QString::fromStdString(refused.status.message()).contains("listener CLIENT has port 70000"));
        QCOMPARE(sm.image()->broker(3)->incarnationId, std::string("inc-a"));
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
        // Registered without endpoints (a node older than named listeners): one PLAINTEXT listener.
        QCOMPARE(endpointsOf(*sm.image()->broker(2)).size(), size_t(1));
        QCOMPARE(endpointFor(*sm.image()->broker(2), "PLAINTEXT")->port, uint16_t(19092));
        QVERIFY(!endpointFor(*sm.image()->broker(2), "SSL"));

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

    void offlineReplicasAreMarkedAndCleared()
    {
        MetadataStateMachine sm;
        QVERIFY(sm.apply(1, registerBroker(1, "inc-1")).status.isOk());
        QVERIFY(sm.apply(2, registerBroker(2, "inc-2")).status.isOk());
        QVERIFY(sm.apply(3, createOn("orders", 3, {1, 2})).status.isOk());
        const auto untouched = sm.image()->topics.at("orders");

        QVERIFY(sm.apply(4, offlineReport(2, "inc-2", "orders", {0, 2})).status.isOk());
        QCOMPARE(offlineOf(sm, "orders", 0), std::vector<uint64_t>{2});
        QCOMPARE(offlineOf(sm, "orders", 1), std::vector<uint64_t>{});
        QCOMPARE(offlineOf(sm, "orders", 2), std::vector<uint64_t>{2});
        QVERIFY(untouched->partitions[0].offlineReplicas.empty());   // copy on write
        QVERIFY(sm.apply(5, offlineReport(1, "inc-1", "orders", {0})).status.isOk());
        QCOMPARE(offlineOf(sm, "orders", 0), (std::vector<uint64_t>{1, 2}));   // ascending, each once
        QVERIFY(sm.apply(6, offlineReport(1, "inc-1", "orders", {0})).status.isOk());
        QCOMPARE(offlineOf(sm, "orders", 0), (std::vector<uint64_t>{1, 2}));

        QVERIFY(sm.apply(7, offlineReport(2, "inc-2", "orders", {}, {0})).status.isOk());
        QCOMPARE(offlineOf(sm, "orders", 0), std::vector<uint64_t>{1});
        QCOMPARE(offlineOf(sm, "orders", 2), std::vector<uint64_t>{2});

        // A stale process cannot report; refs to partitions that do not exist or are not the
        // broker's, or to a topic id that is not the topic's any more, mark nothing.
        QCOMPARE(sm.apply(8, offlineReport(2, "inc-old", "orders", {1})).status.code(), StatusCode::FailedPrecondition);
        QVERIFY(sm.apply(9, offlineReport(2, "inc-2", "orders", {1, 7, -1})).status.isOk());
        QCOMPARE(offlineOf(sm, "orders", 1), std::vector<uint64_t>{2});
        QVERIFY(sm.apply(10, createOn("solo", 1, {1})).status.isOk());
        QVERIFY(sm.apply(11, offlineReport(2, "inc-2", "solo", {0})).status.isOk());
        QCOMPARE(offlineOf(sm, "solo", 0), std::vector<uint64_t>{});
        Command stale = offlineReport(1, "inc-1", "solo", {0});
        stale.mutable_set_offline_replicas()->mutable_offline(0)->set_topic_id(std::string(16, 'z'));
        QVERIFY(sm.apply(12, stale).status.isOk());
        QCOMPARE(offlineOf(sm, "solo", 0), std::vector<uint64_t>{});

        // A new process of broker 2 starts with no marks: it reports its own.
        Command fence;
        fence.mutable_fence_broker()->set_broker_id(2);
        fence.mutable_fence_broker()->set_incarnation_id("inc-2");
        QVERIFY(sm.apply(13, fence).status.isOk());
        QVERIFY(sm.apply(14, registerBroker(2, "inc-2b")).status.isOk());
        QCOMPARE(offlineOf(sm, "orders", 0), std::vector<uint64_t>{1});
        QCOMPARE(offlineOf(sm, "orders", 1), std::vector<uint64_t>{});
        QCOMPARE(offlineOf(sm, "orders", 2), std::vector<uint64_t>{});
        QCOMPARE(sm.apply(15, registerBroker(1, "inc-1")).status.code(), StatusCode::Ok);   // same process: kept
        QCOMPARE(offlineOf(sm, "orders", 0), std::vector<uint64_t>{1});
        Command remove;
        remove.mutable_remove_broker()->set_broker_id(1);
        QVERIFY(sm.apply(16, remove).status.isOk());
        QCOMPARE(offlineOf(sm, "orders", 0), std::vector<uint64_t>{});
    }

    void partitionLimitIsCheckedWhenApplied()
    {
        MetadataStateMachine sm;
        // Both commands were checked by their proposers against the image without either.
        QVERIFY(sm.apply(1, createOn("a", 6, {1, 2}, 10)).status.isOk());
        const auto refused = sm.apply(2, createOn("b", 5, {2, 3}, 10));
        QCOMPARE(refused.status.code(), StatusCode::FailedPrecondition);
        QVERIFY2(refused.status.message().find("topic 'b': broker 2 would host 11 partitions, more than "
                                               "max.partitions.per.broker = 10 (it hosts 6, this adds 5)") != std::string::npos,
                 refused.status.message().c_str());
        QVERIFY(!sm.image()->topic("b"));
        QVERIFY(sm.apply(3, createOn("b", 4, {2, 3}, 10)).status.isOk());   // exactly the limit

        Command grow;
        grow.mutable_create_partitions()->set_name("b");
        grow.mutable_create_partitions()->set_max_partitions_per_broker(10);
        grow.mutable_create_partitions()->add_new_partitions()->add_replicas(2);
        grow.mutable_create_partitions()->mutable_new_partitions(0)->set_partition(4);
        const auto growRefused = sm.apply(4, grow);
        QCOMPARE(growRefused.status.code(), StatusCode::FailedPrecondition);
        QVERIFY2(growRefused.status.message().find("broker 2 would host 11") != std::string::npos, growRefused.status.message().c_str());
        QCOMPARE(sm.image()->topic("b")->partitions.size(), size_t(4));
        grow.mutable_create_partitions()->mutable_new_partitions(0)->set_replicas(0, 3);
        QVERIFY(sm.apply(5, grow).status.isOk());
        QCOMPARE(sm.image()->topic("b")->partitions.size(), size_t(5));
        // Entries of builds without the limit carry 0: no limit.
        QVERIFY(sm.apply(6, createOn("c", 20, {2})).status.isOk());
    }

    // Two CreatePartitions planned from the same image (3 partitions; one asks for 5, one for 4):
    // the first applied changes the count, so the second is refused rather than adding its
    // partitions on top (6, which nobody asked for). A grow planned for a topic since deleted
    // and created again under the same name is refused too.
    void createPartitionsPlannedFromAStaleCountIsRefused()
    {
        MetadataStateMachine sm;
        QVERIFY(sm.apply(1, createTopic("t", 3)).status.isOk());
        const std::string id(reinterpret_cast<const char *>(sm.image()->topic("t")->id.data()), 16);
        auto growBy = [&](int32_t from, int32_t added, const std::string &topicId) {
            Command grow;
            grow.mutable_create_partitions()->set_name("t");
            grow.mutable_create_partitions()->set_topic_id(topicId);
            for (int32_t i = 0; i < added; ++i) {
                auto *a = grow.mutable_create_partitions()->add_new_partitions();
                a->set_partition(from + i);
                a->add_replicas(1);
            }
            return grow;
        };
        QVERIFY(sm.apply(2, growBy(3, 2, id)).status.isOk());
        const auto stale = sm.apply(3, growBy(3, 1, id));
        QCOMPARE(stale.status.code(), StatusCode::OutOfRange);
        QVERIFY2(stale.status.message().find("topic 't' has 5 partitions now, not the 3 this request was planned for")
                     != std::string::npos, stale.status.message().c_str());
        QCOMPARE(sm.image()->topic("t")->partitions.size(), size_t(5));

        std::string otherId = id;
        otherId[0] = char(otherId[0] ^ 0x55);
        const auto recreated = sm.apply(4, growBy(5, 1, otherId));
        QCOMPARE(recreated.status.code(), StatusCode::NotFound);
        QCOMPARE(sm.image()->topic("t")->partitions.size(), size_t(5));
        QVERIFY(sm.apply(5, growBy(5, 1, id)).status.isOk());
        QCOMPARE(sm.image()->topic("t")->partitions.size(), size_t(6));
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
