#pragma once
// Hosts the consumer groups of the __consumer_offsets partitions this node leads. A group
// belongs to partition abs(javaHash(group)) % partitions, as in Kafka; its state lives in that
// partition's log (offset commits and group metadata as records), never in the metadata log.
//
// When this node starts leading such a partition (start-up, the topic just created, a leader
// change) the partition's log is replayed in steps on the event loop, so the Kafka thread is
// never blocked; groups of a partition still loading get COORDINATOR_LOAD_IN_PROGRESS, groups
// of partitions led elsewhere NOT_COORDINATOR. Writes are acknowledged once durable, by the
// same rules as produce. Kafka thread only.

#include "core/RateLimitedLog.h"
#include "kafka/group/CoordinatorShard.h"
#include "kafka/protocol/ErrorCode.h"
#include "log/RecordBatchBuilder.h"
#include "metadata/MetadataImage.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <functional>
#include <map>
#include <memory>
#include <vector>

namespace skiff::log {
class PartitionLog;
}

namespace skiff::kafka {

struct BrokerContext;
class TopicAdminHandler;

class GroupCoordinator : public QObject {
    Q_OBJECT
public:
    static constexpr const char *kTopic = "__consumer_offsets";

    GroupCoordinator(BrokerContext &context, TopicAdminHandler &admin);
    ~GroupCoordinator() override;

    // The node is stopping: waiting JoinGroup/SyncGroup requests are answered NOT_COORDINATOR
    // (their clients find the coordinator again) so that connections can drain.
    void shutdown();
    // Aligns hosted partitions with the latest image and the logs PartitionManager serves:
    // loads newly led ones, drops lost ones. Runs whenever PartitionManager's logs follow an image.
    void reconcile();

    int32_t partitionFor(const std::string &groupId) const;

    // The state of the partition that owns `groupId`, when this node serves it now.
    struct Lookup {
        group::CoordinatorShard *shard = nullptr;
        int32_t partition = -1;
        uint64_t epoch = 0;   // changes when the partition is unloaded and loaded again
        ErrorCode error = ErrorCode::None;
    };
    Lookup lookup(const std::string &groupId);
    // The shard of `partition` if it is still the one of `epoch` (after an asynchronous write).
    group::CoordinatorShard *shardIfStill(int32_t partition, uint64_t epoch);
    // Every shard this node has loaded, and whether some are still loading.
    std::vector<group::CoordinatorShard *> loadedShards(bool *someLoading);

    // Creates __consumer_offsets through the metadata controller unless it exists.
    void ensureTopic(std::function<void(ErrorCode)> done);

    // Appends records to the partition's log; `done` runs once they are durable (None) or
    // could not be written.
    void append(int32_t partition, std::vector<log::Record> records, std::function<void(ErrorCode)> done);
    // Writes the group's metadata record when its state machine asked for it.
    void persistIfNeeded(int32_t partition, group::Group &group);
    // Removes a group without members and offsets (it exists only while something refers to it).
    void dropIfUnused(group::CoordinatorShard &shard, const std::string &groupId);

    int64_t wallClockMs() const;

private:
    struct Hosted {
        uint64_t epoch = 0;
        bool loaded = false;
        std::shared_ptr<log::PartitionLog> log;
        int64_t loadPosition = 0;
        int64_t loadEnd = 0;
        size_t recordsLoaded = 0;
        std::unique_ptr<group::CoordinatorShard> shard;
    };

    void loadStep(int32_t partition, uint64_t epoch);
    void tick();
    void expireOffsets();
    // Publishes what the groups coordinated here look like (KafkaMetrics::groups).
    void publishView();

    BrokerContext &m_context;
    TopicAdminHandler &m_admin;
    group::GroupConfig m_groupConfig;
    QElapsedTimer m_monotonic;
    group::Clock m_clock;
    std::map<int32_t, Hosted> m_hosted;
    uint64_t m_nextEpoch = 1;
    bool m_stopped = false;
    std::vector<std::function<void(ErrorCode)>> m_topicWaiters;
    QTimer m_tickTimer;
    QTimer m_viewTimer;
    QTimer m_expireTimer;
    // A full or failing disk fails every append: one line, then a count every 10 s.
    core::RateLimitedLog m_writeFailures;
};

} // namespace skiff::kafka
