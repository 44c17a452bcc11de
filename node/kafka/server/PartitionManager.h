#pragma once
// The partition logs this node hosts, kept in line with the metadata image: a partition
// assigned to this broker gets a log, a deleted topic's logs are removed. This is the one owner
// of "local logs follow the image": it follows each image the controller publishes
// (onImagePublished) and tells the rest of the broker with logsFollowImage, which is where the
// group coordinator, and replication's role changes, hang off. Owns durability:
// appends are made durable by the group committer (fsync mode) or a periodic flush (interval
// mode), and the high watermark consumers see advances with it. Owns the cache through which
// every log opens its files (log.max.open.files). A partition whose log cannot be opened is kept
// offline (OfflinePartitions): answered with KAFKA_STORAGE_ERROR, reported to the metadata so
// every node's Metadata lists this broker as its offline replica, logged once, and retried with
// backoff until it opens. Kafka thread only.

#include "admin.pb.h"
#include "common/Status.h"
#include "core/NodeConfig.h"
#include "kafka/server/DelayedFetches.h"
#include "kafka/server/OfflinePartitions.h"
#include "kafka/server/TopicPartition.h"
#include "metadata/MetadataImage.h"

#include <QElapsedTimer>
#include <QObject>
#include <QSslConfiguration>
#include <QString>
#include <QTimer>

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>

namespace skiff::log {
class FileHandleCache;
class GroupCommitter;
class LogManager;
class PartitionLog;
struct LogConfig;
} // namespace skiff::log
namespace skiff::metadata {
class MetadataController;
}

namespace skiff::kafka {

class ReplicaManager;
class TopicConfigs;
class TopicTraffic;
struct KafkaMetrics;

class PartitionManager : public QObject {
    Q_OBJECT
public:
    // What the node tells its partitions besides the config.
    struct NodeLinks {
        std::string incarnationId;   // this process's, for the reports it proposes
        // Any thread: relays an event to the admin socket's subscribers (kind, text).
        std::function<void(admin::EventKind, const QString &)> reportEvent;
        KafkaMetrics *metrics = nullptr;   // offline partitions and open log files; outlives this
        // Set when the inter-broker listener uses TLS: what followers connect to leaders with.
        std::function<QSslConfiguration()> interBrokerTls;
    };

    PartitionManager(const core::NodeConfig &config, metadata::MetadataController *controller, NodeLinks links,
                     QObject *parent);
    ~PartitionManager() override;

    // Recovers every partition log found in the data directory, follows the latest image, and
    // from then on every image the controller publishes.
    Status open();
    // Syncs and closes every log; `done` runs on this thread. Images are not followed any more.
    void close(std::function<void(Status)> done);

    // Brings the local logs in line with the latest published image unless they already follow
    // it (then it costs an atomic load). Publication is followed by itself (onImagePublished);
    // call this only where a caller must see every image published before it, even one whose
    // publication has not reached this thread yet (KafkaApis, at request entry).
    void followLatestImage();

    // The log of a partition this node hosts, or null. A partition whose log is still waiting
    // to be created (see createPending) gets it now.
    std::shared_ptr<log::PartitionLog> log(const TopicPartition &tp);
    // The log if it is open already (creates nothing).
    std::shared_ptr<log::PartitionLog> hostedLog(const TopicPartition &tp) const;
    // Every open log, by partition (DescribeLogDirs); offline and not yet created ones are absent.
    const std::map<TopicPartition, std::shared_ptr<log::PartitionLog>> &hostedLogs() const { return m_hosted; }

    // The log a produce, fetch or offset lookup may use: the partition exists in `image` and
    // this node leads it. Otherwise `log` is null and `error` says which Kafka error applies
    // (UNKNOWN_TOPIC_OR_PARTITION or NOT_LEADER_OR_FOLLOWER, so clients refresh metadata; or
    // KAFKA_STORAGE_ERROR when this node leads it but its log is offline: offlineReason says why).
    struct LeaderLog {
        std::shared_ptr<log::PartitionLog> log;
        const metadata::PartitionInfo *partition = nullptr;
        int16_t error = 0;
    };
    // `currentLeaderEpoch` (KIP-320; -1: the client names none) must be this leader's: older gets
    // FENCED_LEADER_EPOCH, newer UNKNOWN_LEADER_EPOCH, so the client refreshes its metadata.
    LeaderLog leaderLog(const metadata::MetadataImage &image, const TopicPartition &tp, int32_t currentLeaderEpoch = -1);
    // Requests durability of everything appended so far; `done` (may be empty) runs on this
    // thread once it is durable or failed. Advances the high watermark and wakes fetches.
    void whenDurable(const TopicPartition &tp, const std::shared_ptr<log::PartitionLog> &log,
                     std::function<void(Status)> done);
    // Interval mode: an append is visible to consumers at once.
    void appended(const TopicPartition &tp, const std::shared_ptr<log::PartitionLog> &log);

