#include "kafka/server/LogDirsHandler.h"

#include "kafka/protocol/ErrorCode.h"
#include "kafka/protocol/messages/DescribeLogDirs.h"
#include "kafka/protocol/messages/DescribeProducers.h"
#include "kafka/server/BrokerContext.h"
#include "kafka/server/PartitionManager.h"
#include "log/PartitionLog.h"

#include <sys/statvfs.h>

#include <algorithm>
#include <filesystem>
#include <set>

namespace skiff::kafka {

void LogDirsHandler::describeLogDirs(RequestInfo info, const DescribeLogDirsRequest &request)
{
    // Kafka: the partitions asked for (null: every log of the broker); each topic with a log in
    // the directory is listed, with those of its partitions that were asked for (so a hosted
    // topic not asked for appears with no partitions). Offline logs are not hosted and absent.
    // DESCRIBE on the cluster, else nothing (v3+ says why).
    if (!m_context.authorizer.allowsCluster(info, *m_context.image(), metadata::AclOperation::Describe)) {
        DescribeLogDirsResponse refused;
        refused.errorCode = toWire(ErrorCode::ClusterAuthorizationFailed);
        return info.reply(refused);
    }
    const auto &hosted = m_context.partitions.hostedLogs();
    std::set<TopicPartition> asked;
    if (request.topics) {
        for (const auto &t : *request.topics)
            for (int32_t p : t.partitions)
                asked.insert({t.topic, p});
    }
    DescribeLogDirsResponse::Result dir;
    std::error_code ec;
    const std::filesystem::path absolute = std::filesystem::absolute(m_context.config.dataDir, ec);
    dir.logDir = ec ? m_context.config.dataDir : absolute.lexically_normal().string();
    if (dir.logDir.size() > 1 && dir.logDir.back() == '/')
        dir.logDir.pop_back();
    struct statvfs fs {};
    if (::statvfs(m_context.config.dataDir.c_str(), &fs) != 0) {
        // The directory cannot be read: Kafka's answer for an offline log directory.
        dir.errorCode = toWire(ErrorCode::KafkaStorageError);
    } else {
        dir.totalBytes = int64_t(fs.f_blocks) * int64_t(fs.f_frsize);
        dir.usableBytes = int64_t(fs.f_bavail) * int64_t(fs.f_frsize);
        for (const auto &[tp, log] : hosted) {
            if (!log)
                continue;
            if (dir.topics.empty() || dir.topics.back().name != tp.topic)
                dir.topics.push_back({tp.topic, {}});
            if (request.topics && !asked.contains(tp))
                continue;
            DescribeLogDirsResponse::Partition p;
            p.partitionIndex = tp.partition;
            p.partitionSize = log->sizeInBytes();
            // The lag of the log end behind the high watermark: never positive for a current log.
            p.offsetLag = std::max<int64_t>(log->highWatermark() - log->logEndOffset(), 0);
            dir.topics.back().partitions.push_back(p);
        }
    }
    DescribeLogDirsResponse response;
    response.results.push_back(std::move(dir));
    info.reply(response);
}

void LogDirsHandler::describeProducers(RequestInfo info, const DescribeProducersRequest &request)
{
    const auto image = m_context.image();
    DescribeProducersResponse response;
    for (const auto &topic : request.topics) {
        DescribeProducersResponse::Topic t;
        t.name = topic.name;
        const bool readable = m_context.authorizer.allowsTopic(info, *image, metadata::AclOperation::Read, topic.name);
        const metadata::TopicInfo *topicInfo = image->topic(topic.name);
        for (int32_t partition : topic.partitionIndexes) {
            DescribeProducersResponse::Partition r;
            r.partitionIndex = partition;
            if (!readable) {
                r.errorCode = toWire(ErrorCode::TopicAuthorizationFailed);
                r.errorMessage = "Topic authorization failed.";
                t.partitions.push_back(std::move(r));
                continue;
            }
            if (!topicInfo) {
                // Kafka checks the topic first and answers with the error's default message.
                r.errorCode = toWire(ErrorCode::UnknownTopicOrPartition);
                r.errorMessage = "This server does not host this topic-partition.";
                t.partitions.push_back(std::move(r));
                continue;
            }
            // Any replica answers, leader or follower (a follower records the producers' sequences
            // as it appends, to deduplicate retries once it leads), as Kafka's brokers do.
            const TopicPartition tp{topic.name, partition};
            const auto log = m_context.partitions.hostedLog(tp);
            if (!log) {
                ErrorCode e = ErrorCode::NotLeaderOrFollower;   // no replica here
                if (partition < 0 || partition >= int32_t(topicInfo->partitions.size()))
                    e = ErrorCode::UnknownTopicOrPartition;
                else if (m_context.partitions.isOffline(tp))
                    e = ErrorCode::KafkaStorageError;
                r.errorCode = toWire(e);
            } else {
                for (const auto &[producerId, entry] : log->producerState().entries()) {
                    DescribeProducersResponse::ProducerState s;
                    s.producerId = producerId;
                    s.producerEpoch = entry.epoch;
                    if (!entry.batches.empty()) {   // else Kafka's defaults: -1, -1
                        s.lastSequence = entry.batches.back().lastSeq;
                        s.lastTimestamp = entry.batches.back().timestamp;
                    }
                    s.coordinatorEpoch = -1;        // idempotent producers: no transaction coordinator
                    s.currentTxnStartOffset = -1;   // no transaction open
                    r.activeProducers.push_back(s);
                }
                std::sort(r.activeProducers.begin(), r.activeProducers.end(),
                          [](const auto &a, const auto &b) { return a.producerId < b.producerId; });
            }
            t.partitions.push_back(std::move(r));
        }
        response.topics.push_back(std::move(t));
    }
    info.reply(response);
}

} // namespace skiff::kafka
