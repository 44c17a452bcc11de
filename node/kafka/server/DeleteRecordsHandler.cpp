#include "kafka/server/DeleteRecordsHandler.h"

#include "kafka/protocol/ErrorCode.h"
#include "kafka/protocol/messages/DeleteRecords.h"
#include "kafka/server/BrokerContext.h"
#include "kafka/server/Completion.h"
#include "kafka/server/PartitionManager.h"
#include "kafka/server/ReplicaManager.h"
#include "log/PartitionLog.h"

#include <memory>
#include <set>

namespace skiff::kafka {

void DeleteRecordsHandler::handle(RequestInfo info, const DeleteRecordsRequest &request)
{
    auto response = std::make_shared<DeleteRecordsResponse>();
    const auto image = m_context.image();
    std::set<std::string> denied;   // DELETE on each topic, decided before `info` moves
    for (const auto &topic : request.topics)
        if (!m_context.authorizer.allowsTopic(info, *image, metadata::AclOperation::Delete, topic.name))
            denied.insert(topic.name);
    auto completion = Completion::create([info = std::move(info), response]() mutable { info.reply(*response); });
    ReplicaManager &replicas = m_context.partitions.replicas();
    // Partition results are filled in asynchronously by reference: no reallocation after this.
    response->topics.reserve(request.topics.size());
    for (const auto &topic : request.topics) {
        response->topics.push_back({topic.name, {}});
        auto &out = response->topics.back().partitions;
        out.reserve(topic.partitions.size());
        for (const auto &p : topic.partitions) {
            out.push_back({p.partitionIndex, -1, 0});
            DeleteRecordsResponse::Partition &r = out.back();
            if (denied.contains(topic.name)) {
                r.errorCode = toWire(ErrorCode::TopicAuthorizationFailed);
                continue;
            }
            const TopicPartition tp{topic.name, p.partitionIndex};
            auto [log, partitionInfo, error] = m_context.partitions.leaderLog(*image, tp);
            if (!log) {
                r.errorCode = error;
                continue;
            }
            const int64_t offset = p.offset == DeleteRecordsRequest::kHighWatermark ? log->highWatermark() : p.offset;
            if (offset < 0) {
                r.errorCode = toWire(ErrorCode::OffsetOutOfRange);
                continue;
            }
            if (Status s = log->advanceLogStartOffset(offset); !s.isOk()) {
                r.errorCode = toWire(s.code() == StatusCode::OutOfRange ? ErrorCode::OffsetOutOfRange
                                                                          : ErrorCode::KafkaStorageError);
                continue;
            }
            completion->add();
            replicas.whenLowWatermarkReached(tp, offset, request.timeoutMs, [&r, &replicas, tp, completion](ErrorCode e) {
                if (e == ErrorCode::None)
                    r.lowWatermark = replicas.lowWatermark(tp).value_or(-1);
                else
                    r.errorCode = toWire(e);
                completion->finishOne();
            });
        }
    }
    completion->arm();
}

} // namespace skiff::kafka
