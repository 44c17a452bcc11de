#include "kafka/server/ProduceHandler.h"

#include "kafka/protocol/ErrorCode.h"
#include "kafka/protocol/messages/Produce.h"
#include "kafka/server/BrokerContext.h"
#include "kafka/server/ClientQuotaEnforcer.h"
#include "kafka/server/Completion.h"
#include "kafka/server/KafkaLog.h"
#include "kafka/server/KafkaMetrics.h"
#include "kafka/server/PartitionManager.h"
#include "kafka/server/ReplicaManager.h"
#include "log/PartitionLog.h"

#include <QDateTime>

namespace skiff::kafka {

ProduceHandler::ProduceHandler(BrokerContext &context)
    : m_context(context), m_appendFailures(core::LogFlood::AppendFailed, lcKafka, context.owner)
{
}

void ProduceHandler::handle(RequestInfo info, ProduceRequest request)
{
    const int16_t acks = request.acks;
    info.responder.countAs(produceVariant(acks));
    const auto image = m_context.image();
    // WRITE on each topic, decided before existence (Kafka answers TOPIC_AUTHORIZATION_FAILED
    // for a topic the client may not write, whether or not it exists).
    std::vector<bool> writable;
    for (const auto &topic : request.topicData)
        writable.push_back(m_context.authorizer.allowsTopic(info, *image, metadata::AclOperation::Write, topic.name));
    auto response = std::make_shared<ProduceResponse>();
    // The request's bytes count against the client's producer_byte_rate as it arrives (Kafka
    // counts them as it answers, but reads no other request of the connection meanwhile; this
    // connection reads on while a produce waits for its write, so the throttle is decided before
    // it reads the next one). An acks=0 producer is throttled too, with no answer to carry the time.
    if (m_context.quotas) {
        const int64_t throttle = m_context.quotas->record(QuotaType::Produce, quotaUser(info.principal),
                                                          info.header.clientId.value_or(std::string()), double(info.requestBytes),
                                                          ClientQuotaEnforcer::nowMs());
        response->throttleTimeMs = int32_t(throttle);
        info.responder.throttle(throttle);
    }
    auto completion = Completion::create([info = std::move(info), response, acks]() mutable {
        if (acks == 0)
            info.responder.respond({});   // no response, but the connection's order moves on
        else
            info.reply(*response);
    });

    ErrorCode requestError = ErrorCode::None;
    if (acks != 0 && acks != 1 && acks != -1)
        requestError = ErrorCode::InvalidRequiredAcks;
    else if (request.transactionalId)
        requestError = ErrorCode::TransactionalIdAuthorizationFailed;

    const int64_t now = QDateTime::currentMSecsSinceEpoch();
    // Produce v3 predates KAFKA_STORAGE_ERROR: such clients get what makes them look again.
    const ErrorCode storageError = info.apiVersion() >= 4 ? ErrorCode::KafkaStorageError : ErrorCode::NotLeaderOrFollower;
    const bool fsync = m_context.config.flushMode == core::FlushMode::Fsync;
    // Partition results are filled in asynchronously by reference: no reallocation after this.
    response->responses.reserve(request.topicData.size());
    for (size_t t = 0; t < request.topicData.size(); ++t) {
        auto &topic = request.topicData[t];
        response->responses.push_back({topic.name, {}});
        auto &out = response->responses.back().partitionResponses;
        out.reserve(topic.partitionData.size());
        for (auto &p : topic.partitionData) {
            out.push_back({});
            ProduceResponse::Partition &r = out.back();
            r.index = p.index;
            auto failWith = [&](ErrorCode code, std::string message = {}) {
                r.errorCode = toWire(code);
                r.baseOffset = -1;
                if (!message.empty())
                    r.errorMessage = std::move(message);
            };
            if (requestError != ErrorCode::None || !writable[t]) {
                failWith(requestError != ErrorCode::None ? requestError : ErrorCode::TopicAuthorizationFailed);
                continue;
            }
            const TopicPartition tp{topic.name, p.index};
            auto [log, partitionInfo, error] = m_context.partitions.leaderLog(*image, tp);
            if (!log && error == toWire(ErrorCode::KafkaStorageError)) {
                const Status *reason = m_context.partitions.offlineReason(tp);
                failWith(storageError, "partition " + tp.toString() + " is offline on broker " + std::to_string(m_context.nodeId())
                                           + (reason ? ": " + reason->message() : std::string()));
                continue;
            }
            if (!log) {
                failWith(static_cast<ErrorCode>(error));
                continue;
            }
            if (!p.records || p.records->empty()) {
                failWith(ErrorCode::CorruptMessage, "empty record set");
                continue;
            }
            ReplicaManager &replicas = m_context.partitions.replicas();
            const std::optional<int32_t> epoch = replicas.leaderEpoch(tp);
            if (!epoch) {
                failWith(ErrorCode::NotLeaderOrFollower);
                continue;
            }
            // Kafka checks before appending: with too small an ISR nothing is written.
            if (acks == -1 && !replicas.enoughReplicas(tp)) {
                failWith(ErrorCode::NotEnoughReplicas, "partition " + tp.toString() + " has fewer in-sync replicas than "
                                                       "min.insync.replicas");
                continue;
            }
            log::AppendResult appended = log->appendAsLeader(std::move(*p.records), *epoch, now);
            if (!appended.isOk()) {
                failWith(appended.error == log::LogErrc::KafkaStorageError ? storageError : static_cast<ErrorCode>(appended.error),
                         appended.message);
                if (appended.error == log::LogErrc::KafkaStorageError) {
                    m_appendFailures.critical("append failed", "append to " + tp.toString() + " failed: " + appended.message);
                    m_context.partitions.writeFailed(tp, ioError(appended.message));
                }
                continue;
            }
            m_context.partitions.wrote(tp);
            r.baseOffset = appended.baseOffset;
            r.logAppendTimeMs = appended.logAppendTimeMs;
            r.logStartOffset = appended.logStartOffset;
            if (!appended.duplicate) {
                replicas.localAppend(tp);
                if (TopicTraffic *traffic = m_context.partitions.traffic())
                    traffic->produced(tp.topic, appended.records, appended.bytes);
            }
            // acks=all waits for the high watermark past its last offset (every ISR member has
            // it on disk); acks=1 for the leader's own durable write.
            auto replicated = [this, &r, completion, tp, end = appended.lastOffset + 1, timeoutMs = request.timeoutMs]() {
                m_context.partitions.replicas().whenReplicated(tp, end, timeoutMs, [&r, completion](ErrorCode e) {
                    if (e != ErrorCode::None) {
                        r.errorCode = toWire(e);
                        r.baseOffset = -1;
                    }
                    completion->finishOne();
                });
            };
            if (!fsync) {
                m_context.partitions.appended(tp, log);
                if (acks == -1) {
                    completion->add();
                    replicated();
                }
                continue;
            }
            if (acks == 0) {
                m_context.partitions.whenDurable(tp, log, nullptr);   // consumers see it once durable
                continue;
            }
            completion->add();
            m_context.partitions.whenDurable(tp, log, [&r, completion, storageError, acks, replicated](Status s) {
                if (!s.isOk()) {
                    r.errorCode = toWire(storageError);
                    r.errorMessage = "could not make the write durable: " + s.message();
                    r.baseOffset = -1;
                } else if (acks == -1) {
                    replicated();
                    return;
                }
                completion->finishOne();
            });
        }
    }
    completion->arm();
}

} // namespace skiff::kafka
