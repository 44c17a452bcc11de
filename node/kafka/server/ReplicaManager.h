#pragma once
// This broker's part in partition replication, on the kafka thread that owns the logs. Roles
// come only from the metadata image the local logs follow (PartitionManager::logsFollowImage),
// applied in order: a partition this broker leads gets a LeaderState (its followers' positions,
// the high watermark, the ISR changes it asks the controller for); a partition it follows is
// fetched from its leader with Kafka's own Fetch (ReplicaFetcher, one per leader broker),
// appended as the leader wrote it, truncated where it diverges (DivergingEpoch, KIP-320/595
// style), and fetched again only once durable. acks=all produces wait here for the high
// watermark (DelayedProduces).
//
// The controller (the metadata Raft) decides leaders and ISRs; this class only proposes ISR
// changes (AlterPartition, validated when applied) and follows what was decided.

#include "core/NodeConfig.h"
#include "kafka/protocol/messages/Fetch.h"
#include "kafka/replication/LeaderState.h"
#include "kafka/server/DelayedProduces.h"
#include "kafka/server/TopicPartition.h"
#include "metadata/MetadataImage.h"

#include <QElapsedTimer>
#include <QObject>
#include <QSslConfiguration>
#include <QTimer>

#include <functional>
#include <map>
#include <memory>
#include <optional>

namespace skiff::core {
class RateLimitedLog;
}

namespace skiff::log {
class PartitionLog;
}
namespace skiff::metadata {
class MetadataController;
}

namespace skiff::kafka {

class PartitionManager;
class ReplicaFetcher;
struct KafkaMetrics;
enum class ErrorCode : int16_t;

class ReplicaManager : public QObject {
    Q_OBJECT
public:
    // interBrokerTls: set when followers fetch over TLS (PartitionManager::NodeLinks).
    ReplicaManager(const core::NodeConfig &config, metadata::MetadataController *controller, PartitionManager &partitions,
                   KafkaMetrics *metrics, std::function<QSslConfiguration()> interBrokerTls, QObject *parent);
    ~ReplicaManager() override;

    // Follows `image`: becomes leader, follower or neither of each hosted partition.
    void follow(const metadata::ImagePtr &image);
    // The same for one partition (its log was just created).
    void followPartition(const TopicPartition &tp, const metadata::MetadataImage &image);
    void stop();
    // SIGTERM (KIP-841): asks the controller to move every leadership of this broker elsewhere
    // and take it out of every ISR, and calls `done` once the image followed here shows it (or
    // after `timeoutMs`, or at once when it leads nothing), so clients see only retriable errors.
    void controlledShutdown(int64_t timeoutMs, std::function<void()> done);

    // ---- the leader's side
    // The epoch this broker leads `tp` in; nullopt when it does not lead it (as far as the image
    // it follows says): NOT_LEADER_OR_FOLLOWER.
    std::optional<int32_t> leaderEpoch(const TopicPartition &tp) const;
    // KIP-320 for a client-sent current_leader_epoch (-1: unchecked): None, FENCED_LEADER_EPOCH
    // (older than ours) or UNKNOWN_LEADER_EPOCH (newer: this broker has not seen it yet).
    ErrorCode checkLeaderEpoch(const TopicPartition &tp, int32_t currentLeaderEpoch) const;
    // A leader's HW reached the start of its epoch (ListOffsets(latest) may answer).
    bool highWatermarkReachedEpochStart(const TopicPartition &tp) const;
    // acks=all may append: the ISR is at least min.insync.replicas.
    bool enoughReplicas(const TopicPartition &tp) const;
    // The local log advanced (appended, or made durable): wakes waiting replica fetches and,
    // for a leader, recomputes the high watermark.
    void localAppend(const TopicPartition &tp);
    void localDurable(const TopicPartition &tp, const std::shared_ptr<log::PartitionLog> &log);
    // acks=all: `done` gets None once the high watermark reached `offset`, or the error.
    void whenReplicated(const TopicPartition &tp, int64_t offset, int64_t timeoutMs, DelayedProduces::Done done);

