// The one rule for rates from a node's running counters (admin/TrafficRates.h): difference over
// the node's own time, nothing negative when a counter went down, no rates across a restart or
// from a node that does not report traffic; and latency quantiles over an interval.
#include "admin/TrafficRates.h"
#include "metrics/HistogramBuckets.h"

#include <QTest>

using namespace skiff::admin;

namespace {

StatusSnapshot snapshot(int64_t timeMs, const std::string &incarnation = "inc-1")
{
    StatusSnapshot s;
    s.set_traffic_reported(true);
    s.set_server_time_unix_ms(timeMs);
    s.set_incarnation_id(incarnation);
    return s;
}

TopicTraffic &addTopic(StatusSnapshot &s, const std::string &name, uint64_t messagesIn, uint64_t bytesIn)
{
    TopicTraffic *t = s.add_topic_traffic();
    t->set_topic(name);
    t->set_messages_in(messagesIn);
    t->set_bytes_in(bytesIn);
    return *t;
}

Histogram histogram(std::vector<uint64_t> buckets, int64_t max = 0)
{
    Histogram h;
    for (uint64_t b : buckets)
        h.add_bucket_counts(b);
    h.set_max(max);
    return h;
}

} // namespace

class TrafficRatesTest : public QObject {
    Q_OBJECT
private slots:
    void counterRateIsTheDifferencePerSecond()
    {
        QCOMPARE(counterRate(100, 600, 500).value(), 1000.0);
        QCOMPARE(counterRate(7, 7, 1000).value(), 0.0);
        QVERIFY(!counterRate(600, 100, 500));    // went down: no rate, not a negative one
        QVERIFY(!counterRate(100, 600, 0));      // no time passed
        QVERIFY(!counterRate(100, 600, -20));
    }

