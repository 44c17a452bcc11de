#include "kafka/server/ListOffsetsHandler.h"

#include "kafka/protocol/ErrorCode.h"
#include "kafka/protocol/messages/ListOffsets.h"
#include "kafka/protocol/messages/OffsetForLeaderEpoch.h"
#include "kafka/server/BrokerContext.h"
#include "kafka/server/PartitionManager.h"
#include "kafka/server/ReplicaManager.h"
#include "log/PartitionLog.h"

namespace skiff::kafka {

void ListOffsetsHandler::handle(RequestInfo info, const ListOffsetsRequest &request)
{
    const auto image = m_context.image();
    ListOffsetsResponse response;
    for (const auto &topic : request.topics) {
        ListOffsetsResponse::Topic t;
        t.name = topic.name;
        const bool described = m_context.authorizer.allowsTopic(info, *image, metadata::AclOperation::Describe, topic.name);
        for (const auto &p : topic.partitions) {
            ListOffsetsResponse::Partition r;
            r.partitionIndex = p.partitionIndex;
            if (!described) {
                r.errorCode = toWire(ErrorCode::TopicAuthorizationFailed);
                t.partitions.push_back(r);
                continue;
            }
            const TopicPartition tp{topic.name, p.partitionIndex};
            auto [log, partitionInfo, error] = m_context.partitions.leaderLog(*image, tp, p.currentLeaderEpoch);
            r.errorCode = error;
            const ReplicaManager &replicas = m_context.partitions.replicas();
            if (log) {
                // As Kafka answers: the epoch the offset found was written in (-1 when nothing
                // was found); "latest" gets the current epoch.
                auto found = [&](int64_t offset, int64_t timestamp) {
                    r.offset = offset;
                    r.timestamp = timestamp;
                    r.leaderEpoch = log->epochForOffset(offset).value_or(-1);
                };
                if (p.timestamp == ListOffsetsRequest::kEarliest || p.timestamp == ListOffsetsRequest::kEarliestLocal) {
                    // Every record is local (no tiered storage): the local start is the start.
                    found(log->logStartOffset(), -1);
                } else if (p.timestamp == ListOffsetsRequest::kLatestTiered) {
                    // Kafka without remote storage: nothing is tiered, offset -1.
                } else if (p.timestamp == ListOffsetsRequest::kLatest && !replicas.highWatermarkReachedEpochStart(tp)) {
                    // A new leader's HW may trail what its predecessor exposed; until it reached
                    // the start of this epoch, "latest" could go back (Kafka: OFFSET_NOT_AVAILABLE).
                    r.errorCode = toWire(ErrorCode::OffsetNotAvailable);
                } else if (p.timestamp == ListOffsetsRequest::kLatest) {
                    r.offset = log->highWatermark();
                    r.leaderEpoch = partitionInfo->leaderEpoch;
                } else {
                    auto lookup = p.timestamp == ListOffsetsRequest::kMaxTimestamp ? log->maxTimestamp()
                                                                                   : log->offsetForTimestamp(p.timestamp);
                    if (!lookup.isOk())
                        r.errorCode = toWire(ErrorCode::KafkaStorageError);
                    else if (lookup->offset >= 0 && lookup->offset < log->highWatermark())
                        found(lookup->offset, lookup->timestamp);
                }
            }
            t.partitions.push_back(r);
        }
        response.topics.push_back(std::move(t));
    }
    info.reply(response);
}

void ListOffsetsHandler::offsetForLeaderEpoch(RequestInfo info, const OffsetForLeaderEpochRequest &request)
{
    const auto image = m_context.image();
    OffsetForLeaderEpochResponse response;
    // Kafka: a follower's CLUSTER_ACTION covers every topic; anyone else needs DESCRIBE on each.
    const bool clusterAction = m_context.authorizer.allowsCluster(info, *image, metadata::AclOperation::ClusterAction,
                                                                  RequestAuthorizer::Denial::Quiet);
    for (const auto &topic : request.topics) {
        OffsetForLeaderEpochResponse::Topic t;
        t.topic = topic.topic;
        const bool described =
            clusterAction || m_context.authorizer.allowsTopic(info, *image, metadata::AclOperation::Describe, topic.topic);
        for (const auto &p : topic.partitions) {
            OffsetForLeaderEpochResponse::EpochEndOffset r;
            r.partition = p.partition;
            if (!described) {
                r.errorCode = toWire(ErrorCode::TopicAuthorizationFailed);
                t.partitions.push_back(r);
                continue;
            }
            const TopicPartition tp{topic.topic, p.partition};
            auto [log, partitionInfo, error] = m_context.partitions.leaderLog(*image, tp, p.currentLeaderEpoch);
            r.errorCode = error;
            if (log) {
                // Kafka's answer: the largest epoch at or below the one asked for and where it
                // ended; (-1, -1) when the log knows no such epoch.
                const auto [epoch, end] = log->endOffsetForEpoch(p.leaderEpoch);
                r.leaderEpoch = epoch;
                r.endOffset = end;
            }
            t.partitions.push_back(r);
        }
        response.topics.push_back(std::move(t));
    }
    info.reply(response);
}

} // namespace skiff::kafka