    // DeleteRecords (KIP-107) on a partition this broker leads: its low watermark, the lowest log
    // start over its replicas on live brokers (followers report theirs in every Fetch, after
    // following the leader's); nullopt when it does not lead `tp`.
    std::optional<int64_t> lowWatermark(const TopicPartition &tp) const;
    // `done` gets None once the low watermark reached `offset` (every live replica deleted the
    // records below it), NOT_LEADER_OR_FOLLOWER when the leadership goes, REQUEST_TIMED_OUT at
    // timeoutMs (Kafka's DelayedDeleteRecords).
    void whenLowWatermarkReached(const TopicPartition &tp, int64_t offset, int64_t timeoutMs, DelayedProduces::Done done);

    // A follower's Fetch of `tp` (replica_id >= 0), checked before reading: the error for the
    // partition, or a DivergingEpoch to answer with, or nothing (then read up to the log end).
    struct ReplicaFetchCheck {
        int16_t error = 0;
        std::optional<FetchResponse::EpochEndOffset> diverging;
    };
    ReplicaFetchCheck onReplicaFetch(const TopicPartition &tp, uint64_t replica, const FetchRequest::Partition &request,
                                     const log::PartitionLog &log);

    // Under-replicated partitions this broker leads (ISR smaller than the replica list).
    int64_t underReplicated() const;

private:
    enum class Role { None, Leader, Follower };
    struct Partition {
        Role role = Role::None;
        int32_t leaderEpoch = -1;
        int32_t partitionEpoch = -1;
        uint64_t leader = 0;
        metadata::Uuid topicId{};
        std::unique_ptr<LeaderState> leaderState;   // Role::Leader
        bool alterInFlight = false;
    };

    void becomeLeader(const TopicPartition &tp, Partition &p, const metadata::MetadataImage &image,
                      const metadata::TopicInfo &topic, const metadata::PartitionInfo &info);
    void becomeFollower(const TopicPartition &tp, Partition &p, const metadata::PartitionInfo &info);
    void becomeNone(const TopicPartition &tp, Partition &p);
    void leaveLeadership(const TopicPartition &tp, Partition &p);
    void updateHighWatermark(const TopicPartition &tp, Partition &p, const std::shared_ptr<log::PartitionLog> &log);
    void checkIsr();
    void watchLease();
    void onLeaseCheck();
    void proposeIsr(const TopicPartition &tp, Partition &p, std::vector<uint64_t> isr, const char *why);

    // ---- the follower's side
    ReplicaFetcher *fetcherFor(uint64_t leader);
    void dropIdleFetchers();
    std::map<TopicPartition, struct FetchPosition> positionsFor(uint64_t leader);
    void onFetched(uint64_t leader, const TopicPartition &tp, const FetchResponse::Partition &data, std::function<void()> done);
    // The leader's high watermark and log start, as far as this replica's log reaches.
    static void followLeaderMarks(const TopicPartition &tp, log::PartitionLog &log, int64_t leaderHw,
                                  int64_t leaderLogStart);
    void truncateDiverging(const TopicPartition &tp, const std::shared_ptr<log::PartitionLog> &log,
                           const FetchResponse::EpochEndOffset &diverging);

    int64_t nowMs() const { return m_clock.elapsed(); }
    int64_t leaderPosition(const log::PartitionLog &log) const;

    const core::NodeConfig &m_config;
    metadata::MetadataController *m_controller;
    PartitionManager &m_partitions;
    KafkaMetrics *m_metrics;
    const std::function<QSslConfiguration()> m_interBrokerTls;
    core::RateLimitedLog *m_fetchLog;   // child: the fetchers' connection problems
    metadata::ImagePtr m_image;   // the image last followed
    std::map<TopicPartition, Partition> m_state;
    std::map<uint64_t, std::unique_ptr<ReplicaFetcher>> m_fetchers;   // by leader broker id
    std::map<uint64_t, std::pair<std::string, uint16_t>> m_fetcherAddress;
    DelayedProduces m_delayed;
    DelayedProduces m_delayedDeletes;   // DeleteRecords waiting for the low watermark (same rules)
    QTimer m_isrTimer;
    QTimer m_leaseCheck;   // armed for the lease's expiry while acks=all produces wait
    QElapsedTimer m_clock;
    bool m_stopped = false;
    struct RoleChanges {
        int64_t leading = 0;
        int64_t following = 0;
    } m_roleChanges;   // counted while following one image, logged once
    std::function<void()> m_shutdownDone;   // a controlled shutdown waits for its image
    QTimer m_shutdownDeadline;
    void finishControlledShutdown(const char *how);
    int64_t ledHere() const;
};

} // namespace skiff::kafka
