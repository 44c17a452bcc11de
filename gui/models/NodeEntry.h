#pragma once
// Everything the dashboard knows about one node: how the connection stands, the latest snapshot
// and a bounded history of samples.

#include "admin.pb.h"
#include "admin/TrafficRates.h"
#include "models/NodeSample.h"
#include "models/RingBuffer.h"
#include "net/NodeConnection.h"

#include <QString>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace skiff::gui {

struct NodeEntry {
    QString address;
    bool discovered = false;
    NodeConnection::State state = NodeConnection::State::Idle;
    QString error;               // why it is not streaming
    int failures = 0;            // failed attempts since it last streamed
    qint64 unreachableSinceMs = 0;   // the first failed attempt since it last streamed (local clock); 0: none
    // Its recent events (Subscribe with_history): not asked yet, received, or the node is too old
    // to keep them.
    enum class EventHistory { Awaited, Received, Unsupported };
    EventHistory eventHistory = EventHistory::Awaited;
    bool hasSnapshot = false;
    admin::StatusSnapshot latest;
    qint64 lastUpdateMs = 0;
    RingBuffer<NodeSample> history;

    // The data plane. Rates are taken against `rateBase`, the snapshot of the previous rate
    // sample (or the first of this run of the node).
    std::optional<admin::StatusSnapshot> rateBase;
    // The latest rates per topic; nullopt: none taken yet, or the node is too old to report traffic.
    std::optional<std::vector<admin::TopicRates>> topicRates;
    // Per Kafka API and variant ("Produce", "Produce acks=all"), over the same span: requests/s
    // and the p99 of those that ended in it (nullopt: none did).
    struct RecentLatency {
        double requestsPerSecond = 0;
        std::optional<int64_t> p99Micros;
    };
    std::map<std::string, RecentLatency> recentLatency;

    // The key of recentLatency: the API, then its variant when there is one.
    static std::string latencyKey(const std::string &api, const std::string &variant = {})
    {
        return variant.empty() ? api : api + " " + variant;
    }

    bool streaming() const { return state == NodeConnection::State::Streaming && hasSnapshot; }
    // A node whose attempts failed since it last streamed (never answered, or lost), also while
    // the next attempt is under way: shown as unreachable until one succeeds.
    bool unreachable() const
    {
        return failures > 0 && (state == NodeConnection::State::Backoff || state == NodeConnection::State::Connecting);
    }
    QString label() const
    {
        return hasSnapshot ? QStringLiteral("node %1").arg(latest.node_id()) : address;
    }
};

} // namespace skiff::gui
