#include "admin/TrafficRates.h"

#include "metrics/HistogramBuckets.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <iterator>
#include <map>

namespace skiff::admin {
TrafficRates &TrafficRates::operator+=(const TrafficRates &o)
{
    messagesIn += o.messagesIn;
    bytesIn += o.bytesIn;
    consumerMessagesOut += o.consumerMessagesOut;
    consumerBytesOut += o.consumerBytesOut;
    replicaMessagesOut += o.replicaMessagesOut;
    replicaBytesOut += o.replicaBytesOut;
    replicaMessagesIn += o.replicaMessagesIn;
    replicaBytesIn += o.replicaBytesIn;
    return *this;
}

std::optional<double> counterRate(uint64_t before, uint64_t after, int64_t elapsedMs)
{
    if (after < before || elapsedMs <= 0)
        return std::nullopt;
    return double(after - before) * 1000.0 / double(elapsedMs);
}

NodeTrafficRates trafficRates(const StatusSnapshot &before, const StatusSnapshot &after)
{
    NodeTrafficRates out;
    if (!before.traffic_reported() || !after.traffic_reported())
        return out;
    if (before.incarnation_id() != after.incarnation_id()) {
        out.state = NodeTrafficRates::State::Restarted;
        return out;
    }
    const int64_t elapsedMs = after.server_time_unix_ms() - before.server_time_unix_ms();
    if (elapsedMs <= 0) {
        out.state = NodeTrafficRates::State::NoInterval;
        return out;
    }
    out.state = NodeTrafficRates::State::Rated;
    std::map<std::string, const TopicTraffic *> earlier;
    for (const auto &t : before.topic_traffic())
        earlier[t.topic()] = &t;
    static const TopicTraffic kNone;
    std::map<std::string, TrafficRates> rated;
    for (const auto &t : after.topic_traffic()) {
        auto it = earlier.find(t.topic());
        const TopicTraffic *was = it != earlier.end() ? it->second : &kNone;
        auto pairsFrom = [&t](const TopicTraffic &w) {
            return std::array<std::pair<uint64_t, uint64_t>, 8>{{
                {w.messages_in(), t.messages_in()},
                {w.bytes_in(), t.bytes_in()},
                {w.consumer_messages_out(), t.consumer_messages_out()},
                {w.consumer_bytes_out(), t.consumer_bytes_out()},
                {w.replica_messages_out(), t.replica_messages_out()},
                {w.replica_bytes_out(), t.replica_bytes_out()},
                {w.replica_messages_in(), t.replica_messages_in()},
                {w.replica_bytes_in(), t.replica_bytes_in()},
            }};
        };
        auto pairs = pairsFrom(*was);
        // A counter that went down within one incarnation: the topic was deleted and made anew
        // in between, and every counter of the new one began at zero.
        if (std::any_of(pairs.begin(), pairs.end(), [](const auto &p) { return p.second < p.first; }))
            pairs = pairsFrom(kNone);
        double rates[8];
        for (size_t i = 0; i < pairs.size(); ++i)
            rates[i] = counterRate(pairs[i].first, pairs[i].second, elapsedMs).value_or(0);
        rated[t.topic()] = {rates[0], rates[1], rates[2], rates[3], rates[4], rates[5], rates[6], rates[7]};
    }
    for (auto &[topic, rates] : rated)
        out.topics.push_back({topic, rates});
    out.total = totalOf(out.topics);
    return out;
}

TrafficRates totalOf(const std::vector<TopicRates> &topics)
{
    TrafficRates total;
    for (const TopicRates &t : topics)
        total += t.rates;
    return total;
}

std::optional<int64_t> intervalQuantileMicros(const Histogram &before, const Histogram &after, double q)
{
    using metrics::HistogramBuckets;
    const auto &a = before.bucket_counts();
    const auto &b = after.bucket_counts();
    // Trailing empty buckets are left out of the wire: pad the shorter with zeros.
    std::vector<uint64_t> grown(size_t(std::max(a.size(), b.size())), 0);
    uint64_t total = 0;
    for (size_t i = 0; i < grown.size(); ++i) {
        const uint64_t was = i < size_t(a.size()) ? a[int(i)] : 0;
        const uint64_t now = i < size_t(b.size()) ? b[int(i)] : 0;
        if (now < was)
            return std::nullopt;
        grown[i] = now - was;
        total += grown[i];
    }
    if (total == 0)
        return std::nullopt;
    const uint64_t rank = std::max<uint64_t>(1, uint64_t(std::ceil(q * double(total))));
    uint64_t seen = 0;
    for (size_t i = 0; i < grown.size(); ++i) {
        seen += grown[i];
        if (seen >= rank)
            return i >= HistogramBuckets::kOverflowBucket ? after.max() : HistogramBuckets::upperBound(i);
    }
    return after.max();
}

const Histogram *kafkaLatency(const StatusSnapshot &s, const std::string &api, const std::string &variant)
{
    for (const auto &k : s.kafka_requests()) {
        if (k.api() != api)
            continue;
        if (variant.empty())
            return &k.latency_micros();
        for (const auto &v : k.variants())
            if (v.api() == variant)
                return &v.latency_micros();
        return nullptr;
    }
    return nullptr;
}

} // namespace skiff::admin
