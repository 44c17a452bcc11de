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
        for (const auto &p : topic.partitions) {
            ListOffsetsResponse::Partition r;
            r.partitionIndex = p.partitionIndex;
            const TopicPartition tp{topic.name, p.partitionIndex};
            auto [log, partitionInfo, error] = m_context.partitions.leaderLog(*image, tp, p.currentLeaderEpoch);
            r.errorCode = error;
            const ReplicaManager &replicas = m_context.partitions.replicas();
            if (log) {
                r.leaderEpoch = partitionInfo->leaderEpoch;
                if (p.timestamp == ListOffsetsRequest::kEarliest || p.timestamp == ListOffsetsRequest::kEarliestLocal) {
                    // Every record is local (no tiered storage): the local start is the start.
                    r.offset = log->logStartOffset();
                } else if (p.timestamp == ListOffsetsRequest::kLatestTiered) {
                    // Kafka without remote storage: nothing is tiered, offset -1.
                    r.leaderEpoch = -1;
                } else if (p.timestamp == ListOffsetsRequest::kLatest && !replicas.highWatermarkReachedEpochStart(tp)) {
                    // A new leader's HW may trail what its predecessor exposed; until it reached
                    // the start of this epoch, "latest" could go back (Kafka: OFFSET_NOT_AVAILABLE).
                    r.errorCode = toWire(ErrorCode::OffsetNotAvailable);
                } else if (p.timestamp == ListOffsetsRequest::kLatest) {
                    r.offset = log->highWatermark();
                } else if (p.timestamp == ListOffsetsRequest::kMaxTimestamp) {
                    auto found = log->maxTimestamp();
                    if (!found.isOk()) {
                        r.errorCode = toWire(ErrorCode::KafkaStorageError);
                    } else if (found->offset >= 0 && found->offset < log->highWatermark()) {
                        r.offset = found->offset;
                        r.timestamp = found->timestamp;
                    }
                } else {
                    auto found = log->offsetForTimestamp(p.timestamp);
                    if (!found.isOk()) {
                        r.errorCode = toWire(ErrorCode::KafkaStorageError);
                    } else if (found->offset >= 0 && found->offset < log->highWatermark()) {
                        r.offset = found->offset;
                        r.timestamp = found->timestamp;
                    }
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
    for (const auto &topic : request.topics) {
        OffsetForLeaderEpochResponse::Topic t;
        t.topic = topic.topic;
        for (const auto &p : topic.partitions) {
            OffsetForLeaderEpochResponse::EpochEndOffset r;
            r.partition = p.partition;
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
