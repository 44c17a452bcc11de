#include "kafka/server/PartitionManager.h"

#include "kafka/protocol/ErrorCode.h"
#include "kafka/server/ReplicaManager.h"
#include "kafka/server/KafkaLog.h"
#include "kafka/server/KafkaMetrics.h"
#include "kafka/server/TopicConfigs.h"
#include "log/DiskUsage.h"
#include "log/FileHandleCache.h"
#include "log/GroupCommitter.h"
#include "log/LogManager.h"
#include "log/PartitionLog.h"
#include "metadata.pb.h"
#include "metadata/MetadataController.h"
#include "metadata/PartitionServing.h"

#include <QDateTime>
#include <QPointer>

#include <optional>
#include <set>
#include <sys/resource.h>
#include <utility>

namespace skiff::kafka {

namespace {

uint64_t openFileLimit()
{
    rlimit limit {};
    return ::getrlimit(RLIMIT_NOFILE, &limit) == 0 ? uint64_t(limit.rlim_cur) : 1024;
}

} // namespace

PartitionManager::PartitionManager(const core::NodeConfig &config, metadata::MetadataController *controller,
                                   NodeLinks links, QObject *parent)
    : QObject(parent), m_config(config), m_controller(controller), m_links(std::move(links)),
      m_topicConfigs(std::make_unique<TopicConfigs>(config)), m_delayedFetches(this)
{
    log::GroupCommitter::Options options;
    if (config.flushMode == core::FlushMode::Interval)
        options.flushIntervalMs = config.flushIntervalMs;
    if (m_links.metrics)   // outlives this, and the committer stops in the destructor
        options.fsyncLatencyHook = [h = &m_links.metrics->logFsyncMicros](int64_t micros) { h->record(micros); };
    m_committer = std::make_unique<log::GroupCommitter>(options);

    const uint64_t fileLimit = openFileLimit();
    const size_t capacity = config.logMaxOpenFiles > 0 ? size_t(config.logMaxOpenFiles)
                                                       : log::FileHandleCache::capacityForFileLimit(fileLimit);
    m_files = std::make_shared<log::FileHandleCache>(capacity, m_links.metrics ? &m_links.metrics->logOpenFiles : nullptr);
    if (m_links.metrics)
        m_links.metrics->logOpenFilesCapacity = int64_t(capacity);
    if (uint64_t(capacity) >= fileLimit)
        qCWarning(lcKafka, "log.max.open.files = %zu is not below the open-file limit (%llu): logs may take every "
                  "descriptor and leave none for connections", capacity, static_cast<unsigned long long>(fileLimit));
    else
        qCInfo(lcKafka, "partition logs keep at most %zu segment files open (%s; open-file limit %llu)", capacity,
               config.logMaxOpenFiles > 0 ? "log.max.open.files" : "half the open-file limit",
               static_cast<unsigned long long>(fileLimit));
    m_logs = std::make_unique<log::LogManager>(config.dataDir, logConfigFor(metadata::TopicInfo{}), m_files);

    m_replicas = std::make_unique<ReplicaManager>(config, controller, *this, m_links.metrics, m_links.interBrokerTls, this);
    m_clock.start();
    m_offlineRetryTimer.setSingleShot(true);
    connect(&m_offlineRetryTimer, &QTimer::timeout, this, &PartitionManager::retryOffline);
}

PartitionManager::~PartitionManager()
{
    m_committer->stop();
    // Logs still held elsewhere (queued callbacks) keep the cache alive; the gauge is not theirs.
    m_files->setOpenGauge(nullptr);
}

log::LogConfig PartitionManager::logConfigFor(const metadata::TopicInfo &topic) const
{
    const auto &o = topic.configs;
    log::LogConfig c;
    c.segmentBytes = m_topicConfigs->intValue(o, "segment.bytes");
    c.segmentMs = m_topicConfigs->intValue(o, "segment.ms");
    c.retentionMs = m_topicConfigs->intValue(o, "retention.ms");
    c.retentionBytes = m_topicConfigs->intValue(o, "retention.bytes");
    c.maxMessageBytes = int32_t(m_topicConfigs->intValue(o, "max.message.bytes"));
    c.timestampType = m_topicConfigs->value(o, "message.timestamp.type") == "LogAppendTime" ? log::TimestampType::LogAppendTime
                                                                                          : log::TimestampType::CreateTime;
    return c;
}

Status PartitionManager::open()
{
    const auto image = m_controller->image();
    // A log that cannot be opened for a reason that may pass (permissions, no descriptors or space
    // left) is served offline and retried; damaged data stops the start as before.
    std::vector<std::pair<log::TopicPartition, Status>> unopened;
    SKIFF_RETURN_IF_ERROR(m_logs->open([&](const std::string &topic) {
        const metadata::TopicInfo *info = image->topic(topic);
        return logConfigFor(info ? *info : metadata::TopicInfo{});
    }, &unopened));
    for (const auto &[tp, error] : unopened) {
        const metadata::TopicInfo *info = image->topic(tp.topic);
        if (!info || tp.partition >= int32_t(info->partitions.size())) {
            qCWarning(lcKafka, "cannot open %s/%s, which holds a partition the metadata does not know: %s",
                      m_config.dataDir.c_str(), log::LogManager::dirName(tp.topic, tp.partition).c_str(),
                      error.toString().c_str());
            continue;
        }
        takeOffline({tp.topic, tp.partition}, info->id, error);
    }
    // Logs on disk that the metadata does not assign here are left alone (never deleted on a
    // guess): they may be all that is left of data an operator wants back.
    for (const auto &tp : m_logs->partitions()) {
        const metadata::TopicInfo *info = image->topic(tp.topic);
        if (!info || tp.partition >= int32_t(info->partitions.size())) {
            qCWarning(lcKafka, "%s/%s holds a partition the metadata does not know; leaving it on disk, not serving it",
                      m_config.dataDir.c_str(), log::LogManager::dirName(tp.topic, tp.partition).c_str());
            continue;
        }
        auto log = m_logs->partition(tp.topic, tp.partition);
        // Nothing is visible to consumers until the leader's high-watermark rule says so: with
        // one replica that is at once (its durable end), with more once the ISR holds it.
        log->setHighWatermark(log->logStartOffset());
        m_hosted[{tp.topic, tp.partition}] = log;
        m_topicIds[tp.topic] = info->id;
    }
    m_committer->start();
    followLatestImage();
    // Queued: the controller publishes on its own thread. A request that must not wait for the
    // queue calls followLatestImage itself (see there).
    m_publications = connect(m_controller, &metadata::MetadataController::imagePublished, this,
                             &PartitionManager::onImagePublished, Qt::QueuedConnection);

    m_retentionTimer.setInterval(int(std::min<int64_t>(m_config.logRetentionCheckIntervalMs, INT32_MAX)));
    connect(&m_retentionTimer, &QTimer::timeout, this, &PartitionManager::applyRetention);
    m_retentionTimer.start();
    publishLogBytes();
    m_logBytesTimer.setInterval(kLogBytesIntervalMs);
    connect(&m_logBytesTimer, &QTimer::timeout, this, &PartitionManager::publishLogBytes);
    m_logBytesTimer.start();
    qCInfo(lcKafka, "serving %zu partition log(s) from %s%s", m_hosted.size(), m_config.dataDir.c_str(),
           m_offline.size() ? qPrintable(QStringLiteral("; %1 offline, retried").arg(m_offline.size())) : "");
    return Status::ok();
}

void PartitionManager::onImagePublished()
{
    // The signal carries the image of its time; a later one may be out already, and is the one
    // to follow (the signals still queued then cost an atomic load each).
    followLatestImage();
}

void PartitionManager::followLatestImage()
{
    if (m_closed)
        return;
    const auto image = m_controller->image();
    if (image == m_followed)
        return;
    const auto previous = std::exchange(m_followed, image);
    alignWith(image, previous);
    m_replicas->follow(image);
    emit logsFollowImage(image);
}

void PartitionManager::alignWith(const metadata::ImagePtr &image, const metadata::ImagePtr &previous)
{
    std::set<TopicPartition> wanted;
    bool markedOffline = false;   // the image says some partition of ours is offline
    for (const auto &[name, topic] : image->topics) {
        for (const auto &p : topic->partitions) {
            if (std::find(p.replicas.begin(), p.replicas.end(), m_config.nodeId) != p.replicas.end())
                wanted.insert({name, p.partition});
            markedOffline = markedOffline
                            || std::find(p.offlineReplicas.begin(), p.offlineReplicas.end(), m_config.nodeId)
                                   != p.offlineReplicas.end();
        }
    }
    const size_t offlineBefore = m_offline.size();
    // Offline partitions no longer assigned here (or whose topic was recreated: its new
    // partitions get a first attempt below) are no longer retried.
    for (const auto &[tp, entry] : std::map(m_offline.entries())) {
        const metadata::TopicInfo *topic = image->topic(tp.topic);
        if (wanted.count(tp) && topic && topic->id == entry.topicId)
            continue;
        m_offline.remove(tp);
        qCInfo(lcKafka, "partition %s is no longer assigned here (or its topic was created again): its offline log is not "
               "retried any more", tp.toString().c_str());
    }
    for (auto it = m_pending.begin(); it != m_pending.end();)
        it = wanted.count(*it) ? std::next(it) : m_pending.erase(it);
    // A deleted topic's traffic goes with it (one created again under its name starts at zero).
    if (previous && traffic()) {
        for (const auto &[name, topic] : previous->topics) {
            const metadata::TopicInfo *now = image->topic(name);
            if (!now || now->id != topic->id)
                traffic()->dropTopic(name);
        }
    }
    // Gone, or deleted and created again under the same name: remove the old data.
    for (auto it = m_hosted.begin(); it != m_hosted.end();) {
        const metadata::TopicInfo *topic = image->topic(it->first.topic);
        const bool recreated = topic && m_topicIds[it->first.topic] != topic->id;
        if (wanted.count(it->first) && !recreated) {
            ++it;
            continue;
        }
        qCInfo(lcKafka, "removing partition log %s (%s)", it->first.toString().c_str(),
               recreated ? "topic was deleted and created again" : "no longer assigned here");
        if (Status s = m_logs->removePartition(it->first.topic, it->first.partition); !s.isOk())
            qCCritical(lcKafka, "could not remove %s: %s", it->first.toString().c_str(), s.toString().c_str());
        it = m_hosted.erase(it);
    }
    for (const auto &tp : wanted) {
        const metadata::TopicInfo *topic = image->topic(tp.topic);
        if (m_hosted.count(tp)) {
            // Config changes: a topic whose info changed gets its (possibly new) config.
            if (previous && previous->topic(tp.topic) != topic)
                m_logs->updateTopicConfig(tp.topic, logConfigFor(*topic));   // refuses bad configs with a warning
            continue;
        }
        if (m_offline.find(tp))
            continue;   // its retry timer tries again
        m_pending.insert(tp);
    }
    if (m_offline.size() != offlineBefore)
        publishOfflineCount();
    createPending();
    if (m_offline.size() || markedOffline)
        reportOffline();
}

void PartitionManager::createPending()
{
    m_createScheduled = false;
    QElapsedTimer spent;
    spent.start();
    while (!m_pending.empty() && spent.elapsed() < kCreateBudgetMs)
        createNow(*m_pending.begin());
    if (!m_pending.empty() && !m_createScheduled) {
        m_createScheduled = true;
        QTimer::singleShot(0, this, &PartitionManager::createPending);   // after what else is queued
    }
}

void PartitionManager::createNow(const TopicPartition &which)
{
    const TopicPartition tp = which;   // `which` may be the set's own element, erased next
    if (m_pending.erase(tp) == 0)
        return;
    // Pending partitions are those of m_followed: its topic is there.
    if (const metadata::TopicInfo *topic = m_followed ? m_followed->topic(tp.topic) : nullptr)
        host(tp, *topic);
}

bool PartitionManager::host(const TopicPartition &tp, const metadata::TopicInfo &topic)
{
    auto created = m_logs->createPartition(tp.topic, tp.partition, logConfigFor(topic));
    if (!created.isOk()) {
        takeOffline(tp, topic.id, created.status());
        return false;
    }
    created.value()->setHighWatermark(created.value()->logStartOffset());   // as in open()
    m_hosted[tp] = created.value();
    m_topicIds[tp.topic] = topic.id;
    if (m_followed)
        m_replicas->followPartition(tp, *m_followed);   // its role, now that it has a log
    return true;
}

void PartitionManager::takeOffline(const TopicPartition &tp, const metadata::Uuid &topicId, const Status &error)
{
    if (!m_offline.failed(tp, topicId, error, nowMs())) {
        scheduleRetry();
        return;   // said once already; the backoff grew
    }
    // Once per partition, not per request or attempt: a full disk must not become a full log.
    const QString text = QStringLiteral("partition %1 is offline on broker %2: its log cannot be opened: %3; clients get "
                                        "KAFKA_STORAGE_ERROR, opening is retried after %4 s, then every 2, 4 ... up to %5 s")
                             .arg(QString::fromStdString(tp.toString()))
                             .arg(m_config.nodeId)
                             .arg(QString::fromStdString(error.toString()))
                             .arg(OfflinePartitions::kFirstRetryMs / 1000)
                             .arg(OfflinePartitions::kMaxRetryMs / 1000);
    announce(admin::EVENT_KIND_PARTITION_OFFLINE, text);
}

void PartitionManager::writeFailed(const TopicPartition &tp, const Status &error)
{
    auto id = m_topicIds.find(tp.topic);
    const auto log = hostedLog(tp);
    if (m_closed || id == m_topicIds.end() || !log)
        return;
    if (!m_offline.writeFailed(tp, id->second, error, nowMs()))
        return;   // said once already
    const bool forGood = !log->checkWritable().isOk();
    const QString text = QStringLiteral("partition %1 is offline on broker %2: a write to its log failed: %3; its "
                                        "leadership goes to another in-sync replica if there is one, producers here get "
                                        "KAFKA_STORAGE_ERROR, %4")
                             .arg(QString::fromStdString(tp.toString()))
                             .arg(m_config.nodeId)
                             .arg(QString::fromStdString(error.toString()))
                             .arg(forGood ? QStringLiteral("and the log refuses writes until skiffd restarts (a failed sync "
                                                           "may have lost written pages; the restart recovers it from disk)")
                                          : QStringLiteral("and a write is tried again every %1 s")
                                                .arg(OfflinePartitions::kFirstRetryMs / 1000));
    announce(admin::EVENT_KIND_PARTITION_OFFLINE, text);
}

void PartitionManager::writableAgain(const TopicPartition &tp, const char *how)
{
    const OfflinePartitions::Entry *entry = m_offline.find(tp);
    if (!entry || !entry->logOpen)
        return;
    const int64_t since = entry->sinceMs;
    m_offline.remove(tp);
    const QString text = QStringLiteral("partition %1 is online again on broker %2: %3, after %4 ms offline")
                             .arg(QString::fromStdString(tp.toString()))
                             .arg(m_config.nodeId)
                             .arg(QString::fromLatin1(how))
                             .arg(nowMs() - since);
    announce(admin::EVENT_KIND_PARTITION_ONLINE, text);
}

void PartitionManager::probeWriteFailed(const std::vector<TopicPartition> &due)
{
    std::optional<Status> probe;   // written once, only if some log could take writes at all
    for (const TopicPartition &tp : due) {
        const OfflinePartitions::Entry *entry = m_offline.find(tp);
        const auto log = hostedLog(tp);
        if (!entry || !entry->logOpen || !log)
            continue;
        Status s = log->checkWritable();
        if (s.isOk()) {
            if (!probe)
                probe = log::probeWrite(m_config.dataDir, kWriteProbeBytes);
            s = *probe;
        }
        if (!s.isOk()) {
            m_offline.writeFailed(tp, entry->topicId, s, nowMs());   // the next try, a second out
            continue;
        }
        writableAgain(tp, "a probe write to its disk succeeded");
    }
}

void PartitionManager::retryOffline()
{
    const auto image = m_controller->image();
    std::vector<TopicPartition> due = m_offline.due(nowMs());
    probeWriteFailed(due);
    bool recovered = false;
    for (const TopicPartition &tp : due) {
        const metadata::TopicInfo *topic = image->topic(tp.topic);
        const OfflinePartitions::Entry *entry = m_offline.find(tp);
        if (!entry || entry->logOpen)
            continue;   // probed above
        if (!topic || topic->id != entry->topicId || tp.partition >= int32_t(topic->partitions.size()))
            continue;   // following the image drops it
        const int attempts = entry->attempts;
        const int64_t since = entry->sinceMs;
        if (!host(tp, *topic))
            continue;
        m_offline.remove(tp);
        recovered = true;
        const QString text = QStringLiteral("partition %1 is online again on broker %2: its log opened at attempt %3, "
                                            "after %4 ms offline")
                                 .arg(QString::fromStdString(tp.toString()))
                                 .arg(m_config.nodeId)
                                 .arg(attempts + 1)
                                 .arg(nowMs() - since);
        announce(admin::EVENT_KIND_PARTITION_ONLINE, text);
    }
    if (recovered)
        emit logsFollowImage(m_followed);   // a log that was missing is there now
    scheduleRetry();
}

void PartitionManager::announce(admin::EventKind kind, const QString &text)
{
    if (kind == admin::EVENT_KIND_PARTITION_OFFLINE)
        qCCritical(lcKafka, "%s", qPrintable(text));
    else
        qCInfo(lcKafka, "%s", qPrintable(text));
    if (m_links.reportEvent)
        m_links.reportEvent(kind, text);
    publishOfflineCount();
    scheduleRetry();
    reportOffline();
}

void PartitionManager::scheduleRetry()
{
    const auto next = m_offline.nextAttemptMs();
    if (!next) {
        m_offlineRetryTimer.stop();
        return;
    }
    m_offlineRetryTimer.start(int(std::clamp<int64_t>(*next - nowMs(), 0, OfflinePartitions::kMaxRetryMs)));
}

void PartitionManager::reportOffline()
{
    if (m_reportInFlight) {
        m_reportAgain = true;
        return;
    }
    const auto image = m_controller->image();
    // Until this process's registration is applied a report would be refused; the image that
    // carries it is followed, which reports.
    const metadata::BrokerInfo *self = image->broker(m_config.nodeId);
    if (!self || self->incarnationId != m_links.incarnationId)
        return;
    auto command = m_offline.report(*image, m_config.nodeId, m_links.incarnationId);
    if (!command)
        return;
    m_reportInFlight = true;
    m_reportAgain = false;
    // The answer comes on this thread, and not at all once this object is gone.
    m_controller->submit(*command, this, [this](metadata::ApplyResult result) {
        m_reportInFlight = false;
        if (!result.status.isOk()) {
            const std::string error = result.status.toString();
            if (error != m_lastReportError)
                qCWarning(lcKafka, "could not record offline partitions in the metadata, retrying in 1 s: %s", error.c_str());
            m_lastReportError = error;
            QTimer::singleShot(1000, this, &PartitionManager::reportOffline);
            return;
        }
        m_lastReportError.clear();
        if (m_reportAgain)
            reportOffline();
    });
}

void PartitionManager::publishOfflineCount()
{
    if (m_links.metrics)
        m_links.metrics->partitionsOffline = int64_t(m_offline.size());
}

void PartitionManager::publishLogBytes()
{
    if (m_links.metrics)
        m_links.metrics->partitionLogBytes = uint64_t(std::max<int64_t>(m_logs->totalSizeInBytes(), 0));
}

TopicTraffic *PartitionManager::traffic() const { return m_links.metrics ? &m_links.metrics->traffic : nullptr; }

const Status *PartitionManager::offlineReason(const TopicPartition &tp) const
{
    const OfflinePartitions::Entry *e = m_offline.find(tp);
    return e ? &e->error : nullptr;
}

std::shared_ptr<log::PartitionLog> PartitionManager::hostedLog(const TopicPartition &tp) const
{
    auto it = m_hosted.find(tp);
    return it == m_hosted.end() ? nullptr : it->second;
}

std::shared_ptr<log::PartitionLog> PartitionManager::log(const TopicPartition &tp)
{
    createNow(tp);
    auto it = m_hosted.find(tp);
    return it == m_hosted.end() ? nullptr : it->second;
}

PartitionManager::LeaderLog PartitionManager::leaderLog(const metadata::MetadataImage &image, const TopicPartition &tp,
                                                        int32_t currentLeaderEpoch)
{
    const metadata::TopicInfo *topic = image.topic(tp.topic);
    if (!topic || tp.partition < 0 || tp.partition >= int32_t(topic->partitions.size()))
        return {nullptr, nullptr, toWire(ErrorCode::UnknownTopicOrPartition)};
    const metadata::PartitionInfo &partition = topic->partitions[size_t(tp.partition)];
    // Named leader but fenced (or no longer registered): Metadata names no leader, so neither do
    // Produce and Fetch. Whether the log opens is known here first (below), not from the image.
    if (metadata::servingOf(image, partition).state == metadata::PartitionState::Offline)
        return {nullptr, &partition, toWire(ErrorCode::NotLeaderOrFollower)};
    // Led here once the replica manager took the leadership (its epoch is in the log).
    auto hosted = partition.leader == m_config.nodeId ? log(tp) : nullptr;
    if (hosted && !m_replicas->leaderEpoch(tp))
        return {nullptr, &partition, toWire(ErrorCode::NotLeaderOrFollower)};
    if (!hosted && partition.leader == m_config.nodeId && isOffline(tp))
        return {nullptr, &partition, toWire(ErrorCode::KafkaStorageError)};
    if (!hosted)
        return {nullptr, &partition, toWire(ErrorCode::NotLeaderOrFollower)};
    // Without the lease the controller may have fenced this broker and moved the leadership:
    // the client asks again, of the leader its next Metadata names (cluster/BrokerLease.h).
    if (!m_controller->leaseHeld())
        return {nullptr, &partition, toWire(ErrorCode::NotLeaderOrFollower)};
    if (ErrorCode e = m_replicas->checkLeaderEpoch(tp, currentLeaderEpoch); e != ErrorCode::None)
        return {nullptr, &partition, toWire(e)};
    return {std::move(hosted), &partition, 0};
}

void PartitionManager::whenDurable(const TopicPartition &tp, const std::shared_ptr<log::PartitionLog> &log,
                                   std::function<void(Status)> done)
{
    QPointer<PartitionManager> self(this);
    m_committer->requestSync(log, [self, tp, log, done = std::move(done)](Status s) mutable {
        // Committer thread: hop back to the Kafka thread before touching anything.
        QMetaObject::invokeMethod(self.data(), [self, tp, log, done = std::move(done), s]() {
            if (!self)
                return;
            if (s.isOk())
                self->onDurable(tp, log);
            else if (s.code() == StatusCode::IoError)   // not "the committer stopped" at shutdown
                self->writeFailed(tp, s);
            self->m_files->trim();   // files the sync released may be over the capacity
            if (done)
                done(s);
        }, Qt::QueuedConnection);
    });
}

void PartitionManager::appended(const TopicPartition &tp, const std::shared_ptr<log::PartitionLog> &log)
{
    m_committer->requestSync(log, nullptr);   // interval mode: remembered for the next flush
    onDurable(tp, log);
}

void PartitionManager::onDurable(const TopicPartition &tp, const std::shared_ptr<log::PartitionLog> &log)
{
    m_replicas->localDurable(tp, log);   // a leader's high watermark may move
}

void PartitionManager::applyRetention()
{
    auto deleted = m_logs->applyRetention(QDateTime::currentMSecsSinceEpoch());
    if (!deleted.isOk())
        qCWarning(lcKafka, "retention: %s", deleted.status().toString().c_str());
    else if (deleted.value() > 0)
        qCInfo(lcKafka, "retention deleted %d segment(s)", deleted.value());
}

void PartitionManager::close(std::function<void(Status)> done)
{
    m_closed = true;
    disconnect(m_publications);
    m_replicas->stop();
    m_retentionTimer.stop();
    m_logBytesTimer.stop();
    m_offlineRetryTimer.stop();
    m_pending.clear();
    m_delayedFetches.completeAll();
    // The committer finishes what is pending (those callbacks post here and are dropped with
    // this object if it is gone); then every log gets its final sync.
    m_committer->stop();
    Status s = m_logs->closeAll();
    m_hosted.clear();
    done(s);
}

} // namespace skiff::kafka
