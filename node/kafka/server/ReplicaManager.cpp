#include "kafka/server/ReplicaManager.h"

#include "core/RateLimitedLog.h"

#include "kafka/protocol/ErrorCode.h"
#include "kafka/replication/ReplicaFetcher.h"
#include "kafka/server/KafkaLog.h"
#include "kafka/server/KafkaMetrics.h"
#include "kafka/server/PartitionManager.h"
#include "kafka/server/TopicConfigs.h"
#include "log/PartitionLog.h"
#include "metadata.pb.h"
#include "metadata/MetadataController.h"

#include <QPointer>

#include <algorithm>
#include <limits>
#include <set>

namespace skiff::kafka {
namespace {

// A follower whose append failed (disk full, say) fetches that partition again after this long.
constexpr int64_t kAppendRetryMs = 1000;

bool contains(const std::vector<uint64_t> &ids, uint64_t id)
{
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

std::string idList(const std::vector<uint64_t> &ids)
{
    std::string out;
    for (uint64_t id : ids)
        out += (out.empty() ? "" : ",") + std::to_string(id);
    return "[" + out + "]";
}

} // namespace

ReplicaManager::ReplicaManager(const core::NodeConfig &config, metadata::MetadataController *controller,
                               PartitionManager &partitions, KafkaMetrics *metrics,
                               std::function<QSslConfiguration()> interBrokerTls, QObject *parent)
    : QObject(parent), m_config(config), m_controller(controller), m_partitions(partitions), m_metrics(metrics),
      m_interBrokerTls(std::move(interBrokerTls)),
      m_fetchLog(new core::RateLimitedLog(core::LogFlood::ReplicaFetch, lcKafka, this)),
      m_delayed(this), m_delayedDeletes(this)
{
    m_clock.start();
    // Kafka checks for out-of-sync followers every replica.lag.time.max.ms / 2; at least every
    // second here, which also keeps the replication gauges fresh.
    m_isrTimer.setInterval(int(std::clamp<int64_t>(config.replicaLagTimeMaxMs / 2, 50, 1000)));
    connect(&m_isrTimer, &QTimer::timeout, this, &ReplicaManager::checkIsr);
    m_isrTimer.start();
    m_leaseCheck.setSingleShot(true);
    m_leaseCheck.setTimerType(Qt::PreciseTimer);   // answered before the controller can fence and move on
    connect(&m_leaseCheck, &QTimer::timeout, this, &ReplicaManager::onLeaseCheck);
}

ReplicaManager::~ReplicaManager() = default;

void ReplicaManager::stop()
{
    m_stopped = true;
    m_isrTimer.stop();
    m_leaseCheck.stop();
    for (auto &[id, fetcher] : m_fetchers)
        fetcher->stop();
    m_fetchers.clear();
    m_delayed.failEverything(ErrorCode::NotLeaderOrFollower);
    m_delayedDeletes.failEverything(ErrorCode::NotLeaderOrFollower);
}

int64_t ReplicaManager::ledHere() const
{
    return std::count_if(m_state.begin(), m_state.end(), [](const auto &e) { return e.second.role == Role::Leader; });
}

void ReplicaManager::controlledShutdown(int64_t timeoutMs, std::function<void()> done)
{
    const metadata::BrokerInfo *self = m_image ? m_image->broker(m_config.nodeId) : nullptr;
    if (m_stopped || !self || ledHere() == 0) {
        done();
        return;
    }
    m_shutdownDone = std::move(done);
    qCInfo(lcKafka, "controlled shutdown: asking the controller to move the leadership of %lld partition(s) elsewhere",
           static_cast<long long>(ledHere()));
    m_shutdownDeadline.setSingleShot(true);
    connect(&m_shutdownDeadline, &QTimer::timeout, this, [this] { finishControlledShutdown("timed out"); });
    m_shutdownDeadline.start(int(std::min<int64_t>(timeoutMs, INT32_MAX)));
    metadata::Command command;
    command.mutable_controlled_shutdown()->set_broker_id(m_config.nodeId);
    command.mutable_controlled_shutdown()->set_broker_epoch(self->brokerEpoch);
    m_controller->submit(command, this, [this](metadata::ApplyResult result) {
        if (!result.status.isOk()) {
            qCWarning(lcKafka, "controlled shutdown refused by the controller: %s", result.status.toString().c_str());
            finishControlledShutdown("refused");
            return;
        }
        m_partitions.followLatestImage();   // follows the image that applied it, which finishes
    });
}

void ReplicaManager::finishControlledShutdown(const char *how)
{
    if (!m_shutdownDone)
        return;
    m_shutdownDeadline.stop();
    const int64_t led = ledHere();
    if (led == 0)
        qCInfo(lcKafka, "controlled shutdown: this broker leads no partition any more");
    else
        qCWarning(lcKafka, "controlled shutdown %s: still leading %lld partition(s); stopping anyway", how,
                  static_cast<long long>(led));
    auto done = std::move(m_shutdownDone);
    m_shutdownDone = nullptr;
    done();
}

void ReplicaManager::follow(const metadata::ImagePtr &image)
{
    if (m_stopped || !image)
        return;
    m_image = image;
    std::set<TopicPartition> seen;
    for (const auto &[name, topic] : image->topics) {
        for (const auto &info : topic->partitions) {
            if (!contains(info.replicas, m_config.nodeId))
                continue;
            seen.insert({name, info.partition});
            followPartition({name, info.partition}, *image);
        }
    }
    for (auto it = m_state.begin(); it != m_state.end();) {
        if (seen.count(it->first)) {
            ++it;
            continue;
        }
        becomeNone(it->first, it->second);
        it = m_state.erase(it);
    }
    // A leader whose address changed gets a new connection.
    for (auto it = m_fetchers.begin(); it != m_fetchers.end();) {
        const metadata::BrokerInfo *b = image->broker(it->first);
        const auto &address = m_fetcherAddress[it->first];
        if (b && (b->kafkaHost != address.first || b->kafkaPort != address.second)) {
            it->second->stop();
            it->second.release()->deleteLater();
            m_fetcherAddress.erase(it->first);
            it = m_fetchers.erase(it);
        } else {
            ++it;
        }
    }
    dropIdleFetchers();
    // One line per image, not per partition: a failover moves thousands at once.
    if (m_roleChanges.leading || m_roleChanges.following)
        qCInfo(lcKafka, "image %llu: now leading %lld more partition(s) and following %lld more; leading %lld in all",
               static_cast<unsigned long long>(image->appliedIndex), static_cast<long long>(m_roleChanges.leading),
               static_cast<long long>(m_roleChanges.following), static_cast<long long>(ledHere()));
    m_roleChanges = {};
    if (m_shutdownDone && ledHere() == 0)
        finishControlledShutdown("done");
}

void ReplicaManager::followPartition(const TopicPartition &tp, const metadata::MetadataImage &image)
{
    const metadata::TopicInfo *topic = image.topic(tp.topic);
    if (m_stopped || !topic || tp.partition < 0 || tp.partition >= int32_t(topic->partitions.size()))
        return;
    const metadata::PartitionInfo &info = topic->partitions[size_t(tp.partition)];
    if (!contains(info.replicas, m_config.nodeId))
        return;
    Partition &p = m_state[tp];
    if (p.topicId != topic->id) {   // new, or the topic was created again
        becomeNone(tp, p);
        p = Partition{};
        p.topicId = topic->id;
    }
    // Images are followed in order; one older than what the partition applied changes nothing.
    if (info.partitionEpoch < p.partitionEpoch)
        return;
    const bool changed = info.partitionEpoch != p.partitionEpoch || info.leaderEpoch != p.leaderEpoch;
    if (!changed && p.role != Role::None)
        return;
    // A log still waiting to be created gets its role when it is (PartitionManager::host).
    if (!m_partitions.hostedLog(tp))
        return;
    if (info.leader == m_config.nodeId)
        becomeLeader(tp, p, image, *topic, info);
    else if (info.leader != 0)
        becomeFollower(tp, p, info);
    else
        becomeNone(tp, p);
    p.partitionEpoch = info.partitionEpoch;
    p.leaderEpoch = info.leaderEpoch;
    p.leader = info.leader;
    if (p.role == Role::Follower)
        if (ReplicaFetcher *f = fetcherFor(p.leader))
            f->wake();
}

void ReplicaManager::becomeLeader(const TopicPartition &tp, Partition &p, const metadata::MetadataImage &image,
                                  const metadata::TopicInfo &topic, const metadata::PartitionInfo &info)
{
    auto log = m_partitions.hostedLog(tp);
    if (!log) {
        becomeNone(tp, p);   // offline here: the PartitionManager answers KAFKA_STORAGE_ERROR
        return;
    }
    if (p.role == Role::Leader && p.leaderEpoch == info.leaderEpoch) {
        // Same epoch, new partition epoch: the ISR changed (ours, or the controller's fencing).
        p.leaderState->setIsr(info.isr);
        p.alterInFlight = false;
        if (int32_t(info.isr.size()) < p.leaderState->effectiveMinIsr())
            m_delayed.failAll(tp, ErrorCode::NotEnoughReplicasAfterAppend);
        updateHighWatermark(tp, p, log);
        return;
    }
    // KIP-279: the new epoch is in the epoch cache before any record of it exists.
    if (Status s = log->assignLeaderEpoch(info.leaderEpoch); !s.isOk()) {
        qCCritical(lcKafka, "cannot record leader epoch %d of %s: %s; not serving it as leader", info.leaderEpoch,
                   tp.toString().c_str(), s.toString().c_str());
        becomeNone(tp, p);
        return;
    }
    leaveLeadership(tp, p);
    LeaderState::Config c;
    c.self = m_config.nodeId;
    c.replicas = info.replicas;
    c.isr = info.isr;
    c.minInsyncReplicas = int32_t(m_partitions.topicConfigs().intValue(topic.configs, "min.insync.replicas"));
    c.lagTimeMaxMs = m_config.replicaLagTimeMaxMs;
    c.epochStartOffset = log->logEndOffset();
    c.highWatermark = log->highWatermark();
    p.leaderState = std::make_unique<LeaderState>(std::move(c), nowMs());
    p.alterInFlight = false;
    p.role = Role::Leader;
    (void)image;
    ++m_roleChanges.leading;
    qCDebug(lcKafka, "leading %s in epoch %d (ISR %s, log end %lld, high watermark %lld, %zu producer(s) known)",
           tp.toString().c_str(), info.leaderEpoch, idList(info.isr).c_str(),
           static_cast<long long>(log->logEndOffset()), static_cast<long long>(log->highWatermark()),
           log->producerState().size());
    updateHighWatermark(tp, p, log);
}

void ReplicaManager::becomeFollower(const TopicPartition &tp, Partition &p, const metadata::PartitionInfo &info)
{
    leaveLeadership(tp, p);
    if (p.role != Role::Follower || p.leader != info.leader)
        qCDebug(lcKafka, "following %s from broker %llu in epoch %d", tp.toString().c_str(),
               static_cast<unsigned long long>(info.leader), info.leaderEpoch);
    if (p.role != Role::Follower || p.leader != info.leader)
        ++m_roleChanges.following;
    p.role = Role::Follower;
}

void ReplicaManager::becomeNone(const TopicPartition &tp, Partition &p)
{
    leaveLeadership(tp, p);
    p.role = Role::None;
}

void ReplicaManager::leaveLeadership(const TopicPartition &tp, Partition &p)
{
    if (p.role != Role::Leader)
        return;
    // Waiting acks=all produces cannot be answered by this broker any more.
    m_delayed.failAll(tp, ErrorCode::NotLeaderOrFollower);
    m_delayedDeletes.failAll(tp, ErrorCode::NotLeaderOrFollower);
    p.leaderState.reset();
    p.alterInFlight = false;
    p.role = Role::None;
}

std::optional<int32_t> ReplicaManager::leaderEpoch(const TopicPartition &tp) const
{
    auto it = m_state.find(tp);
    if (it == m_state.end() || it->second.role != Role::Leader)
        return std::nullopt;
    return it->second.leaderEpoch;
}

ErrorCode ReplicaManager::checkLeaderEpoch(const TopicPartition &tp, int32_t currentLeaderEpoch) const
{
    if (currentLeaderEpoch < 0)
        return ErrorCode::None;
    auto it = m_state.find(tp);
    if (it == m_state.end())
        return ErrorCode::None;
    if (currentLeaderEpoch < it->second.leaderEpoch)
        return ErrorCode::FencedLeaderEpoch;
    if (currentLeaderEpoch > it->second.leaderEpoch)
        return ErrorCode::UnknownLeaderEpoch;
    return ErrorCode::None;
}

bool ReplicaManager::highWatermarkReachedEpochStart(const TopicPartition &tp) const
{
    auto it = m_state.find(tp);
    if (it == m_state.end() || !it->second.leaderState)
        return false;
    const LeaderState &s = *it->second.leaderState;
    return s.highWatermark() >= s.config().epochStartOffset;
}

bool ReplicaManager::enoughReplicas(const TopicPartition &tp) const
{
    auto it = m_state.find(tp);
    return it != m_state.end() && it->second.leaderState && it->second.leaderState->enoughReplicas();
}

int64_t ReplicaManager::leaderPosition(const log::PartitionLog &log) const
{
    return m_config.flushMode == core::FlushMode::Fsync ? log.durableEndOffset() : log.logEndOffset();
}

void ReplicaManager::localAppend(const TopicPartition &tp)
{
    // Followers long-polling this partition fetch what was just written (they may copy it
    // before the leader's own fsync; the HW counts the leader only once durable).
    m_partitions.delayedFetches().notify(tp);
}

void ReplicaManager::localDurable(const TopicPartition &tp, const std::shared_ptr<log::PartitionLog> &log)
{
    auto it = m_state.find(tp);
    if (it == m_state.end() || it->second.role != Role::Leader)
        return;
    updateHighWatermark(tp, it->second, log);
}

void ReplicaManager::updateHighWatermark(const TopicPartition &tp, Partition &p, const std::shared_ptr<log::PartitionLog> &log)
{
    if (!p.leaderState || !p.leaderState->advanceHighWatermark(leaderPosition(*log)))
        return;
    log->setHighWatermark(p.leaderState->highWatermark());
    m_delayed.reached(tp, log->highWatermark());
    m_partitions.delayedFetches().notify(tp);
}

void ReplicaManager::whenReplicated(const TopicPartition &tp, int64_t offset, int64_t timeoutMs, DelayedProduces::Done done)
{
    auto it = m_state.find(tp);
    if (it == m_state.end() || it->second.role != Role::Leader) {
        done(ErrorCode::NotLeaderOrFollower);
        return;
    }
    if (it->second.leaderState->highWatermark() >= offset) {
        done(ErrorCode::None);
        return;
    }
    if (!it->second.leaderState->enoughReplicas()) {
        done(ErrorCode::NotEnoughReplicasAfterAppend);
        return;
    }
    const int64_t parkedAt = nowMs();
    m_delayed.park(tp, offset, timeoutMs, [this, parkedAt, done = std::move(done)](ErrorCode e) {
        if (m_metrics && e == ErrorCode::None)
            m_metrics->replicationWaitMicros.record((nowMs() - parkedAt) * 1000);
        done(e);
    });
    watchLease();
}

void ReplicaManager::watchLease()
{
    if (m_leaseCheck.isActive() || m_delayed.size() == 0)
        return;
    const int64_t expiresAt = m_controller->leaseExpiresAtMs();
    if (expiresAt == std::numeric_limits<int64_t>::max())
        return;   // a controller that grants the lease forever (a single node)
    const int64_t left = expiresAt - metadata::MetadataController::monotonicNowMs();
    m_leaseCheck.start(int(std::clamp<int64_t>(left + 1, 0, std::numeric_limits<int>::max())));
}

void ReplicaManager::onLeaseCheck()
{
    if (!m_controller->leaseHeld()) {
        // The controller may have fenced this broker and elected other leaders: the HW these
        // produces wait for may never come here. Kafka answers a parked produce with
        // NOT_LEADER_OR_FOLLOWER once its broker leads no more; answered now rather than at
        // the request timeout, the client retries at the leader it learns of next, before it
        // moves the partition there. (A late REQUEST_TIMED_OUT from the old leader, arriving
        // after the move, makes librdkafka before 2.3 fail its idempotent producer for good.)
        // The records stay in the log: a retry finds them (the producer state deduplicates) if
        // this broker keeps the leadership after all.
        if (m_delayed.size() > 0)
            qCInfo(lcKafka, "leadership lease expired: %zu acks=all produce(s) waiting for replication answered "
                            "NOT_LEADER_OR_FOLLOWER", m_delayed.size());
        m_delayed.failEverything(ErrorCode::NotLeaderOrFollower);
        return;
    }
    watchLease();
}

std::optional<int64_t> ReplicaManager::lowWatermark(const TopicPartition &tp) const
{
    auto it = m_state.find(tp);
    auto log = m_partitions.hostedLog(tp);
    if (it == m_state.end() || it->second.role != Role::Leader || !it->second.leaderState || !log)
        return std::nullopt;
    return it->second.leaderState->lowWatermark(log->logStartOffset(), [this](uint64_t broker) {
        const metadata::BrokerInfo *b = m_image ? m_image->broker(broker) : nullptr;
        return b && !b->fenced;
    });
}

void ReplicaManager::whenLowWatermarkReached(const TopicPartition &tp, int64_t offset, int64_t timeoutMs,
                                             DelayedProduces::Done done)
{
    const std::optional<int64_t> low = lowWatermark(tp);
    if (!low) {
        done(ErrorCode::NotLeaderOrFollower);
        return;
    }
    if (*low >= offset) {
        done(ErrorCode::None);
        return;
    }
    m_delayedDeletes.park(tp, offset, timeoutMs, std::move(done));
}

ReplicaManager::ReplicaFetchCheck ReplicaManager::onReplicaFetch(const TopicPartition &tp, uint64_t replica,
                                                                 const FetchRequest::Partition &request,
                                                                 const log::PartitionLog &log)
{
    ReplicaFetchCheck out;
    auto it = m_state.find(tp);
    if (it == m_state.end() || it->second.role != Role::Leader) {
        out.error = toWire(ErrorCode::NotLeaderOrFollower);
        return out;
    }
    Partition &p = it->second;
    if (ErrorCode e = checkLeaderEpoch(tp, request.currentLeaderEpoch); e != ErrorCode::None) {
        out.error = toWire(e);
        return out;
    }
    if (!contains(p.leaderState->config().replicas, replica)) {
        // Kafka: a broker that is not (yet) a replica retries until the metadata catches up.
        out.error = toWire(ErrorCode::UnknownLeaderEpoch);
        return out;
    }
    // Truncate-on-fetch: the follower's last epoch must end where the leader's does, or later.
    if (request.lastFetchedEpoch >= 0) {
        const auto [epoch, end] = log.endOffsetForEpoch(request.lastFetchedEpoch);
        if (epoch < request.lastFetchedEpoch || end < request.fetchOffset) {
            out.diverging = FetchResponse::EpochEndOffset{epoch, end};
            return out;
        }
    }
    if (request.fetchOffset > log.logEndOffset())
        return out;   // the read answers OFFSET_OUT_OF_RANGE
    p.leaderState->onFollowerFetch(replica, request.fetchOffset, log.logEndOffset(), nowMs());
    p.leaderState->onFollowerLogStart(replica, request.logStartOffset);
    if (m_delayedDeletes.size() > 0) {
        if (const std::optional<int64_t> low = lowWatermark(tp))
            m_delayedDeletes.reached(tp, *low);
    }
    auto hosted = m_partitions.hostedLog(tp);
    if (hosted)
        updateHighWatermark(tp, p, hosted);
    // A follower that caught up may join the ISR (one change in flight at a time).
    if (!p.alterInFlight) {
        std::vector<uint64_t> joining;
        const metadata::TopicInfo *topic = m_image ? m_image->topic(tp.topic) : nullptr;
        const metadata::PartitionInfo *info =
            topic && tp.partition < int32_t(topic->partitions.size()) ? &topic->partitions[size_t(tp.partition)] : nullptr;
        for (uint64_t r : p.leaderState->mayJoin()) {
            const metadata::BrokerInfo *b = m_image ? m_image->broker(r) : nullptr;
            // As the controller checks (validateAlterPartition): a replica whose log is offline
            // may be level with the leader (nothing was written since it failed) but cannot
            // write what comes next.
            if (b && !b->fenced && !b->inControlledShutdown && info && !contains(info->offlineReplicas, r))
                joining.push_back(r);
        }
        if (!joining.empty()) {
            std::vector<uint64_t> isr;
            for (uint64_t r : p.leaderState->config().replicas)
                if (contains(p.leaderState->isr(), r) || contains(joining, r))
                    isr.push_back(r);
            proposeIsr(tp, p, std::move(isr), "caught up");
        }
    }
    return out;
}

void ReplicaManager::checkIsr()
{
    int64_t led = 0, under = 0, maxLag = 0;
    std::vector<LedPartition> view;
    const int64_t now = nowMs();
    for (auto &[tp, p] : m_state) {
        if (p.role != Role::Leader)
            continue;
        auto log = m_partitions.hostedLog(tp);
        if (!log)
            continue;
        ++led;
        const LeaderState &state = *p.leaderState;
        under += state.isr().size() < state.config().replicas.size() ? 1 : 0;
        LedPartition entry{tp.topic, tp.partition, p.leaderEpoch, log->highWatermark(), log->logEndOffset(), {},
                           log->logStartOffset(), log->sizeInBytes(), int32_t(log->segmentCount())};
        for (uint64_t r : state.config().replicas) {
            const LeaderState::Follower *f = state.follower(r);
            if (!f)
                continue;
            const int64_t lag = log->logEndOffset() - std::max<int64_t>(f->position, 0);
            maxLag = std::max(maxLag, lag);
            entry.followers.push_back({r, f->position, lag, f->lastCaughtUpMs < 0 ? -1 : now - f->lastCaughtUpMs,
                                       contains(state.isr(), r)});
        }
        view.push_back(std::move(entry));
        if (p.alterInFlight)
            continue;
        const auto out = p.leaderState->outOfSync(log->logEndOffset(), nowMs());
        if (out.empty())
            continue;
        std::vector<uint64_t> isr;
        for (uint64_t r : p.leaderState->isr())
            if (!contains(out, r))
                isr.push_back(r);
        proposeIsr(tp, p, std::move(isr), "out of sync");
    }
    if (m_metrics) {
        m_metrics->replication.publish(std::move(view));
        m_metrics->leaderPartitions = led;
        m_metrics->underReplicatedPartitions = under;
        m_metrics->maxFollowerLag = maxLag;
    }
}

void ReplicaManager::proposeIsr(const TopicPartition &tp, Partition &p, std::vector<uint64_t> isr, const char *why)
{
    if (!m_image)
        return;
    const metadata::BrokerInfo *self = m_image->broker(m_config.nodeId);
    if (!self)
        return;
    metadata::Command command;
    auto *c = command.mutable_alter_partition();
    c->set_broker_id(m_config.nodeId);
    c->set_broker_epoch(self->brokerEpoch);
    c->set_topic(tp.topic);
    c->set_topic_id(std::string(reinterpret_cast<const char *>(p.topicId.data()), p.topicId.size()));
    c->set_partition(tp.partition);
    c->set_leader_epoch(p.leaderEpoch);
    c->set_partition_epoch(p.partitionEpoch);
    for (uint64_t r : isr) {
        auto *m = c->add_new_isr();
        m->set_broker_id(r);
        const metadata::BrokerInfo *b = m_image->broker(r);
        m->set_broker_epoch(b ? b->brokerEpoch : -1);
    }
    qCInfo(lcKafka, "asking the controller to change the ISR of %s from %s to %s (%s)", tp.toString().c_str(),
           idList(p.leaderState->isr()).c_str(), idList(isr).c_str(), why);
    p.alterInFlight = true;
    // While the change is in flight the HW counts the members it would add (the maximal ISR).
    p.leaderState->setPending(isr);
    const int32_t epoch = p.leaderEpoch;
    const int32_t partitionEpoch = p.partitionEpoch;
    const bool shrink = isr.size() < p.leaderState->isr().size();
    m_controller->submit(command, this, [this, tp, epoch, partitionEpoch, shrink](metadata::ApplyResult result) {
        if (m_metrics && result.status.isOk())
            ++(shrink ? m_metrics->isrShrinks : m_metrics->isrExpands);
        auto it = m_state.find(tp);
        if (it == m_state.end() || it->second.role != Role::Leader || it->second.leaderEpoch != epoch)
            return;
        Partition &p = it->second;
        if (result.status.isOk()) {
            // The image that carries it is followed (setIsr); if it already was, nothing waits.
            if (p.partitionEpoch != partitionEpoch) {
                p.alterInFlight = false;
                p.leaderState->setPending(std::nullopt);
            }
            return;
        }
        qCWarning(lcKafka, "the controller refused the ISR change of %s: %s", tp.toString().c_str(),
                  result.status.toString().c_str());
        p.alterInFlight = false;
        p.leaderState->setPending(std::nullopt);
    });
}

int64_t ReplicaManager::underReplicated() const
{
    int64_t n = 0;
    for (const auto &[tp, p] : m_state)
        if (p.role == Role::Leader && p.leaderState->isr().size() < p.leaderState->config().replicas.size())
            ++n;
    return n;
}

// ---- the follower's side

ReplicaFetcher *ReplicaManager::fetcherFor(uint64_t leader)
{
    if (auto it = m_fetchers.find(leader); it != m_fetchers.end())
        return it->second.get();
    const metadata::BrokerInfo *b = m_image ? m_image->broker(leader) : nullptr;
    if (!b)
        return nullptr;
    ReplicaFetcher::Options options;
    options.maxWaitMs = int32_t(m_config.replicaFetchWaitMaxMs);
    options.maxBytes = int32_t(m_config.replicaFetchMaxBytes);
    ReplicaFetcher::Hooks hooks;
    hooks.positions = [this, leader] { return positionsFor(leader); };
    hooks.onPartition = [this, leader](const TopicPartition &tp, const FetchResponse::Partition &data, std::function<void()> done) {
        onFetched(leader, tp, data, std::move(done));
    };
    hooks.tls = m_interBrokerTls;
    if (const auto &login = m_config.interBrokerSasl)
        hooks.sasl = SaslCredentials{login->mechanism, login->username, login->password};
    // A leader that keeps refusing (a user not made yet, a wrong password) is retried every few
    // seconds: one line, then at most one per interval, for each leader and reason.
    hooks.onConnectionProblem = [this, leader](const QString &why) {
        const std::string line = "replica fetcher for leader " + std::to_string(leader) + ": " + why.toStdString();
        m_fetchLog->warning(line, line);
    };
    auto fetcher = std::make_unique<ReplicaFetcher>(m_config.nodeId, leader, QString::fromStdString(b->kafkaHost),
                                                    quint16(b->kafkaPort), options, std::move(hooks), this);
    m_fetcherAddress[leader] = {b->kafkaHost, b->kafkaPort};
    auto *raw = fetcher.get();
    m_fetchers[leader] = std::move(fetcher);
    return raw;
}

void ReplicaManager::dropIdleFetchers()
{
    std::set<uint64_t> used;
    for (const auto &[tp, p] : m_state)
        if (p.role == Role::Follower)
            used.insert(p.leader);
    for (auto it = m_fetchers.begin(); it != m_fetchers.end();) {
        if (used.count(it->first)) {
            ++it;
            continue;
        }
        it->second->stop();
        // Deleted later: this may run inside one of its callbacks.
        it->second.release()->deleteLater();
        m_fetcherAddress.erase(it->first);
        it = m_fetchers.erase(it);
    }
}

std::map<TopicPartition, FetchPosition> ReplicaManager::positionsFor(uint64_t leader)
{
    std::map<TopicPartition, FetchPosition> out;
    for (const auto &[tp, p] : m_state) {
        if (p.role != Role::Follower || p.leader != leader)
            continue;
        auto log = m_partitions.hostedLog(tp);
        if (!log)
            continue;
        FetchPosition position;
        position.fetchOffset = log->logEndOffset();
        position.lastFetchedEpoch = log->latestEpoch().value_or(-1);
        position.currentLeaderEpoch = p.leaderEpoch;
        position.logStartOffset = log->logStartOffset();
        out[tp] = position;
    }
    return out;
}

void ReplicaManager::onFetched(uint64_t leader, const TopicPartition &tp, const FetchResponse::Partition &data,
                               std::function<void()> done)
{
    auto it = m_state.find(tp);
    auto log = m_partitions.hostedLog(tp);
    if (it == m_state.end() || it->second.role != Role::Follower || it->second.leader != leader || !log) {
        done();
        return;
    }
    if (data.errorCode != 0) {
        const auto error = static_cast<ErrorCode>(data.errorCode);
        if (error == ErrorCode::OffsetOutOfRange && data.logStartOffset > log->logEndOffset()) {
            // Retention moved the leader's start past everything here: start over from there.
            qCInfo(lcKafka, "%s: the leader's log starts at %lld, above this replica's end %lld; starting over there",
                   tp.toString().c_str(), static_cast<long long>(data.logStartOffset),
                   static_cast<long long>(log->logEndOffset()));
            if (Status s = log->truncateFullyAndStartAt(data.logStartOffset); !s.isOk())
                qCCritical(lcKafka, "%s: %s", tp.toString().c_str(), s.toString().c_str());
        }
        if (error == ErrorCode::TopicAuthorizationFailed || error == ErrorCode::ClusterAuthorizationFailed) {
            // A leader with authorizer.enable serves follower fetches only to a principal with
            // CLUSTER_ACTION on the cluster (Kafka's rule). Replication stops here until someone
            // grants it, so the follower says so, as it says why a login is refused.
            const std::string who = m_config.interBrokerSasl ? "User:" + m_config.interBrokerSasl->username
                                                             : std::string("this node's inter-broker principal");
            const std::string line = "replica fetcher for leader " + std::to_string(leader) + ": the leader refuses to let "
                                     + who + " replicate " + tp.topic + " (" + errorCodeName(error)
                                     + "): it needs CLUSTER_ACTION on the cluster (skiffctl acls add --principal " + who
                                     + " --operation CLUSTER_ACTION --cluster) or a place in super.users";
            m_fetchLog->warning("authorization " + std::to_string(leader), line);
        }
        // Other errors (not the leader any more, another epoch): the fetcher leaves the partition
        // out for replica.fetch.backoff.ms, or until a newer image wakes it.
        done();
        return;
    }
    if (data.divergingEpoch.endOffset >= 0) {
        truncateDiverging(tp, log, data.divergingEpoch);
        done();
        return;
    }
    const int64_t leaderHw = data.highWatermark;
    const int64_t leaderLogStart = data.logStartOffset;
    if (!data.records || data.records->empty()) {
        followLeaderMarks(tp, *log, leaderHw, leaderLogStart);
        done();
        return;
    }
    log::AppendResult appended = log->appendAsFollower(*data.records);
    if (!appended.isOk()) {
        qCWarning(lcKafka, "%s: cannot append what the leader sent: %s", tp.toString().c_str(), appended.message.c_str());
        // A full disk, say: the fetcher leaves it out for a second, newer images or not, and the
        // replica is offline (out of the ISR) until a write succeeds again.
        if (appended.error == log::LogErrc::KafkaStorageError)
            m_partitions.writeFailed(tp, ioError(appended.message));
        if (auto f = m_fetchers.find(leader); f != m_fetchers.end())
            f->second->backOff(tp, int(kAppendRetryMs));
        done();
        return;
    }
    m_partitions.wrote(tp);
    if (m_metrics)
        m_metrics->traffic.replicated(tp.topic, appended.records, appended.bytes);
    // The next fetch (whose offset the leader counts as this replica's position) goes only
    // once this is on disk.
    QPointer<ReplicaManager> self(this);
    m_partitions.whenDurable(tp, log, [self, tp, log, leaderHw, leaderLogStart, done = std::move(done)](Status s) {
        if (s.isOk())
            followLeaderMarks(tp, *log, leaderHw, leaderLogStart);
        done();
    });
}

void ReplicaManager::followLeaderMarks(const TopicPartition &tp, log::PartitionLog &log, int64_t leaderHw,
                                       int64_t leaderLogStart)
{
    log.setHighWatermark(std::min(leaderHw, log.logEndOffset()));
    // Records the leader deleted (DeleteRecords) go here too, as far as this replica has them
    // committed; the next Fetch reports the new start, which the leader's low watermark awaits.
    const int64_t start = std::min(leaderLogStart, log.highWatermark());
    if (start > log.logStartOffset()) {
        if (Status s = log.advanceLogStartOffset(start); !s.isOk())
            qCWarning(lcKafka, "%s: cannot follow the leader's log start %lld: %s", tp.toString().c_str(),
                      static_cast<long long>(leaderLogStart), s.toString().c_str());
    }
}

void ReplicaManager::truncateDiverging(const TopicPartition &tp, const std::shared_ptr<log::PartitionLog> &log,
                                       const FetchResponse::EpochEndOffset &diverging)
{
    // Kafka's follower rule: truncate to the end of the diverging epoch as both logs know it; if
    // this replica has no such epoch, the next fetch (with an older last epoch) narrows it down.
    const auto [epoch, end] = log->endOffsetForEpoch(diverging.epoch);
    int64_t to = std::min(diverging.endOffset, log->logEndOffset());
    if (epoch >= 0)
        to = std::min(to, end);
    qCInfo(lcKafka, "%s: diverges from the leader at epoch %d (leader's end of it %lld, ours %lld): truncating to %lld",
           tp.toString().c_str(), diverging.epoch, static_cast<long long>(diverging.endOffset),
           static_cast<long long>(end), static_cast<long long>(to));
    if (Status s = log->truncateTo(to); !s.isOk())
        qCCritical(lcKafka, "%s: truncation failed: %s", tp.toString().c_str(), s.toString().c_str());
}

} // namespace skiff::kafka
