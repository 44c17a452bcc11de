#pragma once
// What the Kafka side counts for /metrics and the admin status: requests and their latency per
// API (from the frame's arrival to its response being handed to the socket), bytes in and out,
// open connections and why connections closed, bytes of requests being read against
// queued.max.request.bytes, offline partitions, open log files, partition-log fsync latency, records
// and bytes per topic and the partition logs' size. Recorded on the kafka thread,
// read from any thread (atomics and lock-free histograms; a reader may see a request counted a
// moment before its latency).

#include "kafka/group/GroupDescription.h"
#include "kafka/server/ClientQuotaEnforcer.h"
#include "kafka/server/PublishedView.h"
#include "kafka/server/ReplicationView.h"
#include "kafka/server/RequestReadBudget.h"
#include "kafka/server/TopicTraffic.h"
#include "metrics/Histogram.h"

#include <array>
#include <atomic>
#include <cstdint>

namespace skiff::kafka {

// Why a Kafka connection closed; the label values of skiff_kafka_connections_closed_total.
enum class ConnectionCloseReason {
    Client,           // the client closed it
    InvalidFrame,     // a frame size below 0 or above socket.request.max.bytes
    RefusedRequest,   // a frame that is no request, or an API or version not served
    RequestTimeout,   // a frame not whole within socket.request.timeout.ms
    Idle,             // nothing received, sent or in flight for connections.max.idle.ms
    Shutdown,         // the node stopped
    TlsHandshake,     // a TLS handshake that failed or was not done within ssl.handshake.timeout.ms
    Authentication,   // SASL: a request before authenticating, an unknown mechanism or a failed exchange
    NoLease,          // Metadata answered without the leadership lease: the client asks another broker next
};
inline constexpr int kConnectionCloseReasons = 9;
const char *connectionCloseReasonName(ConnectionCloseReason reason);

// What changes a request's latency within one API, as the admin socket's KafkaApiCount.variants
// and /metrics split it: Produce by acks (acks=all waits for every in-sync replica, acks=0 is not
// answered at all), Fetch by who asks (a follower's Fetch long-polls for new records, so it would
// hide the consumers' latency; Kafka's FetchFollower / FetchConsumer request metrics).
enum class RequestVariant { ProduceAcksAll, ProduceAcks1, ProduceAcks0, FetchConsumer, FetchReplica };
inline constexpr int kRequestVariants = 5;
// "acks=all", "acks=1", "acks=0", "consumer", "replica".
const char *requestVariantName(RequestVariant variant);
// The API key a variant splits (Produce or Fetch).
int16_t requestVariantApiKey(RequestVariant variant);
// The Produce variant of an acks value (acks outside -1, 0, 1 counts as acks=1: it is refused at once).
RequestVariant produceVariant(int16_t acks);

struct KafkaMetrics {
    static constexpr int kMaxApiKey = 127;   // keys above are counted under kMaxApiKey
    static constexpr int kSlots = kMaxApiKey + 1;

    // Per API key, every request; per variant, the requests of that kind again.
    std::array<std::atomic<uint64_t>, kSlots> requests{};
    std::array<metrics::Histogram, kSlots> latencyMicros;
    std::array<std::atomic<uint64_t>, kRequestVariants> variantRequests{};
    std::array<metrics::Histogram, kRequestVariants> variantLatencyMicros;
    std::atomic<uint64_t> bytesIn{0};
    std::atomic<uint64_t> bytesOut{0};
    std::atomic<int64_t> connections{0};
    std::atomic<uint64_t> connectionsAccepted{0};
    std::array<std::atomic<uint64_t>, kConnectionCloseReasons> connectionsClosed{};
    std::atomic<int64_t> queuedMaxRequestBytes{0};
    ReadBudgetGauges readBudget;

    void closed(ConnectionCloseReason reason) { ++connectionsClosed[size_t(reason)]; }
    // SASL exchanges that ended, by outcome (Kafka's successful-/failed-authentication-total).
    std::atomic<uint64_t> saslAuthenticationsSucceeded{0};
    std::atomic<uint64_t> saslAuthenticationsFailed{0};
    void saslAuthenticated(bool succeeded) { ++(succeeded ? saslAuthenticationsSucceeded : saslAuthenticationsFailed); }
    // Client quotas: responses throttled and for how long, per quota type (ClientQuotaEnforcer).
    QuotaThrottleCounters quotaThrottles;

    // Operations the authorizer denied, by resource type and operation (metadata/Acls.h codes).
    static constexpr int kAclResourceTypes = 8;
    static constexpr int kAclOperations = 15;
    std::array<std::array<std::atomic<uint64_t>, kAclOperations>, kAclResourceTypes> authorizationDenials{};

    // Partition storage: logs that cannot be opened (retried), and files the logs hold open.
    std::atomic<int64_t> partitionsOffline{0};
    std::atomic<int64_t> logOpenFiles{0};
    std::atomic<int64_t> logOpenFilesCapacity{0};   // log.max.open.files, or what it defaulted to
    // Time to make one partition log durable (its fdatasyncs in one group-commit round): what a
    // producer with acks waits on. Recorded on the group committer's thread.
    metrics::Histogram logFsyncMicros;

    // Replication, as this broker sees it (ReplicaManager): partitions it leads whose ISR is
    // smaller than their replica list, ISR changes it asked for and the controller applied,
    // the furthest any follower of its partitions is behind (messages), and how long acks=all
    // produces waited for the high watermark after their own durable write.
    std::atomic<int64_t> underReplicatedPartitions{0};
    std::atomic<int64_t> leaderPartitions{0};
    std::atomic<uint64_t> isrShrinks{0};
    std::atomic<uint64_t> isrExpands{0};
    std::atomic<int64_t> maxFollowerLag{0};
    metrics::Histogram replicationWaitMicros;
    ReplicationView replication;   // followers of the partitions led here, for the admin socket

    // Records and bytes per topic: produced, fetched by consumers and by followers, replicated here.
    TopicTraffic traffic;
    // Every hosted partition log's segment files together (PartitionManager, about once a second).
    std::atomic<uint64_t> partitionLogBytes{0};
    // The groups coordinated here, with their committed offsets beside the high watermarks this
    // node knows (GroupCoordinator, about once a second): DescribeGroups and the lag in /metrics.
    PublishedView<group::GroupDescription> groups{"GroupsView::mutex"};

    static int slot(int apiKey) { return apiKey < 0 || apiKey > kMaxApiKey ? kMaxApiKey : apiKey; }
    // Counts one answered request of `apiKey` (and of `variant`, when it has one: -1 none).
    void recordRequest(int apiKey, int variant, int64_t latencyMicros);
    // f(api name, requests, latency histogram, variants) for each API that answered any request
    // (/metrics and the admin socket list the same ones); variants(g) calls g(variant name,
    // requests, latency histogram) for each variant of that API that answered any.
    template <class F>
    void forEachAnsweredApi(F &&f) const
    {
        for (int s = 0; s < kSlots; ++s) {
            const uint64_t n = requests[size_t(s)].load();
            if (!n)
                continue;
            auto variants = [this, s](auto &&g) {
                for (int v = 0; v < kRequestVariants; ++v)
                    if (requestVariantApiKey(RequestVariant(v)) == s)
                        if (const uint64_t m = variantRequests[size_t(v)].load())
                            g(requestVariantName(RequestVariant(v)), m, variantLatencyMicros[size_t(v)]);
            };
            f(apiName(s), n, latencyMicros[size_t(s)], variants);
        }
    }

    static const char *apiName(int slot);   // the API key's name
};

} // namespace skiff::kafka
