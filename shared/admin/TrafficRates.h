#pragma once
// Rates from a node's running counters (StatusSnapshot.topic_traffic, kafka_requests): what
// happened between two snapshots of the same node, per second of the node's own clock
// (server_time_unix_ms). The one rule for skiffctl top and the dashboard: rate = counter
// difference / time difference, never negative: across a restart (another incarnation_id) there
// is no rate, and a topic whose counter went down (deleted and created again) counts from zero.

#include "admin.pb.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace skiff::admin {

// Per second; the fields of TopicTraffic.
struct TrafficRates {
    double messagesIn = 0;
    double bytesIn = 0;
    double consumerMessagesOut = 0;
    double consumerBytesOut = 0;
    double replicaMessagesOut = 0;
    double replicaBytesOut = 0;
    double replicaMessagesIn = 0;
    double replicaBytesIn = 0;

    TrafficRates &operator+=(const TrafficRates &other);
};

// (after - before) per second over elapsedMs; nullopt when the counter went down or no time passed.
std::optional<double> counterRate(uint64_t before, uint64_t after, int64_t elapsedMs);

struct TopicRates {
    std::string topic;
    TrafficRates rates;
};

struct NodeTrafficRates {
    enum class State {
        Rated,         // topics and total hold the rates
        NotReported,   // a snapshot without traffic_reported: a node too old for this view
        Restarted,     // another incarnation_id: the counters started over in between
        NoInterval,    // the node's clock did not advance between the two
    };
    State state = State::NotReported;
    std::vector<TopicRates> topics;   // by topic name
    TrafficRates total;               // the topics listed, summed
};

// The rates of one node between two of its snapshots, `before` taken first. A topic missing from
// `before` had no traffic then, and one whose counters went down was made anew: both count from zero.
NodeTrafficRates trafficRates(const StatusSnapshot &before, const StatusSnapshot &after);

// The topics' rates summed: a node's total, or (over several nodes' topics) the cluster's.
TrafficRates totalOf(const std::vector<TopicRates> &topics);

// A latency quantile of the requests answered between two snapshots of one cumulative histogram
// (the upper bound of the bucket holding it, in µs; the overflow bucket answers with after's max);
// nullopt when none was answered in between or a bucket went down (another run).
std::optional<int64_t> intervalQuantileMicros(const Histogram &before, const Histogram &after, double q);

// The histogram of Kafka API `api`, or of its variant `variant` when that is not empty ("acks=all",
// "consumer", ...); null when the snapshot has none.
const Histogram *kafkaLatency(const StatusSnapshot &s, const std::string &api, const std::string &variant = {});

} // namespace skiff::admin
