#pragma once
// The partition logs this node hosts, kept in line with the metadata image: a partition
// assigned to this broker gets a log, a deleted topic's logs are removed. Owns durability:
// appends are made durable by the group committer (fsync mode) or a periodic flush (interval
// mode), and the high watermark consumers see advances with it. Kafka thread only.

#include "common/Status.h"
#include "core/NodeConfig.h"
#include "kafka/server/DelayedFetches.h"
#include "kafka/server/TopicPartition.h"
#include "metadata/MetadataImage.h"

#include <QObject>
#include <QTimer>

#include <functional>
#include <map>
#include <memory>

namespace skiff::log {
class GroupCommitter;
class LogManager;
class PartitionLog;
struct LogConfig;
} // namespace skiff::log
namespace skiff::metadata {
class MetadataController;
}

namespace skiff::kafka {

class TopicConfigs;

class PartitionManager : public QObject {
    Q_OBJECT
public:
    PartitionManager(const core::NodeConfig &config, metadata::MetadataController *controller, QObject *parent);
    ~PartitionManager() override;

    // Recovers every partition log found in the data directory, then reconciles.
    Status open();
    // Syncs and closes every log; `done` runs on this thread.
    void close(std::function<void(Status)> done);

    // Brings local logs in line with the latest image. Cheap when the image did not change.
    void reconcile();

    // The log of a partition this node hosts, or null.
    std::shared_ptr<log::PartitionLog> log(const TopicPartition &tp) const;

    // The log a produce, fetch or offset lookup may use: the partition exists in `image` and
    // this node leads it. Otherwise `log` is null and `error` says which Kafka error applies
    // (UNKNOWN_TOPIC_OR_PARTITION or NOT_LEADER_OR_FOLLOWER), so clients refresh metadata.
    struct LeaderLog {
        std::shared_ptr<log::PartitionLog> log;
        const metadata::PartitionInfo *partition = nullptr;
        int16_t error = 0;
    };
    LeaderLog leaderLog(const metadata::MetadataImage &image, const TopicPartition &tp) const;
    // Requests durability of everything appended so far; `done` (may be empty) runs on this
    // thread once it is durable or failed. Advances the high watermark and wakes fetches.
    void whenDurable(const TopicPartition &tp, const std::shared_ptr<log::PartitionLog> &log,
                     std::function<void(Status)> done);
    // Interval mode: an append is visible to consumers at once.
    void appended(const TopicPartition &tp, const std::shared_ptr<log::PartitionLog> &log);

    DelayedFetches &delayedFetches() { return m_delayedFetches; }
    const TopicConfigs &topicConfigs() const { return *m_topicConfigs; }

private:
    log::LogConfig logConfigFor(const metadata::TopicInfo &topic) const;
    void onDurable(const TopicPartition &tp, const std::shared_ptr<log::PartitionLog> &log);
    void applyRetention();

    const core::NodeConfig m_config;
    metadata::MetadataController *m_controller;
    std::unique_ptr<TopicConfigs> m_topicConfigs;
    std::unique_ptr<log::LogManager> m_logs;
    std::unique_ptr<log::GroupCommitter> m_committer;
    metadata::ImagePtr m_reconciled;   // the image the local logs were last aligned with
    std::map<TopicPartition, std::shared_ptr<log::PartitionLog>> m_hosted;
    std::map<std::string, metadata::Uuid> m_topicIds;
    DelayedFetches m_delayedFetches;
    QTimer m_retentionTimer;
};

} // namespace skiff::kafka
