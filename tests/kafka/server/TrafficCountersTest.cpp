// What the broker counts for the data-plane view: records and bytes per topic (TopicTraffic:
// counters appear with a topic's first traffic, are read from another thread while being
// written, and go with the topic), and requests per API with their variants (Produce by acks,
// Fetch by consumer or replica), each also in its API's total.
#include "kafka/protocol/ApiKeys.h"
#include "kafka/server/KafkaMetrics.h"
#include "kafka/server/TopicTraffic.h"

#include <QTest>

#include <atomic>
#include <map>
#include <thread>

using namespace skiff::kafka;

class TrafficCountersTest : public QObject {
    Q_OBJECT
private slots:
    void countsPerTopicByName()
    {
        TopicTraffic traffic;
        QVERIFY(traffic.snapshot().empty());
        traffic.produced("orders", 10, 1000);
        traffic.produced("orders", 5, 400);
        traffic.sentToConsumer("orders", 12, 1300);
        traffic.sentToReplica("orders", 15, 1400);
        traffic.sentToReplica("orders", 15, 1400);
        traffic.replicated("audit.log_v-2", 3, 90);
        const auto s = traffic.snapshot();
        QCOMPARE(s.size(), size_t(2));
        QCOMPARE(s[0].topic, std::string("audit.log_v-2"));
        QCOMPARE(s[0].replicaMessagesIn, uint64_t(3));
        QCOMPARE(s[0].replicaBytesIn, uint64_t(90));
        QCOMPARE(s[0].messagesIn, uint64_t(0));
        const TopicTrafficCount &o = s[1];
        QCOMPARE(o.topic, std::string("orders"));
        QCOMPARE(o.messagesIn, uint64_t(15));
        QCOMPARE(o.bytesIn, uint64_t(1400));
        QCOMPARE(o.consumerMessagesOut, uint64_t(12));
        QCOMPARE(o.consumerBytesOut, uint64_t(1300));
        QCOMPARE(o.replicaMessagesOut, uint64_t(30));
        QCOMPARE(o.replicaBytesOut, uint64_t(2800));
        QCOMPARE(o.replicaMessagesIn, uint64_t(0));
    }

    void aDeletedTopicsCountersGo()
    {
        TopicTraffic traffic;
        traffic.produced("orders", 10, 1000);
        traffic.produced("kept", 1, 10);
        traffic.dropTopic("orders");
        traffic.dropTopic("never-seen");
        QCOMPARE(traffic.snapshot().size(), size_t(1));
        QCOMPARE(traffic.snapshot()[0].topic, std::string("kept"));
        // Created again under the name: from zero.
        traffic.produced("orders", 2, 20);
        QCOMPARE(traffic.snapshot()[1].topic, std::string("orders"));
        QCOMPARE(traffic.snapshot()[1].messagesIn, uint64_t(2));
    }

    void readersSeeCountersGrowWhileTheWriterCounts()
    {
        TopicTraffic traffic;
        constexpr uint64_t kAppends = 200000;
        std::atomic<bool> done{false};
        std::thread writer([&]() {
            for (uint64_t i = 0; i < kAppends; ++i) {
                traffic.produced("t" + std::to_string(i % 7), 1, 100);
                if (i % 1000 == 0)
                    traffic.dropTopic("gone");
            }
            done = true;
        });
        std::map<std::string, uint64_t> last;
        while (!done) {
            for (const auto &t : traffic.snapshot()) {
                QVERIFY(t.messagesIn >= last[t.topic]);   // counters only grow
                QCOMPARE(t.bytesIn % 100, uint64_t(0));
                last[t.topic] = t.messagesIn;
            }
        }
        writer.join();
        uint64_t total = 0;
        for (const auto &t : traffic.snapshot())
            total += t.messagesIn;
        QCOMPARE(total, kAppends);
    }

    void variantsAreCountedInTheirApisTotal()
    {
        KafkaMetrics m;
        const int produce = int(ApiKey::Produce), fetch = int(ApiKey::Fetch);
        m.recordRequest(produce, int(RequestVariant::ProduceAcksAll), 900);
        m.recordRequest(produce, int(RequestVariant::ProduceAcksAll), 1100);
        m.recordRequest(produce, int(produceVariant(0)), 50);
        m.recordRequest(fetch, int(RequestVariant::FetchReplica), 500'000);
        m.recordRequest(fetch, int(RequestVariant::FetchConsumer), 2000);
        m.recordRequest(int(ApiKey::Metadata), -1, 30);

        struct Seen {
            uint64_t requests = 0;
            int64_t max = 0;
            std::map<std::string, std::pair<uint64_t, int64_t>> variants;
        };
        std::map<std::string, Seen> seen;
        m.forEachAnsweredApi([&](const char *api, uint64_t n, const skiff::metrics::Histogram &h, auto variants) {
            Seen &s = seen[api];
            s.requests = n;
            s.max = h.snapshot().max();
            variants([&](const char *variant, uint64_t k, const skiff::metrics::Histogram &v) {
                s.variants[variant] = {k, v.snapshot().max()};
            });
        });
        QCOMPARE(seen.size(), size_t(3));
        QCOMPARE(seen["Produce"].requests, uint64_t(3));
        QCOMPARE(seen["Produce"].variants.size(), size_t(2));   // acks=1 answered none: left out
        QCOMPARE(seen["Produce"].variants["acks=all"].first, uint64_t(2));
        QCOMPARE(seen["Produce"].variants["acks=0"].first, uint64_t(1));
        QCOMPARE(seen["Fetch"].requests, uint64_t(2));
        QCOMPARE(seen["Fetch"].max, int64_t(500'000));   // followers' long polls are in Fetch's total
        QCOMPARE(seen["Fetch"].variants["replica"].first, uint64_t(1));
        QCOMPARE(seen["Fetch"].variants["consumer"].first, uint64_t(1));
        QVERIFY(seen["Fetch"].variants["consumer"].second < 3000);   // and not in the consumers' variant
        QVERIFY(seen["Metadata"].variants.empty());

        QCOMPARE(produceVariant(-1), RequestVariant::ProduceAcksAll);
        QCOMPARE(produceVariant(1), RequestVariant::ProduceAcks1);
        QCOMPARE(produceVariant(0), RequestVariant::ProduceAcks0);
    }
};

QTEST_APPLESS_MAIN(TrafficCountersTest)
#include "TrafficCountersTest.moc"
