#include "kafka/server/GroupCoordinator.h"

#include "kafka/group/GroupRecords.h"
#include "kafka/server/BrokerContext.h"
#include "kafka/group/GroupDescription.h"
#include "kafka/server/KafkaLog.h"
#include "kafka/server/KafkaMetrics.h"
#include "kafka/server/PartitionManager.h"
#include "kafka/server/ReplicaManager.h"
#include "kafka/server/TopicAdminHandler.h"
#include "log/PartitionLog.h"
#include "log/RecordReader.h"
#include "metadata/MetadataController.h"

#include <QDateTime>
#include <QPointer>
#include <QString>

#include <algorithm>

namespace skiff::kafka {

namespace {

// Read per event-loop turn while loading, so that other requests are served in between.
constexpr int64_t kLoadChunkBytes = 1 << 20;
constexpr int kTickMs = 100;
// How often the operator's view of the groups is rebuilt: what it costs is a walk over every group
// and committed offset here, so not per tick; a reader sees commits at most this late.
constexpr int kViewMs = 1000;
// Kafka's offsets.commit.timeout.ms: how long a commit waits for the ISR before it is refused.
constexpr int64_t kReplicationTimeoutMs = 5000;

// java.lang.String.hashCode over UTF-16 code units, as Kafka places groups.
int32_t javaStringHash(const std::string &s)
{
    const QString q = QString::fromStdString(s);
    uint32_t h = 0;
    for (QChar c : q)
        h = 31 * h + c.unicode();
    return static_cast<int32_t>(h);
}

} // namespace

GroupCoordinator::GroupCoordinator(BrokerContext &context, TopicAdminHandler &admin)
    : QObject(context.owner), m_context(context), m_admin(admin),
      m_writeFailures(core::LogFlood::AppendFailed, lcKafka, this)
{
    m_groupConfig.minSessionTimeoutMs = context.config.groupMinSessionTimeoutMs;
    m_groupConfig.maxSessionTimeoutMs = context.config.groupMaxSessionTimeoutMs;
    m_groupConfig.initialRebalanceDelayMs = context.config.groupInitialRebalanceDelayMs;
    m_monotonic.start();
    m_clock = [this] { return m_monotonic.elapsed(); };

    // A partition this node now leads is loaded without waiting for a client to ask: as soon as
    // the local logs follow the image that says so (same thread, so a direct call).
    connect(&context.partitions, &PartitionManager::logsFollowImage, this, &GroupCoordinator::reconcile);
    connect(&m_tickTimer, &QTimer::timeout, this, &GroupCoordinator::tick);
    m_tickTimer.start(kTickMs);
    connect(&m_viewTimer, &QTimer::timeout, this, &GroupCoordinator::publishView);
    m_viewTimer.start(kViewMs);
    connect(&m_expireTimer, &QTimer::timeout, this, &GroupCoordinator::expireOffsets);
    m_expireTimer.start(int(std::min<int64_t>(context.config.offsetsRetentionCheckIntervalMs, INT32_MAX)));
    QTimer::singleShot(0, this, [this] { reconcile(); });
}

GroupCoordinator::~GroupCoordinator()
{
    for (auto &[p, h] : m_hosted)
        if (h.shard)
            h.shard->unload(ErrorCode::NotCoordinator);
}

void GroupCoordinator::shutdown()
{
    m_tickTimer.stop();
    m_expireTimer.stop();
    m_viewTimer.stop();
    for (auto &[p, h] : m_hosted)
        if (h.shard)
            h.shard->unload(ErrorCode::NotCoordinator);
    m_hosted.clear();
    m_stopped = true;
    publishView();   // coordinates nothing any more
}

int64_t GroupCoordinator::wallClockMs() const
{
    return QDateTime::currentMSecsSinceEpoch();
}

int32_t GroupCoordinator::partitionFor(const std::string &groupId) const
{
    const auto image = m_context.image();
    const metadata::TopicInfo *topic = image->topic(kTopic);
    const int32_t n = topic && !topic->partitions.empty() ? int32_t(topic->partitions.size())
                                                         : m_context.config.offsetsTopicNumPartitions;
    const int32_t h = javaStringHash(groupId);
    const int32_t positive = h == INT32_MIN ? 0 : (h < 0 ? -h : h);
    return positive % n;
}

void GroupCoordinator::reconcile()
{
    if (m_stopped)
        return;
    // Not keyed on the image alone: a log may open (out of offline) after the image that
    // assigns it; PartitionManager says so too. One topic's partitions are cheap to walk.
    const auto image = m_context.image();
    std::map<int32_t, std::shared_ptr<log::PartitionLog>> led;
    if (const metadata::TopicInfo *topic = image->topic(kTopic)) {
        for (const auto &p : topic->partitions) {
            if (p.leader != m_context.nodeId())
                continue;
            if (auto log = m_context.partitions.log({kTopic, p.partition}))
                led[p.partition] = std::move(log);
        }
    }
    for (auto it = m_hosted.begin(); it != m_hosted.end();) {
        auto now = led.find(it->first);
        if (now != led.end() && now->second == it->second.log) {
            ++it;
            continue;
        }
        qCInfo(lcKafka, "group coordinator: no longer serving %s-%d", kTopic, it->first);
        if (it->second.shard)
            it->second.shard->unload(ErrorCode::NotCoordinator);
        it = m_hosted.erase(it);
    }
    for (auto &[partition, log] : led) {
        if (m_hosted.count(partition))
            continue;
        Hosted &h = m_hosted[partition];
        h.epoch = m_nextEpoch++;
        h.log = log;
        h.loadPosition = log->logStartOffset();
        h.loadEnd = log->logEndOffset();
        h.shard = std::make_unique<group::CoordinatorShard>(m_groupConfig, m_clock);
        qCInfo(lcKafka, "group coordinator: loading %s-%d (offsets %lld..%lld)", kTopic, partition,
               qint64(h.loadPosition), qint64(h.loadEnd));
        const uint64_t epoch = h.epoch;
        QTimer::singleShot(0, this, [this, partition, epoch] { loadStep(partition, epoch); });
    }
}

void GroupCoordinator::loadStep(int32_t partition, uint64_t epoch)
{
    auto it = m_hosted.find(partition);
    if (it == m_hosted.end() || it->second.epoch != epoch || it->second.loaded)
        return;
    Hosted &h = it->second;
    bool done = h.loadPosition >= h.loadEnd;
    if (!done) {
        auto read = h.log->read(h.loadPosition, kLoadChunkBytes);
        if (!read.isOk()) {
            qCWarning(lcKafka, "group coordinator: reading %s-%d at %lld: %s; serving what was loaded", kTopic, partition,
                      qint64(h.loadPosition), read.status().toString().c_str());
            done = true;
        } else {
            auto decoded = log::decodeRecords(read->records, h.loadPosition);
            if (!decoded.isOk() || decoded->nextOffset <= h.loadPosition) {
                qCWarning(lcKafka, "group coordinator: %s-%d at %lld: %s; serving what was loaded", kTopic, partition,
                          qint64(h.loadPosition),
                          decoded.isOk() ? "no progress" : decoded.status().toString().c_str());
                done = true;
            } else {
                for (const auto &r : decoded->records) {
                    if (!r.key)
                        continue;
                    if (Status s = h.shard->replay(*r.key, r.value); !s.isOk())
                        qCWarning(lcKafka, "group coordinator: skipping record %s-%d@%lld: %s", kTopic, partition,
                                  qint64(r.offset), s.toString().c_str());
                    ++h.recordsLoaded;
                }
                h.loadPosition = decoded->nextOffset;
                done = h.loadPosition >= h.loadEnd;
            }
        }
    }
    if (!done) {
        QTimer::singleShot(0, this, [this, partition, epoch] { loadStep(partition, epoch); });
        return;
    }
    h.loaded = true;
    qCInfo(lcKafka, "group coordinator: serving %s-%d: %zu record(s), %zu group id(s)", kTopic, partition,
           h.recordsLoaded, h.shard->groupIds().size());
}

GroupCoordinator::Lookup GroupCoordinator::lookup(const std::string &groupId)
{
    Lookup l;
    const auto image = m_context.image();
    if (!image->topic(kTopic)) {
        l.error = ErrorCode::CoordinatorNotAvailable;
        return l;
    }
    l.partition = partitionFor(groupId);
    auto it = m_hosted.find(l.partition);
    // Without the lease another broker may coordinate the group by now (cluster/BrokerLease.h).
    if (it == m_hosted.end() || !m_context.controller.leaseHeld()) {
        l.error = ErrorCode::NotCoordinator;
        return l;
    }
    if (!it->second.loaded) {
        l.error = ErrorCode::CoordinatorLoadInProgress;
        return l;
    }
    l.shard = it->second.shard.get();
    l.epoch = it->second.epoch;
    return l;
}

group::CoordinatorShard *GroupCoordinator::shardIfStill(int32_t partition, uint64_t epoch)
{
    auto it = m_hosted.find(partition);
    return it != m_hosted.end() && it->second.epoch == epoch && it->second.loaded ? it->second.shard.get() : nullptr;
}

std::vector<group::CoordinatorShard *> GroupCoordinator::loadedShards(bool *someLoading)
{
    std::vector<group::CoordinatorShard *> out;
    *someLoading = false;
    for (auto &[p, h] : m_hosted) {
        if (h.loaded)
            out.push_back(h.shard.get());
        else
            *someLoading = true;
    }
    return out;
}

void GroupCoordinator::ensureTopic(std::function<void(ErrorCode)> done)
{
    if (m_context.image()->topic(kTopic))
        return done(ErrorCode::None);
    m_topicWaiters.push_back(std::move(done));
    if (m_topicWaiters.size() > 1)
        return;   // a creation is already on its way
    // Compaction does not exist yet: keep the records forever rather than let time-based
    // retention delete live offsets. Smaller segments than data topics, as Kafka uses.
    std::map<std::string, std::string> configs{{"retention.ms", "-1"}, {"segment.bytes", "104857600"}};
    // offsets.topic.replication.factor; unset: as many as there are live brokers, up to 3.
    int64_t replicationFactor = m_context.config.offsetsTopicReplicationFactor;
    if (replicationFactor <= 0) {
        const auto image = m_context.image();
        replicationFactor = std::count_if(image->brokers.begin(), image->brokers.end(), [](const auto &b) { return !b.second.fenced; });
        replicationFactor = std::clamp<int64_t>(replicationFactor, 1, 3);
    }
    QPointer<GroupCoordinator> self(this);
    m_admin.createInternal(kTopic, m_context.config.offsetsTopicNumPartitions, int16_t(replicationFactor), std::move(configs),
                           [self](TopicAdminHandler::Outcome outcome) {
                               if (!self)
                                   return;
                               if (!outcome.ok())
                                   qCWarning(lcKafka, "group coordinator: cannot create %s: %s", kTopic, outcome.message.c_str());
                               else
                                   qCInfo(lcKafka, "group coordinator: created %s", kTopic);
                               // Nothing to align here: the controller publishes the image
                               // before it answers, so its queued publication reached
                               // PartitionManager first, whose logsFollowImage reconciled us.
                               auto waiters = std::move(self->m_topicWaiters);
                               self->m_topicWaiters.clear();
                               for (auto &w : waiters)
                                   w(outcome.ok() ? ErrorCode::None : ErrorCode::CoordinatorNotAvailable);
                           });
}

void GroupCoordinator::append(int32_t partition, std::vector<log::Record> records, std::function<void(ErrorCode)> done)
{
    if (records.empty())
        return done(ErrorCode::None);
    const TopicPartition tp{kTopic, partition};
    auto leader = m_context.partitions.leaderLog(*m_context.image(), tp);
    auto hosted = m_hosted.find(partition);
    if (!leader.log || hosted == m_hosted.end() || hosted->second.log != leader.log)
        return done(ErrorCode::NotCoordinator);
    log::RecordBatchBuilder builder;
    const int64_t now = wallClockMs();
    for (auto &r : records) {
        r.timestampMs = now;
        builder.add(std::move(r));
    }
    ReplicaManager &replicas = m_context.partitions.replicas();
    const std::optional<int32_t> epoch = replicas.leaderEpoch(tp);
    if (!epoch)
        return done(ErrorCode::NotCoordinator);
    log::AppendResult appended = leader.log->appendAsLeader(builder.build(), *epoch, now);
    if (!appended.isOk()) {
        m_writeFailures.critical("append failed",
                                 "group coordinator: append to " + tp.toString() + " failed: " + appended.message);
        return done(appended.error == log::LogErrc::MessageTooLarge ? ErrorCode::MessageTooLarge
                                                                     : ErrorCode::CoordinatorNotAvailable);
    }
    // Nothing reads back what it has not made durable: the coordinator's own state is the
    // cache of those records, updated by `done` once the write is safe.
    hosted->second.loadEnd = leader.log->logEndOffset();
    replicas.localAppend(tp);
    // Safe means below the high watermark: on every ISR member's disk, so a coordinator that
    // moves with the partition's leadership has it (committed offsets never go back).
    auto replicated = [this, tp, end = appended.lastOffset + 1](std::function<void(ErrorCode)> done) {
        m_context.partitions.replicas().whenReplicated(tp, end, kReplicationTimeoutMs, [done = std::move(done), tp](ErrorCode e) {
            if (e != ErrorCode::None)
                qCWarning(lcKafka, "group coordinator: %s not replicated: %s", tp.toString().c_str(), errorCodeName(e));
            // Kafka answers a commit that could not be replicated with a retriable error.
            done(e == ErrorCode::None ? e : ErrorCode::NotCoordinator);
        });
    };
    if (m_context.config.flushMode != core::FlushMode::Fsync) {
        m_context.partitions.appended(tp, leader.log);
        return replicated(std::move(done));
    }
    m_context.partitions.whenDurable(tp, leader.log, [done = std::move(done), tp, replicated](Status s) mutable {
        if (!s.isOk()) {
            qCCritical(lcKafka, "group coordinator: %s not durable: %s", tp.toString().c_str(), s.toString().c_str());
            return done(ErrorCode::CoordinatorNotAvailable);
        }
        replicated(std::move(done));
    });
}

void GroupCoordinator::persistIfNeeded(int32_t partition, group::Group &group)
{
    if (!group.takePersistRequest())
        return;
    std::vector<log::Record> records(1);
    records[0].key = group::encodeGroupKey(group.groupId());
    records[0].value = group::encodeGroupValue(group.snapshot(wallClockMs()));
    const std::string id = group.groupId();
    append(partition, std::move(records), [id](ErrorCode e) {
        if (e != ErrorCode::None)
            qCWarning(lcKafka, "group coordinator: group '%s' metadata not stored (%s); members rejoin after a move",
                      id.c_str(), errorCodeName(e));
    });
}

void GroupCoordinator::dropIfUnused(group::CoordinatorShard &shard, const std::string &groupId)
{
    group::Group *g = shard.group(groupId);
    if (g && g->state() == group::GroupState::Empty && g->members().empty() && g->pendingMemberCount() == 0
        && g->generationId() == 0 && !shard.offsets(groupId))
        shard.removeGroup(groupId);
}

void GroupCoordinator::tick()
{
    for (auto &[partition, h] : m_hosted) {
        if (!h.loaded)
            continue;
        for (const auto &[id, g] : h.shard->groups()) {
            g->tick();
            persistIfNeeded(partition, *g);
        }
    }
}

void GroupCoordinator::publishView()
{
    KafkaMetrics *metrics = m_context.partitions.metrics();
    if (!metrics)
        return;
    const group::HighWatermarkOf highWatermark = [this](const group::PartitionKey &tp) -> std::optional<int64_t> {
        const auto log = m_context.partitions.hostedLog({tp.first, tp.second});
        return log ? std::optional<int64_t>(log->highWatermark()) : std::nullopt;
    };
    std::vector<group::GroupDescription> view;
    for (const auto &[partition, h] : m_hosted) {
        if (!h.loaded)
            continue;
        for (group::GroupDescription &d : group::describeGroups(*h.shard, highWatermark))
            view.push_back(std::move(d));
    }
    std::sort(view.begin(), view.end(), [](const auto &a, const auto &b) { return a.groupId < b.groupId; });
    metrics->groups.publish(std::move(view));
}

void GroupCoordinator::expireOffsets()
{
    const int64_t now = wallClockMs();
    const int64_t retentionMs = m_context.config.offsetsRetentionMinutes * 60 * 1000;
    for (auto &[partition, h] : m_hosted) {
        if (!h.loaded)
            continue;
        group::CoordinatorShard &shard = *h.shard;
        std::vector<log::Record> tombstones;
        const auto expired = shard.expiredOffsets(now, retentionMs);
        for (const auto &e : expired) {
            log::Record r;
            r.key = group::encodeOffsetKey(e.groupId, e.partition.first, e.partition.second);
            tombstones.push_back(std::move(r));
            shard.removeOffset(e.groupId, e.partition);
        }
        // An empty group whose offsets are all gone is forgotten, as Kafka does.
        std::vector<std::string> deadGroups;
        for (const auto &[id, g] : shard.groups())
            if (g->state() == group::GroupState::Empty && !shard.offsets(id))
                deadGroups.push_back(id);
        for (const auto &id : deadGroups) {
            log::Record r;
            r.key = group::encodeGroupKey(id);
            tombstones.push_back(std::move(r));
            shard.group(id)->markDead(ErrorCode::CoordinatorNotAvailable);
            shard.removeGroup(id);
        }
        if (tombstones.empty())
            continue;
        qCInfo(lcKafka, "group coordinator: %s-%d: %zu offset(s) expired, %zu empty group(s) removed", kTopic, partition,
               expired.size(), deadGroups.size());
        append(partition, std::move(tombstones), [](ErrorCode) {});
    }
}

} // namespace skiff::kafka