    void topicRatesAndTheirTotal()
    {
        StatusSnapshot a = snapshot(10'000);
        addTopic(a, "orders", 1000, 100'000).set_consumer_messages_out(500);
        addTopic(a, "audit.log", 10, 1000);
        StatusSnapshot b = snapshot(12'000);
        TopicTraffic &orders = addTopic(b, "orders", 3000, 300'000);
        orders.set_consumer_messages_out(4500);
        orders.set_replica_messages_out(4000);
        orders.set_replica_bytes_out(400'000);
        orders.set_replica_messages_in(6);
        orders.set_replica_bytes_in(60);
        addTopic(b, "audit.log", 10, 1000);
        addTopic(b, "new-topic", 200, 2000);   // no traffic at the first snapshot: counts from zero

        const NodeTrafficRates r = trafficRates(a, b);
        QCOMPARE(int(r.state), int(NodeTrafficRates::State::Rated));
        QCOMPARE(r.topics.size(), size_t(3));
        QCOMPARE(r.topics[0].topic, std::string("audit.log"));   // by name
        QCOMPARE(r.topics[0].rates.messagesIn, 0.0);
        QCOMPARE(r.topics[1].topic, std::string("new-topic"));
        QCOMPARE(r.topics[1].rates.messagesIn, 100.0);
        QCOMPARE(r.topics[1].rates.bytesIn, 1000.0);
        const TrafficRates &o = r.topics[2].rates;
        QCOMPARE(r.topics[2].topic, std::string("orders"));
        QCOMPARE(o.messagesIn, 1000.0);
        QCOMPARE(o.bytesIn, 100'000.0);
        QCOMPARE(o.consumerMessagesOut, 2000.0);
        QCOMPARE(o.replicaMessagesOut, 2000.0);
        QCOMPARE(o.replicaBytesOut, 200'000.0);
        QCOMPARE(o.replicaMessagesIn, 3.0);
        QCOMPARE(o.replicaBytesIn, 30.0);
        QCOMPARE(r.total.messagesIn, 1100.0);
        QCOMPARE(r.total.bytesIn, 101'000.0);
        QCOMPARE(r.total.consumerMessagesOut, 2000.0);
    }

    void aTopicWhoseCountersWentDownCountsFromZero()
    {
        // Deleted and created again between the snapshots: its counters started over.
        StatusSnapshot a = snapshot(1000);
        addTopic(a, "orders", 5000, 50'000);
        addTopic(a, "kept", 0, 0);
        StatusSnapshot b = snapshot(2000);
        addTopic(b, "orders", 10, 100);
        addTopic(b, "kept", 50, 500);
        const NodeTrafficRates r = trafficRates(a, b);
        QCOMPARE(int(r.state), int(NodeTrafficRates::State::Rated));
        QCOMPARE(r.topics.size(), size_t(2));
        QCOMPARE(r.topics[0].topic, std::string("kept"));
        QCOMPARE(r.topics[0].rates.messagesIn, 50.0);
        QCOMPARE(r.topics[1].topic, std::string("orders"));   // the new topic's 10 records in the second
        QCOMPARE(r.topics[1].rates.messagesIn, 10.0);
        QCOMPARE(r.topics[1].rates.bytesIn, 100.0);
        QCOMPARE(r.total.messagesIn, 60.0);
    }

    void noRatesAcrossARestartFromAnOlderNodeOrWithoutTime()
    {
        StatusSnapshot a = snapshot(1000, "inc-1");
        addTopic(a, "orders", 5000, 50'000);
        StatusSnapshot restarted = snapshot(2000, "inc-2");
        addTopic(restarted, "orders", 9000, 90'000);
        QCOMPARE(int(trafficRates(a, restarted).state), int(NodeTrafficRates::State::Restarted));
        QVERIFY(trafficRates(a, restarted).topics.empty());

        StatusSnapshot older = snapshot(2000);
        older.set_traffic_reported(false);
        QCOMPARE(int(trafficRates(a, older).state), int(NodeTrafficRates::State::NotReported));
        QCOMPARE(int(trafficRates(older, a).state), int(NodeTrafficRates::State::NotReported));

        StatusSnapshot same = snapshot(1000);
        addTopic(same, "orders", 6000, 60'000);
        QCOMPARE(int(trafficRates(a, same).state), int(NodeTrafficRates::State::NoInterval));
    }

    void intervalQuantileFromTheBucketsThatGrew()
    {
        using skiff::metrics::HistogramBuckets;
        // Before: 100 fast requests. Between: 98 in bucket 3 and 2 in bucket 40.
        const Histogram before = histogram({0, 0, 100});
        const Histogram after = histogram(std::vector<uint64_t>{0, 0, 100, 98, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                                                0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                                                0, 0, 0, 0, 2});
        QCOMPARE(intervalQuantileMicros(before, after, 0.5).value(), HistogramBuckets::upperBound(3));
        QCOMPARE(intervalQuantileMicros(before, after, 0.98).value(), HistogramBuckets::upperBound(3));
        QCOMPARE(intervalQuantileMicros(before, after, 0.99).value(), HistogramBuckets::upperBound(40));
        QVERIFY(!intervalQuantileMicros(after, after, 0.99));                     // nothing answered in between
        QVERIFY(!intervalQuantileMicros(histogram({0, 0, 200}), after, 0.99));    // a bucket went down: another run
        QCOMPARE(intervalQuantileMicros(Histogram(), before, 0.99).value(), HistogramBuckets::upperBound(2));

        std::vector<uint64_t> overflow(HistogramBuckets::kOverflowBucket + 1, 0);
        overflow.back() = 1;
        QCOMPARE(intervalQuantileMicros(Histogram(), histogram(overflow, 99'000'000), 0.99).value(), int64_t(99'000'000));
    }

    void kafkaLatencyFindsAnApiOrItsVariant()
    {
        StatusSnapshot s;
        KafkaApiCount *produce = s.add_kafka_requests();
        produce->set_api("Produce");
        produce->mutable_latency_micros()->set_max(7);
        KafkaApiCount *all = produce->add_variants();
        all->set_api("acks=all");
        all->mutable_latency_micros()->set_max(9);
        QCOMPARE(kafkaLatency(s, "Produce")->max(), int64_t(7));
        QCOMPARE(kafkaLatency(s, "Produce", "acks=all")->max(), int64_t(9));
        QVERIFY(!kafkaLatency(s, "Produce", "acks=0"));
        QVERIFY(!kafkaLatency(s, "Fetch"));
    }
};

QTEST_APPLESS_MAIN(TrafficRatesTest)
#include "TrafficRatesTest.moc"
