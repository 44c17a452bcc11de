#include "metadata.pb.h"
#include "metadata/MetadataImageCodec.h"

#include <QTest>

using namespace skiff;
using namespace skiff::metadata;

namespace {

MetadataImage richImage()
{
    MetadataImage image;
    image.appliedIndex = 4711;
    image.controllerId = 3;
    image.nextProducerId = 123456789012ull;
    for (uint64_t id : {1, 2, 7}) {
        BrokerInfo b;
        b.id = id;
        b.incarnationId = "inc-" + std::to_string(id);
        b.kafkaHost = "host" + std::to_string(id) + ".example";
        b.kafkaPort = uint16_t(9090 + id);
        b.rack = id == 2 ? "" : "rack-" + std::to_string(id % 2);
        b.adminAddress = "10.0.0." + std::to_string(id) + ":8080";
        b.raftAddress = "10.0.0." + std::to_string(id) + ":9093";
        b.fenced = id == 7;
        b.brokerEpoch = id == 7 ? -1 : int64_t(1000 * id + 17);
        b.inControlledShutdown = id == 2;
        if (id != 7)   // broker 7 registered before named listeners: none
            b.endpoints = {{"INTERNAL", b.kafkaHost, b.kafkaPort, "PLAINTEXT"},
                           {"CLIENT", "public" + std::to_string(id) + ".example", uint16_t(19090 + id), "SSL"}};
        image.brokers[id] = b;
    }
    image.brokers[65535].id = 65535;
    image.brokers[65535].kafkaPort = 65535;

    auto orders = std::make_shared<TopicInfo>();
    orders->name = "orders";
    for (size_t i = 0; i < orders->id.size(); ++i)
        orders->id[i] = uint8_t(0xA0 + i);
    for (int32_t p = 0; p < 3; ++p) {
        PartitionInfo pi;
        pi.partition = p;
        pi.replicas = {uint64_t(1 + p % 3), 2, 7};
        pi.isr = p == 1 ? std::vector<uint64_t>{2} : std::vector<uint64_t>{1, 2, 7};
        pi.leader = p == 2 ? 0 : pi.isr.front();
        pi.leaderEpoch = 10 * p + 1;
        if (p == 1)
            pi.offlineReplicas = {2, 7};
        pi.partitionEpoch = 100 * p + 3;
        pi.leaderRecovery = p == 1 ? LeaderRecovery::Recovering : LeaderRecovery::Recovered;
        if (p == 2) {   // KIP-966 fields: reserved, but what is stored comes back
            pi.elr = {7, 1};
            pi.lastKnownElr = {2};
        }
        orders->partitions.push_back(pi);
    }
    orders->configs = {{"cleanup.policy", "compact"}, {"retention.ms", "-1"}, {"max.message.bytes", "1048576"}};
    image.topics[orders->name] = orders;

    auto empty = std::make_shared<TopicInfo>();
    empty->name = "empty-\xC3\xA9";  // no partitions, no configs, a non-ASCII name
    empty->id.fill(0xFF);
    image.topics[empty->name] = empty;
    return image;
}

void compareImages(const MetadataImage &got, const MetadataImage &want)
{
    QCOMPARE(got.appliedIndex, want.appliedIndex);
    QCOMPARE(got.controllerId, uint64_t(0));  // runtime state, not persisted
    QCOMPARE(got.nextProducerId, want.nextProducerId);
    QCOMPARE(got.brokers.size(), want.brokers.size());
    for (const auto &[id, w] : want.brokers) {
        const BrokerInfo *g = got.broker(id);
        QVERIFY(g);
        QCOMPARE(g->id, w.id);
        QCOMPARE(g->incarnationId, w.incarnationId);
        QCOMPARE(g->kafkaHost, w.kafkaHost);
        QCOMPARE(g->kafkaPort, w.kafkaPort);
        QVERIFY(g->endpoints == w.endpoints);
        QCOMPARE(g->rack, w.rack);
        QCOMPARE(g->adminAddress, w.adminAddress);
        QCOMPARE(g->raftAddress, w.raftAddress);
        QCOMPARE(g->fenced, w.fenced);
        QCOMPARE(g->brokerEpoch, w.brokerEpoch);
        QCOMPARE(g->inControlledShutdown, w.inControlledShutdown);
    }
    QCOMPARE(got.topics.size(), want.topics.size());
    for (const auto &[name, w] : want.topics) {
        const TopicInfo *g = got.topic(name);
        QVERIFY(g);
        QCOMPARE(g->name, w->name);
        QVERIFY(g->id == w->id);
        QVERIFY(g->configs == w->configs);
        QCOMPARE(g->partitions.size(), w->partitions.size());
        for (size_t i = 0; i < w->partitions.size(); ++i) {
            const PartitionInfo &gp = g->partitions[i];
            const PartitionInfo &wp = w->partitions[i];
            QCOMPARE(gp.partition, wp.partition);
            QVERIFY(gp.replicas == wp.replicas);
            QVERIFY(gp.isr == wp.isr);
            QCOMPARE(gp.leader, wp.leader);
            QCOMPARE(gp.leaderEpoch, wp.leaderEpoch);
            QVERIFY(gp.offlineReplicas == wp.offlineReplicas);
            QCOMPARE(gp.partitionEpoch, wp.partitionEpoch);
            QVERIFY(gp.leaderRecovery == wp.leaderRecovery);
            QVERIFY(gp.elr == wp.elr);
            QVERIFY(gp.lastKnownElr == wp.lastKnownElr);
        }
    }
}

void expectCorruption(std::string_view bytes, const char *mentions)
{
    auto r = decodeImage(bytes);
    QVERIFY(!r);
    QCOMPARE(r.status().code(), StatusCode::Corruption);
    QVERIFY2(r.status().message().find(mentions) != std::string::npos, r.status().toString().c_str());
}

} // namespace

