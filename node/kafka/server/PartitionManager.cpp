#include "kafka/server/PartitionManager.h"

#include "kafka/protocol/ErrorCode.h"
#include "kafka/server/TopicConfigs.h"
#include "log/GroupCommitter.h"
#include "log/LogManager.h"
#include "log/PartitionLog.h"
#include "metadata/MetadataController.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QPointer>

#include <set>

Q_DECLARE_LOGGING_CATEGORY(lcKafka)

namespace skiff::kafka {

PartitionManager::PartitionManager(const core::NodeConfig &config, metadata::MetadataController *controller, QObject *parent)
    : QObject(parent), m_config(config), m_controller(controller), m_topicConfigs(std::make_unique<TopicConfigs>(config)),
      m_delayedFetches(this)
{
    log::GroupCommitter::Options options;
    if (config.flushMode == core::FlushMode::Interval)
        options.flushIntervalMs = config.flushIntervalMs;
    m_committer = std::make_unique<log::GroupCommitter>(options);
    m_logs = std::make_unique<log::LogManager>(config.dataDir, logConfigFor(metadata::TopicInfo{}));
}

PartitionManager::~PartitionManager()
{
    m_committer->stop();
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
    SKIFF_RETURN_IF_ERROR(m_logs->open([&](const std::string &topic) {
        const metadata::TopicInfo *info = image->topic(topic);
        return logConfigFor(info ? *info : metadata::TopicInfo{});
    }));
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
        log->setHighWatermark(log->logEndOffset());   // recovered data is what the disk holds
        m_hosted[{tp.topic, tp.partition}] = log;
        m_topicIds[tp.topic] = info->id;
    }
    m_committer->start();
    reconcile();

    m_retentionTimer.setInterval(int(std::min<int64_t>(m_config.logRetentionCheckIntervalMs, INT32_MAX)));
    connect(&m_retentionTimer, &QTimer::timeout, this, &PartitionManager::applyRetention);
    m_retentionTimer.start();
    qCInfo(lcKafka, "serving %zu partition log(s) from %s", m_hosted.size(), m_config.dataDir.c_str());
    return Status::ok();
}

void PartitionManager::reconcile()
{
    const auto image = m_controller->image();
    if (image == m_reconciled)
        return;
    const auto previous = m_reconciled;
    m_reconciled = image;

    std::set<TopicPartition> wanted;
    for (const auto &[name, topic] : image->topics) {
        for (const auto &p : topic->partitions) {
            if (std::find(p.replicas.begin(), p.replicas.end(), m_config.nodeId) != p.replicas.end())
                wanted.insert({name, p.partition});
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
        auto created = m_logs->createPartition(tp.topic, tp.partition, logConfigFor(*topic));
        if (!created.isOk()) {
            qCCritical(lcKafka, "cannot create partition log %s: %s", tp.toString().c_str(), created.status().toString().c_str());
            continue;
        }
        created.value()->setHighWatermark(created.value()->logEndOffset());
        m_hosted[tp] = created.value();
        m_topicIds[tp.topic] = topic->id;
    }
}

std::shared_ptr<log::PartitionLog> PartitionManager::log(const TopicPartition &tp) const
{
    auto it = m_hosted.find(tp);
    return it == m_hosted.end() ? nullptr : it->second;
}

PartitionManager::LeaderLog PartitionManager::leaderLog(const metadata::MetadataImage &image, const TopicPartition &tp) const
{
    const metadata::TopicInfo *topic = image.topic(tp.topic);
    if (!topic || tp.partition < 0 || tp.partition >= int32_t(topic->partitions.size()))
        return {nullptr, nullptr, toWire(ErrorCode::UnknownTopicOrPartition)};
    const metadata::PartitionInfo &partition = topic->partitions[size_t(tp.partition)];
    auto hosted = partition.leader == m_config.nodeId ? log(tp) : nullptr;
    if (!hosted)
        return {nullptr, &partition, toWire(ErrorCode::NotLeaderOrFollower)};
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
    const int64_t visible = m_config.flushMode == core::FlushMode::Fsync ? log->durableEndOffset() : log->logEndOffset();
    if (visible <= log->highWatermark())
        return;
    log->setHighWatermark(visible);
    m_delayedFetches.notify(tp);
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
    m_retentionTimer.stop();
    m_delayedFetches.completeAll();
    // The committer finishes what is pending (those callbacks post here and are dropped with
    // this object if it is gone); then every log gets its final sync.
    m_committer->stop();
    Status s = m_logs->closeAll();
    m_hosted.clear();
    done(s);
}

} // namespace skiff::kafka
