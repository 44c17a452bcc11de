#pragma once
// What the Kafka side counts for /metrics and the admin status: requests and their latency per
// API (from the frame's arrival to its response being handed to the socket), bytes in and out,
// open connections and why connections closed, bytes of requests being read against
// queued.max.request.bytes, offline partitions, open log files and partition-log fsync latency. Recorded on the kafka thread,
// read from any thread (atomics and lock-free histograms; a reader may see a request counted a
// moment before its latency).

#include "kafka/server/ReplicationView.h"
#include "kafka/server/RequestReadBudget.h"
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
};
inline constexpr int kConnectionCloseReasons = 7;
const char *connectionCloseReasonName(ConnectionCloseReason reason);

struct KafkaMetrics {
    static constexpr int kMaxApiKey = 127;   // keys above are counted under kMaxApiKey
    // Requests are counted per slot: one per API key, and followers' Fetch requests apart from
    // consumers' (Kafka's FetchFollower / FetchConsumer request metrics): a follower's Fetch
    // long-polls for new records, so it would hide the consumers' latency, and its own is the
    // follower fetch latency an operator of replication watches.
    static constexpr int kFollowerFetchSlot = kMaxApiKey + 1;
    static constexpr int kSlots = kMaxApiKey + 2;

    std::array<std::atomic<uint64_t>, kSlots> requests{};
    std::array<metrics::Histogram, kSlots> latencyMicros;
    std::atomic<uint64_t> bytesIn{0};
    std::atomic<uint64_t> bytesOut{0};
    std::atomic<int64_t> connections{0};
    std::atomic<uint64_t> connectionsAccepted{0};
    std::array<std::atomic<uint64_t>, kConnectionCloseReasons> connectionsClosed{};
    std::atomic<int64_t> queuedMaxRequestBytes{0};
    ReadBudgetGauges readBudget;

    void closed(ConnectionCloseReason reason) { ++connectionsClosed[size_t(reason)]; }

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

    static int slot(int apiKey) { return apiKey < 0 || apiKey > kMaxApiKey ? kMaxApiKey : apiKey; }
    // The label of a slot: the API's name, or "FetchFollower".
    static const char *slotName(int slot);
    // f(label, requests, latency histogram) for each slot that answered any request (/metrics
    // and the admin socket list the same ones).
    template <class F>
    void forEachAnsweredSlot(F &&f) const
    {
        for (int s = 0; s < kSlots; ++s)
            if (const uint64_t n = requests[size_t(s)].load())
                f(slotName(s), n, latencyMicros[size_t(s)]);
    }
};

} // namespace skiff::kafka
