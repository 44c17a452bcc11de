#pragma once
// What the admin socket needs from its node. Everything here is safe to use from the admin
// thread: the controller's clusterStatus()/image() are atomic pointer loads and submit() posts;
// its other methods are posted to the raft thread, never called directly.

#include "common/Status.h"
#include "core/AdminAccess.h"
#include "core/ConnectionTimeouts.h"
#include "kafka/group/GroupDescription.h"
#include "kafka/server/PublishedView.h"
#include "kafka/server/ReplicationView.h"
#include "kafka/server/TopicTraffic.h"
#include "log/DiskUsage.h"
#include "metadata/TopicPlanner.h"
#include "metrics/HistogramSnapshot.h"

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace skiff::cluster {
class RaftController;
}

namespace skiff::admin {

struct AdminContext {
    cluster::RaftController *controller = nullptr;
    uint64_t nodeId = 0;                 // known before the controller publishes its first status
    std::string clusterId;
    std::string incarnationId;
    std::string token;                   // admin.token
    // admin.ssl.enable, admin.ssl.client.auth, admin.mutation.auth, admin.ssl.principals. The
    // default: plaintext, mutations open to anyone who connects.
    core::AdminAccess access;
    // The node's ssl.* files, for access.tls; clientAuth is admin.ssl.client.auth (the Kafka
    // listeners' ssl.client.auth is theirs).
    net::TlsFiles tls;
    // socket.request.timeout.ms, admin.connections.max.idle.ms and ssl.handshake.timeout.ms
    core::ConnectionTimeouts timeouts;
    int64_t processStartUnixMs = 0;
    // num.partitions, default.replication.factor, max.partitions.per.broker and the topic
    // config rules, as CreateTopic is planned with them (the Kafka side uses the same).
    metadata::TopicPolicy topicPolicy;
    // Any thread: the node's startup state name ("ready", ...). Unset: not reported, and
    // readiness is the cluster's alone.
    std::function<std::string()> startupState;
    // Any thread: Kafka requests answered so far, per API (name, count, latency), with the API's
    // variants (KafkaMetrics' RequestVariant: Produce by acks, Fetch by consumer or replica).
    // Unset: not reported.
    struct KafkaApiStats {
        std::string api;
        uint64_t requests = 0;
        metrics::HistogramSnapshot latencyMicros;
        std::vector<KafkaApiStats> variants;
    };
    std::function<std::vector<KafkaApiStats>()> kafkaRequests;
    // Any thread: the partition logs' fsync latency (KafkaMetrics::logFsyncMicros). Unset: not reported.
    std::function<metrics::HistogramSnapshot()> logFsyncLatency;
    // Any thread: the partitions this node leads with their followers' progress
    // (KafkaMetrics::replication) and the largest follower lag (KafkaMetrics::maxFollowerLag).
    // Unset: not reported.
    std::function<kafka::LedPartitions()> ledPartitions;
    std::function<int64_t()> maxFollowerLag;
    // Any thread: records and bytes per topic (KafkaMetrics::traffic), and the file systems the
    // node writes to. Unset: not reported (traffic_reported, disks_reported false).
    std::function<std::vector<kafka::TopicTrafficCount>()> topicTraffic;
    std::function<std::vector<log::DiskUsageInfo>()> disks;
    // Any thread: the groups this node coordinates (KafkaMetrics::groups). Unset: none.
    std::function<kafka::PublishedView<kafka::group::GroupDescription>::Snapshot()> coordinatedGroups;
};

} // namespace skiff::admin