    // A write to the hosted log of `tp` failed with a storage error (no space left, an I/O error,
    // a failed sync). The partition goes offline here: logged once, reported, so the controller
    // hands its leadership to another ISR member and takes this replica out of the ISR (as Kafka
    // does for a failed log directory). The log stays open for reads, and a probe write in the
    // data directory every second (or a write that succeeds: wrote) brings it back.
    void writeFailed(const TopicPartition &tp, const Status &error);
    // A write to the log of `tp` succeeded: a partition a failed write took offline is back.
    void wrote(const TopicPartition &tp)
    {
        if (m_offline.size())
            writableAgain(tp, "a write to it succeeded");
    }

    // Why the log of a partition assigned here could not be opened, or why a write to it failed;
    // null when it is not offline.
    const Status *offlineReason(const TopicPartition &tp) const;
    // Offline partitions this node hosts a replica of (the image may not show them yet).
    bool isOffline(const TopicPartition &tp) const { return m_offline.find(tp) != nullptr; }
    // Where the broker counts records and bytes per topic; null when it keeps no metrics (tests).
    TopicTraffic *traffic() const;

    DelayedFetches &delayedFetches() { return m_delayedFetches; }
    // This broker's part in replication: roles follow the same images as the logs, first.
    ReplicaManager &replicas() { return *m_replicas; }
    // The topic config rules of this broker, which the request handlers validate with too.
    const TopicConfigs &topicConfigs() const { return *m_topicConfigs; }
    // What the node counts and publishes for /metrics and the admin socket; null in some tests.
    KafkaMetrics *metrics() const { return m_links.metrics; }

signals:
    // The hosted logs now follow `image`: each partition it assigns here has a log (or is
    // offline, or waits for its turn to be created, which log() cuts short), and no other is
    // served. Emitted after each image followed and when an offline log opens again.
    void logsFollowImage(skiff::metadata::ImagePtr image);

private:
    // The controller published an image (queued to this thread).
    void onImagePublished();
    // What following `image` means for the logs; `previous` is the image followed before.
    void alignWith(const metadata::ImagePtr &image, const metadata::ImagePtr &previous);
    log::LogConfig logConfigFor(const metadata::TopicInfo &topic) const;
    void onDurable(const TopicPartition &tp, const std::shared_ptr<log::PartitionLog> &log);
    void applyRetention();
    // Opens (creating if needed) the log of `tp`; on failure the partition goes or stays offline.
    bool host(const TopicPartition &tp, const metadata::TopicInfo &topic);
    // Creates the logs alignWith found missing, for at most kCreateBudgetMs per turn of the event
    // loop: a CreateTopics of thousands of partitions (two fsyncs each) must not stall the loop
    // that serves every connection. A request for a partition still waiting creates it at once.
    void createPending();
    void createNow(const TopicPartition &which);
    static constexpr int64_t kCreateBudgetMs = 50;
    void takeOffline(const TopicPartition &tp, const metadata::Uuid &topicId, const Status &error);
    void retryOffline();
    // Probes the write-failed partitions that are due (one probe write serves them all).
    void probeWriteFailed(const std::vector<TopicPartition> &due);
    void writableAgain(const TopicPartition &tp, const char *how);
    // A partition went offline here or came back (once per partition, not per request or
    // attempt): one log line and one event, then the gauge, the retry timer and the metadata.
    void announce(admin::EventKind kind, const QString &text);
    static constexpr size_t kWriteProbeBytes = 64 * 1024;
    void scheduleRetry();
    // Proposes what the image does not know yet about offline partitions (one proposal at a time).
    void reportOffline();
    void publishOfflineCount();
    // KafkaMetrics::partitionLogBytes, for the admin socket's disks and /metrics: computed here,
    // where the logs live, once a second rather than by each reader.
    void publishLogBytes();
    static constexpr int kLogBytesIntervalMs = 1000;
    int64_t nowMs() const { return m_clock.elapsed(); }

    const core::NodeConfig m_config;
    metadata::MetadataController *m_controller;
    const NodeLinks m_links;
    std::shared_ptr<log::FileHandleCache> m_files;
    std::unique_ptr<TopicConfigs> m_topicConfigs;
    std::unique_ptr<log::LogManager> m_logs;
    std::unique_ptr<log::GroupCommitter> m_committer;
    metadata::ImagePtr m_followed;   // the image the local logs were last aligned with
    QMetaObject::Connection m_publications;   // the controller's imagePublished, while open
    bool m_closed = false;
    std::map<TopicPartition, std::shared_ptr<log::PartitionLog>> m_hosted;
    std::set<TopicPartition> m_pending;   // assigned here in m_followed, log not created yet
    bool m_createScheduled = false;
    std::map<std::string, metadata::Uuid> m_topicIds;
    DelayedFetches m_delayedFetches;
    std::unique_ptr<ReplicaManager> m_replicas;
    QTimer m_retentionTimer;
    OfflinePartitions m_offline;
    QTimer m_offlineRetryTimer;          // single shot, at the earliest due attempt
    QTimer m_logBytesTimer;
    QElapsedTimer m_clock;
    bool m_reportInFlight = false;
    bool m_reportAgain = false;          // something changed while a report was in flight
    std::string m_lastReportError;       // logged once per distinct reason
};

} // namespace skiff::kafka