class MetadataImageCodecTest : public QObject {
    Q_OBJECT
private slots:
    void roundTripsARichImage()
    {
        const MetadataImage want = richImage();
        const std::string bytes = encodeImage(want);
        auto got = decodeImage(bytes);
        QVERIFY2(got, got.status().toString().c_str());
        compareImages(*got, want);
        // Deterministic: re-encoding the decoded image gives the same bytes.
        QCOMPARE(encodeImage(*got), bytes);
    }

    void readsAnImageWrittenBeforeReplicationFields()
    {
        // An older build wrote none of the replication fields: they read as zero, the format is
        // the same.
        ImageSnapshot s;
        s.ParseFromString(encodeImage(richImage()));
        for (auto &b : *s.mutable_brokers()) {
            b.clear_broker_epoch();
            b.clear_in_controlled_shutdown();
        }
        for (auto &t : *s.mutable_topics())
            for (auto &p : *t.mutable_partitions()) {
                p.clear_partition_epoch();
                p.clear_leader_recovery();
                p.clear_elr();
                p.clear_last_known_elr();
            }
        auto got = decodeImage(s.SerializeAsString());
        QVERIFY2(got, got.status().toString().c_str());
        QCOMPARE(got->broker(1)->brokerEpoch, int64_t(0));
        QVERIFY(!got->broker(2)->inControlledShutdown);
        const PartitionInfo &p = got->topic("orders")->partitions[1];
        QCOMPARE(p.partitionEpoch, 0);
        QVERIFY(p.leaderRecovery == LeaderRecovery::Recovered);
        QCOMPARE(p.leaderEpoch, 11);   // the old fields are as they were
    }

    void roundTripsAnEmptyImage()
    {
        MetadataImage want;
        auto got = decodeImage(encodeImage(want));
        QVERIFY2(got, got.status().toString().c_str());
        compareImages(*got, want);
    }

    void refusesGarbage()
    {
        expectCorruption(std::string("\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF", 11), "not an ImageSnapshot");
        std::string truncated = encodeImage(richImage());
        truncated.resize(truncated.size() - 3);
        expectCorruption(truncated, "metadata image");
        expectCorruption("", "format version 0");  // no version at all
    }

    void refusesAnotherFormatVersion()
    {
        ImageSnapshot s;
        s.ParseFromString(encodeImage(richImage()));
        s.set_format_version(kImageFormatVersion + 1);
        expectCorruption(s.SerializeAsString(), "format version 2 is not supported");
    }

    void refusesBrokenInvariants()
    {
        ImageSnapshot base;
        base.ParseFromString(encodeImage(richImage()));

        ImageSnapshot s = base;
        s.add_brokers()->set_id(1);
        expectCorruption(s.SerializeAsString(), "broker 1 appears twice");

        s = base;
        s.mutable_brokers(0)->set_kafka_port(70000);
        expectCorruption(s.SerializeAsString(), "kafka port 70000");

        s = base;
        s.mutable_topics(0)->set_topic_id("short");
        expectCorruption(s.SerializeAsString(), "5-byte id");

        s = base;
        *s.add_topics() = base.topics(0);
        expectCorruption(s.SerializeAsString(), "appears twice");

        s = base;
        for (auto &t : *s.mutable_topics())
            if (t.partitions_size() > 1)
                t.mutable_partitions(1)->set_partition(2);
        expectCorruption(s.SerializeAsString(), "partition 2 at position 1");

        s = base;
        for (auto &t : *s.mutable_topics())
            if (t.partitions_size() > 0)
                t.mutable_partitions(0)->set_leader_recovery(2);
        expectCorruption(s.SerializeAsString(), "leader recovery state 2");
    }
};

QTEST_GUILESS_MAIN(MetadataImageCodecTest)
#include "MetadataImageCodecTest.moc"
